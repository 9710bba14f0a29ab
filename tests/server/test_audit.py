"""The audit log: an entry for every change, written with the change, never altered."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from field_app.core.codes import Role
from sync_server import audit
from sync_server.db import write_transaction
from sync_server.users import find_user

from .conftest import PASSWORD, VILLAGE_A


@pytest.fixture
def admin_headers(kit):
    kit.admin()
    return kit.login("admin1")


def _entries(client, headers, **params):
    response = client.get("/api/v1/admin/audit", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def test_user_creation_enrolment_and_revocation_are_audited(kit, client, db, admin_headers):
    admin_id = client.get("/api/v1/me", headers=admin_headers).json()["user"]["id"]
    created = client.post("/api/v1/admin/users", headers=admin_headers, json={
        "username": "worker1", "name": "洪春志", "role": "field_worker",
        "scope": {"village_codes": [VILLAGE_A]}, "password": PASSWORD,
    }).json()
    user_entries = _entries(client, admin_headers, entity="user", entity_id=created["id"])
    assert [(e["action"], e["user_id"], e["before"]) for e in user_entries] == [("user.create", admin_id, None)]
    assert user_entries[0]["after"]["username"] == "worker1"
    assert user_entries[0]["after"]["scope"]["village_codes"] == [VILLAGE_A]

    code = kit.issue_code(admin_headers, find_user(db, "worker1"))
    device = client.post("/api/v1/enrol", json={"code": code["code"], "password": PASSWORD, "device_name": "平板"}).json()
    client.post(f"/api/v1/admin/devices/{device['device_id']}/revoke", headers=admin_headers)

    device_entries = _entries(client, admin_headers, entity="device", entity_id=device["device_id"])
    assert [(e["action"], e["user_id"], e["device_id"]) for e in device_entries] == [
        ("device.enrol", created["id"], device["device_id"]),  # the worker enrolled it
        ("device.revoke", admin_id, None),  # the admin revoked it
    ]
    assert device_entries[1]["before"] == {"revoked_at": None} and device_entries[1]["after"]["revoked_at"]
    assert [e["action"] for e in _entries(client, admin_headers, action="enrolment_code.issue")] == [
        "enrolment_code.issue"
    ]


def test_forms_publication_is_audited_once(client, admin_headers, app, settings, standard_forms):
    from sync_server import create_app

    create_app(settings, standard_forms)  # a restart publishes nothing new
    published = _entries(client, admin_headers, action="form.publish")
    assert sorted(e["entity_id"] for e in published) == sorted(f"{f.id}@{f.version}" for f in standard_forms)


def test_audit_never_holds_credentials(kit, db, admin_headers):
    kit.user("worker1", Role.FIELD_WORKER, villages=(VILLAGE_A,))
    stored_hash = db.conn.execute("SELECT password_hash FROM users WHERE username = 'worker1'").fetchone()[0]
    dump = "\n".join(str(row) for row in db.conn.execute("SELECT * FROM audit_log"))
    assert stored_hash not in dump and "scrypt$" not in dump and PASSWORD not in dump


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'nothing'",
        "DELETE FROM audit_log",
        "INSERT OR REPLACE INTO audit_log (seq, at, action, entity) VALUES (1, 'x', 'forged', 'user')",
    ],
)
def test_the_audit_table_refuses_update_and_delete(kit, db, statement):
    kit.user("worker1")
    before = db.conn.execute("SELECT * FROM audit_log ORDER BY seq").fetchall()
    assert before
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute(statement)
    assert db.conn.execute("SELECT * FROM audit_log ORDER BY seq").fetchall() == before


def test_an_entry_can_only_be_written_inside_the_changes_transaction(db):
    with pytest.raises(RuntimeError):
        audit.record(db, at=datetime.now(UTC), actor=audit.SYSTEM, action="x", entity="y")


def test_a_failed_change_leaves_no_entry(db):
    count = db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(ZeroDivisionError), write_transaction(db):
        audit.record(db, at=datetime.now(UTC), actor=audit.SYSTEM, action="x", entity="y")
        1 / 0  # noqa: B018 - the change fails after its audit entry
    assert db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count


def test_reading_pages_by_seq(client, kit, admin_headers):
    for number in range(5):
        kit.user(f"worker{number}")
    first = client.get("/api/v1/admin/audit", headers=admin_headers, params={"limit": 2}).json()
    second = client.get("/api/v1/admin/audit", headers=admin_headers,
                        params={"limit": 2, "after_seq": first["next_after_seq"]}).json()
    seqs = [e["seq"] for e in first["entries"] + second["entries"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
