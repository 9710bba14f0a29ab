"""One entry point: every policy rule for one household, bundled.

The income year assessed is ``income_year`` when given, else the latest year with income
recorded that is not after ``today`` (early in a year the current year's income is not yet
known; the rules then speak of last year's), else the current year (and the income is unknown).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from field_app.core.codes import Role
from field_app.core.models.household import Household
from field_app.core.models.member import Member
from field_app.core.models.visit import Visit
from field_app.core.policy.config import PolicyConfig
from field_app.core.policy.consistency import Finding, FindingSeverity, check_household
from field_app.core.policy.exit import ExitEligibility, exit_eligibility
from field_app.core.policy.guarantees import HouseholdGuarantees, assess_guarantees
from field_app.core.policy.income import IncomeAssessment, assess_income
from field_app.core.policy.monitoring import RiskFlag, risk_flags
from field_app.core.policy.visit_duty import DueStatus, next_visit_due


@dataclass(frozen=True, slots=True)
class HouseholdAssessment:
    household_id: str
    today: date
    guarantees: HouseholdGuarantees
    income: IncomeAssessment
    exit: ExitEligibility
    risks: tuple[RiskFlag, ...] = ()
    findings: tuple[Finding, ...] = ()
    due: DueStatus | None = None  # only when a role was given

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is FindingSeverity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is FindingSeverity.WARNING)


def assessment_year(household: Household, today: date) -> int:
    """The latest income year recorded up to ``today``'s year, else ``today``'s year."""
    years = [income.year for income in household.incomes if income.year <= today.year]
    return max(years, default=today.year)


def assess_household(
    household: Household,
    members: Iterable[Member],
    config: PolicyConfig,
    today: date,
    visits: Iterable[Visit] = (),
    *,
    role: Role | None = None,
    visitor_id: str | None = None,
    income_year: int | None = None,
) -> HouseholdAssessment:
    """Guarantees, income, exit eligibility, risk flags, data findings (and the due visit of ``role``).

    ``members`` may hold other households' members: only this household's are used.
    """
    own = [member for member in members if member.household_id == household.id]
    year = income_year if income_year is not None else assessment_year(household, today)
    guarantees = assess_guarantees(household, own, config, today)
    income = assess_income(household, own, config, year)
    risks = risk_flags(household, guarantees, income, config)
    findings = check_household(household, own, config, today, income=income)
    due = None
    if role is not None:
        due = next_visit_due(
            household, visits, role, config, today, visitor_id=visitor_id, at_risk=bool(risks)
        )
    return HouseholdAssessment(
        household.id, today, guarantees, income, exit_eligibility(guarantees, income), risks, findings, due
    )


def assess_households(
    households: Sequence[Household],
    members: Iterable[Member],
    config: PolicyConfig,
    today: date,
    visits: Iterable[Visit] = (),
    *,
    role: Role | None = None,
    visitor_id: str | None = None,
) -> dict[str, HouseholdAssessment]:
    """:func:`assess_household` for many households at once (members and visits grouped once)."""
    members_by: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        members_by[member.household_id].append(member)
    visits_by: dict[str, list[Visit]] = defaultdict(list)
    if role is not None:
        for visit in visits:
            visits_by[visit.household_id].append(visit)
    return {
        household.id: assess_household(
            household,
            members_by.get(household.id, ()),
            config,
            today,
            visits_by.get(household.id, ()),
            role=role,
            visitor_id=visitor_id,
        )
        for household in households
    }


__all__ = ["HouseholdAssessment", "assess_household", "assess_households", "assessment_year"]
