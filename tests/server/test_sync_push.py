"""Push over HTTP, outcome by outcome: real app, real SQLite file, tablets as the client.

Each test is one row of the table the sync API promises: applied, merged, conflict, latest
wins, visits, problem events, delete vs edit, deferred and replayed, malformed, reused keys,
scope, device checks, re-anchored visit times, derived statuses, audit."""

from __future__ import annotations

import json

import pytest

from field_app.core.codes import Role
from field_app.core.models import ProblemState
from field_app.core.sync.merge import EntityRef, problem_status
from field_app.core.sync.mutation import EntityKind
from sync_server.sync import states

from .conftest import TOWNSHIP, VILLAGE_A, VILLAGE_B
from .tablet import BOOT, WALL_MS, E, H, M, P, V, event, household, member, problem, visit

H0 = household()


def results(response: dict) -> list[tuple[str, str | None]]:
    return [(r["outcome"], r["reason"]["code"] if r["reason"] else None) for r in response["results"]]


def audit_actions(db, entity_id: str) -> list[str]:
    return [row[0] for row in db.conn.execute("SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq",
                                              (entity_id,))]


@pytest.fixture
def pair(tablets):
    """Two workers of village A, both having pulled a household."""
    a = tablets("worker_a", villages=(VILLAGE_A,))
    b = tablets("worker_b", villages=(VILLAGE_A,))
    assert a.outcomes(a.create(H, H0)) == ["applied"]
    a.pull(), b.pull()
    return a, b


def test_create_is_applied_served_by_pull_and_audited(tablets, db):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    response = a.push(a.create(H, H0), a.create(M, member()))
    assert results(response) == [("applied", None), ("applied", None)]
    assert response["checkpoint"] == 2 and response["server_hlc"].endswith("-server")
    assert a.pull() and a.records[("household", "h1")]["head_name"] == "张三"
    assert audit_actions(db, "h1") == ["household.create"] and audit_actions(db, "m1") == ["member.create"]
    entry = db.conn.execute("SELECT user_id, device_id, village_code, before, after FROM audit_log "
                            "WHERE entity_id = 'h1'").fetchone()
    assert entry[:3] == (a.user_id, a.device_id, VILLAGE_A) and entry[3] is None
    assert json.loads(entry[4])["number"] == H0["number"]


def test_disjoint_fields_from_two_devices_are_merged(pair):
    a, b = pair
    assert a.outcomes(a.update(H, H0, phone="13800138000")) == ["applied"]
    assert b.outcomes(b.update(H, H0, address="村东头")) == ["merged"]
    a.pull()
    shown = a.records[("household", "h1")]
    assert (shown["phone"], shown["address"]) == ("13800138000", "村东头")


def test_identity_field_two_ways_is_a_conflict_in_the_queue_with_both_values(pair, client):
    a, b = pair
    assert a.outcomes(a.update(H, H0, head_name="李四", at=WALL_MS + 10)) == ["applied"]
    response = b.push(b.update(H, H0, head_name="王五", at=WALL_MS + 20))
    (result,) = response["results"]
    assert result["outcome"] == "conflict" and len(result["conflict_ids"]) == 1
    queue = client.get("/api/v1/conflicts", params={"village": VILLAGE_A, "state": "open"}, headers=a.headers).json()
    (conflict,) = queue["conflicts"]
    assert conflict["id"] == result["conflict_ids"][0]
    assert (conflict["field"], conflict["kind"], conflict["base"]) == ("head_name", "disputed", "张三")
    assert [c["value"] for c in conflict["candidates"]] == ["李四", "王五"]
    assert [c["device_id"] for c in conflict["candidates"]] == [a.device_id, b.device_id]
    changes = a.pull()
    assert changes[-1]["disputed"] == {"head_name": ["李四", "王五"]}
    assert a.records[("household", "h1")]["head_name"] == "王五"  # the greater clock is shown meanwhile


