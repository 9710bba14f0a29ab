"""Search: Chinese names by characters, full pinyin, initials or a mix; household numbers
(exact or part); ID numbers (exact only, through the blind index). Names from the demo county."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pypinyin import lazy_pinyin

from field_app.core.models import Household, Member, parse_record
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.search import (
    INSIDE,
    PREFIX,
    MatchedOn,
    PinyinReadings,
    match_pinyin,
    pinyin_query,
    rank_name,
)
from field_app.store.store import EncryptedStore

TODAY = date(2026, 5, 20)
NOW_MS = int(datetime(2026, 5, 20, 9, 0, tzinfo=UTC).timestamp() * 1000)
EVERYONE = 10_000


def demo_village(households: int):
    try:
        from field_app.core.demo import generate_county
    except ImportError:  # the demo package does not re-export it (yet)
        from field_app.core.demo.county import generate_county
    return generate_county(7, today=TODAY, villages=1, households_per_village=households, months=2)


@pytest.fixture(scope="module")
def village():
    return demo_village(60)


@pytest.fixture
def store(tmp_path, village):
    with EncryptedStore.open(
        tmp_path / "store",
        DataKey.generate(),
        device_id="dev-1",
        clock=ManualClock(NOW_MS),
        sequence_folder=tmp_path / "seq",
    ) as opened:
        opened.load_server_records([(record, 1) for record in (*village.households, *village.members)])
        yield opened


# -- pinyin matching, table-driven ----------------------------------------------------------

NAMES = ["张三", "张山", "李四", "吕小梅", "曾国藩", "欧阳修", "单田芳"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zs", {"张三", "张山"}),
        ("zhangs", {"张三", "张山"}),
        ("zhang san", {"张三"}),
        ("zhangsan", {"张三"}),
        ("ZhangSan", {"张三"}),
        ("zhang'shan", {"张山"}),
        ("ls", {"李四"}),
        ("lxm", {"吕小梅"}),
        ("lvxiaomei", {"吕小梅"}),
        ("luxiaomei", {"吕小梅"}),  # ü typed as u
        ("lüxm", {"吕小梅"}),
        ("zgf", {"曾国藩"}),
        ("cgf", {"曾国藩"}),  # every reading of a polyphonic character
        ("oyx", {"欧阳修"}),
        ("shantf", {"单田芳"}),
        ("xiaomei", {"吕小梅"}),  # partial: the given name alone
        ("张", {"张三", "张山"}),
        ("小梅", {"吕小梅"}),
        ("zx", set()),
        ("q", set()),
    ],
)
def test_names_matched_by_characters_or_pinyin(query, expected):
    readings = PinyinReadings()
    letters = pinyin_query(query)
    assert {name for name in NAMES if rank_name(query, letters, name, readings) is not None} == expected


def test_a_match_from_the_first_syllable_ranks_before_one_inside():
    readings = PinyinReadings()
    assert rank_name("zs", "zs", "张三", readings) == PREFIX
    assert rank_name("san", "san", "张三", readings) == INSIDE
    assert match_pinyin("san", readings.of("张三")[0]) == 1


@pytest.mark.parametrize("query", ["13800138000", "张 3", "3607-31", "", "   "])
def test_what_is_not_pinyin(query):
    assert pinyin_query(query) is None


# -- the store's search over a demo village -------------------------------------------------


def named_members(village) -> list[Member]:
    return [person for person in village.members if len(person.name) >= 2][::9]


def found(store: EncryptedStore, query: str) -> set[tuple[str, str | None]]:
    return {
        (hit.household.id, hit.member.id if hit.member else None)
        for hit in store.search(query, limit=EVERYONE)
    }


def test_demo_names_are_found_by_characters(store, village):
    for person in named_members(village):
        hits = store.search(person.name, limit=EVERYONE)
        assert any(hit.member == person and hit.rank == 0 for hit in hits), person.name


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(lambda syllables: "".join(syllables), id="full pinyin"),
        pytest.param(lambda syllables: " ".join(syllables), id="full pinyin with spaces"),
        pytest.param(lambda syllables: "".join(s[0] for s in syllables), id="initials"),
        pytest.param(
            lambda syllables: syllables[0] + "".join(s[0] for s in syllables[1:]), id="surname + initials"
        ),
        pytest.param(lambda syllables: syllables[0] + syllables[1][:2], id="partial"),
    ],
)
def test_demo_names_are_found_by_pinyin(store, village, spell):
    for person in named_members(village):
        query = spell(lazy_pinyin(person.name))
        assert (person.household_id, person.id) in found(store, query), (person.name, query)


def test_initials_rank_the_names_that_start_with_them_first(store, village):
    person = named_members(village)[0]
    initials = "".join(syllable[0] for syllable in lazy_pinyin(person.name))
    hits = store.search(initials, limit=EVERYONE)
    ranks = [hit.rank for hit in hits]
    assert ranks == sorted(ranks)
    assert any(hit.member == person and hit.rank == PREFIX for hit in hits)


def test_id_numbers_are_found_exactly_and_only_exactly(store, village):
    person = next(p for p in village.members if p.id_number)
    hits = store.search(person.id_number)
    assert [(hit.member, hit.matched_on, hit.rank) for hit in hits] == [(person, MatchedOn.ID_NUMBER, 0)]
    spaced = f"{person.id_number[:6]} {person.id_number[6:14]} {person.id_number[14:].lower()}"
    assert [hit.member for hit in store.search(spaced)] == [person]
    assert [entry.record for entry in store.find_members_by_id_number(person.id_number)] == [person]
    for fragment in (person.id_number[:-1], person.id_number[:14], person.id_number[-8:]):
        assert not [hit for hit in store.search(fragment) if hit.matched_on is MatchedOn.ID_NUMBER]


def test_household_numbers_exactly_or_in_part(store, village):
    home = village.households[12]
    hits = store.search(home.number)
    assert (hits[0].household, hits[0].matched_on, hits[0].rank) == (home, MatchedOn.HOUSEHOLD_NUMBER, 0)
    assert [entry.record for entry in store.find_households_by_number(home.number)] == [home]
    assert home in [hit.household for hit in store.search(home.number[-4:])]
    assert store.search(home.number[-2:]) == []  # two digits would match half the village


def test_a_head_of_household_without_a_member_record_is_found_by_the_household(tmp_path):
    with EncryptedStore.open(
        tmp_path / "s",
        DataKey.generate(),
        device_id="d",
        clock=ManualClock(NOW_MS),
        sequence_folder=tmp_path / "q",
    ) as store:
        home = parse_record(
            Household,
            {
                "number": "0001",
                "village_code": "360731108201",
                "head_name": "欧阳春花",
                "category": "ordinary",
                "status": "not_exited",
                "identified_year": 2015,
                "main_cause": "illness",
            },
            today=TODAY,
        )
        store.create(home)
        assert [(hit.household, hit.member) for hit in store.search("oych")] == [(home, None)]


def test_search_follows_edits_and_deletes(store, village):
    person = named_members(village)[1]
    store.edit("member", person.id, {"name": "欧阳春花"})
    assert (person.household_id, person.id) in found(store, "ouyangch")
    store.delete("member", person.id)
    assert (person.household_id, person.id) not in found(store, "ouyangch")
    if person.id_number:
        assert store.search(person.id_number) == []
