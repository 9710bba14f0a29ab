"""Schema migrations: a database made by the previous version opens with the current code,
data intact and version bumped; a newer database or a foreign file is refused."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from field_app.core.errors import StoreError
from field_app.core.models import Household, Member, parse_record
from field_app.store import migrations
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.store import DATABASE_FILE, EncryptedStore

TODAY = date(2026, 5, 20)
NOW_MS = int(datetime(2026, 5, 20, 9, 0, tzinfo=UTC).timestamp() * 1000)


@pytest.fixture
def key() -> DataKey:
    return DataKey.generate()


@pytest.fixture
def opener(tmp_path, key):
    def open_store() -> EncryptedStore:
        return EncryptedStore.open(
            tmp_path / "store",
            key,
            device_id="dev-1",
            clock=ManualClock(NOW_MS),
            sequence_folder=tmp_path / "seq",
        )

    return open_store


def schema_of(path) -> tuple[int, set[str]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()
    return version, {name for name in indexes if not name.startswith("sqlite_autoindex")}


def test_the_migrations_are_numbered_one_by_one():
    assert [step.version for step in migrations.MIGRATIONS] == list(range(1, len(migrations.MIGRATIONS) + 1))


def test_a_database_made_by_the_previous_version_opens_with_its_data(tmp_path, opener, monkeypatch):
    # The previous release: the same code with migration 1 only.
    with monkeypatch.context() as previous_release:
        previous_release.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        with opener() as store:
            home = parse_record(
                Household,
                {
                    "number": "3607311082010001",
                    "village_code": "360731108201",
                    "head_name": "邱海水",
                    "category": "ordinary",
                    "status": "not_exited",
                    "identified_year": 2015,
                    "main_cause": "illness",
                },
                today=TODAY,
            )
            person = parse_record(
                Member,
                {
                    "household_id": home.id,
                    "name": "邱海水",
                    "sex": "male",
                    "birth_date": "1970-01-01",
                    "relation": "head",
                },
                today=TODAY,
            )
            store.create(home)
            store.create(person)
            store.save_draft("d1", {"household_id": home.id}, {"q1": "是"})
            sha = store.put_photo(b"a photo")
            store.save_form("household_visit", 1, {"title": "遍访表"})
    assert schema_of(tmp_path / "store" / DATABASE_FILE) == (1, set())

    with opener() as store:
        assert store.get("household", home.id) == (home, True)
        assert [entry.record for entry in store.list("member", household_id=home.id)] == [person]
        assert store.load_draft("d1").answers == {"q1": "是"}
        assert store.get_photo(sha) == b"a photo"
        assert store.form("household_visit") == {"title": "遍访表"}
        assert [m.device_seq for m in store.pending_mutations()] == [1, 2]
        assert [hit.member for hit in store.search("qhs")] == [person]
        assert store.edit("household", home.id, {"phone": "13800138000"}).device_seq > 2

    version, indexes = schema_of(tmp_path / "store" / DATABASE_FILE)
    assert version == migrations.MIGRATIONS[-1].version == 2
    assert {"records_by_parent", "records_by_village", "outbox_pending_by_entity"} <= indexes


def test_a_database_from_a_newer_app_is_refused(tmp_path, opener):
    opener().close()
    conn = sqlite3.connect(tmp_path / "store" / DATABASE_FILE)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError) as caught:
        opener()
    assert caught.value.code == "store.newer_schema"
    assert caught.value.params == {"found": 99, "supported": 2}
    assert "升级" in caught.value.message("zh")


def test_a_file_that_is_not_a_database_is_refused(tmp_path, opener):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / DATABASE_FILE).write_bytes(b"certainly not SQLite " * 100)
    with pytest.raises(StoreError) as caught:
        opener()
    assert caught.value.code == "store.not_a_store"


def test_another_applications_database_is_left_alone(tmp_path, opener):
    (tmp_path / "store").mkdir()
    conn = sqlite3.connect(tmp_path / "store" / DATABASE_FILE)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as caught:
        opener()
    assert caught.value.code == "store.not_a_store"
