"""Pull: paged by seq, only the caller's scope (in the SQL), records that left the scope told once."""

from __future__ import annotations

from field_app.core.codes import Role

from .conftest import TOWNSHIP, VILLAGE_A, VILLAGE_B
from .tablet import H, M, V, household, member, visit


def test_pull_pages_by_seq_until_nothing_more(tablets, client):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    a.push(*[a.create(H, household(f"h{i}")) for i in range(5)])
    first = client.get("/api/v1/sync/pull", params={"after": 0, "limit": 2}, headers=a.headers).json()
    assert [c["seq"] for c in first["changes"]] == [1, 2] and first["more"] and first["next_checkpoint"] == 2
    rest = client.get("/api/v1/sync/pull", params={"after": 2, "limit": 2000}, headers=a.headers).json()
    assert [c["seq"] for c in rest["changes"]] == [3, 4, 5] and not rest["more"] and rest["next_checkpoint"] == 5
    empty = client.get("/api/v1/sync/pull", params={"after": 5}, headers=a.headers).json()
    assert empty["changes"] == [] and empty["next_checkpoint"] == 5 and empty["server_hlc"]
    assert client.get("/api/v1/sync/pull", params={"limit": 2001}, headers=a.headers).status_code == 422


def test_a_record_changed_twice_comes_once_at_its_latest_seq(tablets):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    h = household()
    a.push(a.create(H, h), a.update(H, h, phone="13800138000"), a.create(M, member()))
    assert [(c["kind"], c["seq"]) for c in a.pull()] == [("household", 2), ("member", 3)]


def test_pull_holds_only_the_scope_and_moves_past_other_villages(tablets):
    worker = tablets("worker_a", villages=(VILLAGE_A,))
    station = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    station.push(station.create(H, household("ha", VILLAGE_A)), station.create(H, household("hb", VILLAGE_B)),
                 station.create(V, visit("vb", "hb", VILLAGE_B)))
    assert [c["id"] for c in worker.pull()] == ["ha"]
    assert worker.checkpoint == 3  # past the changes it may not see
    assert sorted(c["id"] for c in station.pull()) == ["ha", "hb", "vb"]
    status = worker.client.get("/api/v1/sync/status", headers=worker.headers).json()
    assert status["records"]["household"] == 1 and status["records"]["visit"] == 0 and status["server_seq"] == 3


def test_a_relocated_household_takes_its_members_and_is_gone_for_the_old_village(tablets):
    worker = tablets("worker_a", villages=(VILLAGE_A,))
    other = tablets("worker_b", villages=(VILLAGE_B,))
    station = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    h = household()
    station.push(station.create(H, h), station.create(M, member()))
    worker.pull(), other.pull(), station.pull()
    assert station.outcomes(station.update(H, h, village_code=VILLAGE_B)) == ["applied"]  # 易地搬迁
    assert sorted((c["id"], c["gone"]) for c in worker.pull()) == [("h1", True), ("m1", True)]
    assert worker.records == {}
    assert sorted((c["id"], c["gone"]) for c in other.pull()) == [("h1", False), ("m1", False)]


def test_tombstones_are_pulled_as_deleted_records(tablets):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    a.push(a.create(H, household()), a.create(M, member()))
    a.pull()
    a.push(a.delete(M, "m1"))
    (change,) = a.pull()
    assert (change["id"], change["deleted"], change["record"]["name"]) == ("m1", True, "张三")
