"""The component tree's root: which door is open decides what shows, then the routes.

Locked (or not yet set up), the PIN screen shows whatever the URL says, so no route reaches
the data past the lock; once open, ``ft.Router`` shows the route (a deep link survives the
unlock). Views are managed by the router, so the system back button and the app bar's back
arrow pop from a household to the list.
"""

from __future__ import annotations

import flet as ft

from field_app.app.context import AppContext
from field_app.app.screens.household import HouseholdScreen
from field_app.app.screens.household_list import HouseholdListScreen
from field_app.app.screens.set_pin import SetPinScreen
from field_app.app.screens.unlock import UnlockScreen
from field_app.app.state import AppState, Phase

ROUTES = [
    ft.Route(
        path="/",
        component=HouseholdListScreen,
        children=[ft.Route(path="households/:household_id", component=HouseholdScreen)],
    ),
]


@ft.component
def App(app: AppState):
    return AppContext(app, lambda: Doors(app.phase))


@ft.component
def Doors(phase: Phase):
    if phase is Phase.SET_PIN:
        return [SetPinScreen()]
    if phase is Phase.LOCKED:
        return [UnlockScreen()]
    return ft.Router(ROUTES, manage_views=True)


__all__ = ["App", "ROUTES"]
