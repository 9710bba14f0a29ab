from __future__ import annotations

from datetime import date

import pytest

from field_app.core.models import HouseholdCategory, HouseholdStatus, Role
from field_app.core.policy import (
    VisitDuty,
    coverage,
    duties_for,
    next_visit_due,
    period_bounds,
    required_period,
)
from field_app.core.policy.visit_duty import period_bounds_at, period_index
from tests.core.policy.conftest import make_config, make_household, make_visit

CONFIG = make_config()


@pytest.mark.parametrize(
    ("day", "period", "start", "end"),
    [
        (date(2024, 2, 10), "month", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (date(2023, 2, 10), "month", date(2023, 2, 1), date(2023, 2, 28)),
        (date(2024, 12, 31), "month", date(2024, 12, 1), date(2024, 12, 31)),
        (date(2024, 1, 1), "quarter", date(2024, 1, 1), date(2024, 3, 31)),
        (date(2024, 6, 15), "quarter", date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 9, 30), "quarter", date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), "quarter", date(2024, 10, 1), date(2024, 12, 31)),
        (date(2024, 7, 4), "year", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_period_bounds(day, period, start, end) -> None:
    assert period_bounds(day, period) == (start, end)


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_consecutive_periods_touch(period) -> None:
    index = period_index(date(2023, 11, 20), period)
    for step in range(30):
        _, end = period_bounds_at(index + step, period)
        next_start, _ = period_bounds_at(index + step + 1, period)
        assert (next_start - end).days == 1
        assert period_index(next_start, period) == index + step + 1


@pytest.mark.parametrize(
    ("role", "household_args", "visitor_id", "at_risk", "period"),
    [
        (Role.HELPER_CADRE, {"helper_ids": ["u1"]}, None, False, "month"),
        (Role.HELPER_CADRE, {"helper_ids": ["u1"]}, "u1", False, "month"),
        (Role.HELPER_CADRE, {"helper_ids": ["u1"]}, "u2", False, None),  # not their household
        (Role.HELPER_CADRE, {}, None, False, None),  # nobody paired with it
        (Role.VILLAGE_CLERK, {}, None, False, "quarter"),
        (Role.VILLAGE_CLERK, {"status": HouseholdStatus.EXITED, "exit_year": 2020}, None, False, "quarter"),
        (Role.FIELD_WORKER, {}, None, False, "quarter"),
        (Role.FIELD_WORKER, {"status": HouseholdStatus.MONITORED}, None, False, "month"),
        (Role.FIELD_WORKER, {"status": HouseholdStatus.RETURNED, "exit_year": 2019}, None, False, "month"),
        (Role.FIELD_WORKER, {}, None, True, "month"),  # at risk
        (Role.TOWNSHIP_STATION, {}, None, False, "year"),
        (Role.TOWNSHIP_STATION, {"status": HouseholdStatus.MONITORED}, None, False, "year"),
        (Role.SUPERVISOR, {}, None, False, None),
        (Role.FIELD_WORKER, {"deleted": True}, None, False, None),
    ],
)
def test_required_period(role, household_args, visitor_id, at_risk, period) -> None:
    household = make_household(**household_args)
    assert required_period(household, role, CONFIG, visitor_id=visitor_id, at_risk=at_risk) == period
    duties = duties_for(household, role, CONFIG, visitor_id=visitor_id, at_risk=at_risk)
    assert bool(duties) is (period is not None)


def test_duty_by_category() -> None:
    config = make_config(
        visit_duties=[
            VisitDuty(role=Role.VILLAGE_CLERK, period="quarter"),
            VisitDuty(
                role=Role.VILLAGE_CLERK, period="month", categories=frozenset({HouseholdCategory.EXTREME})
            ),
        ]
    )
    assert required_period(make_household(), Role.VILLAGE_CLERK, config) == "quarter"
    extreme = make_household(category=HouseholdCategory.EXTREME)
    assert required_period(extreme, Role.VILLAGE_CLERK, config) == "month"


# role, household args, visit days, today, since -> due date, overdue, missed periods, visited now
DUE_CASES = [
    # quarterly (field worker, ordinary household)
    (
        "quarter visited this quarter",
        Role.FIELD_WORKER,
        {},
        [date(2024, 4, 10)],
        date(2024, 6, 15),
        None,
        date(2024, 9, 30),
        False,
        0,
        True,
    ),
    (
        "visit on the last day of Q1, today first day of Q2",
        Role.FIELD_WORKER,
        {},
        [date(2024, 3, 31)],
        date(2024, 4, 1),
        None,
        date(2024, 6, 30),
        False,
        0,
        False,
    ),
    (
        "Q1 missed",
        Role.FIELD_WORKER,
        {},
        [date(2023, 12, 31)],
        date(2024, 4, 1),
        None,
        date(2024, 6, 30),
        True,
        1,
        False,
    ),
    (
        "last day of Q1, previous quarter visited",
        Role.FIELD_WORKER,
        {},
        [date(2023, 12, 31)],
        date(2024, 3, 31),
        None,
        date(2024, 3, 31),
        False,
        0,
        False,
    ),
    (
        "three quarters missed",
        Role.FIELD_WORKER,
        {},
        [date(2023, 5, 1)],
        date(2024, 6, 30),
        None,
        date(2024, 6, 30),
        True,
        3,
        False,
    ),
    (
        "visit in the current period clears overdue",
        Role.FIELD_WORKER,
        {},
        [date(2023, 5, 1), date(2024, 6, 1)],
        date(2024, 6, 30),
        None,
        date(2024, 9, 30),
        False,
        0,
        True,
    ),
    (
        "visited in Q4: next due end of Q1 next year",
        Role.FIELD_WORKER,
        {},
        [date(2024, 11, 2)],
        date(2024, 12, 31),
        None,
        date(2025, 3, 31),
        False,
        0,
        True,
    ),
    # monthly (helper cadre of the household)
    (
        "month boundary into leap February",
        Role.HELPER_CADRE,
        {"helper_ids": ["u1"]},
        [date(2024, 1, 31)],
        date(2024, 2, 1),
        None,
        date(2024, 2, 29),
        False,
        0,
        False,
    ),
    (
        "February missed",
        Role.HELPER_CADRE,
        {"helper_ids": ["u1"]},
        [date(2024, 1, 31)],
        date(2024, 3, 1),
        None,
        date(2024, 3, 31),
        True,
        1,
        False,
    ),
    (
        "year boundary, December visited",
        Role.HELPER_CADRE,
        {"helper_ids": ["u1"]},
        [date(2023, 12, 15)],
        date(2024, 1, 10),
        None,
        date(2024, 1, 31),
        False,
        0,
        False,
    ),
    (
        "visited in December: due end of January",
        Role.HELPER_CADRE,
        {"helper_ids": ["u1"]},
        [date(2023, 12, 15)],
        date(2023, 12, 20),
        None,
        date(2024, 1, 31),
        False,
        0,
        True,
    ),
    (
        "monitored household monthly for the field worker",
        Role.FIELD_WORKER,
        {"status": HouseholdStatus.MONITORED},
        [date(2024, 4, 10)],
        date(2024, 6, 15),
        None,
        date(2024, 6, 30),
        True,
        1,
        False,
    ),
    # yearly (township station)
    (
        "previous year visited",
        Role.TOWNSHIP_STATION,
        {},
        [date(2023, 5, 1)],
        date(2024, 12, 31),
        None,
        date(2024, 12, 31),
        False,
        0,
        False,
    ),
    (
        "2023 missed",
        Role.TOWNSHIP_STATION,
        {},
        [date(2022, 5, 1)],
        date(2024, 1, 1),
        None,
        date(2024, 12, 31),
        True,
        1,
        False,
    ),
    (
        "visited on New Year's day",
        Role.TOWNSHIP_STATION,
        {},
        [date(2024, 1, 1)],
        date(2024, 1, 1),
        None,
        date(2025, 12, 31),
        False,
        0,
        True,
    ),
    # never visited: the duty starts at ``since`` or 1 January of the identification year
    (
        "never visited, identified this year",
        Role.FIELD_WORKER,
        {"identified_year": 2024},
        [],
        date(2024, 6, 15),
        None,
        date(2024, 6, 30),
        True,
        1,
        False,
    ),
    (
        "never visited, identified in 2016",
        Role.HELPER_CADRE,
        {"helper_ids": ["u1"]},
        [],
        date(2024, 6, 15),
        None,
        date(2024, 6, 30),
        True,
        8 * 12 + 5,
        False,
    ),
    (
        "duty began mid-quarter: that quarter is not missed",
        Role.FIELD_WORKER,
        {},
        [],
        date(2024, 7, 5),
        date(2024, 5, 20),
        date(2024, 9, 30),
        False,
        0,
        False,
    ),
    (
        "duty began with the quarter: missed",
        Role.FIELD_WORKER,
        {},
        [],
        date(2024, 7, 5),
        date(2024, 4, 1),
        date(2024, 9, 30),
        True,
        1,
        False,
    ),
    (
        "old visit before the duty began",
        Role.FIELD_WORKER,
        {},
        [date(2020, 1, 1)],
        date(2024, 7, 5),
        date(2024, 4, 1),
        date(2024, 9, 30),
        True,
        1,
        False,
    ),
]


@pytest.mark.parametrize(
    ("role", "household_args", "days", "today", "since", "due", "overdue", "missed", "visited_now"),
    [case[1:] for case in DUE_CASES],
    ids=[case[0] for case in DUE_CASES],
)
def test_next_visit_due(role, household_args, days, today, since, due, overdue, missed, visited_now) -> None:
    household = make_household(**household_args)
    visits = [make_visit(day, role) for day in days]
    status = next_visit_due(household, visits, role, CONFIG, today, since=since)
    assert status is not None
    assert (status.due_date, status.overdue, status.missed_periods, status.visited_this_period) == (
        due,
        overdue,
        missed,
        visited_now,
    )
    if days:
        assert status.last_visit is not None and status.last_visit.started_at.date() == max(
            day for day in days if day <= today
        )


@pytest.mark.parametrize(
    "other",
    [
        make_visit(date(2024, 5, 1), Role.VILLAGE_CLERK),  # another role
        make_visit(date(2024, 5, 1), household_id="h2"),  # another household
        make_visit(date(2024, 5, 1), amends="some-visit-id"),  # a correction, not a visit
        make_visit(date(2024, 6, 20)),  # after today
    ],
)
def test_visits_that_do_not_count(other) -> None:
    household = make_household()
    base = [make_visit(date(2023, 12, 1))]
    status = next_visit_due(household, [*base, other], Role.FIELD_WORKER, CONFIG, date(2024, 6, 15))
    assert status is not None
    assert status.last_visit == base[0]
    assert (status.overdue, status.missed_periods) == (True, 1)


def test_visitor_filter() -> None:
    household = make_household(helper_ids=["u1", "u2"])
    visits = [make_visit(date(2024, 6, 1), Role.HELPER_CADRE, visitor_id="u2")]
    mine = next_visit_due(household, visits, Role.HELPER_CADRE, CONFIG, date(2024, 6, 15), visitor_id="u1")
    anyone = next_visit_due(household, visits, Role.HELPER_CADRE, CONFIG, date(2024, 6, 15))
    assert mine is not None and not mine.visited_this_period and mine.last_visit is None
    assert anyone is not None and anyone.visited_this_period


def test_no_duty_no_due_date() -> None:
    assert next_visit_due(make_household(), [], Role.SUPERVISOR, CONFIG, date(2024, 6, 15)) is None


def test_at_risk_household_is_due_monthly() -> None:
    visits = [make_visit(date(2024, 4, 10))]
    status = next_visit_due(
        make_household(), visits, Role.FIELD_WORKER, CONFIG, date(2024, 6, 15), at_risk=True
    )
    assert status is not None and (status.period, status.due_date, status.overdue) == (
        "month",
        date(2024, 6, 30),
        True,
    )


def test_coverage() -> None:
    households = [
        make_household(id="h1", helper_ids=["u1"]),
        make_household(id="h2"),
        make_household(id="h3", deleted=True),
        make_household(id="h4", status=HouseholdStatus.MONITORED),
    ]
    visits = [
        make_visit(date(2024, 5, 3), Role.VILLAGE_CLERK, household_id="h1"),
        make_visit(date(2024, 3, 30), Role.VILLAGE_CLERK, household_id="h2"),  # previous quarter
        make_visit(date(2024, 5, 3), Role.VILLAGE_CLERK, household_id="h3"),  # deleted household
        make_visit(date(2024, 6, 30), Role.VILLAGE_CLERK, household_id="h4"),  # last day of the window
        make_visit(date(2024, 5, 3), Role.HELPER_CADRE, household_id="h2"),  # another role
    ]
    clerk = coverage(households, visits, Role.VILLAGE_CLERK, CONFIG, date(2024, 4, 1), date(2024, 6, 30))
    assert (clerk.required, clerk.visited, clerk.missing, clerk.rate) == (3, 2, ("h2",), 2 / 3)
    helper = coverage(households, visits, Role.HELPER_CADRE, CONFIG, date(2024, 5, 1), date(2024, 5, 31))
    assert (helper.required, helper.visited, helper.missing) == (1, 0, ("h1",))
    nobody = coverage(households, visits, Role.SUPERVISOR, CONFIG, date(2024, 5, 1), date(2024, 5, 31))
    assert (nobody.required, nobody.rate) == (0, None)
