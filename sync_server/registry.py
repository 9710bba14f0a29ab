"""The registry's records, stored generically (migration 2): write one, read the feed.

Each write appends a row to ``changes`` (its ``seq`` is the new checkpoint) and replaces the
record's current state in ``entities``. This module knows nothing of merging: the sync
service decides *what* the new state is (three-way merge, event folds, tombstones) and calls
:func:`put_entity` inside its own transaction, next to its audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.models import Scope
from field_app.core.sync.mutation import EntityKind
from sync_server.auth.scope import scope_filter
from sync_server.clock import iso
from sync_server.db import from_json, to_json


@dataclass(frozen=True)
class StoredEntity:
    kind: EntityKind
    id: str
    village_code: str
    parent_id: str | None
    state: dict[str, Any]
    deleted: bool
    seq: int


def put_entity(
    db: Database,
    *,
    kind: EntityKind,
    entity_id: str,
    village_code: str,
    state: Mapping[str, Any],
    now: datetime,
    parent_id: str | None = None,
    deleted: bool = False,
) -> int:
    """Record a new state of one record; returns its change ``seq``. Call inside a transaction."""
    if not db.conn.in_transaction:
        raise RuntimeError("put_entity must run inside the caller's transaction")
    seq = db.conn.execute(
        "INSERT INTO changes (kind, id, village_code, at) VALUES (?, ?, ?, ?)",
        (kind.value, entity_id, village_code, iso(now)),
    ).lastrowid
    db.conn.execute(
        """INSERT INTO entities (kind, id, village_code, parent_id, state, deleted, seq)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, id) DO UPDATE SET village_code = excluded.village_code,
               parent_id = excluded.parent_id, state = excluded.state, deleted = excluded.deleted,
               seq = excluded.seq""",
        (kind.value, entity_id, village_code, parent_id, to_json(dict(state)), int(deleted), seq),
    )
    return int(seq or 0)


@dataclass(frozen=True)
class NewEntity:
    kind: EntityKind
    id: str
    village_code: str
    state: Mapping[str, Any]
    parent_id: str | None = None
    deleted: bool = False


def put_entities(db: Database, entities: Iterable[NewEntity], *, now: datetime) -> int:
    """:func:`put_entity` for many records at once (an import): the same rows, written with
    ``executemany``. Returns the last seq written. Call inside a transaction."""
    if not db.conn.in_transaction:
        raise RuntimeError("put_entities must run inside the caller's transaction")
    first = next_seq(db)
    at = iso(now)
    rows = [
        (seq, entity.kind.value, entity.id, entity.village_code, entity.parent_id, to_json(dict(entity.state)),
         int(entity.deleted))
        for seq, entity in enumerate(entities, start=first)
    ]
    # Explicit seqs into an AUTOINCREMENT column move sqlite_sequence on as well.
    db.conn.executemany(
        "INSERT INTO changes (seq, kind, id, village_code, at) VALUES (?, ?, ?, ?, ?)",
        [(seq, kind, entity_id, village, at) for seq, kind, entity_id, village, *_ in rows],
    )
    db.conn.executemany(
        """INSERT INTO entities (seq, kind, id, village_code, parent_id, state, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, id) DO UPDATE SET village_code = excluded.village_code,
               parent_id = excluded.parent_id, state = excluded.state, deleted = excluded.deleted,
               seq = excluded.seq""",
        rows,
    )
    return first + len(rows) - 1


def get_entity(db: Database, kind: EntityKind, entity_id: str) -> StoredEntity | None:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM entities WHERE kind = ? AND id = ?", (kind.value, entity_id)
    ).fetchone()
    return None if row is None else _entity(row)


def entities_since(db: Database, scope: Scope, *, checkpoint: int, limit: int = 500) -> list[StoredEntity]:
    """Current states changed after ``checkpoint`` in ``scope``'s villages, oldest change first:
    the body of a pull (page on with the last ``seq``)."""
    condition, params = scope_filter(scope)
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM entities WHERE seq > ? AND {condition} ORDER BY seq LIMIT ?",
        (checkpoint, *params, limit),
    ).fetchall()
    return [_entity(row) for row in rows]


def last_seq(db: Database) -> int:
    return int(db.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])


def next_seq(db: Database) -> int:
    """The seq the next :func:`put_entity` will get. Only meaningful inside the write
    transaction (which holds the write lock): the merge needs it before it writes.
    ``changes`` is AUTOINCREMENT, so its counter lives in ``sqlite_sequence`` (rolled back
    with a savepoint like any table)."""
    row = db.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    return (int(row[0]) if row else 0) + 1


def record_departure(db: Database, *, seq: int, kind: EntityKind, entity_id: str, village_code: str) -> None:
    """The change ``seq`` moved the record out of ``village_code``: that village's devices
    will be told once, at their next pull, that it is gone."""
    db.conn.execute(
        "INSERT INTO departures (seq, kind, id, village_code) VALUES (?, ?, ?, ?)",
        (seq, kind.value, entity_id, village_code),
    )


_COLUMNS = "kind, id, village_code, parent_id, state, deleted, seq"


def _entity(row: tuple[Any, ...]) -> StoredEntity:
    kind, entity_id, village_code, parent_id, state, deleted, seq = row
    return StoredEntity(EntityKind(kind), entity_id, village_code, parent_id, from_json(state), bool(deleted), seq)


__all__ = [
    "NewEntity", "StoredEntity", "entities_since", "get_entity", "last_seq", "next_seq", "put_entities", "put_entity", "record_departure",
]
