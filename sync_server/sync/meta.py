"""The server's own counters, kept in ``sync_meta``: its hybrid logical clock and the sequence
of its own device (the author of supervisors' resolutions).

The clock moves past every mutation's clock the server merges, so a resolution made after a
dispute orders after every candidate of it, whatever the tablets' clocks said — except clocks
more than a day ahead of the server's own: one tablet set to 2099 must not drag the server's
clock (and through pulls every tablet's) into the future for good. Such a mutation still
merges with its own clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from field_app.core.sync.hlc import HlcTimestamp, receive, tick

SERVER_DEVICE = "server"  # enrolled devices get UUIDs: no tablet can take this id
_HLC = "hlc"
MAX_AHEAD_MS = 24 * 3600 * 1000
_DEVICE_SEQ = "server_device_seq"


def _get(db: Database, key: str) -> str | None:
    row = db.conn.execute("SELECT value FROM sync_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def _put(db: Database, key: str, value: str) -> None:
    db.conn.execute(
        "INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def stored_hlc(db: Database) -> HlcTimestamp | None:
    text = _get(db, _HLC)
    return None if text is None else HlcTimestamp.parse(text)


def observe(db: Database, stamps: Iterable[HlcTimestamp], *, now: datetime) -> HlcTimestamp:
    """Move the server clock past ``stamps`` (the clocks of merged mutations) and store it."""
    clock = stored_hlc(db)
    newest = max((stamp for stamp in stamps if stamp.wall_ms <= _ms(now) + MAX_AHEAD_MS), default=None)
    if newest is None:
        clock = tick(clock, now_ms=_ms(now), node=SERVER_DEVICE)
    else:
        clock = receive(clock, newest, now_ms=_ms(now), node=SERVER_DEVICE)
    _put(db, _HLC, str(clock))
    return clock


def current_hlc(db: Database, *, now: datetime) -> HlcTimestamp:
    """The clock a reader is told (a pull): past everything merged, without storing a tick."""
    return tick(stored_hlc(db), now_ms=_ms(now), node=SERVER_DEVICE)


def next_server_seq(db: Database) -> int:
    """The next ``device_seq`` of the server's own device. Call inside the write transaction."""
    seq = int(_get(db, _DEVICE_SEQ) or 0) + 1
    _put(db, _DEVICE_SEQ, str(seq))
    return seq


__all__ = ["SERVER_DEVICE", "current_hlc", "next_server_seq", "observe", "stored_hlc"]
