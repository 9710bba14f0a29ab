"""Numbered schema migrations of the central registry, tracked by ``PRAGMA user_version``.

Each step runs in its own ``BEGIN IMMEDIATE`` transaction together with the bump of
``user_version``: SQLite writes both or neither, so a crash mid-upgrade leaves the previous
version intact and the next start resumes. A file made by a newer server is refused rather
than half understood; a file that is not a Bianfang registry is refused rather than altered.

To change the schema: add a module ``mNNNN_<what>.py`` with ``STATEMENTS``, append a
:class:`Migration` below, and extend ``tests/server/test_migrations.py`` with a database
made by the previous version. Never edit a migration that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from field_app.core.errors import BianfangError
from sync_server.migrations import m0001_accounts, m0002_registry, m0003_sync

# "BFR1": marks the file as a Bianfang server registry (the device store is "BFS1").
APPLICATION_ID = 0x42465231


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "places, users, sessions, devices, enrolment codes, audit log, published forms",
              (f"PRAGMA application_id = {APPLICATION_ID}", *m0001_accounts.STATEMENTS)),
    Migration(2, "generic registry entities and their change feed", m0002_registry.STATEMENTS),
    Migration(3, "sync: mutation log, backlog, merge states, departures, conflicts, photos, derived statuses",
              m0003_sync.STATEMENTS),
)

LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration] = MIGRATIONS) -> tuple[int, int]:
    """Bring the database to the last of ``steps``; returns the versions before and after.
    ``conn`` must be in autocommit mode (``isolation_level=None``, no open transaction)."""
    latest = steps[-1].version
    start = schema_version(conn)
    _check_application(conn, start)
    if start > latest:
        raise BianfangError("server.database_newer", found=start, supported=latest)
    for step in steps:
        if step.version <= start:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return start, schema_version(conn)


def _check_application(conn: sqlite3.Connection, version: int) -> None:
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    foreign_tables = not version and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if (version and application != APPLICATION_ID) or foreign_tables:
        file = conn.execute("PRAGMA database_list").fetchone()[2]
        raise BianfangError("server.not_a_registry", path=Path(file).name if file else "?")


__all__ = ["APPLICATION_ID", "LATEST_VERSION", "MIGRATIONS", "Migration", "migrate", "schema_version"]
