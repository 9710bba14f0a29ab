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

from field_app.core.errors import BianfangError
from field_app.core.sqlite_migrations import Migration, schema_version
from field_app.core.sqlite_migrations import migrate as run_migrations
from sync_server.migrations import m0001_accounts, m0002_registry, m0003_sync

# "BFR1": marks the file as a Bianfang server registry (the device store is "BFS1").
APPLICATION_ID = 0x42465231


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "places, users, sessions, devices, enrolment codes, audit log, published forms",
              (f"PRAGMA application_id = {APPLICATION_ID}", *m0001_accounts.STATEMENTS)),
    Migration(2, "generic registry entities and their change feed", m0002_registry.STATEMENTS),
    Migration(3, "sync: mutation log, backlog, merge states, departures, conflicts, photos, derived statuses",
              m0003_sync.STATEMENTS),
)

LATEST_VERSION = MIGRATIONS[-1].version


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration] = MIGRATIONS) -> tuple[int, int]:
    """Bring the database to the last of ``steps``; returns the versions before and after.
    ``conn`` must be in autocommit mode (``isolation_level=None``, no open transaction)."""
    return run_migrations(
        conn,
        steps,
        application_id=APPLICATION_ID,
        refuse_newer=lambda found, supported: BianfangError(
            "server.database_newer", found=found, supported=supported
        ),
        refuse_foreign=lambda file: BianfangError("server.not_a_registry", path=file),
    )


__all__ = ["APPLICATION_ID", "LATEST_VERSION", "MIGRATIONS", "Migration", "migrate", "schema_version"]
