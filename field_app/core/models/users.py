"""Users, their roles and their scopes (which villages they may see and change)."""

from __future__ import annotations

from pydantic import Field, field_validator

from field_app.core.codes import Role
from field_app.core.models.base import Name, Record, new_id
from field_app.core.models.places import AdminCode, county_of, township_of


class Scope(Record):
    """Villages, townships or whole counties; a user sees the union of them."""

    # Sorted tuples, not sets: a set's JSON order varies between processes (hash seeds), and
    # scopes are stored, compared and hashed as JSON.
    village_codes: tuple[AdminCode, ...] = ()
    township_codes: tuple[AdminCode, ...] = ()
    county_codes: tuple[AdminCode, ...] = ()

    @field_validator("village_codes", "township_codes", "county_codes", mode="before")
    @classmethod
    def _sorted_unique(cls, value: object) -> object:
        return tuple(sorted(set(value))) if isinstance(value, list | tuple | set | frozenset) else value

    def covers(self, village_code: str) -> bool:
        return (
            village_code in self.village_codes
            or township_of(village_code) in self.township_codes
            or county_of(village_code) in self.county_codes
        )


class User(Record):
    id: str = Field(default_factory=new_id)
    username: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: Name
    role: Role
    scope: Scope = Scope()
    phone: str | None = None
    active: bool = True


__all__ = ["Scope", "User"]
