"""Derived statuses per household, recomputed by the core's policy rules after changes.

两不愁三保障, exit eligibility, risk flags and when each duty role must visit next are pure
functions of a household, its members and its visits (``field_app.core.policy``). The sync
service collects the households a batch touched and recomputes each once at the end of the
batch, in the batch's transaction, so the table never disagrees with the registry. A rule
that cannot run (no poverty line configured for the province) leaves its error in the row
instead of failing the push.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.errors import BianfangError
from field_app.core.i18n import Message
from field_app.core.models import Household, Member, Visit, parse_record
from field_app.core.policy import PolicyConfig, assess_household, next_visit_due
from field_app.core.sync.mutation import EntityKind
from sync_server.clock import iso
from sync_server.db import from_json, to_json


def _message(message: Message) -> dict[str, Any]:
    return {"code": message.code, "message": message.text("zh"), "message_en": message.text("en")}


def _children(db: Database, kind: EntityKind, household_id: str) -> list[dict[str, Any]]:
    rows = db.conn.execute(
        "SELECT state FROM entities WHERE kind = ? AND parent_id = ? AND deleted = 0", (kind.value, household_id)
    )
    return [json.loads(state) for (state,) in rows]


def recompute(db: Database, household_ids: Iterable[str], *, config: PolicyConfig, today: date,
              now: datetime) -> int:
    """Recompute and store the statuses of ``household_ids`` from the registry; returns how many."""
    stored = 0
    for household_id in sorted(set(household_ids)):
        row = db.conn.execute(
            "SELECT state, village_code FROM entities WHERE kind = ? AND id = ?",
            (EntityKind.HOUSEHOLD.value, household_id),
        ).fetchone()
        if row is None:
            continue
        record = json.loads(row[0])
        try:
            household = parse_record(Household, record, today=today)
            members = [parse_record(Member, data, today=today) for data in _children(db, EntityKind.MEMBER, household_id)]
            visits = [parse_record(Visit, data, today=today) for data in _children(db, EntityKind.VISIT, household_id)]
            values = assess(household, members, visits, config=config, today=today)
        except BianfangError as error:
            values = _failed(bool(record.get("deleted")), error)
        _store(db, household_id, row[1], values, now)
        stored += 1
    return stored


def recompute_records(db: Database, households: Iterable[Household], members: Iterable[Member],
                      visits: Iterable[Visit], *, config: PolicyConfig, today: date, now: datetime) -> int:
    """The same for records already validated in memory (an import): grouped once, no queries."""
    members_of: dict[str, list[Member]] = {}
    for member in members:
        members_of.setdefault(member.household_id, []).append(member)
    visits_of: dict[str, list[Visit]] = {}
    for visit in visits:
        visits_of.setdefault(visit.household_id, []).append(visit)
    stored = 0
    for household in households:
        try:
            values = assess(household, members_of.get(household.id, []), visits_of.get(household.id, []),
                            config=config, today=today)
        except BianfangError as error:
            values = _failed(household.deleted, error)
        _store(db, household.id, household.village_code, values, now)
        stored += 1
    return stored


def _store(db: Database, household_id: str, village: str, values: tuple[Any, ...], now: datetime) -> None:
    db.conn.execute(
        """INSERT OR REPLACE INTO household_status
               (household_id, village_code, computed_at, deleted, guarantees, all_met, exit_eligible,
                exit_reasons, risk_flags, visits_due, next_visit_due, overdue, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (household_id, village, iso(now), *values),
    )


def _failed(deleted: bool, error: BianfangError) -> tuple[Any, ...]:
    reason = json.dumps({"code": error.code, "message": error.message("zh"), "message_en": error.message("en")},
                        ensure_ascii=False)
    return (int(deleted), None, None, None, None, None, None, None, None, reason)


def assess(household: Household, members: list[Member], visits: list[Visit], *, config: PolicyConfig,
           today: date) -> tuple[Any, ...]:
    """The row's values for one household (members: the household's, present or not). Raises
    the rules' errors (a province without a poverty line)."""
    assessment = assess_household(household, members, config, today)
    dues = {}
    for role in sorted({duty.role for duty in config.visit_duties}, key=lambda role: role.value):
        due = next_visit_due(household, visits, role, config, today, at_risk=assessment.at_risk)
        if due is not None:
            dues[role.value] = {"period": due.period, "due_date": due.due_date.isoformat(),
                                "overdue": due.overdue, "missed_periods": due.missed_periods}
    guarantees = {result.guarantee.value: result.status.value for result in assessment.guarantees}
    return (
        int(household.deleted),
        to_json(guarantees),
        int(assessment.guarantees.all_met),
        int(assessment.exit.eligible),
        json.dumps([_message(reason) for reason in assessment.exit.reasons], ensure_ascii=False),
        to_json([flag.kind.value for flag in assessment.risks]),
        to_json(dues),
        min((due["due_date"] for due in dues.values()), default=None),
        int(any(due["overdue"] for due in dues.values())),
        None,
    )


@dataclass(frozen=True)
class HouseholdStatus:
    household_id: str
    village_code: str
    computed_at: str
    deleted: bool
    guarantees: dict[str, str] | None
    all_met: bool | None
    exit_eligible: bool | None
    exit_reasons: list[dict[str, Any]] | None
    risk_flags: list[str] | None
    visits_due: dict[str, Any] | None
    next_visit_due: str | None
    overdue: bool | None
    error: dict[str, Any] | None


def statuses_in(db: Database, village_code: str) -> list[HouseholdStatus]:
    rows = db.conn.execute(
        """SELECT household_id, village_code, computed_at, deleted, guarantees, all_met, exit_eligible, exit_reasons,
                  risk_flags, visits_due, next_visit_due, overdue, error
           FROM household_status WHERE village_code = ? ORDER BY household_id""",
        (village_code,),
    ).fetchall()
    return [_status(row) for row in rows]


def status_of(db: Database, household_id: str) -> HouseholdStatus | None:
    row = db.conn.execute(
        """SELECT household_id, village_code, computed_at, deleted, guarantees, all_met, exit_eligible, exit_reasons,
                  risk_flags, visits_due, next_visit_due, overdue, error
           FROM household_status WHERE household_id = ?""",
        (household_id,),
    ).fetchone()
    return None if row is None else _status(row)


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _status(row: tuple[Any, ...]) -> HouseholdStatus:
    (household_id, village, computed_at, deleted, guarantees, all_met, eligible, reasons, risks, dues, next_due,
     overdue, error) = row
    return HouseholdStatus(household_id, village, computed_at, bool(deleted), from_json(guarantees), _flag(all_met),
                           _flag(eligible), from_json(reasons), from_json(risks), from_json(dues), next_due,
                           _flag(overdue), from_json(error))


__all__ = ["HouseholdStatus", "assess", "recompute", "recompute_records", "status_of", "statuses_in"]
