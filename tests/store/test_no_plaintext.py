"""A lost tablet reveals nothing: after a demo village is loaded, edited, drafted and
photographed, no name (UTF-8 or UTF-16), ID number, phone number, address, GPS coordinate,
answer or plain photo hash is in the raw bytes of the database, its WAL, its SHM, or any other
file of the store's folder or of the sequence folder."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from field_app.core.models import Member, parse_record
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.store import DATABASE_FILE, EncryptedStore

TODAY = date(2026, 5, 20)
NOW_MS = int(datetime(2026, 5, 20, 9, 0, tzinfo=UTC).timestamp() * 1000)
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
# A pattern of 4 bytes (a two-character name in UTF-16) turns up by chance in a few MB of
# ciphertext: ~2^22 positions x ~2^8 such patterns / 2^32 = a false hit one run in four. From
# 6 bytes on (any name in UTF-8, three characters in UTF-16) chance hits are ~2^-18: negligible.
MIN_PATTERN_BYTES = 6
SECRET_ANSWER = "户主说儿子在东莞打工每月寄回两千元"
SECRET_FORM_TEXT = "家庭成员是否患有慢性病"
SECRET_SETTING = "梓山镇潭头村"
PHOTO_MARKER = b"EXIF-MARKER-HOUSE-OF-THE-HEAD"


def demo_village(households: int):
    try:
        from field_app.core.demo import generate_county
    except ImportError:  # the demo package does not re-export it (yet)
        from field_app.core.demo.county import generate_county
    return generate_county(7, today=TODAY, villages=1, households_per_village=households, months=3)


@pytest.fixture(scope="module")
def village():
    return demo_village(40)


def needles_of(village) -> set[str]:
    """Everything personal in the village, as text."""
    found: set[str] = {SECRET_ANSWER, SECRET_FORM_TEXT, SECRET_SETTING, *(v.code for v in village.villages)}
    for home in village.households:
        found |= {home.head_name, home.number, home.phone or "", home.address or ""}
        if home.location:
            found |= {f"{home.location.latitude}", f"{home.location.longitude}"}
    for person in village.members:
        found |= {person.name, person.id_number or ""}
    for seen in village.visits:
        found |= {text for text in seen.answers.values() if isinstance(text, str)}
        found |= {photo.sha256 for photo in seen.photos}
        found |= {photo.caption or "" for photo in seen.photos}
    return {needle for needle in found if len(needle) >= 2}


def scan(folders: list[Path], needles: set[str]) -> list[tuple[str, str, str]]:
    """(file, needle, encoding) of every needle found in every file under ``folders``."""
    patterns = [
        (needle, encoding, raw)
        for needle in needles
        for encoding in ENCODINGS
        if len(raw := needle.encode(encoding)) >= MIN_PATTERN_BYTES
    ]
    hits = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            content = path.read_bytes()
            hits += [(path.name, needle, encoding) for needle, encoding, raw in patterns if raw in content]
    return hits


def test_the_scan_can_find_what_it_looks_for(tmp_path):
    """Guard against a scan that cannot fail."""
    (tmp_path / "leak").write_bytes(b"\x00" + "张三丰".encode("utf-16-le") + b"\x00")
    assert scan([tmp_path], {"张三丰", "李四"}) == [("leak", "张三丰", "utf-16-le")]


def test_no_personal_data_in_any_file_of_the_store(tmp_path, village):
    store_folder, sequence_folder = tmp_path / "store", tmp_path / "seq"
    needles = needles_of(village)
    assert len(needles) > 300
    photo = b"\xff\xd8\xff\xe0" + PHOTO_MARKER + bytes(range(256)) * 20
    photo_hash = hashlib.sha256(photo).hexdigest()

    store = EncryptedStore.open(
        store_folder,
        DataKey.generate(),
        device_id="dev-1",
        clock=ManualClock(NOW_MS),
        sequence_folder=sequence_folder,
    )
    try:
        # the downloaded registry, a form definition, settings
        store.load_server_records(
            [
                (record, 1)
                for record in (
                    *village.households,
                    *village.members,
                    *village.visits,
                    *village.problems,
                    *village.problem_events,
                )
            ]
        )
        store.save_form("household_visit", 1, {"questions": [{"id": "q1", "label": SECRET_FORM_TEXT}]})
        store.set_setting("current_village", SECRET_SETTING)
        # local work: edits (old and new values go to the outbox), a new member, a draft, a photo
        for home in village.households[:10]:
            store.edit(
                "household", home.id, {"address": home.address + "（新址）" if home.address else "新址"}
            )
        newborn = parse_record(
            Member,
            {
                "household_id": village.households[0].id,
                "name": "邱新生",
                "sex": "female",
                "birth_date": "2026-03-01",
                "relation": "grandchild",
            },
            today=TODAY,
        )
        store.create(newborn)
        needles.add(newborn.name)
        store.save_draft("draft-1", {"household_id": village.households[1].id}, {"note": SECRET_ANSWER})
        store.put_photo(photo)
        needles |= {photo_hash, PHOTO_MARKER.decode()}
        for person in village.members[:5]:
            store.search(person.name)

        # while open: the WAL and SHM files hold the latest pages
        open_files = {path.name for path in store_folder.iterdir()}
        assert {DATABASE_FILE, DATABASE_FILE + "-wal", DATABASE_FILE + "-shm"} <= open_files
        assert (store_folder / (DATABASE_FILE + "-wal")).stat().st_size > 0
        assert scan([store_folder, sequence_folder], needles) == []
    finally:
        store.close()
    assert scan([store_folder, sequence_folder], needles) == []
