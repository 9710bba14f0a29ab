"""Small pieces the screens share. Test hooks: ``tagged`` gives a control a stable
``flt-semantics-identifier`` in the web build (Flet 1.0 has no per-control identifier; only
``ft.Semantics(identifier=...)``)."""

from __future__ import annotations

import flet as ft

from field_app.app.state import AppState
from field_app.core.i18n import Message

FORM_WIDTH = 440


def tagged(identifier: str, control: ft.Control, **options: object) -> ft.Semantics:
    """``control`` with a semantics identifier; ``options`` go to the ``ft.Semantics`` wrapper
    (which is what its parent lays out: put ``expand`` or ``key`` here, not on ``control``)."""
    return ft.Semantics(identifier=identifier, content=control, **options)  # type: ignore[arg-type]


def language_switch(app: AppState) -> ft.Control:
    """Shows the other language's name in that language: "English" in Chinese, "中文" in English."""

    async def switch() -> None:
        await app.switch_language()

    return tagged(
        "language-switch",
        ft.TextButton(
            Message("app.language.name").text(app.other_lang),
            icon=ft.Icons.TRANSLATE,
            tooltip=app.t("app.language.switch"),
            on_click=switch,
        ),
    )


def lock_button(app: AppState) -> ft.Control:
    return tagged(
        "lock-button",
        ft.IconButton(ft.Icons.LOCK_OUTLINE, tooltip=app.t("app.lock"), on_click=lambda: app.lock()),
    )


def message_text(app: AppState, message: Message | None, identifier: str, *, error: bool = True) -> ft.Control:
    """A notice or an error under a form, announced to screen readers when it appears."""
    if message is None:
        return ft.Container(height=0)
    return tagged(
        identifier,
        ft.Text(
            app.say(message),
            color=ft.Colors.ERROR if error else ft.Colors.ON_SURFACE_VARIANT,
            size=15,
        ),
    )


def busy_ring(app: AppState) -> ft.Control:
    if not app.busy:
        return ft.Container(height=0)
    return ft.Row(
        [ft.ProgressRing(width=18, height=18, stroke_width=2), ft.Text(app.t("app.busy"))],
        spacing=10,
    )


def form_column(controls: list[ft.Control]) -> ft.Control:
    """A narrow column in the middle of the screen: the PIN screens."""
    return ft.Container(
        content=ft.Column(
            controls, spacing=16, width=FORM_WIDTH, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
        ),
        alignment=ft.Alignment.TOP_CENTER,
        padding=ft.Padding.only(top=48),
        expand=True,
    )


__all__ = ["busy_ring", "form_column", "language_switch", "lock_button", "message_text", "tagged"]
