"""The villages of the caller's scope. Every village-scoped route is listed in
``tests/server/test_scope.py`` so the scope test covers it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.dependencies import DatabaseDep, allowed
from sync_server.places import VillageSummary, village_summary, villages_in_scope
from sync_server.routes.wire import WireModel

router = APIRouter(tags=["registry"])

RegistryReader = Annotated[Principal, Depends(allowed(Action.READ_REGISTRY))]


class VillageWire(WireModel):
    code: str
    name: str
    township_code: str
    township_name: str
    poor_village: bool
    households: int

    @classmethod
    def of(cls, summary: VillageSummary) -> VillageWire:
        village = summary.village
        return cls(
            code=village.code,
            name=village.name,
            township_code=village.township_code,
            township_name=summary.township_name,
            poor_village=village.poor_village,
            households=summary.households,
        )


@router.get("/api/v1/villages")
def list_villages(who: RegistryReader, db: DatabaseDep) -> list[VillageWire]:
    return [VillageWire.of(summary) for summary in villages_in_scope(db, who.scope)]


@router.get("/api/v1/villages/{village_code}")
def get_village(village_code: str, who: RegistryReader, db: DatabaseDep) -> VillageWire:
    return VillageWire.of(village_summary(db, who, village_code))
