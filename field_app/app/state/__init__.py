"""The screens' state: ``@ft.observable`` dataclasses whose methods change it and talk to the store."""

from field_app.app.state.households import HouseholdCard, HouseholdList, HouseholdRow, household_card
from field_app.app.state.session import AppState, Phase

__all__ = ["AppState", "HouseholdCard", "HouseholdList", "HouseholdRow", "Phase", "household_card"]
