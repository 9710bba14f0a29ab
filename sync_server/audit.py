"""The append-only audit log: who did what to which record, what it was and what it became.

Every change to the registry and every review action writes one entry **in the same
transaction as the change** (:func:`record` refuses to run outside one), so the log and the
registry cannot disagree. The table refuses UPDATE and DELETE by trigger (migration 1);
nothing here offers either. Entries never hold credentials: callers pass public views
(see ``users.public_view``), never password or token hashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from sync_server.clock import iso
from sync_server.db import from_json, to_json


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (through a device or a console session), or the system (None, None):
    the command line, a migration, a demo load."""

    user_id: str | None = None
    device_id: str | None = None


SYSTEM = Actor()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: str | None
    device_id: str | None
    action: str
    entity: str
    entity_id: str | None
    village_code: str | None
    before: Any
    after: Any


def record(
    db: Database,
    *,
    at: datetime,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | None = None,
    village_code: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> int:
    """Append one entry; returns its ``seq``. Must run inside the change's transaction."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    cursor = db.conn.execute(
        """INSERT INTO audit_log (at, user_id, device_id, action, entity, entity_id, village_code,
                                  before, after)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (iso(at), actor.user_id, actor.device_id, action, entity, entity_id, village_code,
         to_json(before), to_json(after)),
    )
    return int(cursor.lastrowid or 0)


def read(
    db: Database,
    *,
    after_seq: int = 0,
    limit: int = 100,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
) -> list[AuditEntry]:
    """Entries after ``after_seq`` in order (page on with the last ``seq``)."""
    where = ["seq > ?"]
    params: list[Any] = [after_seq]
    for column, value in (("entity", entity), ("entity_id", entity_id), ("action", action)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = db.conn.execute(
        f"""SELECT seq, at, user_id, device_id, action, entity, entity_id, village_code, before, after
            FROM audit_log WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?""",  # the columns are fixed above
        (*params, limit),
    ).fetchall()
    return [
        AuditEntry(seq, at, user_id, device_id, action_, entity_, entity_id_, village, from_json(b), from_json(a))
        for seq, at, user_id, device_id, action_, entity_, entity_id_, village, b, a in rows
    ]


__all__ = ["SYSTEM", "Actor", "AuditEntry", "read", "record"]
