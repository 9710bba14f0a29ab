"""The app's entry: ``build_main(device)`` gives Flet its ``main(page)``; ``run(...)`` serves it.

Started by ``python -m field_app.main`` (see there for the options).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from field_app.app.device import Device
from field_app.app.shell import App
from field_app.app.state import AppState
from field_app.app.theme import apply_theme
from field_app.core.i18n import DEFAULT_LANG, LANGS, Lang

LANGUAGE_KEY = "bianfang.lang"


def build_main(device: Device, *, lang: Lang | None = None) -> Callable[[ft.Page], Awaitable[None]]:
    """One call per session (a tablet has one; the web server one per browser tab)."""

    async def main(page: ft.Page) -> None:
        page.title = "遍访 Bianfang"
        apply_theme(page)
        preferences = ft.SharedPreferences()
        chosen = lang or await _saved_language(preferences)
        app = AppState(device, lang=chosen)

        async def save_language(value: Lang) -> None:
            await preferences.set(LANGUAGE_KEY, value)

        app.remember_language_with(save_language)
        idle_watch = page.run_task(app.watch_idle)

        def session_closed(_: ft.Event) -> None:
            idle_watch.cancel()
            app.lock()

        # Closing or reloading the tab (web) locks: the next visitor meets the PIN screen.
        # Updates made while disconnected are dropped by Flet, so on reconnecting (a reload
        # re-attaches to the same session) the screens are rendered again.
        page.on_disconnect = lambda _: app.lock()
        page.on_connect = lambda _: app.notify()
        page.on_close = session_closed
        page.render_views(App, app)

    return main


async def _saved_language(preferences: ft.SharedPreferences) -> Lang:
    with contextlib.suppress(Exception):  # a client without storage: the default
        saved = await preferences.get(LANGUAGE_KEY)
        if saved in LANGS:
            return str(saved)
    return DEFAULT_LANG


def run(
    device: Device,
    *,
    web: bool,
    host: str | None,
    port: int,
    assets_dir: Path,
    lang: Lang | None = None,
) -> None:
    """Serve the app: in the browser (always with no CDN: the app must work offline) or as a
    desktop window (Flet downloads its desktop client on first use)."""
    ft.run(
        build_main(device, lang=lang),
        view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
        host=host,
        port=port,
        assets_dir=str(assets_dir),
        no_cdn=True,
    )


__all__ = ["LANGUAGE_KEY", "build_main", "run"]
