"""The supervisors' conflict queue, kept in step with the records' merge states.

Conflicts are derived from a record's state (``field_app.core.sync.conflicts``); this table
mirrors the queued ones (disputed identity leaves, delete vs edit) so the console can list
them by village and keep who resolved what. After every merge that changes a record,
:func:`sync_conflicts` opens rows for new disputes, updates the candidates of open ones, and
closes the rows of disputes the state no longer holds (settled by a resolution or by a later
edit made after pulling the dispute).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.models import Scope
from field_app.core.sync.conflicts import Conflict, ConflictKind, conflicts_of
from field_app.core.sync.field_policy import policy_for
from field_app.core.sync.leaves import format_path
from field_app.core.sync.state import EntityState, MutationKey
from sync_server.auth.scope import scope_filter
from sync_server.clock import iso
from sync_server.db import from_json, to_json

OPEN = "open"
RESOLVED = "resolved"


@dataclass(frozen=True)
class Settlement:
    """Who settled the disputes a merge closed, and how (a resolution carries a note)."""

    user_id: str | None
    note: str | None = None
    device_seq: int | None = None  # the server's resolution mutation


def _candidates(conflict: Conflict) -> list[dict[str, Any]]:
    return [
        {"value": c.value, "base": c.base, "device_id": c.device_id, "device_seq": c.device_seq, "hlc": c.hlc}
        for c in conflict.candidates
    ]


def sync_conflicts(
    db: Database, state: EntityState, village_code: str, *, now: datetime, settled: Settlement
) -> dict[str, int]:
    """Bring the queue in line with ``state``; returns the open row id of each queued conflict key."""
    queued = {conflict.id: conflict for conflict in conflicts_of(state) if conflict.queued}
    rows = db.conn.execute(
        "SELECT key, id, candidates, village_code FROM conflicts WHERE entity = ? AND entity_id = ? AND state = ?",
        (state.kind.value, state.entity_id, OPEN),
    ).fetchall()
    open_rows = {key: (row_id, candidates, village) for key, row_id, candidates, village in rows}
    ids: dict[str, int] = {}
    for key, conflict in queued.items():
        candidates = to_json(_candidates(conflict))
        if key in open_rows:
            row_id, stored, village = open_rows[key]
            if stored != candidates or village != village_code:
                db.conn.execute(
                    "UPDATE conflicts SET candidates = ?, displayed = ?, base = ?, village_code = ?, updated_at = ? "
                    "WHERE id = ?",
                    (candidates, to_json(conflict.displayed), to_json(conflict.base), village_code, iso(now), row_id),
                )
            ids[key] = row_id
            continue
        cursor = db.conn.execute(
            """INSERT INTO conflicts (key, entity, entity_id, village_code, field, path, kind, base, candidates,
                                      displayed, state, opened_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (key, state.kind.value, state.entity_id, village_code, conflict.field, to_json(list(conflict.path)),
             conflict.kind.value, to_json(conflict.base), candidates, to_json(conflict.displayed), OPEN, iso(now),
             iso(now)),
        )
        ids[key] = int(cursor.lastrowid or 0)
    for key, (row_id, _, _) in open_rows.items():
        if key in queued:
            continue
        db.conn.execute(
            """UPDATE conflicts SET state = ?, resolved_by = ?, resolved_at = ?, resolved_value = ?,
                                    resolution_note = ?, resolution_device_seq = ?, updated_at = ?
               WHERE id = ?""",
            (RESOLVED, settled.user_id, iso(now), to_json(_settled_value(state, key)), settled.note,
             settled.device_seq, iso(now), row_id),
        )
    return ids


def _settled_value(state: EntityState, key: str) -> Any:
    if key.endswith("#" + ConflictKind.DELETE_VS_EDIT.value):
        return state.deleted
    # the key is "<kind>/<id>/<field as read>": find the leaf whose register settled
    for path, heads in state.registers.items():
        if len(heads) == 1 and key.endswith("/" + _readable(state, path)):
            return heads[0].value
    return None


def _readable(state: EntityState, path: tuple[Any, ...]) -> str:
    return format_path(policy_for(state.kind), path)


def ids_involving(conflicts: Mapping[str, int], state: EntityState, key: MutationKey) -> list[int]:
    """The open rows of ``state``'s queued conflicts that hold the mutation ``key`` as a candidate."""
    return sorted(
        conflicts[conflict.id]
        for conflict in conflicts_of(state)
        if conflict.queued and conflict.id in conflicts and conflict.involves(key)
    )


# -- reading the queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueuedConflict:
    id: int
    key: str
    entity: str
    entity_id: str
    village_code: str
    field: str
    path: list[Any]
    kind: str
    base: Any
    candidates: list[dict[str, Any]]
    displayed: Any
    state: str
    opened_at: str
    updated_at: str
    resolved_by: str | None
    resolved_at: str | None
    resolved_value: Any
    resolution_note: str | None


_COLUMNS = (
    "id, key, entity, entity_id, village_code, field, path, kind, base, candidates, displayed, state, opened_at, "
    "updated_at, resolved_by, resolved_at, resolved_value, resolution_note"
)


def _queued(row: tuple[Any, ...]) -> QueuedConflict:
    (row_id, key, entity, entity_id, village, field, path, kind, base, candidates, displayed, state, opened_at,
     updated_at, resolved_by, resolved_at, resolved_value, note) = row
    return QueuedConflict(row_id, key, entity, entity_id, village, field, json.loads(path), kind, from_json(base),
                          json.loads(candidates), from_json(displayed), state, opened_at, updated_at, resolved_by,
                          resolved_at, from_json(resolved_value), note)


def list_conflicts(
    db: Database, scope: Scope, *, village: str | None, state: str | None, after_id: int = 0, limit: int = 100
) -> list[QueuedConflict]:
    condition, params = scope_filter(scope)
    where = [condition, "id > ?"]
    args: list[Any] = [*params, after_id]
    if village is not None:
        where.append("village_code = ?")
        args.append(village)
    if state is not None:
        where.append("state = ?")
        args.append(state)
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM conflicts WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",  # fixed clauses
        (*args, limit),
    ).fetchall()
    return [_queued(row) for row in rows]


def get_conflict(db: Database, conflict_id: int) -> QueuedConflict | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM conflicts WHERE id = ?", (conflict_id,)).fetchone()
    return None if row is None else _queued(row)


def open_disputes(db: Database, refs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, list[Any]]]:
    """Per record, its open disputes as ``{field: [candidate values]}`` (for a pull's page)."""
    found: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for start in range(0, len(refs), 400):  # stay under SQLite's parameter limit
        chunk = refs[start : start + 400]
        kinds = sorted({kind for kind, _ in chunk})
        ids = sorted({entity_id for _, entity_id in chunk})
        rows = db.conn.execute(
            f"SELECT entity, entity_id, field, candidates FROM conflicts WHERE state = ? "
            f"AND entity IN ({', '.join('?' for _ in kinds)}) AND entity_id IN ({', '.join('?' for _ in ids)})",
            (OPEN, *kinds, *ids),
        ).fetchall()
        wanted = set(chunk)
        for entity, entity_id, field, candidates in rows:
            if (entity, entity_id) in wanted:
                found.setdefault((entity, entity_id), {})[field] = [c["value"] for c in json.loads(candidates)]
    return found


__all__ = [
    "OPEN",
    "RESOLVED",
    "QueuedConflict",
    "Settlement",
    "get_conflict",
    "ids_involving",
    "list_conflicts",
    "open_disputes",
    "sync_conflicts",
]
