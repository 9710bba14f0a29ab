from __future__ import annotations

import pytest

from field_app.core.models import Guarantee, HouseholdStatus, Housing, HousingGrade
from field_app.core.policy import RiskKind, assess_guarantees, assess_income, is_monitored, risk_flags
from tests.core.policy.conftest import TODAY, make_config, make_family, make_household, make_income

CONFIG = make_config()  # line 6000 in 2023, band 0.5 -> monitored up to 9000 per person


def flags_of(household, config=CONFIG, year: int = 2023):
    members = make_family()
    guarantees = assess_guarantees(household, members, config, TODAY)
    return risk_flags(household, guarantees, assess_income(household, members, config, year), config)


def exited(**overrides):
    return make_household(status=HouseholdStatus.EXITED, exit_year=2020, **overrides)


@pytest.mark.parametrize(
    ("per_capita", "kinds"),
    [
        (5000, [RiskKind.BELOW_LINE]),
        (6000, [RiskKind.BELOW_LINE]),  # exactly at the line: not above it
        (6000.01, [RiskKind.NEAR_LINE]),  # just above the line
        (8999.99, [RiskKind.NEAR_LINE]),
        (9000, [RiskKind.NEAR_LINE]),  # exactly at the band top: still near the line
        (9000.01, []),  # just above the band
        (20000, []),
    ],
)
def test_income_band_edges(per_capita: float, kinds: list[RiskKind]) -> None:
    household = exited(incomes=[make_income(2023, per_capita * 2)])
    assert [flag.kind for flag in flags_of(household)] == kinds


def test_band_is_configuration() -> None:
    household = exited(incomes=[make_income(2023, 16000)])  # 8000 per person
    assert [f.kind for f in flags_of(household)] == [RiskKind.NEAR_LINE]
    assert flags_of(household, make_config(monitoring_band=0.2)) == ()  # up to 7200 only


def test_near_line_text() -> None:
    (flag,) = flags_of(exited(incomes=[make_income(2023, 14000)]))
    assert flag.message.code == "policy.risk.near_line"
    assert flag.message.params["upper"] == "9000"
    assert flag.message.text() == "2023年人均纯收入7000元，接近贫困线（贫困线6000元，监测上限9000元）"


def test_below_line_text() -> None:
    (flag,) = flags_of(exited(incomes=[make_income(2023, 10000)]))
    assert flag.message.text() == "2023年人均纯收入5000元，未超过贫困线6000元，有返贫致贫风险"


@pytest.mark.parametrize(
    ("status", "exit_year", "followed"),
    [
        (HouseholdStatus.EXITED, 2020, True),
        (HouseholdStatus.EXITED_SUPPORTED, 2020, True),
        (HouseholdStatus.MONITORED, None, True),
        (HouseholdStatus.MONITORED, 2019, True),
        (HouseholdStatus.NOT_EXITED, None, False),
        (HouseholdStatus.RETURNED, 2019, False),
    ],
)
def test_only_exited_and_monitored_households_are_flagged(status, exit_year, followed) -> None:
    household = make_household(
        status=status, exit_year=exit_year, incomes=[make_income(2023, 10000)], food_secure=False
    )
    assert is_monitored(household) is followed
    assert bool(flags_of(household)) is followed


def test_income_before_the_exit_year_is_not_a_risk() -> None:
    household = make_household(
        status=HouseholdStatus.EXITED,
        exit_year=2023,
        incomes=[make_income(2022, 8000), make_income(2023, 14000)],
    )
    assert flags_of(household, year=2022) == ()
    assert [f.kind for f in flags_of(household, year=2023)] == [RiskKind.NEAR_LINE]  # the exit year counts


def test_unknown_income_is_no_income_flag() -> None:
    assert flags_of(exited(incomes=[])) == ()


@pytest.mark.parametrize(
    ("expenses", "cause", "code", "zh"),
    [
        (9999.99, "住院", None, None),
        (10000, "住院治疗", "policy.risk.large_expense", "2023年发生大额刚性支出10000元（住院治疗）"),
        (
            25000.5,
            "房屋遭洪水损毁",
            "policy.risk.large_expense",
            "2023年发生大额刚性支出25000.50元（房屋遭洪水损毁）",
        ),
        (30000, None, "policy.risk.large_expense_no_cause", "2023年发生大额刚性支出30000元，原因未填写"),
    ],
)
def test_large_expense(expenses, cause, code, zh) -> None:
    income = make_income(2023, 40000, unavoidable_expenses=expenses, expense_cause=cause)
    flags = flags_of(exited(incomes=[income]))
    if code is None:
        assert flags == ()
    else:
        (flag,) = flags
        assert (flag.kind, flag.message.code, flag.message.text()) == (RiskKind.LARGE_EXPENSE, code, zh)


def test_guarantees_lost_after_exit() -> None:
    household = exited(housing=Housing(grade=HousingGrade.D), food_secure=None, clothing_secure=False)
    flags = flags_of(household)
    assert [(f.kind, f.guarantee) for f in flags] == [
        (RiskKind.GUARANTEE_LOST, Guarantee.CLOTHING),
        (RiskKind.GUARANTEE_LOST, Guarantee.HOUSING),
    ]  # food is only unverified: not flagged
    assert flags[1].message.text() == "脱贫后住房安全有保障未达标"
    assert flags[1].message.text("en") == "Safe housing no longer met after exit"


def test_several_flags_together() -> None:
    income = make_income(2023, 10000, unavoidable_expenses=15000, expense_cause="车祸")
    flags = flags_of(exited(incomes=[income], food_secure=False))
    assert [f.kind for f in flags] == [RiskKind.BELOW_LINE, RiskKind.LARGE_EXPENSE, RiskKind.GUARANTEE_LOST]
