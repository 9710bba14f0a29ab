"""Bianfang sync server and supervisor console.

``create_app(Settings(...))`` builds the FastAPI application; ``python -m sync_server`` is the
administrator's command line (``init-db``, ``create-admin``, ``create-user``, ``load-demo``,
``enrolment-code``, ``serve``). Layers, one way: routes → services (users, enrolment, places,
registry, audit, forms_publish) → db → ``field_app.core``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sync_server.settings import Settings

if TYPE_CHECKING:
    from sync_server.app import create_app


def __getattr__(name: str) -> Any:
    # The web framework is imported on first use of create_app, so the command line
    # (which only prepares databases) starts without it.
    if name == "create_app":
        from sync_server.app import create_app

        return create_app
    raise AttributeError(f"module 'sync_server' has no attribute {name!r}")


__all__ = ["Settings", "create_app"]
