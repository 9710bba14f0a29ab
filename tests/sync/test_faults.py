"""A flaky network at the township station: every cut leaves nothing lost and nothing doubled,
and the next sync resumes where the last one stopped."""

from __future__ import annotations

import pytest

from field_app.core.sync.mutation import EntityKind
from field_app.sync import TransportError
from field_app.sync.transport import Response

from .conftest import Fleet, Station, photo_bytes
from .helpers import new_visit, view
from .transports import Fault

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"
PHOTOS = "/api/v1/photos/"


def _server_log(station, device_id: str) -> list[tuple[int, str]]:
    rows = station.db.conn.execute(
        "SELECT device_seq, outcome FROM mutation_log WHERE device_id = ? ORDER BY device_seq", (device_id,)
    ).fetchall()
    return [(seq, outcome) for seq, outcome in rows]


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.LOSE, Fault.DUPLICATE])
@pytest.mark.parametrize("nth", [1, 2])
def test_a_cut_during_push_loses_and_doubles_nothing(fleet, station, fault, nth):
    tablet = fleet.tablet("a")
    tablet.sync()
    households = sorted(view(tablet.store, EntityKind.HOUSEHOLD).values(), key=lambda h: h["id"])
    visits = [new_visit(household, tablet.enrolment.user["id"]) for household in households[:3]]
    mutations = [tablet.store.create(visit) for visit in visits]
    mutations += [tablet.store.edit(EntityKind.HOUSEHOLD, h["id"], {"address": f"地址{i}"})
                  for i, h in enumerate(households[:2])]
    sent = len(mutations)
    tablet.network.fail(fault, method="POST", path=PUSH, nth=nth)

    if fault is Fault.DUPLICATE:
        first = tablet.sync(push_batch=2)
        assert not first.interrupted
    else:
        with pytest.raises(TransportError) as caught:
            tablet.sync(push_batch=2)
        assert caught.value.report.interrupted
        assert caught.value.report.error_code == "sync.network"
        # Only the batches answered before the cut are acknowledged.
        assert len(tablet.store.pending_mutations()) == sent - 2 * (nth - 1)
        tablet.sync(push_batch=2)

    assert tablet.store.pending_mutations() == []
    log = _server_log(station, tablet.device_id)
    assert [seq for seq, _ in log] == sorted(m.device_seq for m in mutations)  # each once on the server
    server_visits = station.entities(EntityKind.VISIT)
    assert all(visit.id in server_visits for visit in visits)
    for index, household in enumerate(households[:2]):
        assert station.entities(EntityKind.HOUSEHOLD)[household["id"]]["address"] == f"地址{index}"
    assert view(tablet.store, EntityKind.VISIT) == station.entities(EntityKind.VISIT, villages=(station.village,))


def test_a_lost_answer_is_answered_again_as_a_duplicate(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    household_id = sorted(view(tablet.store, EntityKind.HOUSEHOLD))[0]
    mutation = tablet.store.edit(EntityKind.HOUSEHOLD, household_id, {"address": "只改一次"})
    tablet.network.fail(Fault.LOSE, method="POST", path=PUSH)
    with pytest.raises(TransportError):
        tablet.sync()
    assert [m.device_seq for m in tablet.store.pending_mutations()] == [mutation.device_seq]

    report = tablet.sync()

    [result] = report.results
    assert (result.device_seq, result.outcome, result.duplicate) == (mutation.device_seq, "applied", True)
    assert tablet.store.pending_mutations() == []


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.LOSE])
def test_a_cut_during_pull_resumes_from_the_stored_checkpoint(fleet, station, fault):
    tablet = fleet.tablet("a")
    tablet.network.fail(fault, method="GET", path=PULL, nth=3)
    with pytest.raises(TransportError):
        tablet.sync(pull_limit=5)
    pulls = tablet.network.sent("GET", PULL)
    assert len(pulls) == 3
    kept = tablet.store.checkpoint()
    assert kept is not None and kept > 0  # two pages were stored with their checkpoints
    assert pulls[2].params["after"] == kept

    report = tablet.sync(pull_limit=5)

    resumed = tablet.network.sent("GET", PULL)[3]
    assert resumed.params["after"] == kept
    assert not report.interrupted
    assert view(tablet.store, EntityKind.HOUSEHOLD) == station.entities(EntityKind.HOUSEHOLD, villages=(station.village,))
    members = station.entities(EntityKind.MEMBER)
    households = view(tablet.store, EntityKind.HOUSEHOLD)
    assert view(tablet.store, EntityKind.MEMBER) == {k: v for k, v in members.items() if v["household_id"] in households}


