"""The server's public names are curated: every module says what it exports, and it exists."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import sync_server

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(sync_server.__path__, "sync_server.") if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_and_defines_its_public_names(name):
    module = importlib.import_module(name)
    if name.startswith("sync_server.migrations.m") or name.startswith("sync_server.routes.") and name != "sync_server.routes.wire":
        return  # migration steps and route modules are data and handlers, reached through their packages
    assert hasattr(module, "__all__"), name
    for public in module.__all__:
        assert getattr(module, public, None) is not None, f"{name}.{public}"


def test_the_package_exports_the_app_factory_and_settings():
    assert sync_server.__all__ == ["Settings", "create_app"]
    assert callable(sync_server.create_app)
