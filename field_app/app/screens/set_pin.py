"""First use on this device: the worker sets the PIN that opens their store."""

from __future__ import annotations

import flet as ft

from field_app.app.context import use_app
from field_app.app.widgets import busy_ring, form_column, language_switch, message_text, tagged
from field_app.core.i18n import Message


@ft.component
def SetPinScreen() -> ft.View:
    app = use_app()
    pin, set_pin = ft.use_state("")
    again, set_again = ft.use_state("")

    async def submit() -> None:
        await app.set_pin(pin, again)

    controls: list[ft.Control] = [
        ft.Text(app.t("app.set_pin.title"), size=28, weight=ft.FontWeight.W_600),
        ft.Text(app.t("app.set_pin.intro", name=app.display_name), size=16),
        tagged(
            "set-pin-pin",
            ft.TextField(
                label=app.t("app.set_pin.pin"),
                value=pin,
                password=True,
                can_reveal_password=True,
                autofocus=True,
                helper=app.t("app.set_pin.rules"),
                helper_max_lines=3,
                on_change=lambda e: set_pin(e.control.value),
            ),
        ),
        tagged(
            "set-pin-again",
            ft.TextField(
                label=app.t("app.set_pin.confirm"),
                value=again,
                password=True,
                can_reveal_password=True,
                on_change=lambda e: set_again(e.control.value),
                on_submit=submit,
            ),
        ),
        message_text(app, app.error, "set-pin-error"),
        busy_ring(app),
        tagged(
            "set-pin-submit",
            ft.FilledButton(app.t("app.set_pin.submit"), icon=ft.Icons.KEY, on_click=submit, disabled=app.busy),
        ),
    ]
    if app.demo_recovery_key:
        controls.append(message_text(app, Message("app.set_pin.demo_key"), "demo-key-notice", error=False))
    return ft.View(
        route="/",
        appbar=ft.AppBar(title=ft.Text(app.t("app.title")), actions=[language_switch(app)]),
        controls=[form_column(controls)],
    )
