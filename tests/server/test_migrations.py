"""Every migration runs on a database made by the previous version and keeps its data."""

from __future__ import annotations

import json
import sqlite3

import pytest

from field_app.core.codes import Role
from field_app.core.errors import BianfangError
from field_app.core.models import County, Township, Village
from field_app.core.sync.merge import EntityRef, problem_status
from field_app.core.sync.mutation import EntityKind
from sync_server import Settings, create_app
from sync_server.db import open_database, write_transaction
from sync_server.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, migrate, schema_version
from sync_server.places import save_places
from sync_server.sync import states

from .conftest import COUNTY, TEST_KDF, TOWNSHIP, VILLAGE_A, Kit, TestClient
from .tablet import E, H, Tablet, event, household, member, problem


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
    assert {"users", "devices", "audit_log", "audit_log_no_update", "entities", "changes", "mutation_log",
            "backlog", "merge_states", "departures", "conflicts", "photos", "photo_refs", "household_status",
            "sync_meta"} <= _tables(conn)
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
    assert migrate(conn, MIGRATIONS[:2]) == (1, 2)
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


def _put(conn, seq: int, kind: str, record: dict, village: str, parent: str | None = None) -> None:
    conn.execute("INSERT INTO changes (seq, kind, id, village_code, at) VALUES (?, ?, ?, ?, ?)",
                 (seq, kind, record["id"], village, "2026-01-01T00:00:00+00:00"))
    conn.execute("INSERT INTO entities (kind, id, village_code, parent_id, state, seq) VALUES (?, ?, ?, ?, ?, ?)",
                 (kind, record["id"], village, parent, json.dumps(record, ensure_ascii=False), seq))


def test_version_2_registry_is_kept_and_merges_after_the_upgrade_to_3(tmp_path, standard_forms, clock):
    """A version-2 registry holds records with no merge state: after the upgrade they are
    served as before, and the first edits merge onto a baseline built from the records."""
    path = tmp_path / "v2.sqlite3"
    conn = _database_at(path, 2)
    h1, m1, p1 = household(), member(), problem()
    rectified = event("e0", "rectify", "u-old", "field_worker")
    for seq, (kind, record, parent) in enumerate(
        [("household", h1, None), ("member", m1, "h1"), ("problem", p1, "h1"), ("problem_event", rectified, "p1")],
        start=1,
    ):
        _put(conn, seq, kind, record, VILLAGE_A, parent)
    conn.close()

    app = create_app(Settings(database_path=path, password_kdf=TEST_KDF, clock=clock), standard_forms)
    db = open_database(path)
    assert schema_version(db.conn) == LATEST_VERSION == 3
    assert db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 4
    assert db.conn.execute("SELECT count(*) FROM merge_states").fetchone()[0] == 0
    with write_transaction(db):
        save_places(db, [County(code=COUNTY, name="于都县", province="江西省")],
                    [Township(code=TOWNSHIP, name="梓山镇", county_code=COUNTY)],
                    [Village(code=VILLAGE_A, name="潭头村", township_code=TOWNSHIP)])
    with TestClient(app) as client:
        kit = Kit(client, db, app.state.context.settings)
        kit.admin("admin1")
        admin = kit.login("admin1")
        worker = _tablet(kit, admin, kit.user("worker1", villages=(VILLAGE_A,)))
        station = _tablet(kit, admin, kit.user("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,)))
        assert [c["id"] for c in worker.pull()] == ["h1", "m1", "p1", "e0"]
        station.pull()
        assert worker.outcomes(worker.update(H, h1, phone="13800138000")) == ["applied"]
        assert station.outcomes(station.create(E, event("e1", "verify", station.user_id, "township_station"))) == [
            "applied"]
        worker.pull()
        assert worker.records[("household", "h1")]["phone"] == "13800138000"
        assert worker.records[("household", "h1")]["head_name"] == "张三"
    closed = problem_status(states.load(db, EntityRef(EntityKind.PROBLEM, "p1")))
    assert [e.id for e in closed.applied] == ["e0", "e1"] and closed.state.value == "closed"
    db.close()


def _tablet(kit: Kit, admin_headers: dict[str, str], user) -> Tablet:
    enrolled = kit.enrol(admin_headers, user)
    return Tablet(kit.client, enrolled["token"], enrolled["device_id"], user.id, user.role.value)
