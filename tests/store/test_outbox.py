"""The outbox: mutations with the base values the user saw, device sequence numbers that are
never reused (reopen, restore from backup, two users on one device), a clock that never goes
back, and the local view rebuilt on top of a pulled server state."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime

import pytest

from field_app.core.errors import StoreError
from field_app.core.models import Household, Member, parse_record
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.mutation import (
    FieldChange,
    Mutation,
    MutationOp,
    apply_fields,
    creation_fields,
    diff_fields,
)
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.store import EncryptedStore

TODAY = date(2026, 5, 20)
NOW_MS = int(datetime(2026, 5, 20, 9, 0, tzinfo=UTC).timestamp() * 1000)
VILLAGE = "360731108201"


@pytest.fixture
def key() -> DataKey:
    return DataKey.generate()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW_MS)


@pytest.fixture
def opener(tmp_path, key, clock):
    def open_store(
        folder: str = "store", sequence_folder: str = "seq", device_id: str = "dev-1"
    ) -> EncryptedStore:
        return EncryptedStore.open(
            tmp_path / folder,
            key,
            device_id=device_id,
            clock=clock,
            sequence_folder=tmp_path / sequence_folder,
            sequence_block=8,
        )

    return open_store


def household(**changes) -> Household:
    data = {
        "number": "3607311082010001",
        "village_code": VILLAGE,
        "head_name": "王大明",
        "category": "ordinary",
        "status": "not_exited",
        "identified_year": 2015,
        "main_cause": "illness",
        "phone": "13800138000",
    }
    return parse_record(Household, {**data, **changes}, today=TODAY)


def member(household_id: str) -> Member:
    return parse_record(
        Member,
        {
            "household_id": household_id,
            "name": "王小明",
            "sex": "male",
            "birth_date": "1991-01-01",
            "relation": "son",
        },
        today=TODAY,
    )


def make_mutations(store: EncryptedStore, count: int) -> list[int]:
    return [store.create(household(number=f"N{index}")).device_seq for index in range(count)]


# -- the wire model -------------------------------------------------------------------------


def test_a_mutation_round_trips_as_json():
    mutation = Mutation(
        device_id="dev-1",
        device_seq=7,
        entity="household",
        entity_id="h1",
        op="update",
        fields={"phone": {"value": "13900139000", "base": "13800138000"}},
        checkpoint=41,
        hlc=str(HlcTimestamp(NOW_MS, 0, "dev-1")),
        wall_time=NOW_MS,
        monotonic_ns=5,
        boot_id="b",
    )
    assert Mutation.model_validate_json(mutation.model_dump_json()) == mutation
    assert json.loads(mutation.model_dump_json())["fields"] == {
        "phone": {"value": "13900139000", "base": "13800138000"}
    }
    assert mutation.key == ("dev-1", 7)


def test_a_mutation_with_a_malformed_clock_is_refused():
    with pytest.raises(ValueError):
        Mutation(
            device_id="d",
            device_seq=1,
            entity="visit",
            entity_id="v",
            op="append",
            hlc="yesterday",
            wall_time=0,
            monotonic_ns=0,
            boot_id="b",
        )


@pytest.mark.parametrize(
    ("seen", "changed", "expected"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "b": 3}, {"b": FieldChange(value=3, base=2)}),
        ({"a": 1}, {"a": 1}, {}),
        ({"h": {"x": 1}}, {"h": {"x": 2}}, {"h": FieldChange(value={"x": 2}, base={"x": 1})}),
        ({}, {"a": None}, {}),
    ],
)
def test_diff_fields(seen, changed, expected):
    assert diff_fields(seen, changed) == expected


def test_apply_and_creation_fields():
    assert apply_fields({"a": 1, "b": 2}, {"b": FieldChange(value=5, base=2)}) == {"a": 1, "b": 5}
    assert creation_fields({"a": 1}) == {"a": FieldChange(value=1, base=None)}


# -- base values ----------------------------------------------------------------------------


def test_an_edit_carries_the_values_the_view_showed(opener):
    with opener() as store:
        home = household()
        created = store.create(home)
        assert created.op == MutationOp.CREATE
        assert created.fields["head_name"] == FieldChange(value="王大明", base=None)

        first = store.edit("household", home.id, {"phone": "139 0013 9000"})
        assert first.op == MutationOp.UPDATE
        assert first.fields == {"phone": FieldChange(value="13900139000", base="13800138000")}

        second = store.edit("household", home.id, {"phone": "13700137000", "head_name": "王大名"})
        assert second.fields == {
            "phone": FieldChange(value="13700137000", base="13900139000"),
            "head_name": FieldChange(value="王大名", base="王大明"),
        }
        assert store.edit("household", home.id, {"phone": "13700137000"}) is None  # no change, no mutation

        deleted = store.delete("household", home.id)
        assert (deleted.op, deleted.fields) == (MutationOp.DELETE, {})
        assert [m.device_seq for m in store.pending_mutations()] == [1, 2, 3, 4]


def test_a_mutation_carries_the_checkpoint_and_the_clock_readings(opener, clock):
    with opener() as store:
        store.set_checkpoint(41)
        clock.advance(1500)
        mutation = store.create(household())
    assert mutation.checkpoint == 41
    assert mutation.wall_time == NOW_MS + 1500
    assert mutation.monotonic_ns == 1500 * 1_000_000
    assert mutation.boot_id == "boot-1"
    assert mutation.device_id == "dev-1"


# -- device sequence numbers ----------------------------------------------------------------


def test_sequence_numbers_are_contiguous_within_a_session_and_increase_across_reopen(opener):
    with opener() as store:
        first = make_mutations(store, 20)  # more than one block of 8
    with opener() as store:
        second = make_mutations(store, 3)
    assert first == list(range(1, 21))
    assert second[0] > first[-1]
    assert second == list(range(second[0], second[0] + 3))


def test_the_sidecar_is_ahead_of_every_number_handed_out(tmp_path, opener):
    with opener() as store:
        seqs = make_mutations(store, 10)
        sidecar = next((tmp_path / "seq").glob("device-seq-*.json"))
        assert json.loads(sidecar.read_text())["reserved_below"] > seqs[-1]


def test_a_store_restored_from_an_old_backup_never_reuses_a_number(tmp_path, opener):
    with opener() as store:
        before_backup = make_mutations(store, 5)
    shutil.copytree(tmp_path / "store", tmp_path / "backup")
    with opener() as store:
        after_backup = make_mutations(store, 12)
    shutil.rmtree(tmp_path / "store")
    shutil.copytree(tmp_path / "backup", tmp_path / "store")  # the tablet is restored

    with opener() as store:
        assert [m.device_seq for m in store.pending_mutations()] == before_backup
        after_restore = make_mutations(store, 3)
    assert min(after_restore) > max(before_backup + after_backup)


def test_without_the_sidecar_a_restored_store_would_reuse_numbers(tmp_path, opener):
    """Why the sidecar exists: the database alone cannot know what it gave after the backup."""
    with opener() as store:
        make_mutations(store, 5)
    shutil.copytree(tmp_path / "store", tmp_path / "backup")
    with opener() as store:
        after_backup = make_mutations(store, 5)
    with opener("backup", sequence_folder="empty-seq") as store:
        assert set(make_mutations(store, 10)) & set(after_backup)


def test_two_users_on_one_device_never_share_a_number(opener):
    with opener("user-a") as first, opener("user-b") as second:
        numbers = []
        for _ in range(30):
            numbers += make_mutations(first, 1) + make_mutations(second, 1)
    assert len(set(numbers)) == len(numbers)


def test_the_sidecar_may_not_live_inside_the_store_folder(tmp_path, key, clock):
    with pytest.raises(ValueError, match="outside the store folder"):
        EncryptedStore.open(
            tmp_path / "store", key, device_id="dev-1", clock=clock, sequence_folder=tmp_path / "store" / "seq"
        )


def test_an_unreadable_sidecar_stops_saving_rather_than_risk_a_reused_number(tmp_path, opener):
    with opener() as store:
        make_mutations(store, 1)
    next((tmp_path / "seq").glob("device-seq-*.json")).write_text("{garbled")
    with pytest.raises(StoreError) as caught:
        opener()
    assert caught.value.code == "store.sequence_unreadable"


# -- the hybrid logical clock ---------------------------------------------------------------


def test_the_clock_of_mutations_never_goes_back(opener, clock):
    stamps = []
    with opener() as store:
        for step in (10, 0, 0, -86_400_000, 5, -3_600_000):  # same millisecond; clock set back a day
            clock.advance(step)
            stamps.append(store.create(household(number=f"N{len(stamps)}")).timestamp)
    clock.advance(-86_400_000 * 30)
    with opener() as store:
        stamps.append(store.create(household(number="after-reopen")).timestamp)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_observing_the_server_clock_orders_later_changes_after_it(opener):
    remote = HlcTimestamp(NOW_MS + 3_600_000, 4, "server")
    with opener() as store:
        store.observe_remote_clock(str(remote))
        assert store.create(household()).timestamp > remote


# -- pending changes and pulls --------------------------------------------------------------


def test_acknowledged_mutations_are_no_longer_pending(opener):
    with opener() as store:
        home = household()
        store.create(home)
        store.create(member(home.id))
        store.acknowledge([1])
        assert store.get("household", home.id).pending is False
        assert [m.device_seq for m in store.pending_mutations()] == [2]
    with opener() as store:
        assert store.get("household", home.id).pending is False
        assert store.list("member")[0].pending is True


def test_a_pull_replaces_the_base_and_reapplies_pending_changes(opener):
    home = household()
    with opener() as store:
        store.load_server_records([(home, 1)])
        assert store.get("household", home.id) == (home, False)
        store.edit("household", home.id, {"phone": "13900139000"})

        # the server changed another field meanwhile: the pull shows both
        server_v2 = home.model_copy(update={"address": "梓山镇潭头村2组1号"})
        store.load_server_records([(server_v2, 2)])
        view, pending = store.get("household", home.id)
        assert (view.phone, view.address, pending) == ("13900139000", "梓山镇潭头村2组1号", True)

        # once the server has the edit and it is pulled back, the view is the base again
        store.acknowledge(m.device_seq for m in store.pending_mutations())
        server_v3 = server_v2.model_copy(update={"phone": "13900139000"})
        store.load_server_records([(server_v3, 3)])
        assert store.get("household", home.id) == (server_v3, False)
        row = store._conn.execute(
            "SELECT view_blob, base_version FROM records WHERE id = ?", (home.id,)
        ).fetchone()
        assert row == (None, 3)


def test_a_pending_delete_survives_a_pull(opener):
    home = household()
    with opener() as store:
        store.load_server_records([(home, 1)])
        store.delete("household", home.id)
        store.load_server_records([(home.model_copy(update={"address": "新地址"}), 2)])
        with pytest.raises(StoreError):
            store.get("household", home.id)
