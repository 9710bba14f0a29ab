"""Risk flags for households under monitoring after exit (返贫监测).

Households followed: status exited, exited-with-support or monitored (监测户). Others get no
flags (not yet exited and returned households are in poverty already: they are helped, not
monitored). The flags:

- ``below_line``: per-capita income of the assessed year not above the line;
- ``near_line``: above the line but at most ``monitoring_band`` above it, both ends included
  (band 0.5: line < income <= 1.5 x line);
- both income flags only for a year at or after the exit year (an income from before the
  exit says nothing about the risk after it);
- ``large_expense``: the year's ``unavoidable_expenses`` at or over ``large_expense_yuan``,
  with its recorded cause;
- ``guarantee_lost``: any guarantee not met (an unverified one is not flagged: it is for the
  next visit to check, and ``exit_eligibility`` already reports it).
"""

from __future__ import annotations

from dataclasses import dataclass

from field_app.core.codes import Coded, Guarantee, HouseholdStatus
from field_app.core.i18n import Message
from field_app.core.models.household import Household
from field_app.core.policy.config import PolicyConfig, PovertyLine
from field_app.core.policy.guarantees import GuaranteeStatus, HouseholdGuarantees
from field_app.core.policy.income import IncomeAssessment, IncomeStanding, format_yuan


class RiskKind(Coded):
    BELOW_LINE = "below_line", "收入未超过贫困线", "Income not above the poverty line"
    NEAR_LINE = "near_line", "收入接近贫困线", "Income near the poverty line"
    LARGE_EXPENSE = "large_expense", "大额刚性支出", "Large unavoidable expense"
    GUARANTEE_LOST = "guarantee_lost", "两不愁三保障出现问题", "A guarantee no longer met"


MONITORED_STATUSES = frozenset(
    {HouseholdStatus.EXITED, HouseholdStatus.EXITED_SUPPORTED, HouseholdStatus.MONITORED}
)


@dataclass(frozen=True, slots=True)
class RiskFlag:
    kind: RiskKind
    message: Message
    guarantee: Guarantee | None = None


def is_monitored(household: Household) -> bool:
    return household.status in MONITORED_STATUSES


def band_upper(line: PovertyLine, config: PolicyConfig) -> float:
    """The top of the monitoring band (included), in yuan to the fen."""
    return round(line.yuan_per_person * (1 + config.monitoring_band), 2)


def income_flag(household: Household, income: IncomeAssessment, config: PolicyConfig) -> RiskFlag | None:
    if income.per_capita is None or income.line is None:
        return None
    if household.exit_year is not None and income.year < household.exit_year:
        return None
    if income.standing is IncomeStanding.BELOW:
        return RiskFlag(RiskKind.BELOW_LINE, Message("policy.risk.below_line", income.figures()))
    upper = band_upper(income.line, config)
    if income.per_capita <= upper:
        params = {**income.figures(), "upper": format_yuan(upper)}
        return RiskFlag(RiskKind.NEAR_LINE, Message("policy.risk.near_line", params))
    return None


def expense_flag(income: IncomeAssessment, config: PolicyConfig) -> RiskFlag | None:
    record = income.income
    if record is None or record.unavoidable_expenses < config.large_expense_yuan:
        return None
    params = {"year": record.year, "amount": format_yuan(record.unavoidable_expenses)}
    if record.expense_cause:
        message = Message("policy.risk.large_expense", {**params, "cause": record.expense_cause})
    else:
        message = Message("policy.risk.large_expense_no_cause", params)
    return RiskFlag(RiskKind.LARGE_EXPENSE, message)


def guarantee_flags(guarantees: HouseholdGuarantees) -> list[RiskFlag]:
    return [
        RiskFlag(
            RiskKind.GUARANTEE_LOST,
            Message(
                "policy.risk.guarantee_lost",
                {"guarantee": result.guarantee.zh, "guarantee_en": result.guarantee.en},
            ),
            result.guarantee,
        )
        for result in guarantees
        if result.status is GuaranteeStatus.NOT_MET
    ]


def risk_flags(
    household: Household,
    guarantees: HouseholdGuarantees,
    income: IncomeAssessment,
    config: PolicyConfig,
) -> tuple[RiskFlag, ...]:
    """The monitoring flags of ``household`` (empty when it is not followed by monitoring)."""
    if not is_monitored(household):
        return ()
    flags: list[RiskFlag] = []
    for flag in (income_flag(household, income, config), expense_flag(income, config)):
        if flag is not None:
            flags.append(flag)
    flags.extend(guarantee_flags(guarantees))
    return tuple(flags)


__all__ = [
    "MONITORED_STATUSES",
    "RiskFlag",
    "RiskKind",
    "band_upper",
    "expense_flag",
    "guarantee_flags",
    "income_flag",
    "is_monitored",
    "risk_flags",
]
