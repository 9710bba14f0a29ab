"""The store's everyday API on real files: records and their local view, filters, drafts,
photos, form definitions, settings, batches, closing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from field_app.core.demo import generate_county
from field_app.core.errors import StoreError, ValidationError
from field_app.core.i18n import MESSAGES
from field_app.core.models import Household, Member, Visit, parse_record
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.store import DATABASE_FILE, EncryptedStore

TODAY = date(2026, 5, 20)
NOW_MS = int(datetime(2026, 5, 20, 9, 0, tzinfo=UTC).timestamp() * 1000)
VILLAGE = "360731108201"
OTHER_VILLAGE = "360731108202"


@pytest.fixture
def key() -> DataKey:
    return DataKey.generate()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW_MS)


@pytest.fixture
def store(tmp_path, key, clock):
    with EncryptedStore.open(
        tmp_path / "store", key, device_id="dev-1", clock=clock, sequence_folder=tmp_path / "seq"
    ) as opened:
        yield opened


def household(number: str = "3607311082010001", village: str = VILLAGE, **changes) -> Household:
    data = {
        "number": number,
        "village_code": village,
        "head_name": "王大明",
        "category": "ordinary",
        "status": "not_exited",
        "identified_year": 2015,
        "main_cause": "illness",
        "phone": "13800138000",
    }
    return parse_record(Household, {**data, **changes}, today=TODAY)


def member(household_id: str, name: str = "王小明", **changes) -> Member:
    data = {
        "household_id": household_id,
        "name": name,
        "sex": "male",
        "birth_date": "1991-01-01",
        "relation": "son",
    }
    return parse_record(Member, {**data, **changes}, today=TODAY)


def visit(household_id: str, village: str = VILLAGE) -> Visit:
    return parse_record(
        Visit,
        {
            "household_id": household_id,
            "village_code": village,
            "form_id": "household_visit",
            "form_version": 1,
            "visitor_id": "u1",
            "visitor_role": "helper_cadre",
            "started_at": "2026-05-19T08:30:00+08:00",
            "ended_at": "2026-05-19T09:00:00+08:00",
            "answers": {"food_secure": True, "note": "家中老人身体尚可"},
        },
        today=TODAY,
    )


def test_a_created_record_reads_back_as_pending(store):
    home = household()
    store.create(home)
    record, pending = store.get("household", home.id)
    assert record == home
    assert pending is True


def test_list_filters_on_clear_ids_and_village(store):
    first, second = household(), household("3607311082020001", OTHER_VILLAGE)
    for record in (
        first,
        second,
        member(first.id),
        member(first.id, "王小红", sex="female"),
        member(second.id),
    ):
        store.create(record)
    store.create(visit(first.id))
    store.create(visit(second.id, OTHER_VILLAGE))

    assert {entry.record.name for entry in store.list("member", household_id=first.id)} == {
        "王小明",
        "王小红",
    }
    assert [entry.record.id for entry in store.list("household", village_code=OTHER_VILLAGE)] == [second.id]
    assert [entry.record.household_id for entry in store.list("visit", household_id=first.id)] == [first.id]
    assert [entry.record.household_id for entry in store.list("visit", village_code=OTHER_VILLAGE)] == [
        second.id
    ]
    assert len(store.list("visit")) == 2


def test_filtering_on_a_field_that_is_not_a_clear_id_is_refused(store):
    with pytest.raises(ValueError, match="cannot filter"):
        store.list("member", name="王小明")


def test_edit_validates_before_writing(store):
    home = household()
    store.create(home)
    with pytest.raises(ValidationError):
        store.edit("household", home.id, {"phone": "12345"})
    assert store.get("household", home.id).record.phone == "13800138000"
    assert len(store.pending_mutations()) == 1


def test_delete_leaves_a_tombstone(store):
    home = household()
    store.create(home)
    store.delete("household", home.id)
    with pytest.raises(StoreError) as caught:
        store.get("household", home.id)
    assert caught.value.code == "store.not_found"
    assert store.list("household") == []
    assert store.search("王大明") == []
    with pytest.raises(StoreError) as again:
        store.create(home)
    assert again.value.code == "store.already_exists"


def test_visits_are_append_only(store):
    home = household()
    store.create(home)
    seen = visit(home.id)
    assert store.create(seen).op == "append"
    for attempt in (
        lambda: store.edit("visit", seen.id, {"answers": {}}),
        lambda: store.delete("visit", seen.id),
    ):
        with pytest.raises(StoreError) as caught:
            attempt()
        assert caught.value.code == "store.append_only"
        assert caught.value.message("zh").startswith("走访记录只能追加")


def test_drafts_are_replaced_whole_and_revised(store):
    assert store.save_draft("d1", {"household_id": "h1", "form_id": "f"}, {"q1": "有"}) == 1
    assert store.save_draft("d1", {"household_id": "h1", "form_id": "f"}, {"q1": "有", "q2": 3}) == 2
    draft = store.load_draft("d1")
    assert (draft.rev, draft.answers, draft.meta["form_id"], draft.saved_ms) == (
        2,
        {"q1": "有", "q2": 3},
        "f",
        NOW_MS,
    )
    store.save_draft("d2", {}, {})
    assert [d.id for d in store.list_drafts()] == ["d1", "d2"]
    store.discard_draft("d1")
    assert store.load_draft("d1") is None


def test_submitting_a_visit_discards_its_draft_in_the_same_transaction(store):
    home = household()
    store.create(home)
    store.save_draft("draft-of-visit", {"household_id": home.id}, {"food_secure": True})
    store.create(visit(home.id), discard_draft="draft-of-visit")
    assert store.load_draft("draft-of-visit") is None


def test_photos_are_stored_once_and_tracked_until_uploaded(store):
    content = b"\xff\xd8\xff\xe0 a photo of a house"
    sha = store.put_photo(content)
    assert store.put_photo(content) == sha
    assert store.get_photo(sha) == content
    assert store.has_photo(sha)
    assert store.photos_waiting_for_upload() == [sha]
    store.mark_photo_uploaded(sha)
    assert store.photos_waiting_for_upload() == []
    with pytest.raises(StoreError) as caught:
        store.get_photo("0" * 64)
    assert caught.value.code == "store.photo_not_found"


def test_form_definitions_keep_every_version(store):
    store.save_form("household_visit", 1, {"title": "遍访表"})
    store.save_form("household_visit", 2, {"title": "遍访表（2026）"})
    assert store.form("household_visit") == {"title": "遍访表（2026）"}
    assert store.form("household_visit", 1) == {"title": "遍访表"}
    assert store.form("missing") is None
    assert store.list_forms() == [("household_visit", 1), ("household_visit", 2)]


def test_settings(store):
    assert store.setting("language", "zh") == "zh"
    store.set_setting("language", "en")
    store.set_setting("last_village", VILLAGE)
    assert (store.setting("language"), store.setting("last_village")) == ("en", VILLAGE)


def test_a_batch_is_kept_whole_or_not_at_all(store):
    home = household()
    with pytest.raises(RuntimeError), store.batch():
        store.create(home)
        store.create(member(home.id))
        raise RuntimeError("power cut in the middle of an import")
    assert store.list("household") == [] and store.list("member") == []
    assert store.pending_mutations() == []
    with store.batch():
        store.create(home)
        store.create(member(home.id))
    # the numbers of the rolled-back batch were never handed out, so they are given now
    assert [m.device_seq for m in store.pending_mutations()] == [1, 2]


def test_reopening_keeps_everything(tmp_path, key, clock, store):
    home = household()
    store.create(home)
    store.create(member(home.id))
    store.save_draft("d1", {}, {"q": 1})
    store.close()
    with EncryptedStore.open(
        tmp_path / "store", key, device_id="dev-1", clock=clock, sequence_folder=tmp_path / "seq"
    ) as again:
        assert again.get("household", home.id) == (home, True)
        assert len(again.list("member", household_id=home.id)) == 1
        assert again.load_draft("d1").answers == {"q": 1}


def test_a_closed_store_says_it_is_locked(store):
    store.close()
    with pytest.raises(StoreError) as caught:
        store.list("household")
    assert caught.value.code == "store.closed"
    assert "锁定" in caught.value.message("zh")


def test_the_database_is_in_wal_mode_with_full_sync(store):
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (store.folder / DATABASE_FILE).exists()


def test_clear_columns_are_opaque(store):
    home = household()
    store.create(home)
    store.create(member(home.id, id_number="36073119910101001X"))
    conn = sqlite3.connect(store.folder / DATABASE_FILE)
    try:
        row = conn.execute(
            "SELECT kind, id, parent_id, village_token FROM records WHERE kind = 'household'"
        ).fetchone()
        tokens = [token for (token,) in conn.execute("SELECT token FROM blind_index")]
    finally:
        conn.close()
    assert row[:3] == ("household", home.id, None)
    assert VILLAGE not in row[3] and len(row[3]) == 64
    assert all(len(token) == 64 and "36073119910101001X" not in token for token in tokens)


@pytest.mark.parametrize(
    "code",
    [
        "store.wrong_key",
        "store.other_device",
        "store.not_a_store",
        "store.newer_schema",
        "store.unreadable",
        "store.not_found",
        "store.already_exists",
        "store.append_only",
        "store.sequence_unreadable",
        "store.photo_not_found",
        "store.closed",
    ],
)
def test_every_store_error_speaks_chinese_and_english(code):
    zh, en = MESSAGES[code]
    assert any("\u4e00" <= char <= "\u9fff" for char in zh)
    assert en.isascii()


def test_reading_does_not_judge_records_again_against_todays_date(tmp_path, key, clock, store):
    """A visit saved when the tablet's clock was far ahead must still open when it is right."""
    home = household()
    store.create(home)
    data = visit(home.id).model_dump(mode="json")
    data.update(id="v-ahead", started_at="2090-01-01T08:00:00+08:00", ended_at="2090-01-01T08:30:00+08:00")
    ahead = parse_record(Visit, data, today=date(2090, 1, 2))
    store.create(ahead)
    store.close()
    with EncryptedStore.open(
        tmp_path / "store", key, device_id="dev-1", clock=clock, sequence_folder=tmp_path / "seq"
    ) as again:
        assert again.get("visit", "v-ahead").record == ahead
        assert again.damaged() == []


def test_server_deletion_becomes_a_tombstone_unless_local_changes_wait(tmp_path):
    county = generate_county(3, today=TODAY, villages=1,
                             households_per_village=2, months=0)
    first, second = county.households
    with EncryptedStore.open(tmp_path / "s", DataKey.generate(), device_id="d", clock=ManualClock(1_790_000_000_000),
                             sequence_folder=tmp_path / "seq") as store:
        store.load_server_records([(first, 1), (second, 1)])
        store.edit("household", second.id, {"phone": "13912345678"})
        assert store.drop_server_record("household", first.id, first, 2)
        assert not store.drop_server_record("household", second.id, second, 2)  # pending: the server judges
        assert [entry.record.id for entry in store.list("household")] == [second.id]
        assert not store.drop_server_record("household", "no-such-id", None, 3)
