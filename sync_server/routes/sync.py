"""The sync API: a device pushes its outbox, pulls the changes of its scope, asks how things stand.

Push takes the device's clocks in headers (``X-Device-Wall-Time`` ms since the epoch,
``X-Device-Monotonic-Ns``, ``X-Device-Boot-Id``) to re-anchor visit times when its clock is
wrong; they never order anything.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import Field

from field_app.core.i18n import Message
from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.dependencies import ContextDep, DatabaseDep, allowed
from sync_server.routes.wire import SQL_INT_MAX, WireModel
from sync_server.sync.ingest import MutationResult
from sync_server.sync.pull import pull, status
from sync_server.sync.push import push
from sync_server.sync.reanchor import DeviceClock

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])

Syncer = Annotated[Principal, Depends(allowed(Action.SYNC))]


class PushRequest(WireModel):
    mutations: list[Any] = Field(
        description="Mutations (field_app.core.sync.mutation.Mutation as JSON), oldest first, at most 500. "
        "Each is validated on its own: a malformed one is rejected by itself, naming its field."
    )


class ReasonWire(WireModel):
    code: str
    message: str
    message_en: str

    @classmethod
    def of(cls, reason: Message | None) -> ReasonWire | None:
        if reason is None:
            return None
        return cls(code=reason.code, message=reason.text("zh"), message_en=reason.text("en"))


class MutationResultWire(WireModel):
    device_seq: int | None
    entity: str | None
    entity_id: str | None
    outcome: Literal["applied", "merged", "conflict", "rejected", "deferred"]
    duplicate: bool = Field(description="Received before: this is the answer it got (no second effect)")
    reason: ReasonWire | None
    conflict_ids: list[int] = Field(description="Open conflicts in the queue that hold this mutation")

    @classmethod
    def of(cls, result: MutationResult) -> MutationResultWire:
        return cls(device_seq=result.device_seq, entity=result.entity, entity_id=result.entity_id,
                   outcome=result.outcome.value, duplicate=result.duplicate, reason=ReasonWire.of(result.reason),
                   conflict_ids=list(result.conflict_ids))


class PushResponse(WireModel):
    results: list[MutationResultWire] = Field(description="One per mutation sent, in the same order")
    checkpoint: int = Field(description="The server's last change seq after this batch")
    server_hlc: str = Field(description="The server's hybrid logical clock: receive it into the device's")


class ChangeWire(WireModel):
    seq: int
    kind: str
    id: str
    village_code: str
    deleted: bool
    gone: bool = Field(description="The record left this scope: drop it from the device")
    disputed: dict[str, list[Any]] = Field(description="Per disputed field, every candidate value")
    record: dict[str, Any] | None = Field(description="The record (core model JSON); null when gone")


class PullResponse(WireModel):
    changes: list[ChangeWire]
    next_checkpoint: int = Field(description="Pass as 'after' next; store it once the outbox is empty")
    more: bool
    server_hlc: str


class SyncStatusWire(WireModel):
    server_seq: int
    server_hlc: str
    device_id: str | None
    last_device_seq: int = Field(description="The highest device_seq the server holds from this device")
    waiting: int = Field(description="This device's mutations deferred in the backlog")
    open_conflicts: int
    records: dict[str, int]


@router.post("/push")
def push_mutations(
    request: PushRequest,
    who: Syncer,
    context: ContextDep,
    db: DatabaseDep,
    x_device_wall_time: Annotated[int | None, Header(ge=0, le=SQL_INT_MAX,
                                                     description="Device wall clock at push, ms since the epoch")] = None,
    x_device_monotonic_ns: Annotated[int | None, Header(ge=0, le=SQL_INT_MAX,
                                                        description="Device monotonic clock at push")] = None,
    x_device_boot_id: Annotated[str | None, Header(max_length=100, description="Device boot id at push")] = None,
) -> PushResponse:
    settings = context.settings
    clock = None
    if x_device_wall_time is not None and x_device_monotonic_ns is not None and x_device_boot_id:
        clock = DeviceClock(x_device_wall_time, x_device_monotonic_ns, x_device_boot_id)
    report = push(
        db,
        who,
        request.mutations,
        now=settings.now(),
        today=settings.today(),
        policy=settings.policy,
        max_mutations=settings.max_push_mutations,
        tolerance_ms=int(settings.clock_tolerance.total_seconds() * 1000),
        device_clock=clock,
    )
    return PushResponse(results=[MutationResultWire.of(result) for result in report.results],
                        checkpoint=report.checkpoint, server_hlc=report.server_hlc)


@router.get("/pull", response_model=PullResponse)
def pull_changes(
    who: Syncer,
    context: ContextDep,
    db: DatabaseDep,
    after: Annotated[int, Query(ge=0, le=SQL_INT_MAX, description="The device's checkpoint")] = 0,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> Response:
    page = pull(db, who.scope, after=after, limit=min(limit, context.settings.max_pull_changes),
                now=context.settings.now())
    # The records go out as stored (validated when merged): no second parse on the hot path.
    return Response(page.to_json(), media_type="application/json")


@router.get("/status")
def sync_status(who: Syncer, context: ContextDep, db: DatabaseDep) -> SyncStatusWire:
    found = status(db, who.scope, device_id=who.device_id, now=context.settings.now())
    return SyncStatusWire(**vars(found))
