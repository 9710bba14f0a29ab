"""Enrolling a tablet: one-time code + the user's password -> a revocable device token."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from field_app.core.codes import Role

from .conftest import PASSWORD, VILLAGE_A, bearer


@pytest.fixture
def admin_headers(kit):
    kit.admin()
    return kit.login("admin1")


@pytest.fixture
def worker(kit):
    return kit.user("worker1", Role.FIELD_WORKER, villages=(VILLAGE_A,))


def _enrol(client, code, password=PASSWORD, name="潭头村平板1"):
    return client.post("/api/v1/enrol", json={"code": code, "password": password, "device_name": name})


def test_happy_path_code_to_token_to_me(kit, client, admin_headers, worker):
    issued = kit.issue_code(admin_headers, worker)
    assert issued["username"] == "worker1"
    assert json.loads(issued["qr_payload"]) == {
        "type": "bianfang-enrol", "v": 1, "server": "https://station.example",
        "code": issued["code"], "username": "worker1",
    }

    response = _enrol(client, issued["code"].lower().replace("-", " "))  # as typed: any case, spaces
    assert response.status_code == 200, response.text
    enrolled = response.json()
    assert enrolled["token"].startswith("bfd_")
    assert enrolled["user"]["username"] == "worker1"

    me = client.get("/api/v1/me", headers=bearer(enrolled["token"]))
    assert me.status_code == 200
    assert me.json()["device_id"] == enrolled["device_id"]
    assert me.json()["user"]["scope"]["village_codes"] == [VILLAGE_A]
    assert "registry.read" in me.json()["allowed_actions"]
    assert "users.manage" not in me.json()["allowed_actions"]


def test_a_code_works_once(kit, client, admin_headers, worker):
    code = kit.issue_code(admin_headers, worker)["code"]
    assert _enrol(client, code).status_code == 200
    again = _enrol(client, code, name="另一台")
    assert again.status_code == 401
    assert again.json()["code"] == "enrol.code_used"


def test_an_expired_code_is_refused(kit, client, clock, settings, admin_headers, worker):
    code = kit.issue_code(admin_headers, worker)["code"]
    clock.advance(settings.enrolment_code_lifetime + timedelta(seconds=1))
    response = _enrol(client, code)
    assert response.status_code == 401
    assert response.json()["code"] == "enrol.code_expired"
    assert response.json()["details"]["expired_at"] == "2026-05-23 09:00"  # China time


def test_a_wrong_code_is_refused(client, admin_headers, worker):
    response = _enrol(client, "AAAA-BBBB-CCCC")
    assert response.status_code == 401
    assert response.json()["code"] == "enrol.code_invalid"


def test_the_password_must_be_the_users_and_wrong_ones_burn_the_code(kit, client, settings, admin_headers, worker):
    code = kit.issue_code(admin_headers, worker)["code"]
    for _ in range(settings.enrolment_max_attempts):
        wrong = _enrol(client, code, password="not-the-password")
        assert wrong.status_code == 401 and wrong.json()["code"] == "auth.bad_credentials"
    blocked = _enrol(client, code)  # even the right password is too late now
    assert blocked.json()["code"] == "enrol.code_blocked"


def test_a_revoked_device_is_refused_and_told_to_wipe(kit, client, admin_headers, worker):
    device = kit.enrol(admin_headers, worker)
    revoked = client.post(f"/api/v1/admin/devices/{device['device_id']}/revoke", headers=admin_headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]

    refused = client.get("/api/v1/me", headers=bearer(device["token"]))
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "auth.device_revoked"
    assert body["details"]["wipe"] is True
    assert "清除" in body["message"]

    # the user may enrol a new tablet with a new code; the old token stays dead
    fresh = kit.enrol(admin_headers, worker)
    assert client.get("/api/v1/me", headers=bearer(fresh["token"])).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(device["token"])).status_code == 403


def test_revoking_twice_is_harmless(kit, client, admin_headers, worker):
    device = kit.enrol(admin_headers, worker)
    first = client.post(f"/api/v1/admin/devices/{device['device_id']}/revoke", headers=admin_headers)
    second = client.post(f"/api/v1/admin/devices/{device['device_id']}/revoke", headers=admin_headers)
    assert first.json() == second.json()


def test_unknown_device_and_unknown_user(client, admin_headers):
    assert client.post("/api/v1/admin/devices/nope/revoke", headers=admin_headers).json()["code"] == "device.not_found"
    response = client.post("/api/v1/admin/enrolment-codes", json={"user_id": "nope"}, headers=admin_headers)
    assert response.status_code == 404 and response.json()["code"] == "user.not_found"


def test_a_forged_token_is_refused(client):
    for token in ("bfd_forged", "bfs_forged", "something-else"):
        response = client.get("/api/v1/me", headers=bearer(token))
        assert response.status_code == 401 and response.json()["code"] == "auth.token_invalid"


def test_tokens_codes_and_passwords_are_never_stored_in_clear(kit, client, settings, admin_headers, worker):
    issued = kit.issue_code(admin_headers, worker)
    device = _enrol(client, issued["code"]).json()
    session_token = admin_headers["Authorization"].removeprefix("Bearer ")
    files = [settings.database_path, settings.database_path.with_name(settings.database_path.name + "-wal")]
    raw = b"".join(path.read_bytes() for path in files if path.exists())
    assert len(raw) > 10_000  # really read the data
    for secret in (device["token"], session_token, issued["code"], issued["code"].replace("-", ""), PASSWORD):
        assert secret.encode() not in raw, secret


def test_device_last_seen_is_written_at_most_once_a_minute(kit, client, db, clock, admin_headers, worker):
    device = kit.enrol(admin_headers, worker)

    def last_seen():
        return db.conn.execute("SELECT last_seen FROM devices WHERE id = ?", (device["device_id"],)).fetchone()[0]

    enrolled_at = last_seen()
    clock.advance(timedelta(seconds=30))
    client.get("/api/v1/me", headers=bearer(device["token"]))
    assert last_seen() == enrolled_at
    clock.advance(timedelta(seconds=31))
    client.get("/api/v1/me", headers=bearer(device["token"]))
    assert last_seen() > enrolled_at


def test_codes_for_inactive_users_are_not_issued(kit, client, db, admin_headers, worker):
    db.conn.execute("UPDATE users SET active = 0 WHERE id = ?", (worker.id,))
    response = client.post("/api/v1/admin/enrolment-codes", json={"user_id": worker.id}, headers=admin_headers)
    assert response.status_code == 403 and response.json()["code"] == "auth.user_inactive"
