"""Visit duties (遍访): who must visit which household how often, and when the next visit is due.

Duties are configuration (:class:`VisitDuty` in :class:`PolicyConfig`). A duty covers a
household when its statuses / categories match (None matches all), when ``assigned_only``
the visitor is one of the household's helpers (without a visitor: the household has a
helper at all), and when ``at_risk_only`` the household has a risk flag. Deleted households
have no duty. Several duties of one role: the shortest period governs.

Periods are calendar periods: a month, a quarter (Jan–Mar, Apr–Jun, ...), a year. Coverage is
"at least one visit in the period". For :func:`next_visit_due`, on ``today``:

- the visits that count are the household's visits by ``role`` (and by ``visitor_id`` when
  given) that started on or before ``today``; a correction (``Visit.amends``) is not a visit;
- visited in the current period: the next visit is due by the end of the next period;
  otherwise by the end of the current period;
- ``missed_periods``: the complete periods between the last counting visit (or the start of
  the duty) and the current period that had no visit; ``overdue`` when there is at least one,
  i.e. when the previous period ended without a visit. A visit in the current period clears it.
- the duty starts at ``since`` when given (the day the duty began: registration, a status
  change, an assignment), else on 1 January of the household's identification year; a period
  only counts as missed when the duty held for all of it (it starts on or after that day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from field_app.core.codes import Role
from field_app.core.models.household import Household
from field_app.core.models.visit import Visit
from field_app.core.policy.config import PERIODS, Period, PolicyConfig, VisitDuty

_RANK = {period: rank for rank, period in enumerate(PERIODS)}


# ---- calendar periods -------------------------------------------------------------------------


def period_index(day: date, period: Period) -> int:
    """A running number of the calendar period holding ``day`` (consecutive periods differ by 1)."""
    if period == "month":
        return day.year * 12 + day.month - 1
    if period == "quarter":
        return day.year * 4 + (day.month - 1) // 3
    return day.year


def period_bounds_at(index: int, period: Period) -> tuple[date, date]:
    """First and last day of the period numbered ``index`` (see :func:`period_index`)."""
    if period == "year":
        return date(index, 1, 1), date(index, 12, 31)
    months = 1 if period == "month" else 3
    per_year = 12 // months
    year, part = divmod(index, per_year)
    start = date(year, part * months + 1, 1)
    end_year, end_part = divmod(index + 1, per_year)
    return start, date(end_year, end_part * months + 1, 1) - timedelta(days=1)


def period_bounds(day: date, period: Period) -> tuple[date, date]:
    return period_bounds_at(period_index(day, period), period)


# ---- which duties apply -----------------------------------------------------------------------


def duty_applies(
    duty: VisitDuty, household: Household, *, visitor_id: str | None = None, at_risk: bool = False
) -> bool:
    if household.deleted:
        return False
    if duty.statuses is not None and household.status not in duty.statuses:
        return False
    if duty.categories is not None and household.category not in duty.categories:
        return False
    if duty.assigned_only:
        if not household.helper_ids:
            return False
        if visitor_id is not None and visitor_id not in household.helper_ids:
            return False
    return at_risk or not duty.at_risk_only


def duties_for(
    household: Household,
    role: Role,
    config: PolicyConfig,
    *,
    visitor_id: str | None = None,
    at_risk: bool = False,
) -> tuple[VisitDuty, ...]:
    """The duties of ``role`` covering ``household``."""
    return tuple(
        duty
        for duty in config.visit_duties
        if duty.role is role and duty_applies(duty, household, visitor_id=visitor_id, at_risk=at_risk)
    )


def required_period(
    household: Household,
    role: Role,
    config: PolicyConfig,
    *,
    visitor_id: str | None = None,
    at_risk: bool = False,
) -> Period | None:
    """The shortest period among the role's duties for the household, or None (no duty)."""
    duties = duties_for(household, role, config, visitor_id=visitor_id, at_risk=at_risk)
    return min((duty.period for duty in duties), key=_RANK.__getitem__, default=None)


# ---- when is the next visit due --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueStatus:
    period: Period
    due_date: date  # the last day by which the next visit must happen
    overdue: bool
    last_visit: Visit | None
    missed_periods: int = 0
    visited_this_period: bool = False


def counting_visits(
    visits: Iterable[Visit],
    household_id: str,
    role: Role,
    today: date,
    *,
    visitor_id: str | None = None,
) -> list[Visit]:
    """The visits that fulfil a duty: this household, this role (and visitor), not corrections."""
    return [
        visit
        for visit in visits
        if visit.household_id == household_id
        and visit.visitor_role is role
        and visit.amends is None
        and (visitor_id is None or visit.visitor_id == visitor_id)
        and visit.started_at.date() <= today
    ]


def next_visit_due(
    household: Household,
    visits: Iterable[Visit],
    role: Role,
    config: PolicyConfig,
    today: date,
    *,
    visitor_id: str | None = None,
    at_risk: bool = False,
    since: date | None = None,
) -> DueStatus | None:
    """When ``role`` must next visit ``household``; None when the role has no duty there."""
    period = required_period(household, role, config, visitor_id=visitor_id, at_risk=at_risk)
    if period is None:
        return None
    counted = counting_visits(visits, household.id, role, today, visitor_id=visitor_id)
    last = max(counted, key=lambda visit: visit.started_at, default=None)
    current = period_index(today, period)
    last_index = period_index(last.started_at.date(), period) if last is not None else None
    start = since or date(household.identified_year, 1, 1)
    first_full = period_index(start, period)
    if period_bounds_at(first_full, period)[0] != start:
        first_full += 1
    lower = first_full if last_index is None else max(last_index + 1, first_full)
    missed = max(0, current - lower)
    visited_now = last_index == current
    due = period_bounds_at(current + 1 if visited_now else current, period)[1]
    return DueStatus(period, due, missed > 0, last, missed, visited_now)


# ---- coverage over a window ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    required: int
    visited: int
    missing: tuple[str, ...] = ()  # ids of the households with a duty and no visit

    @property
    def rate(self) -> float | None:
        return self.visited / self.required if self.required else None


def coverage(
    households: Sequence[Household],
    visits: Iterable[Visit],
    role: Role,
    config: PolicyConfig,
    period_start: date,
    period_end: date,
    *,
    visitor_id: str | None = None,
    at_risk_ids: frozenset[str] = frozenset(),
) -> Coverage:
    """Of the households on which ``role`` has a duty, how many had a visit in the window.

    The window is inclusive; choose it to match the duty's period (a month for helper cadres,
    a quarter for village clerks, ...).
    """
    visited_ids = {
        visit.household_id
        for visit in visits
        if visit.visitor_role is role
        and visit.amends is None
        and (visitor_id is None or visit.visitor_id == visitor_id)
        and period_start <= visit.started_at.date() <= period_end
    }
    required = [
        household
        for household in households
        if duties_for(household, role, config, visitor_id=visitor_id, at_risk=household.id in at_risk_ids)
    ]
    missing = tuple(household.id for household in required if household.id not in visited_ids)
    return Coverage(len(required), len(required) - len(missing), missing)


__all__ = [
    "Coverage",
    "DueStatus",
    "counting_visits",
    "coverage",
    "duties_for",
    "duty_applies",
    "next_visit_due",
    "period_bounds",
    "period_bounds_at",
    "period_index",
    "required_period",
]