def test_low_stakes_field_takes_the_latest_clock_without_queueing(pair, client):
    a, b = pair
    assert a.outcomes(a.update(H, H0, phone="13900139000", at=WALL_MS + 50)) == ["applied"]
    assert b.outcomes(b.update(H, H0, phone="13800138000", at=WALL_MS + 40)) == ["merged"]
    a.pull()
    assert a.records[("household", "h1")]["phone"] == "13900139000"
    assert client.get("/api/v1/conflicts", headers=a.headers).json()["conflicts"] == []


def test_visits_insert_once_duplicate_and_different_content(pair, db):
    a, b = pair
    first = a.create(V, visit())
    assert results(a.push(first)) == [("applied", None)]
    again = a.push(first)["results"][0]
    assert (again["outcome"], again["duplicate"]) == ("applied", True)
    other = b.create(V, visit(ended_at="2026-05-19T10:30:00+08:00"))
    assert results(b.push(other)) == [("rejected", "sync.visit_conflict")]
    same = b.create(V, visit())  # the same visit under another key: nothing new
    assert b.push(same)["results"][0]["duplicate"] is True
    assert db.conn.execute("SELECT count(*) FROM entities WHERE kind = 'visit'").fetchone()[0] == 1
    assert audit_actions(db, "v1") == ["visit.append"]


def test_problem_events_are_folded_with_role_checks(tablets, db):
    worker = tablets("worker_a", villages=(VILLAGE_A,))
    station = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    assert worker.outcomes(worker.create(H, H0), worker.create(P, problem())) == ["applied", "applied"]
    rectify = worker.create(E, event("e1", "rectify", worker.user_id, "field_worker"))
    self_verify = worker.create(E, event("e2", "verify", worker.user_id, "field_worker"))
    posing = worker.create(E, event("e3", "verify", worker.user_id, "supervisor"))
    assert results(worker.push(rectify, self_verify, posing)) == [
        ("applied", None),
        ("applied", "problem.role_not_allowed"),  # kept in the log, refused by the fold
        ("rejected", "sync.actor_mismatch"),  # a field worker cannot claim a reviewer's role
    ]
    station.pull()
    verify = station.create(E, event("e4", "verify", station.user_id, "township_station"))
    assert results(station.push(verify)) == [("applied", None)]
    status = problem_status(states.load(db, EntityRef(EntityKind.PROBLEM, "p1")))
    assert status.state is ProblemState.CLOSED
    assert [e.id for e in status.applied] == ["e1", "e4"] and [r.event.id for r in status.rejected] == ["e2"]
    station.pull()
    assert {("problem_event", eid) for eid in ("e1", "e2", "e4")} <= station.records.keys()


def test_delete_racing_an_edit_is_a_conflict(tablets, client):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    b = tablets("worker_b", villages=(VILLAGE_A,))
    m1 = member(relation="spouse")
    a.push(a.create(H, H0), a.create(M, m1))
    a.pull(), b.pull()
    assert a.outcomes(a.delete(M, "m1")) == ["applied"]
    assert b.outcomes(b.update(M, m1, education="primary")) == ["conflict"]
    (conflict,) = client.get("/api/v1/conflicts", headers=a.headers).json()["conflicts"]
    assert (conflict["entity"], conflict["kind"], conflict["field"]) == ("member", "delete_vs_edit", "deleted")
    a.pull()
    assert a.records[("member", "m1")]["education"] == "primary"  # the edit is kept, the tombstone holds


