from __future__ import annotations

from datetime import date

import pytest

from field_app.core.models import MemberStatus
from field_app.core.policy import IncomeStanding, assess_income, format_yuan, per_capita_income, province_of
from tests.core.policy.conftest import make_config, make_family, make_household, make_income, make_member

ABOVE, BELOW, UNKNOWN = IncomeStanding.ABOVE, IncomeStanding.BELOW, IncomeStanding.UNKNOWN


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (3535, "3535"),
        (3535.0, "3535"),
        (3534.5, "3534.50"),
        (0.004, "0"),
        (1234.567, "1234.57"),
        (-50, "-50"),
    ],
)
def test_format_yuan(amount: float, text: str) -> None:
    assert format_yuan(amount) == text


def test_net_and_per_capita() -> None:
    income = make_income(2023, 20000, business=5000, transfers=3000, production_costs=4000)
    assert income.net == 24000
    household = make_household(incomes=[income])
    assert per_capita_income(household, make_family(), 2023) == 12000  # 2 present members
    assert per_capita_income(household, make_family(make_member("王五", relation="son")), 2023) == 8000
    assert per_capita_income(household, make_family(), 2022) is None


def test_persons_recorded_on_the_income_win_over_members() -> None:
    household = make_household(incomes=[make_income(2023, 24000, persons=4)])
    assert per_capita_income(household, make_family(), 2023) == 6000


def test_absent_members_do_not_count() -> None:
    members = make_family(make_member("王五", relation="son", status=MemberStatus.MOVED_OUT))
    household = make_household(incomes=[make_income(2023, 24000)])
    assert per_capita_income(household, members, 2023) == 12000


@pytest.mark.parametrize(
    ("net", "standing", "gap", "ratio"),
    [
        (12000, BELOW, 0, 1.0),  # exactly at the line (6000 x 2) is not above it
        (12000.02, ABOVE, 0.01, 12000.02 / 12000),
        (11999.98, BELOW, -0.01, 11999.98 / 12000),
        (6000, BELOW, -3000, 0.5),
        (24000, ABOVE, 6000, 2.0),
        (0, BELOW, -6000, 0.0),
    ],
)
def test_comparison_with_the_line(net: float, standing: IncomeStanding, gap: float, ratio: float) -> None:
    household = make_household(incomes=[make_income(2023, net)])
    result = assess_income(household, make_family(), make_config(), 2023)
    assert result.standing is standing
    assert result.line is not None and result.line.yuan_per_person == 6000
    assert result.persons == 2
    assert result.gap == pytest.approx(gap)
    assert result.ratio == pytest.approx(ratio)
    assert result.above is (standing is ABOVE)


def test_below_line_reason() -> None:
    household = make_household(incomes=[make_income(2023, 11000)])
    result = assess_income(household, make_family(), make_config(), 2023)
    (reason,) = result.reasons
    assert reason.code == "policy.income.below"
    assert reason.params["per_capita"] == "5500" and reason.params["line"] == "6000"
    assert reason.text() == "2023年人均纯收入5500元，未超过贫困线6000元（差500元）"
    assert reason.text("en") == (
        "Per-capita net income 5500 yuan in 2023 does not exceed the poverty line of 6000 yuan (short by 500)"
    )


def test_above_line_reason() -> None:
    household = make_household(incomes=[make_income(2023, 40000)])
    result = assess_income(household, make_family(), make_config(), 2023)
    assert [r.text() for r in result.reasons] == ["2023年人均纯收入20000元，高于贫困线6000元"]


def test_line_fallback_is_said() -> None:
    household = make_household(incomes=[make_income(2021, 10000)])
    result = assess_income(household, make_family(), make_config(), 2021)
    assert result.standing is ABOVE and result.line.year == 2020
    assert [r.code for r in result.reasons] == ["policy.income.above", "policy.income.line_fallback"]
    assert result.reasons[1].text() == "2021年贫困线未配置，暂按2020年标准4000元计算"


@pytest.mark.parametrize(
    ("household_args", "members", "year", "code", "zh"),
    [
        ({}, None, 2022, "policy.income.missing", "未录入2022年收入"),
        ({}, [], 2023, "policy.income.no_persons", "无在户成员，无法计算2023年人均纯收入"),
        (
            {"village_code": "110101001001", "incomes": [make_income(2023, 40000)]},
            None,
            2023,
            "config.no_poverty_line",
            "未配置 11 2023 年的贫困线",
        ),
        (
            {"incomes": [make_income(2018, 40000)]},
            None,
            2018,
            "config.no_poverty_line",
            "未配置 36 2018 年的贫困线",
        ),
    ],
)
def test_unknown_income(household_args, members, year, code, zh) -> None:
    household = make_household(**household_args)
    result = assess_income(household, make_family() if members is None else members, make_config(), year)
    assert result.standing is UNKNOWN and not result.known
    assert [r.code for r in result.reasons] == [code]
    assert result.reasons[0].text() == zh
    assert result.gap is None and result.ratio is None


def test_no_present_members_with_persons_recorded_still_works() -> None:
    household = make_household(incomes=[make_income(2023, 30000, persons=3)])
    result = assess_income(
        household, [make_member(status=MemberStatus.DECEASED, birth=date(1950, 1, 1))], make_config(), 2023
    )
    assert result.per_capita == 10000 and result.standing is ABOVE


def test_province_from_village_code() -> None:
    assert province_of(make_household()) == "36"
    household = make_household(village_code="440101001001", incomes=[make_income(2019, 7000)])
    result = assess_income(household, make_family(), make_config(), 2019)
    assert (result.line.province_code, result.line.year, result.standing) == ("44", 2016, BELOW)
