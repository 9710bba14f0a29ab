"""The central registry's SQLite file: opening it, and the one way to write to it.

One connection per request (SQLite connections are cheap; WAL lets readers run beside the
single writer). FastAPI may run a request's dependency and its handler on different worker
threads, one after the other, so the connection does not insist on its creating thread; it
is never used by two threads at once.

Writes go through :func:`write_transaction`: ``BEGIN IMMEDIATE`` takes the write lock up
front, so two concurrent writers queue on ``busy_timeout`` instead of one failing with
"database is locked" when it upgrades a read lock (which plain ``BEGIN`` would risk).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000
# The largest integer SQLite stores: ids, seqs and offsets beyond it are refused before any
# query sees them (a Python int would raise OverflowError inside the driver).
SQL_INT_MAX = 2**63 - 1


def open_database(path: str | Path) -> Database:
    """Open (creating if absent) the registry file in WAL mode; does not migrate."""
    conn = sqlite3.connect(
        str(path),
        check_same_thread=False,
        isolation_level=None,  # we issue BEGIN/COMMIT ourselves (write_transaction, db.atomic)
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL is durable across application crashes in WAL mode; a power cut may lose the
    # last commits but never corrupts the file (the devices still hold their outboxes).
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction for one write request. Nested use becomes a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


@contextmanager
def read_transaction(db: Database) -> Iterator[Database]:
    """One snapshot for several reads (WAL: writers go on meanwhile, unseen). Inside a
    transaction already, that one's snapshot serves."""
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.conn.execute("COMMIT")


def to_json(value: Any) -> str | None:
    """JSON for a column: compact, Chinese kept readable, keys sorted (stable bytes)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


__all__ = ["BUSY_TIMEOUT_MS", "SQL_INT_MAX", "from_json", "open_database", "read_transaction", "to_json", "write_transaction"]
