"""The villages of the caller's scope. Every village-scoped route is listed in
``tests/server/test_scope.py`` so the scope test covers it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.auth.scope import require_village
from sync_server.dependencies import DatabaseDep, allowed
from sync_server.places import VillageSummary, village_summary, villages_in_scope
from sync_server.routes.wire import WireModel
from sync_server.sync.derived import HouseholdStatus, statuses_in

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


class HouseholdStatusWire(WireModel):
    household_id: str
    village_code: str
    computed_at: str
    deleted: bool
    guarantees: dict[str, str] | None = Field(description="两不愁三保障 + water: met / not_met / unknown")
    all_met: bool | None
    exit_eligible: bool | None
    exit_reasons: list[dict[str, Any]] | None
    risk_flags: list[str] | None
    visits_due: dict[str, Any] | None = Field(description="Per duty role: period, due date, overdue")
    next_visit_due: str | None
    overdue: bool | None
    error: dict[str, Any] | None = Field(description="Why the rules could not run (e.g. no poverty line)")

    @classmethod
    def of(cls, status: HouseholdStatus) -> HouseholdStatusWire:
        return cls(**vars(status))


@router.get("/api/v1/villages/{village_code}/statuses")
def get_statuses(village_code: str, who: RegistryReader, db: DatabaseDep) -> list[HouseholdStatusWire]:
    """The derived statuses of the village's households, recomputed after every change."""
    require_village(who, village_code)
    return [HouseholdStatusWire.of(status) for status in statuses_in(db, village_code)]
