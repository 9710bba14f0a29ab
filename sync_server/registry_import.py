"""Records into the registry in bulk: the demo county, a county's initial registration data.

The records are already validated core models. They go in through the registry's own writer
(:func:`~sync_server.registry.put_entities`, the bulk form of ``put_entity``: the same rows,
one change seq each), so pulls serve them like any merged record. No merge state is written:
the first mutation that touches an imported record builds its baseline from the record
(``sync/states.py``). Records already present are left alone — an import never overwrites
what devices have changed since — and the derived statuses of the households added are
computed once, from the records in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from field_app.core.models import Household, Member, Problem, ProblemEvent, Record, Visit
from field_app.core.policy import PolicyConfig
from field_app.core.sync.mutation import EntityKind
from sync_server.registry import NewEntity, put_entities
from sync_server.sync.derived import recompute_records


@dataclass(frozen=True)
class ImportReport:
    records: int  # added
    skipped: int  # already present, left as they are


def import_records(
    db: Database,
    *,
    households: Sequence[Household] = (),
    members: Sequence[Member] = (),
    visits: Sequence[Visit] = (),
    problems: Sequence[Problem] = (),
    events: Sequence[ProblemEvent] = (),
    now: datetime,
    today: date,
    policy: PolicyConfig,
) -> ImportReport:
    """Add the records that are not in the registry yet. Call inside a write transaction."""
    present = {(kind, record_id) for kind, record_id in db.conn.execute("SELECT kind, id FROM entities")}
    village_of = {household.id: household.village_code for household in households}
    village_of.update(
        db.conn.execute("SELECT id, village_code FROM entities WHERE kind = ?", (EntityKind.HOUSEHOLD.value,))
    )
    problem_village = {problem.id: problem.village_code for problem in problems}
    problem_village.update(
        db.conn.execute("SELECT id, village_code FROM entities WHERE kind = ?", (EntityKind.PROBLEM.value,))
    )

    batch: list[NewEntity] = []
    skipped = 0

    def add(kind: EntityKind, record_id: str, village: str, record: Record, parent: str | None) -> bool:
        nonlocal skipped
        if (kind.value, record_id) in present:
            skipped += 1
            return False
        batch.append(NewEntity(kind, record_id, village, record.model_dump(mode="json"), parent))
        return True

    added = [h for h in households if add(EntityKind.HOUSEHOLD, h.id, h.village_code, h, None)]
    for member in members:
        add(EntityKind.MEMBER, member.id, village_of[member.household_id], member, member.household_id)
    for visit in visits:
        add(EntityKind.VISIT, visit.id, visit.village_code, visit, visit.household_id)
    for problem in problems:
        add(EntityKind.PROBLEM, problem.id, problem.village_code, problem, problem.household_id)
    for event in events:
        add(EntityKind.PROBLEM_EVENT, event.id, problem_village[event.problem_id], event, event.problem_id)
    put_entities(db, batch, now=now)
    added_ids = {household.id for household in added}
    recompute_records(
        db,
        added,
        (member for member in members if member.household_id in added_ids),
        (visit for visit in visits if visit.household_id in added_ids),
        config=policy,
        today=today,
        now=now,
    )
    return ImportReport(records=len(batch), skipped=skipped)


__all__ = ["ImportReport", "import_records"]