def test_update_before_create_waits_and_is_replayed_in_a_later_batch(tablets, db):
    b = tablets("worker_b", villages=(VILLAGE_A,))
    create = b.create(H, household("h9"))
    early = b.update(H, household("h9"), phone="13800138000")  # the create's batch was lost on the way
    assert results(b.push(early)) == [("deferred", "sync.missing_entity")]
    status = b.client.get("/api/v1/sync/status", headers=b.headers).json()
    assert (status["waiting"], status["last_device_seq"]) == (1, 2)
    assert b.outcomes(create) == ["applied"]
    assert b.client.get("/api/v1/sync/status", headers=b.headers).json()["waiting"] == 0
    replayed = b.push(early)["results"][0]  # sent again: the answer it has now
    assert (replayed["outcome"], replayed["duplicate"]) == ("applied", True)
    b.pull()
    assert b.records[("household", "h9")]["phone"] == "13800138000"
    assert audit_actions(db, "h9") == ["household.create", "household.update"]


def test_children_before_their_household_in_one_batch_end_applied(tablets):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    made = [a.create(M, member("m2", "h2")), a.update(M, member("m2", "h2"), name="张小三"),
            a.create(V, visit("v2", "h2")), a.create(H, household("h2"))]
    assert results(a.push(*made)) == [("applied", None)] * 4  # answered as they stand at the end
    a.pull()
    assert a.records[("member", "m2")]["name"] == "张小三"


def test_a_malformed_mutation_is_rejected_alone_naming_its_field(tablets):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    good = a.create(H, H0)
    bad_seq = {**a.create(M, member()), "device_seq": "seven"}
    unknown_field = {**a.create(M, member("m3")), "surprise": 1}
    later = a.create(M, member("m4", relation="son"))
    response = a.push(good, bad_seq, 42, unknown_field, later)
    outcomes = [r["outcome"] for r in response["results"]]
    assert outcomes == ["applied", "rejected", "rejected", "rejected", "applied"]
    reasons = [r["reason"] for r in response["results"]]
    assert reasons[1]["code"] == "sync.malformed" and "device_seq" in reasons[1]["message_en"]
    assert response["results"][1]["entity_id"] == "m1"
    assert "surprise" in reasons[3]["message_en"] and reasons[3]["message"]


def test_the_same_key_with_other_content_is_refused_loudly(tablets, db):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    original = a.create(H, H0)
    a.push(original)
    clone = {**original, "fields": {**original["fields"], "head_name": {"value": "克隆", "base": None}}}
    assert results(a.push(clone)) == [("rejected", "sync.mutation_reused")]
    assert "sync.mutation_reused" in audit_actions(db, "h1")
    assert a.push(original)["results"][0]["duplicate"] is True  # the genuine one is still answered


def test_out_of_scope_mutations_are_refused_one_by_one(tablets, db):
    worker = tablets("worker_a", villages=(VILLAGE_A,))
    station = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    station.push(station.create(H, household("hb", VILLAGE_B)))
    response = worker.push(worker.create(H, household("hb2", VILLAGE_B)), worker.create(H, H0),
                           worker.create(V, visit("vb", "hb", VILLAGE_B)))
    assert results(response) == [("rejected", "auth.out_of_scope"), ("applied", None),
                                 ("rejected", "auth.out_of_scope")]
    assert response["results"][0]["reason"]["message_en"] == f"Village {VILLAGE_B} is outside your scope"
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'sync.out_of_scope'").fetchone()[0] == 2


def test_moving_a_member_out_of_scope_is_refused_and_a_permitted_move_is_gone_for_the_old_village(tablets):
    worker = tablets("worker_a", villages=(VILLAGE_A,))
    station = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    m1 = member(relation="spouse")
    worker.push(worker.create(H, H0), worker.create(M, m1))
    station.push(station.create(H, household("hb", VILLAGE_B)))
    worker.pull(), station.pull()
    assert results(worker.push(worker.update(M, m1, household_id="hb"))) == [("rejected", "auth.out_of_scope")]
    assert station.outcomes(station.update(M, m1, household_id="hb")) == ["applied"]
    changes = worker.pull()
    assert [(c["kind"], c["id"], c["gone"], c["record"]) for c in changes] == [("member", "m1", True, None)]
    assert ("member", "m1") not in worker.records
    assert worker.pull() == []  # told once
    station.pull()
    assert station.records[("member", "m1")]["household_id"] == "hb"


