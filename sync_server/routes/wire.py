"""Wire models shared by several routes: what a user and a scope look like on the wire."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from field_app.core.codes import Role
from field_app.core.models import Scope, User
from field_app.core.models.places import AdminCode, VillageCode
from sync_server.db import SQL_INT_MAX  # bound of integer parameters: a 422, never an overflow in a query


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScopeWire(WireModel):
    # The core's code types: a malformed code, or a township's code given as a village's,
    # is a 422 naming the field.
    village_codes: list[VillageCode] = Field(default_factory=list, max_length=5000)
    township_codes: list[AdminCode] = Field(default_factory=list, max_length=500)
    county_codes: list[AdminCode] = Field(default_factory=list, max_length=50)

    @classmethod
    def of(cls, scope: Scope) -> ScopeWire:
        return cls(
            village_codes=sorted(scope.village_codes),
            township_codes=sorted(scope.township_codes),
            county_codes=sorted(scope.county_codes),
        )


class UserWire(WireModel):
    id: str
    username: str
    name: str
    role: Role
    scope: ScopeWire
    phone: str | None
    active: bool

    @classmethod
    def of(cls, user: User) -> UserWire:
        return cls(
            id=user.id,
            username=user.username,
            name=user.name,
            role=user.role,
            scope=ScopeWire.of(user.scope),
            phone=user.phone,
            active=user.active,
        )


__all__ = ["SQL_INT_MAX", "ScopeWire", "UserWire", "WireModel"]
