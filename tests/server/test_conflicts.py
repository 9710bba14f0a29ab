"""The conflict queue: side by side, resolved by a reviewer, the result pulled by the devices."""

from __future__ import annotations

import json

import pytest

from field_app.core.codes import Role

from .conftest import TOWNSHIP, VILLAGE_A, VILLAGE_C
from .tablet import WALL_MS, H, M, household, member


@pytest.fixture
def dispute(tablets):
    """Two workers of village A renamed the head of one household two ways."""
    a = tablets("worker_a", villages=(VILLAGE_A,))
    b = tablets("worker_b", villages=(VILLAGE_A,))
    h = household()
    a.push(a.create(H, h), a.create(M, member()))
    a.pull(), b.pull()
    a.push(a.update(H, h, head_name="李四", at=WALL_MS + 10_000))
    (result,) = b.push(b.update(H, h, head_name="王五", at=WALL_MS + 20_000))["results"]
    assert result["outcome"] == "conflict"
    return a, b, result["conflict_ids"][0]


def test_a_conflict_is_shown_side_by_side_with_who_when_and_the_household(dispute, client):
    a, b, conflict_id = dispute
    detail = client.get(f"/api/v1/conflicts/{conflict_id}", headers=a.headers).json()
    assert detail["conflict"]["state"] == "open" and detail["conflict"]["base"] == "张三"
    assert [(c["value"], c["user_id"], c["device_id"]) for c in detail["candidates"]] == [
        ("李四", a.user_id, a.device_id), ("王五", b.user_id, b.device_id)]
    assert all(c["received_at"] and c["user_name"] for c in detail["candidates"])
    assert detail["household"]["id"] == "h1" and [m["id"] for m in detail["members"]] == ["m1"]
    assert detail["household_status"]["household_id"] == "h1"


def test_only_reviewers_resolve(dispute, client):
    a, _, conflict_id = dispute
    refused = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"value": "李四"}, headers=a.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "auth.role_forbidden"


def test_a_supervisors_resolution_reaches_the_devices_and_is_audited(dispute, client, kit, db):
    a, b, conflict_id = dispute
    supervisor = kit.user("super1", Role.SUPERVISOR, townships=(TOWNSHIP,))
    headers = kit.login("super1")
    response = client.post(f"/api/v1/conflicts/{conflict_id}/resolve",
                           json={"value": "李四", "note": "户口本核对"}, headers=headers)
    assert response.status_code == 200, response.text
    done = response.json()
    assert done["device_id"] == "server" and done["outcome"] == "applied"
    settled = done["conflict"]
    assert (settled["state"], settled["resolved_by"], settled["resolved_value"], settled["resolution_note"]) == (
        "resolved", supervisor.id, "李四", "户口本核对")
    (change,) = b.pull()
    assert change["record"]["head_name"] == "李四" and change["disputed"] == {}
    assert client.get("/api/v1/conflicts", params={"state": "open"}, headers=headers).json()["conflicts"] == []
    again = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"value": "王五"}, headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "conflict.already_resolved"
    audit = db.conn.execute(
        "SELECT action, user_id, device_id, after FROM audit_log WHERE action IN ('household.update', "
        "'conflict.resolve') ORDER BY seq DESC LIMIT 2").fetchall()
    assert [(row[0], row[1], row[2]) for row in audit] == [("conflict.resolve", supervisor.id, None),
                                                          ("household.update", supervisor.id, "server")]
    assert json.loads(audit[0][3])["note"] == "户口本核对"
    logged = db.conn.execute("SELECT user_id, outcome FROM mutation_log WHERE device_id = 'server'").fetchall()
    assert logged == [(supervisor.id, "applied")]


def test_a_later_edit_by_someone_who_saw_the_dispute_settles_it(dispute, client):
    a, _, conflict_id = dispute
    a.pull()
    a.push(a.update(H, a.records[("household", "h1")], head_name="李小四"))
    settled = client.get(f"/api/v1/conflicts/{conflict_id}", headers=a.headers).json()["conflict"]
    assert (settled["state"], settled["resolved_by"], settled["resolved_value"]) == ("resolved", a.user_id, "李小四")


def test_a_resolution_that_breaks_the_record_is_refused(dispute, client, kit):
    _, _, conflict_id = dispute
    kit.user("super1", Role.SUPERVISOR, townships=(TOWNSHIP,))
    response = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"value": ""},
                           headers=kit.login("super1"))
    assert response.status_code == 422 and response.json()["code"] == "conflict.resolution_invalid"
    detail = client.get(f"/api/v1/conflicts/{conflict_id}", headers=kit.login("super1")).json()
    assert detail["conflict"]["state"] == "open"  # nothing changed


def test_delete_vs_edit_is_resolved_with_true_or_false(tablets, client, kit):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    b = tablets("worker_b", villages=(VILLAGE_A,))
    m1 = member(relation="spouse")
    a.push(a.create(H, household()), a.create(M, m1))
    a.pull(), b.pull()
    a.push(a.delete(M, "m1"))
    (result,) = b.push(b.update(M, m1, education="primary"))["results"]
    kit.user("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    headers = kit.login("station1")
    url = f"/api/v1/conflicts/{result['conflict_ids'][0]}/resolve"
    assert client.post(url, json={"value": "restore"}, headers=headers).status_code == 422
    assert client.post(url, json={"value": False}, headers=headers).status_code == 200
    b.pull()
    assert b.records[("member", "m1")]["education"] == "primary"
    assert not client.get("/api/v1/sync/pull", params={"after": 0}, headers=b.headers).json()["changes"][-1]["deleted"]


def test_others_conflicts_do_not_exist_for_you(dispute, client, kit):
    _, _, conflict_id = dispute
    kit.user("far_super", Role.SUPERVISOR, villages=(VILLAGE_C,))
    headers = kit.login("far_super")
    assert client.get("/api/v1/conflicts", headers=headers).json()["conflicts"] == []
    assert client.get(f"/api/v1/conflicts/{conflict_id}", headers=headers).status_code == 404
    resolve = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"value": "李四"}, headers=headers)
    assert resolve.status_code == 404 and resolve.json()["code"] == "conflict.not_found"
