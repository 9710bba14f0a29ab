"""The village's households, with a search box (name, pinyin initials, household number, ID number)."""

from __future__ import annotations

import flet as ft

from field_app.app.context import use_app
from field_app.app.state import AppState, HouseholdList, HouseholdRow
from field_app.app.widgets import language_switch, lock_button, message_text, tagged
from field_app.core.i18n import Message


@ft.component
def HouseholdListScreen() -> ft.View:
    app = use_app()
    households, _ = ft.use_state(lambda: HouseholdList(app))

    def open_household(row: HouseholdRow) -> None:
        app.touch()
        ft.context.page.navigate(f"/households/{row.id}")

    query = households.query.strip()
    if query:
        summary = app.t("app.households.found", count=len(households.rows)) if households.rows \
            else app.t("app.households.none", query=query)
    else:
        summary = app.t("app.households.count", count=households.total) if households.total \
            else app.t("app.households.empty")

    return ft.View(
        route="/",
        appbar=ft.AppBar(
            title=ft.Text(app.t("app.households.title")),
            actions=[language_switch(app), lock_button(app)],
        ),
        controls=[
            ft.Row(
                [
                    tagged(
                        "household-search",
                        ft.TextField(
                            label=app.t("app.households.search"),
                            hint_text=app.t("app.households.search_hint"),
                            value=households.query,
                            prefix_icon=ft.Icons.SEARCH,
                            on_change=lambda e: households.search(e.control.value),
                        ),
                        expand=True,
                    )
                ],
            ),
            tagged("household-summary", ft.Text(summary, size=14, color=ft.Colors.ON_SURFACE_VARIANT)),
            message_text(
                app,
                Message("app.households.damaged", {"count": households.damaged}) if households.damaged else None,
                "household-damaged",
            ),
            ft.ListView(
                [_row_tile(app, row, open_household) for row in households.rows],
                expand=True,
                spacing=2,
            ),
        ],
    )


def _row_tile(app: AppState, row: HouseholdRow, open_household) -> ft.Control:
    details = [row.number, row.category.label(app.lang), row.status.label(app.lang)]
    if row.matched_member:
        details.append(app.t("app.households.matched_member", name=row.matched_member))
    return tagged(
        f"household-{row.number}",
        key=row.id,  # a new row, not a patched one: Flutter does not update a changed identifier
        control=ft.ListTile(
            leading=ft.Icon(ft.Icons.HOME_OUTLINED),
            title=ft.Text(row.head_name, size=18),
            subtitle=ft.Text(" · ".join(details)),
            trailing=ft.Icon(ft.Icons.SYNC_PROBLEM, tooltip=app.t("app.households.pending")) if row.pending
            else ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=lambda: open_household(row),
        ),
    )
