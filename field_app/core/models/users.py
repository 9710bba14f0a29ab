"""Users, their roles and their scopes (which villages they may see and change)."""

from __future__ import annotations

from pydantic import Field

from field_app.core.codes import Role
from field_app.core.models.base import Name, Record, new_id
from field_app.core.models.places import AdminCode, county_of, township_of


class Scope(Record):
    """Villages, townships or whole counties; a user sees the union of them."""

    village_codes: frozenset[AdminCode] = frozenset()
    township_codes: frozenset[AdminCode] = frozenset()
    county_codes: frozenset[AdminCode] = frozenset()

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
