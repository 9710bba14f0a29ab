"""Finding households by what a field worker types: a name in characters or in pinyin (full,
initials, or a mix: "zs", "zhangs", "zhang san" all find 张三), a household number, an ID number.

Names are matched in memory over the decrypted cache, by a plain scan: a village has a few
hundred households (a thousand at most), which a scan covers in milliseconds, and no name
index has to be written to disk where it could leak. Numbers go through the blind index
(keyed tokens -> record ids) for exact matches; an ID number matches only exactly, so the
search cannot be used to enumerate people by a fragment of their number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from pypinyin import Style, pinyin

from field_app.core.models import Household, Member
from field_app.store.kinds import HOUSEHOLD_NUMBER, ID_NUMBER

# Ranks: lower is better.
EXACT = 0  # the whole name, number or ID number
PREFIX = 1  # the name starts with what was typed (characters or pinyin)
PARTIAL_NUMBER = 2  # part of a household number
INSIDE = 3  # matched later in the name ("san" finds 张三)

MIN_PARTIAL_NUMBER = 3  # fewer digits than this would match most of the village
DEFAULT_LIMIT = 50

_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PINYIN_SEPARATORS = re.compile(r"[\s'’·\-]+")

Readings = tuple[tuple[str, ...], ...]  # per character, its possible pinyin syllables
ExactLookup = Callable[[str, str], list[str]]  # (purpose, value) -> record ids


class MatchedOn(StrEnum):
    NAME = "name"
    HOUSEHOLD_NUMBER = "household_number"
    ID_NUMBER = "id_number"


@dataclass(frozen=True)
class SearchHit:
    household: Household
    member: Member | None  # None when the household's head name (not a member record) matched
    matched_on: MatchedOn
    rank: int


class PinyinReadings:
    """Pinyin syllables of names, worked out once per distinct character (pypinyin takes tens
    of µs a call, and a village's names share a few hundred characters), then once per name.
    Every reading of a polyphonic character is kept (曾: zeng or ceng), and ü may be typed as
    v or u. Readings are per character, so they do not depend on pypinyin's phrase guesses."""

    def __init__(self) -> None:
        self._characters: dict[str, tuple[str, ...]] = {}
        self._names: dict[str, tuple[Readings, frozenset[str]]] = {}

    def of(self, name: str) -> tuple[Readings, frozenset[str]]:
        found = self._names.get(name)
        if found is None:
            readings = tuple(syllables for syllables in map(self._of_character, name) if syllables)
            initials = frozenset(syllable[0] for syllables in readings for syllable in syllables)
            found = self._names[name] = (readings, initials)
        return found

    def _of_character(self, character: str) -> tuple[str, ...]:
        found = self._characters.get(character)
        if found is None:
            syllables = [
                syllable.lower()
                for group in pinyin(character, style=Style.NORMAL, heteronym=True, errors="ignore")
                for syllable in group
                if syllable.isalpha()
            ]
            with_u = [syllable.replace("v", "u") for syllable in syllables if "v" in syllable]
            found = self._characters[character] = tuple(dict.fromkeys(syllables + with_u))
        return found


def pinyin_query(text: str) -> str | None:
    """The query as letters to match against pinyin, or None if it is not pinyin."""
    letters = _PINYIN_SEPARATORS.sub("", text).lower().replace("ü", "v")
    return letters if letters.isascii() and letters.isalpha() else None


def match_pinyin(letters: str, readings: Readings) -> int | None:
    """The syllable where ``letters`` start to match, each syllable contributing a prefix of
    itself (an initial, a whole syllable, or anything between), or None."""
    for start in range(len(readings)):
        if _consume(letters, readings, start):
            return start
    return None


def _consume(letters: str, readings: Readings, index: int) -> bool:
    if not letters:
        return True
    if index == len(readings):
        return False
    for syllable in readings[index]:
        if syllable[0] != letters[0]:
            continue
        common = _common_prefix(letters, syllable)
        if any(_consume(letters[length:], readings, index + 1) for length in range(common, 0, -1)):
            return True
    return False


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def rank_name(query: str, letters: str | None, name: str, readings: PinyinReadings) -> int | None:
    """How well ``name`` matches the query typed in characters or pinyin; None if not at all."""
    if _CJK.search(query):
        if name == query:
            return EXACT
        if name.startswith(query):
            return PREFIX
        return INSIDE if query in name else None
    if letters is None:
        return None
    syllables, initials = readings.of(name)
    if letters[0] not in initials:
        return None
    start = match_pinyin(letters, syllables)
    if start is None:
        return None
    return PREFIX if start == 0 else INSIDE


def search_registry(
    query: str,
    *,
    households: Mapping[str, Household],
    members: Iterable[Member],
    readings: PinyinReadings,
    lookup: ExactLookup,
    limit: int = DEFAULT_LIMIT,
) -> list[SearchHit]:
    """Households (and the member who matched) for ``query``, best first."""
    text = query.strip()
    if not text:
        return []
    hits: dict[tuple[str, str | None], SearchHit] = {}

    def keep(household: Household | None, member: Member | None, matched_on: MatchedOn, rank: int) -> None:
        if household is None:
            return
        key = (household.id, member.id if member else None)
        if key not in hits or rank < hits[key].rank:
            hits[key] = SearchHit(household, member, matched_on, rank)

    members = list(members)
    _find_numbers(text, households, members, lookup, keep)
    _find_names(text, households, members, readings, keep)
    ordered = sorted(
        hits.values(), key=lambda hit: (hit.rank, hit.household.number, hit.member.name if hit.member else "")
    )
    return ordered[:limit]


def _find_numbers(
    text: str,
    households: Mapping[str, Household],
    members: list[Member],
    lookup: ExactLookup,
    keep: Callable[[Household | None, Member | None, MatchedOn, int], None],
) -> None:
    compact = re.sub(r"[\s\-]", "", text).upper()
    if _ID_NUMBER.match(compact):
        wanted = set(lookup(ID_NUMBER, compact))
        for member in members:
            if member.id in wanted:
                keep(households.get(member.household_id), member, MatchedOn.ID_NUMBER, EXACT)
    for household_id in lookup(HOUSEHOLD_NUMBER, text):
        keep(households.get(household_id), None, MatchedOn.HOUSEHOLD_NUMBER, EXACT)
    if compact.isdigit() and len(compact) >= MIN_PARTIAL_NUMBER:
        for household in households.values():
            if compact in household.number:
                keep(household, None, MatchedOn.HOUSEHOLD_NUMBER, PARTIAL_NUMBER)


def _find_names(
    text: str,
    households: Mapping[str, Household],
    members: list[Member],
    readings: PinyinReadings,
    keep: Callable[[Household | None, Member | None, MatchedOn, int], None],
) -> None:
    letters = pinyin_query(text)
    if letters is None and not _CJK.search(text):
        return
    named: set[tuple[str, str]] = set()
    for member in members:
        rank = rank_name(text, letters, member.name, readings)
        if rank is not None:
            keep(households.get(member.household_id), member, MatchedOn.NAME, rank)
            named.add((member.household_id, member.name))
    for household in households.values():
        if (household.id, household.head_name) in named:
            continue  # the head is also a member record, already found
        rank = rank_name(text, letters, household.head_name, readings)
        if rank is not None:
            keep(household, None, MatchedOn.NAME, rank)


__all__ = [
    "DEFAULT_LIMIT",
    "MatchedOn",
    "PinyinReadings",
    "SearchHit",
    "match_pinyin",
    "pinyin_query",
    "rank_name",
    "search_registry",
]
