"""The store's SQLite connection and its transactions.

Plain :mod:`sqlite3` rather than sqlite-utils, because the store needs exact control of each
transaction: ``BEGIN IMMEDIATE`` takes the write lock up front (a save never fails half-way on
a lock), the device sequence reserves numbers on disk *inside* the transaction before it
commits, and work to do after a commit (refresh the in-memory cache) must run only if the
outermost transaction really committed. sqlite-utils' conveniences (table creation, upserts
of dicts) would not remove any code here.

Durability: WAL with ``synchronous=FULL``, so once a save has returned, a power cut does not
lose it (``NORMAL`` in WAL mode may lose the last transactions). Temporary tables and indexes
stay in memory so nothing spills to temp files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from field_app.core.errors import StoreError

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA trusted_schema = OFF",
)


def connect(path: Path) -> sqlite3.Connection:
    """Open (or create) the database file with the store's settings."""
    # isolation_level=None: no implicit transactions; Database.transaction() says when.
    # check_same_thread=False: UI callbacks may run on worker threads; the facade serialises.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        for pragma in _PRAGMAS:
            conn.execute(pragma)
    except sqlite3.DatabaseError:
        conn.close()
        raise StoreError("store.not_a_store", path=path.name) from None
    return conn


class Database:
    """A connection plus one transaction at a time, nestable: an inner ``transaction()``
    joins the outer one, so a batch of saves commits (or rolls back) as a whole."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            # Also when COMMIT itself fails (disk full): never leave a transaction open.
            self._after_commit.clear()
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the outermost transaction has committed (never on rollback)."""
        if not self._depth:
            raise RuntimeError("after_commit outside a transaction")
        self._after_commit.append(callback)

    def close(self) -> None:
        # Fold the WAL back into the main file so a closed store is one file again.
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()


__all__ = ["Database", "connect"]
