"""Which villages a mutation touches: the scope check of a push.

A record's village is its own ``village_code`` (households, visits, problems), its
household's (members), or its problem's (problem events). A mutation touches the village the
record is in now *and* any village it would put it in: moving a member to a household of
another village touches both, so a worker can neither pull someone out of a village they do
not serve nor push someone into one.

When a village cannot be known yet (the household of a new member has not arrived), the
answer says so; the merge then defers the mutation and the check runs again at replay.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from field_app.core.sync.merge import EntityRef, target_of
from field_app.core.sync.mutation import EntityKind, Mutation, MutationOp
from sync_server.sync.states import parent_of, village_of

H, M, V, P, E = (
    EntityKind.HOUSEHOLD,
    EntityKind.MEMBER,
    EntityKind.VISIT,
    EntityKind.PROBLEM,
    EntityKind.PROBLEM_EVENT,
)


@dataclass(frozen=True)
class Touched:
    villages: frozenset[str]
    complete: bool  # False: some village is not known yet (a record it needs has not arrived)


def touched_villages(db: Database, mutation: Mutation) -> Touched:
    target = target_of(mutation)
    villages: set[str] = set()
    complete = True

    def add_record(ref: EntityRef) -> None:
        nonlocal complete
        village = village_of(db, ref)
        if village is None:
            complete = False
        else:
            villages.add(village)

    here = village_of(db, target)
    if here is not None:
        villages.add(here)
    elif mutation.op is not MutationOp.CREATE and mutation.op is not MutationOp.APPEND:
        complete = False
    if mutation.entity is E:
        if here is None:
            complete = False
        return Touched(frozenset(villages), complete)
    if mutation.op is MutationOp.DELETE:
        return Touched(frozenset(villages), complete)

    own = _text(mutation, "village_code")
    if own is not None and mutation.entity is not M:
        villages.add(own)
    household = _text(mutation, "household_id")
    if mutation.entity in (M, V, P):
        if household is not None:
            add_record(EntityRef(H, household))
        if mutation.entity is M and here is not None:
            current_household = parent_of(db, target)
            if current_household is not None:
                add_record(EntityRef(H, current_household))
        if household is None and here is None:
            complete = False
    elif own is None and here is None:
        complete = False
    return Touched(frozenset(villages), complete)


def _text(mutation: Mutation, name: str) -> str | None:
    change = mutation.fields.get(name)
    if change is None or not isinstance(change.value, str) or not change.value:
        return None
    return change.value


__all__ = ["Touched", "touched_villages"]
