"""The conflict queue: disputes of the caller's villages, one side by side, and resolving one.

Listing and reading: every role, within their scope. Resolving: township station, supervisor,
admin (``auth/roles.py``); the resolution is a mutation of the server's own device, merged
like a tablet's, and reaches the devices at their next pull.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import Field

from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.auth.scope import require_village
from sync_server.dependencies import ContextDep, DatabaseDep, allowed
from sync_server.routes.villages import HouseholdStatusWire
from sync_server.routes.wire import SQL_INT_MAX, WireModel
from sync_server.sync.queue import QueuedConflict, list_conflicts
from sync_server.sync.review import ConflictDetail, conflict_detail, resolve_conflict

router = APIRouter(prefix="/api/v1/conflicts", tags=["conflicts"])

ConflictReader = Annotated[Principal, Depends(allowed(Action.READ_CONFLICTS))]
ConflictResolver = Annotated[Principal, Depends(allowed(Action.RESOLVE_CONFLICTS))]
ConflictId = Annotated[int, Path(ge=1, le=SQL_INT_MAX)]


class ConflictWire(WireModel):
    id: int
    key: str = Field(description="The dispute's stable name: <kind>/<record id>/<field>")
    entity: str
    entity_id: str
    village_code: str
    field: str
    path: list[Any]
    kind: Literal["disputed", "delete_vs_edit"]
    base: Any
    candidates: list[dict[str, Any]]
    displayed: Any = Field(description="What the record shows until it is resolved")
    state: Literal["open", "resolved"]
    opened_at: str
    updated_at: str
    resolved_by: str | None
    resolved_at: str | None
    resolved_value: Any
    resolution_note: str | None

    @classmethod
    def of(cls, conflict: QueuedConflict) -> ConflictWire:
        return cls(**vars(conflict))


class ConflictPage(WireModel):
    conflicts: list[ConflictWire]
    next_after_id: int = Field(description="Pass as after_id for the next page")


class CandidateWire(WireModel):
    value: Any
    base: Any
    device_id: str
    device_seq: int
    hlc: str
    user_id: str | None
    user_name: str | None
    received_at: str | None


class ConflictDetailWire(WireModel):
    conflict: ConflictWire
    candidates: list[CandidateWire] = Field(description="Side by side, in clock order: who, which device, when")
    record: dict[str, Any] | None
    household: dict[str, Any] | None
    members: list[dict[str, Any]]
    household_status: HouseholdStatusWire | None

    @classmethod
    def of(cls, detail: ConflictDetail) -> ConflictDetailWire:
        return cls(
            conflict=ConflictWire.of(detail.conflict),
            candidates=[CandidateWire(**vars(candidate)) for candidate in detail.candidates],
            record=detail.record,
            household=detail.household,
            members=detail.members,
            household_status=HouseholdStatusWire.of(detail.household_status) if detail.household_status else None,
        )


class ResolveRequest(WireModel):
    value: Any = Field(description="The value decided (for a delete vs edit: true keeps the delete, false restores)")
    note: str | None = Field(default=None, max_length=2000)


class ResolveResponse(WireModel):
    conflict: ConflictWire
    device_id: str = Field(description="The server's own device, author of the resolution mutation")
    device_seq: int
    outcome: str
    checkpoint: int


@router.get("")
def get_conflicts(
    who: ConflictReader,
    db: DatabaseDep,
    village: Annotated[str | None, Query(max_length=12)] = None,
    state: Literal["open", "resolved"] | None = None,
    after_id: Annotated[int, Query(ge=0, le=SQL_INT_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ConflictPage:
    if village is not None:
        require_village(who, village)
    found = list_conflicts(db, who.scope, village=village, state=state, after_id=after_id, limit=limit)
    return ConflictPage(conflicts=[ConflictWire.of(conflict) for conflict in found],
                        next_after_id=found[-1].id if found else after_id)


@router.get("/{conflict_id}")
def get_conflict(conflict_id: ConflictId, who: ConflictReader, db: DatabaseDep) -> ConflictDetailWire:
    return ConflictDetailWire.of(conflict_detail(db, who.scope, conflict_id))


@router.post("/{conflict_id}/resolve")
def resolve(
    conflict_id: ConflictId, request: ResolveRequest, who: ConflictResolver, context: ContextDep, db: DatabaseDep
) -> ResolveResponse:
    settings = context.settings
    done = resolve_conflict(db, who, conflict_id, value=request.value, note=request.note, now=settings.now(),
                            today=settings.today(), policy=settings.policy)
    return ResolveResponse(conflict=ConflictWire.of(done.conflict), device_id=done.device_id,
                           device_seq=done.device_seq, outcome=done.outcome.value, checkpoint=done.checkpoint)
