"""Damage and tampering: a flipped bit, a blob copied onto another row, an older blob put back,
another key, another device. Each is detected and named; the rest of the store still opens."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest

from field_app.core.errors import StoreError
from field_app.core.models import Household, Visit, parse_record
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.store import DATABASE_FILE, EncryptedStore

TODAY = date(2026, 5, 20)
NOW_MS = int(datetime(2026, 5, 20, 9, 0, tzinfo=UTC).timestamp() * 1000)
VILLAGE = "360731108201"


@pytest.fixture
def key() -> DataKey:
    return DataKey.generate()


@pytest.fixture
def opener(tmp_path, key):
    def open_store(with_key: DataKey | None = None, device_id: str = "dev-1") -> EncryptedStore:
        return EncryptedStore.open(
            tmp_path / "store",
            with_key or key,
            device_id=device_id,
            clock=ManualClock(NOW_MS),
            sequence_folder=tmp_path / "seq",
        )

    return open_store


@contextmanager
def raw_database(tmp_path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(tmp_path / "store" / DATABASE_FILE, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def flip_bit(blob: bytes, position: int = -20) -> bytes:
    changed = bytearray(blob)
    changed[position] ^= 0x01
    return bytes(changed)


def household(number: int, name: str) -> Household:
    return parse_record(
        Household,
        {
            "number": f"360731108201{number:04d}",
            "village_code": VILLAGE,
            "head_name": name,
            "category": "ordinary",
            "status": "not_exited",
            "identified_year": 2015,
            "main_cause": "illness",
        },
        today=TODAY,
    )


def visit(household_id: str) -> Visit:
    return parse_record(
        Visit,
        {
            "household_id": household_id,
            "village_code": VILLAGE,
            "form_id": "household_visit",
            "form_version": 1,
            "visitor_id": "u1",
            "visitor_role": "helper_cadre",
            "started_at": "2026-05-19T08:30:00+08:00",
            "ended_at": "2026-05-19T09:00:00+08:00",
        },
        today=TODAY,
    )


@pytest.fixture
def village(opener):
    """Three households pulled from the server, one visit each; the store is closed after."""
    homes = [household(1, "张三"), household(2, "李四"), household(3, "王五")]
    visits = [visit(home.id) for home in homes]
    with opener() as store:
        store.load_server_records([(record, 1) for record in (*homes, *visits)])
    return homes, visits


def assert_tampered(error: StoreError, record: str) -> None:
    assert error.code == "store.tampered"
    assert error.params["record"] == record
    assert record in error.message("zh") and "篡改" in error.message("zh")


def test_a_flipped_bit_is_reported_for_that_household_only(tmp_path, opener, village):
    homes, _ = village
    damaged = homes[1]
    with raw_database(tmp_path) as conn:
        (blob,) = conn.execute("SELECT base_blob FROM records WHERE id = ?", (damaged.id,)).fetchone()
        conn.execute("UPDATE records SET base_blob = ? WHERE id = ?", (flip_bit(blob), damaged.id))

    with opener() as store:
        with pytest.raises(StoreError) as caught:
            store.get("household", damaged.id)
        assert_tampered(caught.value, f"household/{damaged.id}")
        assert store.get("household", homes[0].id).record == homes[0]
        assert [entry.record.id for entry in store.list("household")] == [homes[0].id, homes[2].id]
        assert [error.params["record"] for error in store.damaged()] == [f"household/{damaged.id}"]
        assert [hit.household.head_name for hit in store.search("王五")] == ["王五"]


def test_a_flipped_bit_in_a_visit_is_skipped_by_list_and_reported(tmp_path, opener, village):
    homes, visits = village
    with raw_database(tmp_path) as conn:
        (blob,) = conn.execute("SELECT base_blob FROM records WHERE id = ?", (visits[0].id,)).fetchone()
        conn.execute("UPDATE records SET base_blob = ? WHERE id = ?", (flip_bit(blob, 30), visits[0].id))

    with opener() as store:
        assert store.damaged() == []  # visits are opened when read, not at unlock
        assert [entry.record.id for entry in store.list("visit")] == [visits[1].id, visits[2].id]
        assert [error.params["record"] for error in store.damaged()] == [f"visit/{visits[0].id}"]
        with pytest.raises(StoreError) as caught:
            store.get("visit", visits[0].id)
        assert_tampered(caught.value, f"visit/{visits[0].id}")
        assert store.get("visit", visits[1].id).record == visits[1]


def test_a_blob_copied_onto_another_row_does_not_open(tmp_path, opener, village):
    homes, _ = village
    with raw_database(tmp_path) as conn:
        (blob,) = conn.execute("SELECT base_blob FROM records WHERE id = ?", (homes[0].id,)).fetchone()
        conn.execute("UPDATE records SET base_blob = ? WHERE id = ?", (blob, homes[1].id))

    with opener() as store:
        assert store.get("household", homes[0].id).record.head_name == "张三"
        with pytest.raises(StoreError) as caught:
            store.get("household", homes[1].id)
        assert_tampered(caught.value, f"household/{homes[1].id}")


def test_a_base_blob_moved_into_the_view_slot_does_not_open(tmp_path, opener, village):
    homes, _ = village
    with raw_database(tmp_path) as conn:
        conn.execute(
            "UPDATE records SET view_blob = base_blob, view_rev = base_version WHERE id = ?", (homes[0].id,)
        )
    with opener() as store:
        with pytest.raises(StoreError):
            store.get("household", homes[0].id)


def test_an_older_local_version_put_back_does_not_open(tmp_path, opener, village):
    homes, _ = village
    with opener() as store:
        store.edit("household", homes[0].id, {"head_name": "张三丰"})
    with raw_database(tmp_path) as conn:
        (older,) = conn.execute("SELECT view_blob FROM records WHERE id = ?", (homes[0].id,)).fetchone()
    with opener() as store:
        store.edit("household", homes[0].id, {"head_name": "张三"})
    with raw_database(tmp_path) as conn:
        conn.execute("UPDATE records SET view_blob = ? WHERE id = ?", (older, homes[0].id))

    with opener() as store:
        with pytest.raises(StoreError) as caught:
            store.get("household", homes[0].id)
        assert_tampered(caught.value, f"household/{homes[0].id}")


def test_an_older_server_version_put_back_does_not_open(tmp_path, opener, village):
    homes, _ = village
    with raw_database(tmp_path) as conn:
        (version_1,) = conn.execute("SELECT base_blob FROM records WHERE id = ?", (homes[2].id,)).fetchone()
    with opener() as store:
        store.load_server_records([(homes[2].model_copy(update={"head_name": "王五福"}), 2)])
    with raw_database(tmp_path) as conn:
        conn.execute("UPDATE records SET base_blob = ? WHERE id = ?", (version_1, homes[2].id))

    with opener() as store:
        with pytest.raises(StoreError):
            store.get("household", homes[2].id)


def test_damaged_drafts_photos_documents_and_mutations_are_named(tmp_path, opener, village):
    homes, _ = village
    with opener() as store:
        store.save_draft("d1", {}, {"q": "甲"})
        store.save_draft("d2", {}, {"q": "乙"})
        sha = store.put_photo(b"photo bytes")
        store.set_setting("language", "zh")
        store.edit("household", homes[0].id, {"head_name": "张三丰"})
    with raw_database(tmp_path) as conn:
        for table, column, key_column, key in (
            ("drafts", "blob", "id", "d1"),
            ("photos", "content_blob", "1", 1),
            ("documents", "blob", "1", 1),
            ("outbox", "blob", "device_seq", 1),
        ):
            (blob,) = conn.execute(f"SELECT {column} FROM {table} WHERE {key_column} = ?", (key,)).fetchone()
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key_column} = ?", (flip_bit(blob), key))

    with opener() as store:
        with pytest.raises(StoreError) as draft_error:
            store.load_draft("d1")
        assert_tampered(draft_error.value, "draft/d1")
        assert [draft.id for draft in store.list_drafts()] == ["d2"]
        assert "draft/d1" in [error.params["record"] for error in store.damaged()]
        with pytest.raises(StoreError) as photo_error:
            store.get_photo(sha)
        assert photo_error.value.params["record"].startswith("photo/")
        with pytest.raises(StoreError):
            store.setting("language")
        # a damaged mutation is never skipped: that would drop a worker's change silently
        with pytest.raises(StoreError) as mutation_error:
            store.pending_mutations()
        assert_tampered(mutation_error.value, "outbox/1")


def test_an_older_draft_put_back_does_not_open(tmp_path, opener):
    with opener() as store:
        store.save_draft("d1", {}, {"q": "first"})
    with raw_database(tmp_path) as conn:
        (older,) = conn.execute("SELECT blob FROM drafts").fetchone()
    with opener() as store:
        store.save_draft("d1", {}, {"q": "second"})
    with raw_database(tmp_path) as conn:
        conn.execute("UPDATE drafts SET blob = ?", (older,))
    with opener() as store, pytest.raises(StoreError):
        store.load_draft("d1")


def test_another_key_is_refused(opener, village):
    with pytest.raises(StoreError) as caught:
        opener(DataKey.generate())
    assert caught.value.code == "store.wrong_key"
    assert "密钥" in caught.value.message("zh")
    assert "key" in caught.value.message("en")


def test_another_devices_store_is_refused(opener, village):
    with pytest.raises(StoreError) as caught:
        opener(device_id="dev-2")
    assert caught.value.code == "store.other_device"


def test_editing_the_device_id_does_not_get_past_the_canary(tmp_path, opener, village):
    with raw_database(tmp_path) as conn:
        conn.execute("UPDATE meta SET value = 'dev-2' WHERE name = 'device_id'")
    with pytest.raises(StoreError) as caught:
        opener(device_id="dev-2")
    assert caught.value.code == "store.wrong_key"


def test_a_moved_clear_parent_id_does_not_move_a_record(tmp_path, opener, village):
    homes, visits = village
    with raw_database(tmp_path) as conn:
        conn.execute("UPDATE records SET parent_id = ? WHERE id = ?", (homes[1].id, visits[0].id))
    with opener() as store:
        assert [entry.record.id for entry in store.list("visit", household_id=homes[1].id)] == [visits[1].id]