def test_a_batch_claiming_another_device_is_refused_whole(tablets, kit):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    stolen = {**a.create(H, H0), "device_id": "someone-else"}
    refused = a.push(a.create(H, household("h2")), stolen, status=403)
    assert refused["code"] == "sync.device_mismatch" and refused["details"]["claimed"] == "someone-else"
    assert a.pull() == []  # nothing of the batch went in
    session = kit.client.post("/api/v1/sync/push", json={"mutations": []}, headers=kit.login("worker_a"))
    assert session.status_code == 403 and session.json()["code"] == "sync.device_required"


def test_too_many_mutations_in_one_push_is_413(tablets):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    refused = a.push(*[{}] * 501, status=413)
    assert refused["code"] == "sync.batch_too_large" and refused["details"]["limit"] == 500


def test_visit_times_are_reanchored_when_the_device_clock_was_wrong(tablets, db):
    day = 86_400_000
    a = tablets("worker_a", villages=(VILLAGE_A,))
    a.push(a.create(H, H0))
    a.clock_ms = WALL_MS - day - 1000  # the battery died: the tablet thinks it is a day earlier
    made = a.create(V, visit(started_at="2026-05-18T09:00:00+08:00", ended_at="2026-05-18T09:30:00+08:00"))
    wrong_clock = {"X-Device-Wall-Time": str(WALL_MS - day + 60_000),
                   "X-Device-Monotonic-Ns": str(a.monotonic_ns + 60_000_000_000), "X-Device-Boot-Id": BOOT}
    assert results(a.push(made, headers=wrong_clock)) == [("applied", None)]
    a.pull()
    stored = a.records[("visit", "v1")]
    assert stored["time_estimated"] is True
    assert (stored["started_at"], stored["ended_at"]) == ("2026-05-19T08:59:00+08:00", "2026-05-19T09:29:00+08:00")
    logged = json.loads(db.conn.execute("SELECT mutation FROM mutation_log WHERE entity_id = 'v1'").fetchone()[0])
    assert logged["fields"]["started_at"]["value"] == "2026-05-18T09:00:00+08:00"  # the device's own time kept


@pytest.mark.parametrize(("boot", "offset_ms"), [("rebooted", 86_400_000), (BOOT, 60_000)],
                         ids=["rebooted-since", "clock-right"])
def test_visit_times_stay_when_they_cannot_or_need_not_be_reanchored(tablets, boot, offset_ms):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    a.push(a.create(H, H0))
    made = a.create(V, visit())
    headers = {"X-Device-Wall-Time": str(WALL_MS - offset_ms), "X-Device-Monotonic-Ns": str(a.monotonic_ns + 1),
               "X-Device-Boot-Id": boot}
    a.push(made, headers=headers)
    a.pull()
    assert a.records[("visit", "v1")]["started_at"] == "2026-05-19T09:00:00+08:00"
    assert a.records[("visit", "v1")]["time_estimated"] is False


def test_derived_statuses_follow_every_change(tablets, client):
    a = tablets("worker_a", villages=(VILLAGE_A,))
    a.push(a.create(H, H0), a.create(M, member()))
    a.pull()
    (before,) = client.get(f"/api/v1/villages/{VILLAGE_A}/statuses", headers=a.headers).json()
    assert before["household_id"] == "h1" and before["guarantees"]["food"] == "unknown"
    a.push(a.update(H, a.records[("household", "h1")], food_secure=True, clothing_secure=True))
    (after,) = client.get(f"/api/v1/villages/{VILLAGE_A}/statuses", headers=a.headers).json()
    assert (after["guarantees"]["food"], after["guarantees"]["clothing"]) == ("met", "met")
    assert after["visits_due"]["field_worker"]["period"] == "quarter" and after["error"] is None
