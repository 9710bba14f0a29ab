"""What the store knows about each kind of record: its model, which of its ids may stand in
clear for listing, what goes into the blind index, whether it is append-only, and whether it
lives in the decrypted in-memory cache."""

from __future__ import annotations

from dataclasses import dataclass

from field_app.core.models import Household, Member, Problem, ProblemEvent, Record, Visit
from field_app.core.sync.mutation import EntityKind

# Blind-index purposes (the ``purpose`` of DataKey.index_token and of the blind_index table).
HOUSEHOLD_NUMBER = "household_number"
ID_NUMBER = "id_number"
VILLAGE = "village"


@dataclass(frozen=True)
class KindSpec:
    kind: EntityKind
    model: type[Record]
    label: tuple[str, str]  # (Chinese, English), for messages
    # An opaque id kept in clear as ``parent_id`` so a kind can be listed per household or
    # per problem without decrypting every row.
    parent_field: str | None
    # The village code is not an opaque id: it is kept as a keyed token (``village_token``).
    village_field: str | None
    # (purpose, field): values looked up exactly through the blind index.
    blind_fields: tuple[tuple[str, str], ...] = ()
    # Visits and problem events are never edited or deleted: corrections are new records.
    append_only: bool = False
    # Households and members are decrypted once at unlock (search needs them all; a village
    # has a few hundred households); visits and the rest are decrypted when read.
    cached: bool = False

    @property
    def filters(self) -> frozenset[str]:
        return frozenset(name for name in (self.parent_field, self.village_field) if name)


KINDS: dict[EntityKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            EntityKind.HOUSEHOLD,
            Household,
            ("贫困户", "household"),
            parent_field=None,
            village_field="village_code",
            blind_fields=((HOUSEHOLD_NUMBER, "number"),),
            cached=True,
        ),
        KindSpec(
            EntityKind.MEMBER,
            Member,
            ("家庭成员", "member"),
            parent_field="household_id",
            village_field=None,
            blind_fields=((ID_NUMBER, "id_number"),),
            cached=True,
        ),
        KindSpec(
            EntityKind.VISIT,
            Visit,
            ("走访记录", "visit"),
            parent_field="household_id",
            village_field="village_code",
            append_only=True,
        ),
        KindSpec(
            EntityKind.PROBLEM,
            Problem,
            ("问题", "problem"),
            parent_field="household_id",
            village_field="village_code",
        ),
        KindSpec(
            EntityKind.PROBLEM_EVENT,
            ProblemEvent,
            ("问题处理记录", "problem event"),
            parent_field="problem_id",
            village_field=None,
            append_only=True,
        ),
    )
}

_KIND_BY_MODEL = {spec.model: spec.kind for spec in KINDS.values()}


def spec_for(kind: EntityKind | str) -> KindSpec:
    try:
        return KINDS[EntityKind(kind)]
    except ValueError:
        raise ValueError(f"not a kind of record the store keeps: {kind!r}") from None


def kind_of(record: Record) -> EntityKind:
    try:
        return _KIND_BY_MODEL[type(record)]
    except KeyError:
        raise TypeError(f"the store does not keep {type(record).__name__} records") from None


__all__ = ["HOUSEHOLD_NUMBER", "ID_NUMBER", "KINDS", "VILLAGE", "KindSpec", "kind_of", "spec_for"]
