"""One household: who lives there. A placeholder for the visit form (a later issue)."""

from __future__ import annotations

import flet as ft

from field_app.app.context import use_app
from field_app.app.state import HouseholdCard, household_card
from field_app.app.widgets import language_switch, lock_button, message_text, tagged


@ft.component
def HouseholdScreen() -> ft.View:
    app = use_app()
    household_id = ft.use_route_params().get("household_id", "")
    card = household_card(app, household_id)
    appbar = ft.AppBar(title=ft.Text(app.t("app.household.title")), actions=[language_switch(app), lock_button(app)])
    if not isinstance(card, HouseholdCard):
        return ft.View(route=ft.use_view_path(), appbar=appbar, controls=[message_text(app, card, "household-error")])
    home = card.household
    members = [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.PERSON_OUTLINE),
            title=ft.Text(app.t("app.household.member", name=member.name, relation=member.relation.label(app.lang))),
            subtitle=ft.Text(f"{member.sex.label(app.lang)} · {member.birth_date.isoformat()}"),
        )
        for member in card.members
    ]
    return ft.View(
        route=ft.use_view_path(),
        appbar=appbar,
        scroll=ft.ScrollMode.AUTO,
        controls=[
            tagged("household-head", ft.Text(app.t("app.household.head", name=home.head_name), size=24, weight=ft.FontWeight.W_600)),
            ft.Text(app.t("app.household.number", number=home.number)),
            ft.Text(app.t("app.household.category", category=home.category.label(app.lang))),
            ft.Text(app.t("app.household.status", status=home.status.label(app.lang))),
            ft.Divider(),
            ft.Text(app.t("app.household.members", count=len(card.members)), size=18, weight=ft.FontWeight.W_500),
            *members,
            ft.Divider(),
            tagged("household-placeholder", ft.Text(app.t("app.household.placeholder"), italic=True)),
        ],
    )
