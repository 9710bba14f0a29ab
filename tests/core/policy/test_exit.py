from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from field_app.core.models import Guarantee, Housing, HousingGrade, RenovationStatus, SchoolStatus, Water
from field_app.core.policy import GuaranteeStatus, assess_guarantees, assess_income, exit_eligibility
from tests.core.policy.conftest import (
    TODAY,
    make_child,
    make_config,
    make_family,
    make_household,
    make_income,
)

CONFIG = make_config()


def eligibility(household, members, year: int = 2023):
    guarantees = assess_guarantees(household, members, CONFIG, TODAY)
    return exit_eligibility(guarantees, assess_income(household, members, CONFIG, year))


def test_eligible_household() -> None:
    result = eligibility(make_household(), make_family())
    assert result.eligible
    assert result.reasons == () and result.failing == () and result.unverified == ()


@pytest.mark.parametrize(
    ("household_args", "children", "failing", "unverified", "texts"),
    [
        ({"food_secure": False}, [], [Guarantee.FOOD], [], ["不愁吃未达标", "全年口粮不能保障"]),
        ({"clothing_secure": None}, [], [], [Guarantee.CLOTHING], ["不愁穿未核实", "不愁穿情况未核实"]),
        (
            {},
            [make_child("王小明", 11)],
            [Guarantee.EDUCATION],
            [],
            ["义务教育有保障未达标", "王小明 11岁 未在校"],
        ),
        (
            {"housing": Housing(grade=HousingGrade.D, renovation=RenovationStatus.IN_PROGRESS)},
            [],
            [Guarantee.HOUSING],
            [],
            ["住房安全有保障未达标", "住房为D级危房，尚未完成改造（改造中）"],
        ),
        (
            {"water": Water(quantity_ok=True, quality_ok=None, convenient=True)},
            [],
            [],
            [Guarantee.WATER],
            ["饮水安全有保障未核实", "饮水水质未核实"],
        ),
        (
            {"food_secure": None, "water": Water(quantity_ok=False, quality_ok=True, convenient=True)},
            [],
            [Guarantee.WATER],
            [Guarantee.FOOD],
            ["不愁吃未核实", "不愁吃情况未核实", "饮水安全有保障未达标", "饮水水量不足"],
        ),
    ],
)
def test_guarantees_block_exit(household_args, children, failing, unverified, texts) -> None:
    result = eligibility(make_household(**household_args), make_family(*children))
    assert not result.eligible
    assert list(result.failing) == failing and list(result.unverified) == unverified
    assert [reason.text() for reason in result.reasons] == texts


@pytest.mark.parametrize(
    ("incomes", "year", "code", "zh"),
    [
        (
            [make_income(2023, 11000)],
            2023,
            "policy.income.below",
            "2023年人均纯收入5500元，未超过贫困线6000元（差500元）",
        ),
        (
            [make_income(2023, 12000)],
            2023,
            "policy.income.below",
            "2023年人均纯收入6000元，未超过贫困线6000元（差0元）",
        ),
        ([make_income(2022, 40000)], 2023, "policy.income.missing", "未录入2023年收入"),
    ],
)
def test_income_blocks_exit(incomes, year, code, zh) -> None:
    result = eligibility(make_household(incomes=incomes), make_family(), year)
    assert not result.eligible
    assert result.reasons[0].code == code and result.reasons[0].text() == zh
    assert result.failing == () and result.unverified == ()


def test_income_and_guarantee_reasons_together() -> None:
    result = eligibility(make_household(incomes=[make_income(2023, 11000)], food_secure=False), make_family())
    assert [r.code for r in result.reasons] == [
        "policy.income.below",
        "policy.exit.guarantee_not_met",
        "policy.food.not_secure",
    ]
    assert result.reasons[1].text("en") == "Enough food: not met"


# ---- properties --------------------------------------------------------------------------------

flags = st.sampled_from([True, False, None])


@st.composite
def households(draw):
    housing = Housing(
        grade=draw(st.sampled_from([None, *HousingGrade])),
        renovation=draw(st.sampled_from(list(RenovationStatus))),
        relocated=draw(st.booleans()),
    )
    water = Water(quantity_ok=draw(flags), quality_ok=draw(flags), convenient=draw(flags))
    net = draw(st.integers(min_value=0, max_value=40000))
    household = make_household(
        food_secure=draw(flags),
        clothing_secure=draw(flags),
        housing=housing,
        water=water,
        incomes=[make_income(2023, net)],
    )
    children = [
        make_child(
            f"孩子{i}",
            draw(st.integers(min_value=3, max_value=17)),
            school_status=draw(st.sampled_from(list(SchoolStatus))),
            medical_insurance=draw(flags),
        )
        for i in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    return household, make_family(*children)


@settings(max_examples=150, deadline=None)
@given(households())
def test_eligible_means_every_guarantee_met_and_income_above_line(case) -> None:
    household, members = case
    guarantees = assess_guarantees(household, members, CONFIG, TODAY)
    income = assess_income(household, members, CONFIG, 2023)
    result = exit_eligibility(guarantees, income)
    every_met = all(r.status is GuaranteeStatus.MET for r in guarantees)
    assert result.eligible == (every_met and income.per_capita > income.line.yuan_per_person)
    assert result.eligible == (not result.reasons)
    assert set(result.failing) == {r.guarantee for r in guarantees.with_status(GuaranteeStatus.NOT_MET)}


BREAKERS = [
    lambda h, m: (h.model_copy(update={"food_secure": False}), m),
    lambda h, m: (h.model_copy(update={"clothing_secure": False}), m),
    lambda h, m: (h.model_copy(update={"water": h.water.model_copy(update={"quality_ok": False})}), m),
    lambda h, m: (h.model_copy(update={"housing": Housing(grade=HousingGrade.D)}), m),
    lambda h, m: (h, [*m, make_child("辍学生", 12, school_status=SchoolStatus.DROPPED_OUT)]),
    lambda h, m: (h, [m[0].model_copy(update={"medical_insurance": False}), *m[1:]]),
]


@settings(max_examples=150, deadline=None)
@given(households(), st.sampled_from(range(len(BREAKERS))))
def test_a_guarantee_not_met_never_makes_a_household_eligible(case, which: int) -> None:
    household, members = case
    broken_household, broken_members = BREAKERS[which](household, members)
    before = eligibility(household, members)
    after = eligibility(broken_household, broken_members)
    assert not after.eligible
    assert after.failing  # the broken guarantee is named
    assert set(before.failing) <= set(after.failing)
