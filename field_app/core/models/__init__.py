"""Record models of the registry (pydantic v2, frozen): the field catalogue of DOMAIN.md §2."""

from field_app.core.codes import *  # noqa: F403 - the code lists are part of the model API
from field_app.core.codes import __all__ as _codes_all
from field_app.core.models.base import Money, Record, new_id, parse_record
from field_app.core.models.geo import GeoPoint, distance_m
from field_app.core.models.household import Assistance, Household, Housing, IncomeYear, Water
from field_app.core.models.member import Member
from field_app.core.models.places import County, Township, Village, county_of, township_of
from field_app.core.models.problem import (
    Problem,
    ProblemAction,
    ProblemEvent,
    ProblemState,
    ProblemStatus,
    fold_problem,
)
from field_app.core.models.users import Scope, User
from field_app.core.models.visit import PhotoRef, Visit

__all__ = [
    *_codes_all,
    "Assistance",
    "County",
    "GeoPoint",
    "Household",
    "Housing",
    "IncomeYear",
    "Member",
    "Money",
    "PhotoRef",
    "Problem",
    "ProblemAction",
    "ProblemEvent",
    "ProblemState",
    "ProblemStatus",
    "Record",
    "Scope",
    "Township",
    "User",
    "Village",
    "Visit",
    "Water",
    "county_of",
    "distance_m",
    "fold_problem",
    "new_id",
    "parse_record",
    "township_of",
]
