"""The store is locked: the worker enters their PIN."""

from __future__ import annotations

import flet as ft

from field_app.app.context import use_app
from field_app.app.state import Phase
from field_app.app.widgets import busy_ring, form_column, language_switch, message_text, tagged


@ft.component
def UnlockScreen() -> ft.View:
    app = use_app()
    pin, set_pin = ft.use_state("")

    async def submit() -> None:
        await app.unlock(pin)
        if app.phase is not Phase.OPEN:
            set_pin("")  # a wrong PIN is typed again from scratch

    return ft.View(
        route="/",
        appbar=ft.AppBar(title=ft.Text(app.t("app.title")), actions=[language_switch(app)]),
        controls=[
            form_column(
                [
                    ft.Row(
                        [ft.Icon(ft.Icons.LOCK, size=28), ft.Text(app.t("app.unlock.title"), size=28, weight=ft.FontWeight.W_600)],
                        spacing=12,
                    ),
                    ft.Text(app.t("app.unlock.intro", name=app.display_name), size=16),
                    message_text(app, app.notice, "unlock-notice", error=False),
                    tagged(
                        "unlock-pin",
                        ft.TextField(
                            label=app.t("app.unlock.pin"),
                            value=pin,
                            password=True,
                            can_reveal_password=True,
                            autofocus=True,
                            on_change=lambda e: set_pin(e.control.value),
                            on_submit=submit,
                        ),
                    ),
                    message_text(app, app.error, "unlock-error"),
                    busy_ring(app),
                    tagged(
                        "unlock-submit",
                        ft.FilledButton(app.t("app.unlock.submit"), icon=ft.Icons.LOCK_OPEN, on_click=submit, disabled=app.busy),
                    ),
                ]
            )
        ],
    )
