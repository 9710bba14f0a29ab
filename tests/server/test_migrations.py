"""Every migration runs on a database made by the previous version and keeps its data."""

from __future__ import annotations

import sqlite3

import pytest

from field_app.core.errors import BianfangError
from sync_server.db import open_database
from sync_server.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, migrate, schema_version


def _database_at(path, version: int) -> sqlite3.Connection:
    db = open_database(path)
    migrate(db.conn, MIGRATIONS[:version])
    return db.conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}


@pytest.mark.parametrize("start", range(LATEST_VERSION + 1))
def test_upgrade_from_every_version_reaches_the_latest(tmp_path, start):
    path = tmp_path / "old.sqlite3"
    if start:
        _database_at(path, start).close()
    conn = open_database(path).conn
    before, after = migrate(conn)
    assert (before, after) == (start, LATEST_VERSION)
    assert {"users", "devices", "audit_log", "audit_log_no_update", "entities", "changes"} <= _tables(conn)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert migrate(conn) == (LATEST_VERSION, LATEST_VERSION)  # idempotent


def test_version_1_data_survives_the_upgrade_to_2(tmp_path):
    path = tmp_path / "v1.sqlite3"
    conn = _database_at(path, 1)
    assert schema_version(conn) == 1 and "entities" not in _tables(conn)
    conn.execute("INSERT INTO counties VALUES ('360731000000', '于都县', '江西省')")
    conn.execute(
        """INSERT INTO users (id, username, name, role, scope, active, password_hash, created_at, updated_at)
           VALUES ('u1', 'old_admin', '老管理员', 'admin', '{"county_codes":["360731000000"]}', 1, 'x',
                   '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')"""
    )
    conn.execute(
        "INSERT INTO audit_log (at, action, entity, entity_id) VALUES ('2025-01-01T00:00:00+00:00', 'user.create', 'user', 'u1')"
    )
    conn.close()

    conn = open_database(path).conn
    assert migrate(conn) == (1, 2)
    assert conn.execute("SELECT username, scope FROM users").fetchall() == [
        ("old_admin", '{"county_codes":["360731000000"]}')
    ]
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
    conn.execute("INSERT INTO changes (kind, id, village_code, at) VALUES ('household', 'h1', '360731108201', 'now')")
    conn.execute(
        "INSERT INTO entities (kind, id, village_code, state, seq) VALUES ('household', 'h1', '360731108201', '{}', 1)"
    )


def test_a_database_from_a_newer_server_is_refused(tmp_path):
    conn = _database_at(tmp_path / "new.sqlite3", LATEST_VERSION)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(BianfangError) as refused:
        migrate(conn)
    assert refused.value.code == "server.database_newer"


def test_a_foreign_database_is_refused_not_altered(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE notes (text)")
    with pytest.raises(BianfangError) as refused:
        migrate(conn)
    assert refused.value.code == "server.not_a_registry"
    assert _tables(conn) == {"notes"}


def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    from sync_server.migrations import Migration

    conn = _database_at(tmp_path / "half.sqlite3", 1)
    broken = (*MIGRATIONS[:1], Migration(2, "broken", ("CREATE TABLE fine (x)", "CREATE TABLE fine (x)")))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    assert schema_version(conn) == 1
    assert "fine" not in _tables(conn)
