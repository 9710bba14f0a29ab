"""The real sync client against the real server app, in-process: enrolment, the first sync,
edits going up and coming back, two tablets merging, conflicts, progress, revocation."""

from __future__ import annotations

import pytest

from field_app.core.sync.mutation import EntityKind
from field_app.sync import DeviceRevoked, SyncError, enrol, last_report, last_results
from field_app.sync.apply import DISPUTED_SETTING
from field_app.sync.client import PHASES, RESULTS_SETTING

from .conftest import PASSWORD
from .helpers import new_visit, not_a_head, view


def test_enrol_refuses_a_wrong_password_in_chinese(station):
    code = station.enrolment_code(station.worker())
    with pytest.raises(SyncError) as caught:
        enrol(station.transport, code, "not the password", "平板X")
    assert caught.value.code == "auth.bad_credentials"
    assert caught.value.message("zh") == "用户名或密码错误"
    enrolment = enrol(station.transport, code, PASSWORD, "平板X")
    assert enrolment.device_id and enrolment.token.startswith("bfd_")
    assert enrolment.user["username"].startswith("worker")
    with pytest.raises(SyncError) as again:
        enrol(station.transport, code, PASSWORD, "平板Y")
    assert again.value.code == "enrol.code_used"


def test_first_sync_pulls_the_village_and_the_forms(fleet, station):
    tablet = fleet.tablet("a")
    report = tablet.sync()

    households = station.entities(EntityKind.HOUSEHOLD, villages=(station.village,))
    members = station.entities(EntityKind.MEMBER)
    assert view(tablet.store, EntityKind.HOUSEHOLD) == households
    assert households and not set(view(tablet.store, EntityKind.HOUSEHOLD)) & set(
        station.entities(EntityKind.HOUSEHOLD, villages=(station.other_village,))
    )
    mine = {member_id: state for member_id, state in members.items() if state["household_id"] in households}
    assert view(tablet.store, EntityKind.MEMBER) == mine
    assert {key for key, _ in tablet.store.list_forms()} == {form.id for form in station.forms}
    assert tablet.store.form("household_visit")["id"] == "household_visit"

    assert not report.interrupted and report.pushed == 0
    assert report.pulled >= len(households) + len(mine)
    assert report.checkpoint == tablet.store.checkpoint() and report.checkpoint > 0
    assert report.last_success_ms == report.started_ms
    assert last_report(tablet.store) == report
    assert "同步完成" in report.summary("zh")


