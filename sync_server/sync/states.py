"""Each record's merge state: read (or derived from the record when it has none) and written.

Records loaded in bulk (the demo county, an import) or written before schema version 3 have
a record in ``entities`` but no merge state. Their *baseline* is built on first touch: every
leaf written once by the pseudo-device ``import`` at the record's own seq, with no checkpoint.
A device that pulled the record (checkpoint ≥ that seq) has therefore seen every baseline
write, so its edit replaces it cleanly; that is exactly what a create merged at that seq
would have given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from sqlite_utils import Database

from field_app.core.models import parse_record
from field_app.core.sync.field_policy import TOMBSTONE, Storage, policy_for
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.leaves import leaf_changes
from field_app.core.sync.merge import EntityRef
from field_app.core.sync.mutation import EntityKind, creation_fields
from field_app.core.sync.state import EntityState, LoggedEvent, Write
from sync_server.db import to_json
from sync_server.registry import StoredEntity, get_entity

BASELINE_DEVICE = "import"
_BASELINE_HLC = str(HlcTimestamp(0, 0, BASELINE_DEVICE))


def exists(db: Database, ref: EntityRef) -> bool:
    return db.conn.execute("SELECT 1 FROM entities WHERE kind = ? AND id = ?", (ref.kind.value, ref.id)).fetchone() \
        is not None


def load(db: Database, ref: EntityRef) -> EntityState | None:
    """The merge state of ``ref``, its baseline if it has none yet, or None if it is not here."""
    row = db.conn.execute(
        "SELECT state FROM merge_states WHERE kind = ? AND id = ?", (ref.kind.value, ref.id)
    ).fetchone()
    if row is not None:
        return EntityState.from_json(json.loads(row[0]))
    stored = get_entity(db, ref.kind, ref.id)
    if stored is None:
        return None
    events = []
    if ref.kind is EntityKind.PROBLEM:
        events = [
            _stored(row)
            for row in db.conn.execute(
                "SELECT kind, id, village_code, parent_id, state, deleted, seq FROM entities "
                "WHERE kind = ? AND parent_id = ?",
                (EntityKind.PROBLEM_EVENT.value, ref.id),
            )
        ]
    return baseline(stored, events)


def _stored(row: tuple) -> StoredEntity:
    kind, entity_id, village, parent, state, deleted, seq = row
    return StoredEntity(EntityKind(kind), entity_id, village, parent, json.loads(state), bool(deleted), seq)


def baseline(stored: StoredEntity, events: Sequence[StoredEntity] = ()) -> EntityState:
    """The state a record without one starts from (see the module's docstring). Pure."""
    policy = policy_for(stored.kind)
    key = (BASELINE_DEVICE, stored.seq)
    if policy.storage is not Storage.FIELDS:
        return EntityState(stored.kind, stored.id, applied=frozenset({key}), seq=stored.seq, content=stored.state)
    values = {name: value for name, value in stored.state.items() if name != "id"}
    if stored.deleted:
        values[TOMBSTONE] = True
    registers = {
        leaf.path: (Write(leaf.value, None, BASELINE_DEVICE, stored.seq, stored.seq, 0, _BASELINE_HLC),)
        for leaf in leaf_changes(policy, creation_fields(values), create=True)
    }
    logged = tuple(
        sorted(
            (
                LoggedEvent(event.id, event.state, _event_hlc(event.state.get("at")), BASELINE_DEVICE, event.seq,
                            event.seq)
                for event in events
            ),
            key=lambda event: event.order,
        )
    )
    return EntityState(stored.kind, stored.id, registers=registers, applied=frozenset({key}), seq=stored.seq,
                       events=logged)


def _event_hlc(at: object) -> str:
    """An imported event is ordered by the moment it records."""
    try:
        wall = int(datetime.fromisoformat(str(at)).timestamp() * 1000)
    except ValueError:
        wall = 0
    return str(HlcTimestamp(max(wall, 0), 0, BASELINE_DEVICE))


def save(db: Database, state: EntityState) -> None:
    db.conn.execute(
        """INSERT INTO merge_states (kind, id, state) VALUES (?, ?, ?)
           ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state""",
        (state.kind.value, state.entity_id, to_json(state.to_json())),
    )


def record_json(state: EntityState) -> dict:
    """The record as the registry serves it: the core model's JSON (defaults filled in)."""
    policy = policy_for(state.kind)
    if policy.storage is not Storage.FIELDS:
        return dict(state.content or {})
    # date.max: the merge checked "not in the future" already, with the day it merged on
    return parse_record(policy.model, state.values(), today=date.max).model_dump(mode="json")


def village_of(db: Database, ref: EntityRef) -> str | None:
    row = db.conn.execute(
        "SELECT village_code FROM entities WHERE kind = ? AND id = ?", (ref.kind.value, ref.id)
    ).fetchone()
    return None if row is None else row[0]


def parent_of(db: Database, ref: EntityRef) -> str | None:
    row = db.conn.execute("SELECT parent_id FROM entities WHERE kind = ? AND id = ?", (ref.kind.value, ref.id)).fetchone()
    return None if row is None else row[0]


__all__ = ["BASELINE_DEVICE", "baseline", "exists", "load", "parent_of", "record_json", "save", "village_of"]
