"""Deferred mutations, waiting for a record to arrive.

Each waits for one record (``wait``): the record it updates, the household of a new member,
the visit a correction amends, or — to keep one device's edits of one record in device order —
the record an earlier deferred mutation of the same device is waiting on. When a record
changes, the mutations waiting for it (or behind others on it) are merged again
(:func:`woken_by`); one that still cannot apply stays, with what it waits for now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from field_app.core.sync.merge import EntityRef
from field_app.core.sync.mutation import Mutation
from sync_server.clock import iso


@dataclass(frozen=True)
class Waiting:
    log_seq: int
    user_id: str | None
    mutation: Mutation


def put(db: Database, log_seq: int, mutation: Mutation, *, target: EntityRef, wait: EntityRef,
        user_id: str | None, now: datetime) -> None:
    db.conn.execute(
        """INSERT INTO backlog (log_seq, device_id, device_seq, target_kind, target_id, wait_kind, wait_id, mutation,
                                user_id, queued_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (log_seq) DO UPDATE SET wait_kind = excluded.wait_kind, wait_id = excluded.wait_id""",
        (log_seq, mutation.device_id, mutation.device_seq, target.kind.value, target.id, wait.kind.value, wait.id,
         mutation.model_dump_json(), user_id, iso(now)),
    )


def remove(db: Database, log_seq: int) -> bool:
    return db.conn.execute("DELETE FROM backlog WHERE log_seq = ?", (log_seq,)).rowcount > 0


def waits_behind(db: Database, mutation: Mutation, target: EntityRef) -> bool:
    """Does an earlier mutation of the same device on the same record wait in the backlog?"""
    return db.conn.execute(
        "SELECT 1 FROM backlog WHERE target_kind = ? AND target_id = ? AND device_id = ? AND device_seq < ? LIMIT 1",
        (target.kind.value, target.id, mutation.device_id, mutation.device_seq),
    ).fetchone() is not None


def woken_by(db: Database, ref: EntityRef) -> list[Waiting]:
    """The mutations waiting for ``ref``, or queued on it behind another, in device order."""
    rows = db.conn.execute(
        """SELECT log_seq, user_id, mutation FROM backlog
           WHERE (wait_kind = ? AND wait_id = ?) OR (target_kind = ? AND target_id = ?)
           ORDER BY device_id, device_seq""",
        (ref.kind.value, ref.id, ref.kind.value, ref.id),
    ).fetchall()
    return [Waiting(log_seq, user_id, Mutation.model_validate_json(text)) for log_seq, user_id, text in rows]


def still_waiting(db: Database, log_seq: int) -> bool:
    return db.conn.execute("SELECT 1 FROM backlog WHERE log_seq = ?", (log_seq,)).fetchone() is not None


def count(db: Database, device_id: str | None = None) -> int:
    if device_id is None:
        return int(db.conn.execute("SELECT count(*) FROM backlog").fetchone()[0])
    return int(db.conn.execute("SELECT count(*) FROM backlog WHERE device_id = ?", (device_id,)).fetchone()[0])


__all__ = ["Waiting", "count", "put", "remove", "still_waiting", "waits_behind", "woken_by"]