@pytest.mark.parametrize(("fault", "resume_at"), [(Fault.DROP, 1), (Fault.LOSE, 2)])
def test_a_photo_upload_cut_mid_way_resumes_from_the_servers_offset(fleet, station, fault, resume_at):
    chunk = 64 * 1024
    tablet = fleet.tablet("a")
    tablet.sync()
    content = photo_bytes(3 * chunk + 1000, seed=5)
    sha = tablet.store.put_photo(content)
    household = next(iter(view(tablet.store, EntityKind.HOUSEHOLD).values()))
    tablet.store.create(new_visit(household, tablet.enrolment.user["id"], photos=(sha,)))
    tablet.network.fail(fault, method="PUT", path=PHOTOS, nth=2)

    with pytest.raises(TransportError) as caught:
        tablet.sync(chunk_size=chunk)
    assert tablet.store.photos_waiting_for_upload() == [sha]
    assert len(tablet.store.pending_mutations()) == 1  # the push had not started
    assert caught.value.report.photo_bytes == chunk  # the answers received

    tablet.network.log.clear()
    report = tablet.sync(chunk_size=chunk)

    puts = tablet.network.sent("PUT", PHOTOS)
    assert puts[0].headers["Content-Range"] == f"bytes {resume_at * chunk}-{(resume_at + 1) * chunk - 1}/{len(content)}"
    assert puts[-1].headers["Content-Range"].endswith(f"-{len(content) - 1}/{len(content)}")
    assert report.photo_bytes == len(content) - resume_at * chunk
    assert report.photos_uploaded == 1
    assert tablet.store.photos_waiting_for_upload() == []
    head = station.transport.request(
        "HEAD", f"{PHOTOS}{sha}", headers={"Authorization": f"Bearer {tablet.enrolment.token}"}
    )
    assert head.status == 200 and head.header("upload-complete") == "?1"
    assert head.header("upload-offset") == str(len(content))
    assert report.results[0].outcome == "applied"


def test_a_photo_the_server_holds_already_is_not_sent_again(fleet, station):
    first, second = fleet.tablet("a"), fleet.tablet("b")
    content = photo_bytes(5000, seed=9)
    for tablet in (first, second):
        tablet.store.put_photo(content)
    first.sync()
    report = second.sync()
    assert report.photos_uploaded == 1 and report.photo_bytes == 0
    assert second.network.sent("PUT", PHOTOS) == []


def test_a_server_restart_between_syncs_changes_nothing_for_the_tablet(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    household_id = sorted(view(tablet.store, EntityKind.HOUSEHOLD))[0]
    tablet.store.edit(EntityKind.HOUSEHOLD, household_id, {"address": "重启之后"})
    station.restart()
    report = tablet.sync()
    assert report.results[0].outcome == "applied"
    assert station.entities(EntityKind.HOUSEHOLD)[household_id]["address"] == "重启之后"


def test_a_push_too_large_for_the_server_is_sent_in_smaller_batches(tmp_path, standard_forms, demo_county):
    station = Station(tmp_path / "server", standard_forms, demo_county, max_body_bytes=6 * 1024)
    fleet = Fleet(station, tmp_path / "tablets")
    try:
        tablet = fleet.tablet("a")
        tablet.sync()
        household = next(iter(view(tablet.store, EntityKind.HOUSEHOLD).values()))
        visits = [new_visit(household, tablet.enrolment.user["id"], minute=minute) for minute in range(12)]
        for visit in visits:
            tablet.store.create(visit)

        report = tablet.sync()

        pushes = tablet.network.sent("POST", PUSH)
        assert [entry.status for entry in pushes][0] == 413 and pushes[-1].status == 200
        assert [result.outcome for result in report.results] == ["applied"] * len(visits)
        assert tablet.store.pending_mutations() == []
    finally:
        fleet.close()
        station.close()


def test_a_form_that_does_not_match_its_hash_is_not_kept_and_comes_next_time(fleet, station):
    tablet = fleet.tablet("a")
    honest = tablet.network.inner

    class Tampering:
        def request(self, method, path, **kwargs):
            response = honest.request(method, path, **kwargs)
            if path == "/api/v1/forms/household_visit/1":
                return Response(response.status, response.headers, response.body + b"\n# changed on the way\n")
            return response

    tablet.network.inner = Tampering()
    report = tablet.sync()
    assert ("household_visit", 1) not in tablet.store.list_forms()
    assert ("monitoring_visit", 1) in tablet.store.list_forms()
    [notice] = report.notices
    assert notice.code == "sync.client.form_unusable" and "household_visit" in notice.zh

    tablet.network.inner = honest
    assert tablet.sync().forms_downloaded == [("household_visit", 1)]
