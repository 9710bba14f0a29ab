"""Numbered SQLite schema migrations, shared by the device store and the server's registry.

Not a pure rule like the rest of the core, but no I/O of its own either: it runs the steps it
is given on the connection it is given. Both databases follow the same discipline:

- the version is ``PRAGMA user_version``; each step runs in its own ``BEGIN IMMEDIATE``
  transaction together with the bump of the version, so a crash mid-upgrade leaves the previous
  version intact and the next start resumes;
- ``PRAGMA application_id`` marks whose file it is: a file of another application (or of the
  other side of this one) is refused rather than altered;
- a file made by a newer version is refused rather than half understood.

Callers say how to refuse, so each side raises its own error codes; their first step sets
``PRAGMA application_id``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(
    conn: sqlite3.Connection,
    steps: Sequence[Migration],
    *,
    application_id: int,
    refuse_newer: Callable[[int, int], Exception],
    refuse_foreign: Callable[[str], Exception],
) -> tuple[int, int]:
    """Bring the database to the last of ``steps``; returns the versions before and after.

    ``conn`` must be in autocommit mode (``isolation_level=None``, no open transaction).
    ``refuse_newer(found, supported)`` and ``refuse_foreign(file_name)`` make the errors raised.
    """
    latest = steps[-1].version
    start = schema_version(conn)
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    foreign_tables = not start and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if (start and application != application_id) or foreign_tables:
        file = conn.execute("PRAGMA database_list").fetchone()[2]
        raise refuse_foreign(Path(file).name if file else "?")
    if start > latest:
        raise refuse_newer(start, latest)
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


__all__ = ["Migration", "migrate", "schema_version"]
