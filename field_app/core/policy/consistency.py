"""Internal consistency checks of a household's record (DOMAIN.md §3 "Data checks").

Severity: ``error`` when the record contradicts policy or itself and must be corrected
("卡内无硬伤"); ``warning`` when something is missing or doubtful and should be checked.

errors
- a present member is not insured (medical_insurance False);
- status exited (已脱贫 / 已脱贫享受政策) with a C/D house not renovated and not relocated;
- status exited with per-capita income not above the line, for a year at or after the exit year;
- an exit year with status "not yet exited", status exited without an exit year, an exit year
  after this year;
- no head of household among the present members, or more than one.

warnings
- a present child of compulsory-school age not in school (or dropped out), not taught at
  home, with no reason recorded;
- a present member whose insurance is not recorded (None);
- no present member at all;
- the household's head name differs from the head member's name;
- a child, child-in-law or grandchild older than the head; a parent or grandparent younger;
- what :meth:`Member.warnings` finds (sex or birth date disagreeing with the ID number, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from field_app.core.codes import Coded, HouseholdStatus, Relation, RenovationStatus, SchoolStatus
from field_app.core.errors import BianfangError
from field_app.core.i18n import Message
from field_app.core.models.household import Household
from field_app.core.models.member import Member
from field_app.core.policy.config import PolicyConfig
from field_app.core.policy.guarantees import present_members
from field_app.core.policy.income import IncomeAssessment, IncomeStanding


class FindingSeverity(Coded):
    ERROR = "error", "错误", "Error"
    WARNING = "warning", "提示", "Warning"


ERROR, WARNING = FindingSeverity.ERROR, FindingSeverity.WARNING


@dataclass(frozen=True, slots=True)
class Finding:
    severity: FindingSeverity
    message: Message
    member_id: str | None = None

    @property
    def code(self) -> str:
        return self.message.code


_YOUNGER_THAN_HEAD = frozenset(
    {Relation.SON, Relation.DAUGHTER, Relation.SON_IN_LAW, Relation.DAUGHTER_IN_LAW, Relation.GRANDCHILD}
)
_OLDER_THAN_HEAD = frozenset({Relation.PARENT, Relation.GRANDPARENT})


def school_findings(members: Iterable[Member], config: PolicyConfig, today: date) -> list[Finding]:
    found: list[Finding] = []
    for member in members:
        status = member.school_status
        if status is None or status.in_school or member.home_teaching or member.dropout_reason:
            # an unrecorded status is already "未核实" in the education guarantee
            continue
        age = member.age_on(today)
        if not config.is_compulsory_age(age):
            continue
        code = (
            "policy.check.dropped_out_no_reason"
            if member.school_status is SchoolStatus.DROPPED_OUT
            else "policy.check.not_in_school_no_reason"
        )
        found.append(Finding(WARNING, Message(code, {"name": member.name, "age": age}), member.id))
    return found


def insurance_findings(members: Iterable[Member]) -> list[Finding]:
    found: list[Finding] = []
    for member in members:
        if member.medical_insurance is None:
            message = Message("policy.medical.insurance_unrecorded", {"name": member.name})
            found.append(Finding(WARNING, message, member.id))
        elif not member.medical_insurance:
            found.append(
                Finding(ERROR, Message("policy.medical.uninsured", {"name": member.name}), member.id)
            )
    return found


def status_findings(
    household: Household, today: date, income: IncomeAssessment | None = None
) -> list[Finding]:
    found: list[Finding] = []
    status = household.status
    names = {"status": status.zh, "status_en": status.en}
    if status.is_exited:
        housing = household.housing
        if (
            housing.grade is not None
            and housing.grade.is_dangerous
            and housing.renovation is not RenovationStatus.DONE
            and not housing.relocated
        ):
            message = Message("policy.check.dangerous_house_exited", {**names, "grade": housing.grade.value})
            found.append(Finding(ERROR, message))
        if (
            income is not None
            and income.standing is IncomeStanding.BELOW
            and (household.exit_year is None or income.year >= household.exit_year)
        ):
            found.append(
                Finding(ERROR, Message("policy.check.income_below_exited", {**names, **income.figures()}))
            )
        if household.exit_year is None:
            found.append(Finding(ERROR, Message("policy.check.exited_no_exit_year", names)))
    elif status is HouseholdStatus.NOT_EXITED and household.exit_year is not None:
        message = Message("policy.check.exit_year_not_exited", {**names, "exit_year": household.exit_year})
        found.append(Finding(ERROR, message))
    if household.exit_year is not None and household.exit_year > today.year:
        message = Message(
            "policy.check.exit_year_future", {"exit_year": household.exit_year, "year": today.year}
        )
        found.append(Finding(ERROR, message))
    return found


def head_findings(household: Household, present: Sequence[Member]) -> list[Finding]:
    if not present:
        return [Finding(WARNING, Message("policy.check.no_members"))]
    heads = [member for member in present if member.relation is Relation.HEAD]
    if not heads:
        return [Finding(ERROR, Message("policy.check.no_head"))]
    if len(heads) > 1:
        names = "、".join(member.name for member in heads)
        return [Finding(ERROR, Message("policy.check.several_heads", {"count": len(heads), "names": names}))]
    head = heads[0]
    found: list[Finding] = []
    if head.name != household.head_name:
        params = {"head_name": household.head_name, "member_name": head.name}
        found.append(Finding(WARNING, Message("policy.check.head_name_mismatch", params), head.id))
    for member in present:
        code = None
        if member.relation in _YOUNGER_THAN_HEAD and member.birth_date < head.birth_date:
            code = "policy.check.older_than_head"
        elif member.relation in _OLDER_THAN_HEAD and member.birth_date > head.birth_date:
            code = "policy.check.younger_than_head"
        if code is not None:
            params = {
                "name": member.name,
                "relation": member.relation.zh,
                "relation_en": member.relation.en,
                "head": head.name,
            }
            found.append(Finding(WARNING, Message(code, params), member.id))
    return found


def id_number_findings(members: Iterable[Member], today: date) -> list[Finding]:
    found: list[Finding] = []
    for member in members:
        if not member.id_number:
            continue
        try:
            messages = member.warnings(today=today)
        except BianfangError as exc:  # e.g. a birth date after the injected ``today``
            messages = [Message(exc.code, exc.params)]
        found.extend(Finding(WARNING, message, member.id) for message in messages)
    return found


def check_household(
    household: Household,
    members: Iterable[Member],
    config: PolicyConfig,
    today: date,
    *,
    income: IncomeAssessment | None = None,
) -> tuple[Finding, ...]:
    """Every finding for ``household``, errors first. ``income`` enables the income check."""
    present = present_members(members)
    found = [
        *status_findings(household, today, income),
        *head_findings(household, present),
        *school_findings(present, config, today),
        *insurance_findings(present),
        *id_number_findings(present, today),
    ]
    found.sort(key=lambda finding: finding.severity is not ERROR)
    return tuple(found)


__all__ = [
    "Finding",
    "FindingSeverity",
    "check_household",
    "head_findings",
    "id_number_findings",
    "insurance_findings",
    "school_findings",
    "status_findings",
]
