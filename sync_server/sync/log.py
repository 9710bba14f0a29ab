"""The mutation log: every mutation received, once, with what became of it.

Idempotency lives here: ``(device_id, device_seq)`` is unique, and the content hash tells a
re-sent mutation (same hash: answer what was answered) from a reused key (another hash: a
cloned or restored tablet). A deferred mutation's entry is updated when a replay settles it,
so a re-send after that gets the settled answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.i18n import Message
from field_app.core.sync.mutation import Mutation
from field_app.core.sync.outcome import Outcome
from sync_server.clock import iso

RECEIVED = "received"  # between the insert and the first settle, inside one savepoint


def canonical_json(mutation: Mutation) -> str:
    return json.dumps(mutation.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reason_json(reason: Message | None) -> str | None:
    if reason is None:
        return None
    # default=str: a reason's parameters may hold dates or enums from a validation error
    return json.dumps({"code": reason.code, "params": dict(reason.params)}, ensure_ascii=False, default=str)


def reason_of(text: str | None) -> Message | None:
    if text is None:
        return None
    data = json.loads(text)
    return Message(data["code"], data["params"])


@dataclass(frozen=True)
class LogEntry:
    log_seq: int
    device_id: str
    device_seq: int
    content_hash: str
    entity: str
    entity_id: str
    user_id: str | None
    outcome: str
    duplicate: bool
    reason: Message | None
    conflict_ids: tuple[int, ...]
    change_seq: int | None
    time_estimated: bool
    received_at: str
    settled_at: str | None

    @property
    def mutation_key(self) -> tuple[str, int]:
        return (self.device_id, self.device_seq)


_COLUMNS = (
    "log_seq, device_id, device_seq, content_hash, entity, entity_id, user_id, outcome, duplicate, reason, "
    "conflict_ids, change_seq, time_estimated, received_at, settled_at"
)


def _entry(row: tuple[Any, ...]) -> LogEntry:
    (log_seq, device_id, device_seq, digest, entity, entity_id, user_id, outcome, duplicate, reason,
     conflict_ids, change_seq, estimated, received_at, settled_at) = row
    return LogEntry(log_seq, device_id, device_seq, digest, entity, entity_id, user_id, outcome, bool(duplicate),
                    reason_of(reason), tuple(json.loads(conflict_ids)), change_seq, bool(estimated),
                    received_at, settled_at)


def find(db: Database, device_id: str, device_seq: int) -> LogEntry | None:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM mutation_log WHERE device_id = ? AND device_seq = ?", (device_id, device_seq)
    ).fetchone()
    return None if row is None else _entry(row)


def get(db: Database, log_seq: int) -> LogEntry:
    return _entry(db.conn.execute(f"SELECT {_COLUMNS} FROM mutation_log WHERE log_seq = ?", (log_seq,)).fetchone())


def insert(
    db: Database, mutation: Mutation, *, text: str, digest: str, user_id: str | None, time_estimated: bool,
    now: datetime,
) -> int:
    """Log a newly received mutation (``text``: its canonical JSON as received); returns its log seq."""
    cursor = db.conn.execute(
        """INSERT INTO mutation_log (device_id, device_seq, content_hash, mutation, entity, entity_id, user_id,
                                     outcome, time_estimated, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (mutation.device_id, mutation.device_seq, digest, text, mutation.entity.value, mutation.entity_id,
         user_id, RECEIVED, int(time_estimated), iso(now)),
    )
    return int(cursor.lastrowid or 0)


def settle(
    db: Database,
    log_seq: int,
    *,
    outcome: Outcome,
    reason: Message | None,
    conflict_ids: Iterable[int] = (),
    change_seq: int | None = None,
    duplicate: bool = False,
    now: datetime,
) -> None:
    settled = None if outcome is Outcome.DEFERRED else iso(now)
    db.conn.execute(
        """UPDATE mutation_log SET outcome = ?, reason = ?, conflict_ids = ?, change_seq = ?, duplicate = ?,
                                   settled_at = ?
           WHERE log_seq = ?""",
        (outcome.value, reason_json(reason), json.dumps(sorted(set(conflict_ids))), change_seq, int(duplicate),
         settled, log_seq),
    )


def senders(db: Database, keys: Iterable[tuple[str, int]]) -> Mapping[tuple[str, int], tuple[str | None, str]]:
    """``(user_id, received_at)`` of each logged mutation key (for the conflict queue's "who, when")."""
    found: dict[tuple[str, int], tuple[str | None, str]] = {}
    for device_id, device_seq in set(keys):
        row = db.conn.execute(
            "SELECT user_id, received_at FROM mutation_log WHERE device_id = ? AND device_seq = ?",
            (device_id, device_seq),
        ).fetchone()
        if row is not None:
            found[(device_id, device_seq)] = (row[0], row[1])
    return found


__all__ = [
    "LogEntry", "canonical_json", "content_hash", "find", "get", "insert", "reason_json", "reason_of", "senders",
    "settle",
]
