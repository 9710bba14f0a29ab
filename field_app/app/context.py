"""The session's :class:`AppState`, handed down the component tree (routes take no arguments)."""

from __future__ import annotations

import flet as ft

from field_app.app.state import AppState

AppContext = ft.create_context(None)


def use_app() -> AppState:
    """The session's state; the calling component re-renders when it changes."""
    app = ft.use_context(AppContext)
    if app is None:
        raise RuntimeError("use_app() outside the app's component tree")
    return app


__all__ = ["AppContext", "use_app"]