def test_an_offline_edit_is_pushed_acknowledged_and_the_checkpoint_advances(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    before = tablet.store.checkpoint()
    household_id = sorted(view(tablet.store, EntityKind.HOUSEHOLD))[0]
    mutation = tablet.store.edit(EntityKind.HOUSEHOLD, household_id, {"address": "潭头村三组 12 号"})

    report = tablet.sync()

    assert [(r.device_seq, r.outcome, r.duplicate) for r in report.results] == [(mutation.device_seq, "applied", False)]
    assert tablet.store.pending_mutations() == []
    assert tablet.store.checkpoint() > before
    assert station.entities(EntityKind.HOUSEHOLD)[household_id]["address"] == "潭头村三组 12 号"
    assert not tablet.store.get(EntityKind.HOUSEHOLD, household_id).pending
    assert [r.device_seq for r in last_results(tablet.store)] == [mutation.device_seq]
    assert report.counts["applied"] == 1


def test_two_tablets_editing_different_fields_both_win(fleet, station):
    first, second = fleet.tablet("a"), fleet.tablet("b")
    first.sync()
    second.sync()
    household_id = sorted(view(first.store, EntityKind.HOUSEHOLD))[0]
    first.store.edit(EntityKind.HOUSEHOLD, household_id, {"address": "潭头村一组"})
    second.store.edit(EntityKind.HOUSEHOLD, household_id, {"phone": "13912345678", "electricity": True})

    assert first.sync().results[0].outcome == "applied"
    assert second.sync().results[0].outcome in ("applied", "merged")
    first.sync()

    for tablet in (first, second):
        record = tablet.store.get(EntityKind.HOUSEHOLD, household_id).record
        assert (record.address, record.phone, record.electricity) == ("潭头村一组", "13912345678", True)
    assert view(first.store, EntityKind.HOUSEHOLD) == view(second.store, EntityKind.HOUSEHOLD)
    assert view(first.store, EntityKind.HOUSEHOLD) == station.entities(EntityKind.HOUSEHOLD, villages=(station.village,))


def test_an_identity_field_changed_on_two_tablets_is_a_conflict_with_a_chinese_reason(fleet, station):
    first, second = fleet.tablet("a"), fleet.tablet("b")
    first.sync()
    second.sync()
    household_id = sorted(view(first.store, EntityKind.HOUSEHOLD))[0]
    first.store.edit(EntityKind.HOUSEHOLD, household_id, {"head_name": "王建国"})
    second.store.edit(EntityKind.HOUSEHOLD, household_id, {"head_name": "王建华"})
    first.sync()

    report = second.sync()

    [result] = report.results
    assert result.outcome == "conflict"
    assert result.conflict_ids
    assert result.reason_zh and any("\u4e00" <= char <= "\u9fff" for char in result.reason_zh)
    assert result.reason_en
    assert report.counts["conflict"] == 1 and report.needing_attention == [result]
    assert "有冲突" in report.summary("zh")
    # Kept for the app to list after a restart; the record is marked disputed on the tablet.
    assert last_results(second.store)[-1] == result
    assert second.store.pending_mutations() == []  # the server holds it: acknowledged
    first.sync()
    shown = {t.store.get(EntityKind.HOUSEHOLD, household_id).record.head_name for t in (first, second)}
    assert len(shown) == 1 and shown <= {"王建国", "王建华"}
    disputed = second.store.setting(DISPUTED_SETTING, {})
    assert f"household/{household_id}" in disputed, disputed


def test_a_deleted_member_leaves_every_tablet(fleet, station):
    first, second = fleet.tablet("a"), fleet.tablet("b")
    first.sync()
    second.sync()
    member_id = not_a_head(first.store)
    first.store.delete(EntityKind.MEMBER, member_id)
    assert first.sync().results[0].outcome == "applied"
    report = second.sync()

    assert member_id not in view(second.store, EntityKind.MEMBER)
    assert report.removed >= 1
    assert member_id not in station.entities(EntityKind.MEMBER)
    assert view(first.store, EntityKind.MEMBER) == view(second.store, EntityKind.MEMBER)


def test_a_member_moved_to_another_village_is_gone_from_the_first_villages_tablets(fleet, station):
    local = fleet.tablet("a")
    both = fleet.tablet("b", villages=(station.village, station.other_village))
    local.sync()
    both.sync()
    member_id = not_a_head(local.store)
    elsewhere = sorted(station.entities(EntityKind.HOUSEHOLD, villages=(station.other_village,)))[0]
    both.store.edit(EntityKind.MEMBER, member_id, {"household_id": elsewhere, "relation": "other"})
    assert both.sync().results[0].outcome == "applied"

    local.sync()

    assert member_id not in view(local.store, EntityKind.MEMBER)
    assert view(both.store, EntityKind.MEMBER)[member_id]["household_id"] == elsewhere


def test_a_visit_made_offline_reaches_the_server_once(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    household = next(iter(view(tablet.store, EntityKind.HOUSEHOLD).values()))
    visit = new_visit(household, tablet.enrolment.user["id"])
    tablet.store.create(visit)

    report = tablet.sync()

    assert report.results[0].outcome == "applied"
    assert visit.id in station.entities(EntityKind.VISIT)
    assert visit.id in view(tablet.store, EntityKind.VISIT)


def test_progress_reports_items_and_bytes_for_every_phase(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    household = next(iter(view(tablet.store, EntityKind.HOUSEHOLD).values()))
    sha = tablet.store.put_photo(b"\xff\xd8" + bytes(range(256)) * 40)
    tablet.store.create(new_visit(household, tablet.enrolment.user["id"], photos=(sha,)))
    tablet.store.edit(EntityKind.HOUSEHOLD, household["id"], {"address": "新地址"})
    tablet.progress_events.clear()

    report = tablet.sync()

    events = tablet.progress_events
    assert {event[0] for event in events} <= set(PHASES)
    photos = [event for event in events if event[0] == "photos"]
    assert photos[0] == ("photos", 0, 1, 0, 10242)
    assert photos[-1] == ("photos", 1, 1, 10242, 10242)
    push = [event for event in events if event[0] == "push"]
    assert push[0][1:3] == (0, 2) and push[-1][1:3] == (2, 2) and push[-1][3] > 0
    pull = [event for event in events if event[0] == "pull"]
    assert pull and pull[-1][2] is None and pull[-1][3] > 0
    assert report.photos_uploaded == 1 and report.photo_bytes == 10242
    assert report.bytes_sent >= 10242 and report.bytes_received > 0


def test_a_revoked_tablet_is_told_to_wipe(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    tablet.store.edit(EntityKind.HOUSEHOLD, sorted(view(tablet.store, EntityKind.HOUSEHOLD))[0], {"address": "x"})
    station.revoke(tablet.device_id)

    with pytest.raises(DeviceRevoked) as caught:
        tablet.sync()

    error = caught.value
    assert error.code == "auth.device_revoked" and error.wipe and error.status == 403
    assert error.report is not None and error.report.interrupted
    assert error.report.error_code == "auth.device_revoked"
    assert len(tablet.store.pending_mutations()) == 1  # nothing pretended sent
    assert last_report(tablet.store).interrupted


def test_results_of_an_interrupted_sync_stay_listed_until_a_sync_completes(fleet, station):
    tablet = fleet.tablet("a")
    tablet.sync()
    ids = sorted(view(tablet.store, EntityKind.HOUSEHOLD))
    tablet.store.edit(EntityKind.HOUSEHOLD, ids[0], {"address": "一"})
    tablet.store.edit(EntityKind.HOUSEHOLD, ids[1], {"address": "二"})
    tablet.network.fail("drop", method="GET", path="/api/v1/sync/pull")
    with pytest.raises(SyncError):
        tablet.sync(push_batch=1)
    assert len(tablet.store.setting(RESULTS_SETTING)) == 2
    tablet.store.edit(EntityKind.HOUSEHOLD, ids[2], {"address": "三"})
    tablet.sync()
    assert len(last_results(tablet.store)) == 3
    tablet.store.edit(EntityKind.HOUSEHOLD, ids[3], {"address": "四"})
    tablet.sync()
    assert len(last_results(tablet.store)) == 1


def test_a_change_saved_during_the_pull_holds_the_checkpoint_and_goes_up_in_another_round(fleet, station):
    tablet = fleet.tablet("a")
    household_id = sorted(station.entities(EntityKind.HOUSEHOLD, villages=(station.village,)))[0]
    saved = []

    def worker_saves_during_the_pull(phase, *_):
        if phase == "pull" and not saved and household_id in view(tablet.store, EntityKind.HOUSEHOLD):
            saved.append(tablet.store.edit(EntityKind.HOUSEHOLD, household_id, {"address": "同步时录入"}))

    report = tablet.client(progress=worker_saves_during_the_pull, pull_limit=4).sync()

    assert saved and [result.device_seq for result in report.results] == [saved[0].device_seq]
    assert tablet.store.pending_mutations() == []
    pulls = [entry.params["after"] for entry in tablet.network.sent("GET", "/api/v1/sync/pull")]
    # Round two pulls again from the checkpoint stored before the edit (the held pages).
    again = next(index for index in range(1, len(pulls)) if pulls[index] < pulls[index - 1])
    assert pulls[again] in pulls[:again] and pulls[again] > 0
    assert view(tablet.store, EntityKind.HOUSEHOLD) == station.entities(EntityKind.HOUSEHOLD, villages=(station.village,))
    assert tablet.store.checkpoint() == station.db.conn.execute("SELECT max(seq) FROM changes").fetchone()[0]
    assert not report.checkpoint_held
