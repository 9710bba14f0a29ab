"""The conflict queue's services: list, look at one side by side, resolve.

A resolution is a mutation from the server's own device (``meta.SERVER_DEVICE``), built by
the core (``conflicts.resolve``: it has seen every candidate and writes the contested leaf),
and merged through the same :class:`~sync_server.sync.ingest.Ingest` as a tablet's: logged,
stored, audited, the queue row closed with who, when, the value and the note. Devices get the
settled record at their next pull.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.errors import ValidationError
from field_app.core.models import Scope
from field_app.core.policy import PolicyConfig
from field_app.core.sync.conflicts import Conflict, conflicts_of, resolve
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.merge import EntityRef
from field_app.core.sync.mutation import EntityKind
from field_app.core.sync.outcome import Outcome
from sync_server import audit
from sync_server.auth.principal import Principal
from sync_server.db import write_transaction
from sync_server.errors import ConflictError, NotFoundError
from sync_server.registry import get_entity, last_seq
from sync_server.sync import derived, log, meta, queue, states
from sync_server.sync.ingest import Ingest, Submitter
from sync_server.sync.queue import QueuedConflict


def visible_conflict(db: Database, scope: Scope, conflict_id: int) -> QueuedConflict:
    """The conflict, if it lies in ``scope``; otherwise not found (others' disputes, and
    whether they exist, are none of the caller's business)."""
    found = queue.get_conflict(db, conflict_id)
    if found is None or not scope.covers(found.village_code):
        raise NotFoundError("conflict.not_found", conflict=conflict_id)
    return found


@dataclass(frozen=True)
class CandidateView:
    value: Any
    base: Any
    device_id: str
    device_seq: int
    hlc: str
    user_id: str | None
    user_name: str | None
    received_at: str | None


@dataclass(frozen=True)
class ConflictDetail:
    conflict: QueuedConflict
    candidates: list[CandidateView]
    record: dict[str, Any] | None
    household: dict[str, Any] | None
    members: list[dict[str, Any]]
    household_status: derived.HouseholdStatus | None


def conflict_detail(db: Database, scope: Scope, conflict_id: int) -> ConflictDetail:
    found = visible_conflict(db, scope, conflict_id)
    keys = [(c["device_id"], c["device_seq"]) for c in found.candidates]
    senders = log.senders(db, keys)
    names = _user_names(db, {user for user, _ in senders.values() if user})
    candidates = []
    for candidate in found.candidates:
        user_id, received_at = senders.get((candidate["device_id"], candidate["device_seq"]), (None, None))
        candidates.append(CandidateView(candidate["value"], candidate["base"], candidate["device_id"],
                                        candidate["device_seq"], candidate["hlc"], user_id, names.get(user_id or ""),
                                        received_at))
    kind = EntityKind(found.entity)
    stored = get_entity(db, kind, found.entity_id)
    record = stored.state if stored else None
    household_id = found.entity_id if kind is EntityKind.HOUSEHOLD else (record or {}).get("household_id")
    household = get_entity(db, EntityKind.HOUSEHOLD, household_id) if household_id else None
    members = []
    if household is not None:
        rows = db.conn.execute(
            "SELECT id, state, deleted FROM entities WHERE kind = ? AND parent_id = ? ORDER BY id",
            (EntityKind.MEMBER.value, household.id),
        )
        for member_id, state, deleted in rows:
            data = json.loads(state)
            members.append({"id": member_id, "name": data.get("name"), "relation": data.get("relation"),
                            "id_number": data.get("id_number"), "status": data.get("status"),
                            "deleted": bool(deleted)})
    return ConflictDetail(
        conflict=found,
        candidates=candidates,
        record=record,
        household=household.state if household else None,
        members=members,
        household_status=derived.status_of(db, household.id) if household else None,
    )


def _user_names(db: Database, user_ids: set[str]) -> dict[str, str]:
    names = {}
    for user_id in user_ids:
        row = db.conn.execute("SELECT name FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is not None:
            names[user_id] = row[0]
    return names


@dataclass(frozen=True)
class Resolution:
    conflict: QueuedConflict
    device_id: str
    device_seq: int
    outcome: Outcome
    checkpoint: int


def resolve_conflict(
    db: Database,
    principal: Principal,
    conflict_id: int,
    *,
    value: Any,
    note: str | None,
    now: datetime,
    today: date,
    policy: PolicyConfig,
) -> Resolution:
    with write_transaction(db):
        found = visible_conflict(db, principal.scope, conflict_id)
        if found.state != queue.OPEN:
            raise ConflictError("conflict.already_resolved", conflict=conflict_id)
        state = states.load(db, EntityRef(EntityKind(found.entity), found.entity_id))
        conflict = next((c for c in conflicts_of(state) if c.id == found.key), None)
        if state is None or conflict is None:  # cannot happen while the row is open; refuse rather than guess
            raise ConflictError("conflict.already_resolved", conflict=conflict_id)
        device_seq = meta.next_server_seq(db)
        clock = meta.observe(db, _stamps(conflict), now=now)  # the resolution orders after every candidate
        try:
            mutation = resolve(state, conflict, value, device_id=meta.SERVER_DEVICE, device_seq=device_seq,
                               checkpoint=last_seq(db), hlc=str(clock), wall_time=int(now.timestamp() * 1000),
                               boot_id=meta.SERVER_DEVICE)
        except ValueError as exc:
            raise ValidationError("conflict.resolution_invalid", reason=str(exc), reason_en=str(exc)) from None
        ingest = Ingest(db, now=now, today=today, policy=policy)
        submitter = Submitter(principal.user.id, principal.role, principal.scope, meta.SERVER_DEVICE)
        settlement = queue.Settlement(principal.user.id, note, device_seq)
        with db.atomic():
            result = ingest.submit(mutation, submitter, settlement=settlement)
        if result.outcome not in (Outcome.APPLIED, Outcome.MERGED):
            reason = result.reason
            raise ValidationError(
                "conflict.resolution_invalid",
                reason=reason.text("zh") if reason else result.outcome.value,
                reason_en=reason.text("en") if reason else result.outcome.value,
            )
        audit.record(db, at=now, actor=audit.Actor(principal.user.id, principal.device_id), action="conflict.resolve",
                     entity="conflict", entity_id=str(conflict_id), village_code=found.village_code,
                     before={"key": found.key, "candidates": found.candidates},
                     after={"value": value, "note": note, "mutation": [meta.SERVER_DEVICE, device_seq]})
        ingest.finish()
        settled = queue.get_conflict(db, conflict_id)
        assert settled is not None
        return Resolution(settled, meta.SERVER_DEVICE, device_seq, result.outcome, last_seq(db))


def _stamps(conflict: Conflict) -> list[HlcTimestamp]:
    return [HlcTimestamp.parse(candidate.hlc) for candidate in conflict.candidates]


__all__ = ["ConflictDetail", "Resolution", "conflict_detail", "resolve_conflict", "visible_conflict"]
