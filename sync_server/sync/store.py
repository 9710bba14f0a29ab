"""A merged state into the registry: where the record lives, and everything kept beside it.

For one mutation that changed a record (``MergeResult.changed``), in the caller's savepoint:
the record (``registry.put_entity``, at the seq the merge stamped) and its merge state; a
departure when it left a village (and its members with it, for a relocated household); the
conflict queue brought in line; the photos it references; the audit entry with before and
after. A problem event is stored as its own record (devices pull events), its log in the
problem's merge state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.sync.merge import EntityRef
from field_app.core.sync.mutation import EntityKind, Mutation
from field_app.core.sync.outcome import MergeResult
from field_app.core.sync.state import EntityState
from sync_server import audit
from sync_server.registry import get_entity, put_entity, record_departure
from sync_server.sync import queue, states

H, M, V, P, E = (
    EntityKind.HOUSEHOLD,
    EntityKind.MEMBER,
    EntityKind.VISIT,
    EntityKind.PROBLEM,
    EntityKind.PROBLEM_EVENT,
)


class Unplaceable(Exception):
    """The merged record's village cannot be determined: the mutation is refused, not the batch."""


@dataclass(frozen=True)
class Stored:
    seq: int
    conflict_ids: list[int]  # open queue rows holding the mutation as a candidate
    households: tuple[str, ...]  # whose derived statuses the change affects


def store_merged(db: Database, *, target: EntityRef, result: MergeResult, mutation: Mutation, actor: audit.Actor,
                 settlement: queue.Settlement, seq: int, now: datetime) -> Stored:
    state = result.state
    assert state is not None
    if mutation.entity is E:
        return _store_event(db, state, mutation, actor, seq, now)
    record = states.record_json(state)
    village, parent = _placement(db, target.kind, record)
    before = get_entity(db, target.kind, target.id)
    stored_seq = put_entity(db, kind=target.kind, entity_id=target.id, village_code=village, state=record,
                            now=now, parent_id=parent, deleted=state.deleted)
    _check_seq(stored_seq, seq)
    states.save(db, state)
    if before is not None and before.village_code != village:
        record_departure(db, seq=stored_seq, kind=target.kind, entity_id=target.id, village_code=before.village_code)
        if target.kind is H:
            _relocate_members(db, target.id, village, now)
    open_ids: dict[str, int] = {}
    if any(conflict.queued for conflict in (*result.conflicts, *result.closed)):
        # the queue mirrors the state: nothing to do while neither holds a dispute
        open_ids = queue.sync_conflicts(db, state, village, now=now, settled=settlement)
    _reference_photos(db, target, record, village)
    audit.record(db, at=now, actor=actor, action=f"{target.kind.value}.{mutation.op.value}",
                 entity=target.kind.value, entity_id=target.id, village_code=village,
                 before=before.state if before is not None else None, after=record)
    households: tuple[str, ...] = ()
    if target.kind is H:
        households = (target.id,)
    elif target.kind in (M, V):  # a moved member changes two households
        households = tuple(h for h in (record.get("household_id"), before.parent_id if before else None) if h)
    return Stored(stored_seq, queue.ids_involving(open_ids, state, mutation.key), households)


def _store_event(db: Database, problem: EntityState, mutation: Mutation, actor: audit.Actor, seq: int,
                 now: datetime) -> Stored:
    event = next(logged for logged in problem.events if logged.event_id == mutation.entity_id)
    village = states.village_of(db, EntityRef(P, problem.entity_id))
    if village is None:
        raise Unplaceable
    stored_seq = put_entity(db, kind=E, entity_id=event.event_id, village_code=village, state=dict(event.content),
                            now=now, parent_id=problem.entity_id)
    _check_seq(stored_seq, seq)
    states.save(db, problem)
    _reference_photos(db, EntityRef(E, event.event_id), event.content, village)
    audit.record(db, at=now, actor=actor, action="problem_event.append", entity=E.value, entity_id=event.event_id,
                 village_code=village, after=dict(event.content))
    return Stored(stored_seq, [], ())


def _check_seq(stored: int, merged: int) -> None:
    # The merge decided "who saw what" with this seq: a different one would corrupt that.
    if stored != merged:
        raise RuntimeError(f"change seq {stored} is not the {merged} the merge used")


def _placement(db: Database, kind: EntityKind, record: dict[str, Any]) -> tuple[str, str | None]:
    """(village, parent) of a record: its own village, or its household's (members)."""
    if kind is H:
        return record["village_code"], None
    parent = record.get("household_id")
    if kind is M:
        village = states.village_of(db, EntityRef(H, parent)) if parent else None
    else:
        village = record.get("village_code")
    if not village:
        raise Unplaceable
    return village, parent


def _relocate_members(db: Database, household_id: str, village: str, now: datetime) -> None:
    """A household changed village: its members (whose village is the household's) follow,
    and their old village's devices are told they are gone."""
    rows = db.conn.execute(
        "SELECT id, village_code, state, deleted FROM entities WHERE kind = ? AND parent_id = ? AND village_code != ?",
        (M.value, household_id, village),
    ).fetchall()
    for member_id, old_village, state, deleted in rows:
        seq = put_entity(db, kind=M, entity_id=member_id, village_code=village, state=json.loads(state), now=now,
                         parent_id=household_id, deleted=bool(deleted))
        record_departure(db, seq=seq, kind=M, entity_id=member_id, village_code=old_village)


def _reference_photos(db: Database, owner: EntityRef, record: Any, village: str) -> None:
    for photo in record.get("photos") or ():
        sha = photo.get("sha256") if isinstance(photo, dict) else None
        if not sha:
            continue
        db.conn.execute(
            "INSERT OR IGNORE INTO photo_refs (sha256, owner_kind, owner_id, village_code) VALUES (?, ?, ?, ?)",
            (sha, owner.kind.value, owner.id, village),
        )
        db.conn.execute("UPDATE photos SET village_code = ? WHERE sha256 = ? AND village_code IS NULL", (village, sha))


__all__ = ["Stored", "Unplaceable", "store_merged"]
