"""The household list and one household: what the screens show, read from the store.

The list is the village's households, or — while something is typed — the store's search
(name in characters or pinyin initials, household number, ID number; see ``store.search``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from field_app.app.state.session import AppState
from field_app.core.errors import StoreError
from field_app.core.i18n import Message
from field_app.core.models import Household, HouseholdCategory, HouseholdStatus, Member, Relation
from field_app.store.search import MatchedOn
from field_app.store.store import EncryptedStore

MAX_ROWS = 200  # a village has a few hundred households; a search shows its best 50


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    head_name: str
    number: str
    category: HouseholdCategory
    status: HouseholdStatus
    pending: bool = False  # local changes wait to sync
    matched_member: str | None = None  # the member whose name or ID number matched, if not the head


@dataclass(frozen=True)
class HouseholdCard:
    household: Household
    members: tuple[Member, ...]
    pending: bool


@ft.observable
@dataclass
class HouseholdList:
    app: AppState
    query: str = ""
    rows: list[HouseholdRow] = field(default_factory=list)
    total: int = 0  # households on the device
    damaged: int = 0  # records that could not be decrypted

    def __post_init__(self) -> None:
        self.refresh()

    def search(self, query: str) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        self.rows, self.total, self.damaged = self.app.read(self._load, ([], 0, 0))

    def _load(self, store: EncryptedStore) -> tuple[list[HouseholdRow], int, int]:
        entries = store.list("household")
        total, damaged = len(entries), len(store.damaged())
        query = self.query.strip()
        if not query:
            entries.sort(key=lambda entry: entry.record.number)
            return [_row(entry.record, entry.pending) for entry in entries[:MAX_ROWS]], total, damaged
        pending = {entry.record.id for entry in entries if entry.pending}
        rows, seen = [], set()
        for hit in store.search(query):  # best first; one hit per matching member
            if hit.household.id in seen:
                continue
            seen.add(hit.household.id)
            member = hit.member
            shows_member = member is not None and (
                hit.matched_on is MatchedOn.ID_NUMBER or member.name != hit.household.head_name
            )
            rows.append(
                _row(hit.household, hit.household.id in pending, member.name if shows_member and member else None)
            )
        return rows, total, damaged


def _row(household: Household, pending: bool, matched_member: str | None = None) -> HouseholdRow:
    return HouseholdRow(
        id=household.id,
        head_name=household.head_name,
        number=household.number,
        category=household.category,
        status=household.status,
        pending=pending,
        matched_member=matched_member,
    )


def household_card(app: AppState, household_id: str) -> HouseholdCard | Message:
    """The household and its members, head first; or why it cannot be shown."""

    def load(store: EncryptedStore) -> HouseholdCard:
        entry = store.get("household", household_id)
        members = sorted(
            (found.record for found in store.list("member", household_id=household_id)),
            key=lambda member: (member.relation is not Relation.HEAD, member.birth_date),  # type: ignore[attr-defined]
        )
        return HouseholdCard(entry.record, tuple(members), entry.pending)  # type: ignore[arg-type]

    try:
        return app.read(load, Message("store.closed"))
    except StoreError as error:
        return Message(error.code, error.params)


__all__ = ["HouseholdCard", "HouseholdList", "HouseholdRow", "household_card"]
