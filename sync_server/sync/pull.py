"""The pull service: the changes after a device's checkpoint, in its scope, page by page.

Two streams in one ``ORDER BY seq``, both filtered by scope in the SQL:

* the records of the scope changed after the checkpoint, each once, at its latest seq;
* the records that *left* the scope after the checkpoint (``departures``: a member moved to
  another village's household) and are not back in it: ``gone``, so the device drops them.

The page and the last seq are read in one read transaction (one snapshot): a write
committed meanwhile is neither half-seen nor skipped. A record's JSON goes out as stored
(it was validated when merged), spliced into the response without parsing it again; a large
initial pull is mostly that text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.models import Scope
from field_app.core.sync.mutation import EntityKind
from sync_server.auth.scope import scope_filter
from sync_server.db import read_transaction
from sync_server.registry import last_seq
from sync_server.sync import backlog, meta
from sync_server.sync.queue import OPEN, open_disputes


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    id: str
    village_code: str
    deleted: bool
    record_json: str | None  # the stored record's JSON text; None when gone
    disputed: dict[str, list[Any]]
    gone: bool = False


@dataclass(frozen=True)
class PullPage:
    changes: list[Change]
    next_checkpoint: int
    more: bool
    server_hlc: str

    def to_json(self) -> bytes:
        """The response body: records spliced in as stored."""
        parts = []
        for change in self.changes:
            head = {"seq": change.seq, "kind": change.kind, "id": change.id, "village_code": change.village_code,
                    "deleted": change.deleted, "gone": change.gone, "disputed": change.disputed}
            text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
            parts.append(text[:-1] + ',"record":' + (change.record_json or "null") + "}")
        tail = json.dumps({"next_checkpoint": self.next_checkpoint, "more": self.more, "server_hlc": self.server_hlc},
                          separators=(",", ":"))
        return ('{"changes":[' + ",".join(parts) + "]," + tail[1:]).encode("utf-8")


def pull(db: Database, scope: Scope, *, after: int, limit: int, now: datetime) -> PullPage:
    in_scope, scope_params = scope_filter(scope, "e.village_code")
    departed, departed_params = scope_filter(scope, "d.village_code")
    sql = f"""
        SELECT e.seq, e.kind, e.id, e.village_code, e.deleted, e.state, 0 AS gone
          FROM entities e WHERE e.seq > ? AND {in_scope}
        UNION ALL
        SELECT max(d.seq), d.kind, d.id, d.village_code, 0, NULL, 1
          FROM departures d JOIN entities e ON e.kind = d.kind AND e.id = d.id
         WHERE d.seq > ? AND {departed} AND NOT {in_scope}
         GROUP BY d.kind, d.id
        ORDER BY 1 LIMIT ?"""  # the conditions are scope_filter's parameterised SQL
    with read_transaction(db):  # one snapshot for the page, the disputes and the last seq
        rows = db.conn.execute(
            sql, (after, *scope_params, after, *departed_params, *scope_params, limit + 1)
        ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        disputes = open_disputes(db, [(kind, entity_id) for _, kind, entity_id, *_ in rows]) if _any_open(db) else {}
        top = last_seq(db)
        hlc = meta.current_hlc(db, now=now)
    changes = [
        Change(seq, kind, entity_id, village, bool(deleted), state, disputes.get((kind, entity_id), {}), bool(gone))
        for seq, kind, entity_id, village, deleted, state, gone in rows
    ]
    next_checkpoint = changes[-1].seq if more else max(after, top)
    return PullPage(changes, next_checkpoint, more, str(hlc))


def _any_open(db: Database) -> bool:
    return db.conn.execute("SELECT 1 FROM conflicts WHERE state = ? LIMIT 1", (OPEN,)).fetchone() is not None


@dataclass(frozen=True)
class SyncStatus:
    server_seq: int
    server_hlc: str
    device_id: str | None
    last_device_seq: int  # the highest device_seq the server holds from this device (0: none)
    waiting: int  # this device's mutations in the backlog
    open_conflicts: int  # in the scope
    records: dict[str, int]  # in the scope, by kind (tombstones included)


def status(db: Database, scope: Scope, *, device_id: str | None, now: datetime) -> SyncStatus:
    condition, params = scope_filter(scope)
    counts = dict.fromkeys((kind.value for kind in EntityKind), 0)
    for kind, count in db.conn.execute(
        f"SELECT kind, count(*) FROM entities WHERE {condition} GROUP BY kind", params
    ):
        counts[kind] = count
    conflicts = db.conn.execute(
        f"SELECT count(*) FROM conflicts WHERE state = ? AND {condition}", (OPEN, *params)
    ).fetchone()[0]
    high = 0
    if device_id is not None:
        high = db.conn.execute(
            "SELECT coalesce(max(device_seq), 0) FROM mutation_log WHERE device_id = ?", (device_id,)
        ).fetchone()[0]
    return SyncStatus(
        server_seq=last_seq(db),
        server_hlc=str(meta.current_hlc(db, now=now)),
        device_id=device_id,
        last_device_seq=int(high),
        waiting=backlog.count(db, device_id) if device_id is not None else 0,
        open_conflicts=int(conflicts),
        records=counts,
    )


__all__ = ["Change", "PullPage", "SyncStatus", "pull", "status"]
