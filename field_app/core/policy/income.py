"""Per-capita net income of a year, compared with the poverty line of the household's province.

- per-capita net income = ``IncomeYear.net / persons``, rounded to the fen (0.01 yuan), where
  persons is ``IncomeYear.persons`` when recorded, else the number of present members;
- the line is the one of the province (first two digits of the village code) for that year,
  with the configured fallback to an earlier year (said in the reasons);
- ``above`` means strictly above the line: income exactly at the line does not "exceed the
  poverty line" (稳定超过国家扶贫标准) and counts as ``below``;
- a missing line (no configuration for the province) does not raise here: the standing is
  ``unknown`` with the ``config.no_poverty_line`` message, so one misconfigured province does
  not stop the assessment of a whole county.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from field_app.core.codes import Coded
from field_app.core.errors import ConfigError
from field_app.core.i18n import Message
from field_app.core.models.household import Household, IncomeYear
from field_app.core.models.member import Member
from field_app.core.policy.config import PolicyConfig, PovertyLine
from field_app.core.policy.guarantees import present_members


class IncomeStanding(Coded):
    ABOVE = "above", "高于贫困线", "Above the poverty line"
    BELOW = "below", "未超过贫困线", "Not above the poverty line"
    UNKNOWN = "unknown", "收入情况不明", "Unknown"


@dataclass(frozen=True, slots=True)
class IncomeAssessment:
    year: int
    standing: IncomeStanding
    per_capita: float | None = None
    persons: int | None = None
    line: PovertyLine | None = None
    income: IncomeYear | None = None
    reasons: tuple[Message, ...] = ()

    @property
    def above(self) -> bool:
        return self.standing is IncomeStanding.ABOVE

    @property
    def known(self) -> bool:
        return self.standing is not IncomeStanding.UNKNOWN

    @property
    def gap(self) -> float | None:
        """Per-capita income minus the line (negative when below), or None when unknown."""
        if self.per_capita is None or self.line is None:
            return None
        return round(self.per_capita - self.line.yuan_per_person, 2)

    @property
    def ratio(self) -> float | None:
        """Per-capita income as a multiple of the line (1.0 = exactly at the line)."""
        if self.per_capita is None or self.line is None:
            return None
        return self.per_capita / self.line.yuan_per_person

    def figures(self) -> dict[str, object]:
        """Message parameters: year, per-capita income and line, formatted in yuan."""
        params: dict[str, object] = {"year": self.year}
        if self.per_capita is not None:
            params["per_capita"] = format_yuan(self.per_capita)
        if self.line is not None:
            params["line"] = format_yuan(self.line.yuan_per_person)
            params["line_year"] = self.line.year
        gap = self.gap
        if gap is not None and gap <= 0:
            params["shortfall"] = format_yuan(-gap)
        return params


def format_yuan(amount: float) -> str:
    """Yuan as people write them: no decimals when whole, else two (3535, 3534.50)."""
    cents = round(amount * 100)
    if cents % 100 == 0:
        return str(cents // 100)
    return f"{cents / 100:.2f}"


def province_of(household: Household) -> str:
    return household.village_code[:2]


def persons_for(income: IncomeYear, members: Iterable[Member]) -> int:
    return income.persons or len(present_members(members))


def per_capita_income(household: Household, members: Iterable[Member], year: int) -> float | None:
    """Per-capita net income of ``year`` in yuan (to the fen), or None when it cannot be computed."""
    income = household.income_for(year)
    if income is None:
        return None
    persons = persons_for(income, members)
    return round(income.net / persons, 2) if persons else None


def assess_income(
    household: Household, members: Iterable[Member], config: PolicyConfig, year: int
) -> IncomeAssessment:
    income = household.income_for(year)
    if income is None:
        return IncomeAssessment(
            year, IncomeStanding.UNKNOWN, reasons=(Message("policy.income.missing", {"year": year}),)
        )
    persons = persons_for(income, members)
    if not persons:
        return IncomeAssessment(
            year,
            IncomeStanding.UNKNOWN,
            income=income,
            reasons=(Message("policy.income.no_persons", {"year": year}),),
        )
    per_capita = round(income.net / persons, 2)
    province = province_of(household)
    try:
        line = config.poverty_line(province, year)
    except ConfigError as exc:
        return IncomeAssessment(
            year,
            IncomeStanding.UNKNOWN,
            per_capita=per_capita,
            persons=persons,
            income=income,
            reasons=(Message(exc.code, exc.params),),
        )
    standing = IncomeStanding.ABOVE if per_capita > line.yuan_per_person else IncomeStanding.BELOW
    assessment = IncomeAssessment(year, standing, per_capita, persons, line, income)
    code = "policy.income.above" if standing is IncomeStanding.ABOVE else "policy.income.below"
    reasons = [Message(code, assessment.figures())]
    if line.year != year:
        reasons.append(Message("policy.income.line_fallback", assessment.figures()))
    return IncomeAssessment(year, standing, per_capita, persons, line, income, tuple(reasons))


__all__ = [
    "IncomeAssessment",
    "IncomeStanding",
    "assess_income",
    "format_yuan",
    "per_capita_income",
    "persons_for",
    "province_of",
]
