"""How each field of each kind of record merges: data, not code branches.

Two questions per field, answered by a :class:`FieldPolicy`:

* **shape** — what one *leaf* of the field is. The merge works on leaves, so two devices that
  change different leaves of one field both win:

  - ``SCALAR``: the whole value is one leaf. A GPS ``location`` is a scalar on purpose: a fix
    is one reading, and mixing one device's latitude with another's longitude is nonsense.
  - ``RECORD``: a nested record (``housing``, ``water``): one leaf per sub-field
    (``housing.grade`` and ``housing.area_m2`` merge apart).
  - ``SET``: a list used as a set (``other_causes``, ``fuels``, ``helper_ids``): one leaf per
    element, holding "present" or "absent". This is the three-way set merge
    ``theirs ∪ (mine − base) − (base − mine)`` element by element, and, because each element
    is a register of its own, it does not depend on arrival order. The merged list is sorted.
  - ``KEYED``: a list of records identified by a key (``incomes`` by ``year``, ``assistance``
    by ``id``): one "present" leaf per entry plus one leaf per entry field
    (``incomes[2023].wages``). Editing an entry field also re-asserts the entry's presence,
    so an edit racing a removal of the same entry is a visible collision, not a silent loss.
    The merged list is sorted by ``order``.

* **rule** — what happens when concurrent writes leave different values on one leaf:

  - ``IDENTITY``: a dispute, kept with every candidate, shown deterministically (greatest
    hybrid logical clock) and queued for a supervisor. Identity fields say *who* a record is.
  - ``LATEST``: the greatest hybrid logical clock wins; the losers stay visible as an
    auto-resolved conflict until a later write that saw them settles the leaf.
  - ``identity_values``: a ``LATEST`` field that becomes ``IDENTITY`` when a competing value
    (or the value the writers saw) is one of these — a member's ``relation`` is low-stakes
    unless someone becomes or stops being head of household.

  Leaves of sets and keyed lists always follow ``LATEST`` (multi-selects and income lines are
  not identity), whatever the field's rule.

``deleted`` is the tombstone of every merged kind (a model field of households, a bookkeeping
leaf of members and problems): an ``IDENTITY`` scalar, so a delete racing an undelete is
queued, and a delete racing an edit is detected by :mod:`field_app.core.sync.conflicts`.

Pure data; importing this module has no effect beyond defining it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from field_app.core.models import Household, Member, Problem, ProblemEvent, Record, Visit
from field_app.core.sync.mutation import EntityKind


class Shape(StrEnum):
    SCALAR = "scalar"
    RECORD = "record"
    SET = "set"
    KEYED = "keyed"


class Rule(StrEnum):
    IDENTITY = "identity"
    LATEST = "latest"


@dataclass(frozen=True)
class FieldPolicy:
    shape: Shape = Shape.SCALAR
    rule: Rule = Rule.LATEST
    identity_values: frozenset[str] = frozenset()
    key: str | None = None  # KEYED: the entry field that identifies an entry
    order: tuple[str, ...] = ()  # KEYED: the entry fields that order the merged list

    def __post_init__(self) -> None:
        if (self.shape is Shape.KEYED) != (self.key is not None):
            raise ValueError("a key is given for keyed lists, and only for them")


class Storage(StrEnum):
    """How a kind of record lives on the server."""

    FIELDS = "fields"  # merged leaf by leaf (households, members, problems)
    APPEND = "append"  # inserted once, never changed (visits)
    EVENT = "event"  # appended to another record's log (problem events, to their problem)


@dataclass(frozen=True)
class KindPolicy:
    kind: EntityKind
    model: type[Record]
    storage: Storage
    fields: Mapping[str, FieldPolicy] = field(default_factory=dict)
    default: FieldPolicy = FieldPolicy()
    # (field, kind of record it points at): what must be on the server before a mutation that
    # sets the field can apply (otherwise the mutation is deferred).
    references: tuple[tuple[str, EntityKind], ...] = ()

    def field(self, name: str) -> FieldPolicy:
        return self.fields.get(name, self.default)


TOMBSTONE = "deleted"
ID_FIELD = "id"

_SCALAR_IDENTITY = FieldPolicy(rule=Rule.IDENTITY)
_TOMBSTONE_POLICY = FieldPolicy(rule=Rule.IDENTITY)
_SET = FieldPolicy(shape=Shape.SET)
_RECORD = FieldPolicy(shape=Shape.RECORD)


def _fields(identity: tuple[str, ...], **others: FieldPolicy) -> Mapping[str, FieldPolicy]:
    table = {name: _SCALAR_IDENTITY for name in identity}
    table.update(others)
    table[TOMBSTONE] = _TOMBSTONE_POLICY
    return MappingProxyType(table)


POLICIES: Mapping[EntityKind, KindPolicy] = MappingProxyType(
    {
        EntityKind.HOUSEHOLD: KindPolicy(
            EntityKind.HOUSEHOLD,
            Household,
            Storage.FIELDS,
            _fields(
                ("number", "village_code", "head_name", "head_member_id"),
                other_causes=_SET,
                fuels=_SET,
                helper_ids=_SET,
                housing=_RECORD,
                water=_RECORD,
                incomes=FieldPolicy(shape=Shape.KEYED, key="year", order=("year",)),
                assistance=FieldPolicy(shape=Shape.KEYED, key="id", order=("year", "id")),
            ),
        ),
        EntityKind.MEMBER: KindPolicy(
            EntityKind.MEMBER,
            Member,
            Storage.FIELDS,
            # household_id is identity too: two devices moving one person to two different
            # households (分户/合户) is a question for a supervisor, not for the clock.
            _fields(
                ("name", "id_number", "sex", "birth_date", "household_id"),
                relation=FieldPolicy(identity_values=frozenset({"head"})),
            ),
            references=(("household_id", EntityKind.HOUSEHOLD),),
        ),
        EntityKind.PROBLEM: KindPolicy(
            EntityKind.PROBLEM,
            Problem,
            Storage.FIELDS,
            _fields(("household_id", "village_code")),
            references=(("household_id", EntityKind.HOUSEHOLD),),
        ),
        EntityKind.VISIT: KindPolicy(
            EntityKind.VISIT,
            Visit,
            Storage.APPEND,
            references=(("household_id", EntityKind.HOUSEHOLD), ("amends", EntityKind.VISIT)),
        ),
        EntityKind.PROBLEM_EVENT: KindPolicy(
            EntityKind.PROBLEM_EVENT,
            ProblemEvent,
            Storage.EVENT,
            references=(("problem_id", EntityKind.PROBLEM),),
        ),
    }
)


def policy_for(kind: EntityKind | str) -> KindPolicy:
    return POLICIES[EntityKind(kind)]


__all__ = [
    "ID_FIELD",
    "POLICIES",
    "TOMBSTONE",
    "FieldPolicy",
    "KindPolicy",
    "Rule",
    "Shape",
    "Storage",
    "policy_for",
]
