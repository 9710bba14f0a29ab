from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

import field_app.core.policy as policy
from field_app.core.i18n import Message
from field_app.core.i18n.policy import POLICY_MESSAGES
from field_app.core.models import (
    Guarantee,
    HouseholdStatus,
    Housing,
    HousingGrade,
    Relation,
    Role,
    SchoolStatus,
    Sex,
)
from field_app.core.policy import (
    FindingSeverity,
    GuaranteeStatus,
    IncomeStanding,
    RiskKind,
    assess_household,
    assess_households,
    assessment_year,
    default_config,
)
from tests.core.policy.conftest import (
    TODAY,
    make_child,
    make_config,
    make_family,
    make_household,
    make_id,
    make_income,
    make_member,
    make_visit,
)

CONFIG = make_config()


def test_assessment_of_a_household_ready_to_exit() -> None:
    result = assess_household(make_household(), make_family(), CONFIG, TODAY)
    assert result.household_id == "h1" and result.today == TODAY
    assert result.guarantees.all_met
    assert result.income.year == 2023 and result.income.standing is IncomeStanding.ABOVE
    assert result.exit.eligible
    assert result.risks == () and not result.at_risk
    assert result.findings == () and result.due is None


def test_assessment_of_an_exited_household_at_risk() -> None:
    household = make_household(
        status=HouseholdStatus.EXITED,
        exit_year=2020,
        housing=Housing(grade=HousingGrade.D),
        incomes=[
            make_income(2022, 30000),
            make_income(2023, 11000, unavoidable_expenses=20000, expense_cause="住院"),
        ],
    )
    members = make_family(make_child("王小明", 11))
    visits = [make_visit(date(2024, 4, 2), Role.FIELD_WORKER)]
    result = assess_household(household, members, CONFIG, TODAY, visits, role=Role.FIELD_WORKER)
    assert [r.guarantee for r in result.guarantees.with_status(GuaranteeStatus.NOT_MET)] == [
        Guarantee.EDUCATION,
        Guarantee.HOUSING,
    ]
    assert not result.exit.eligible
    assert [r.text() for r in result.exit.reasons] == [
        "2023年人均纯收入3666.67元，未超过贫困线6000元（差2333.33元）",  # 3 members
        "义务教育有保障未达标",
        "王小明 11岁 未在校",
        "住房安全有保障未达标",
        "住房为D级危房，未列入危房改造",
    ]
    assert [f.kind for f in result.risks] == [
        RiskKind.BELOW_LINE,
        RiskKind.LARGE_EXPENSE,
        RiskKind.GUARANTEE_LOST,
        RiskKind.GUARANTEE_LOST,
    ]
    assert [f.code for f in result.errors] == [
        "policy.check.dangerous_house_exited",
        "policy.check.income_below_exited",
    ]
    assert [f.code for f in result.warnings] == ["policy.check.not_in_school_no_reason"]
    # at risk: the field worker's quarterly duty becomes monthly; May went by without a visit
    assert result.due is not None
    assert (result.due.period, result.due.due_date, result.due.overdue) == ("month", date(2024, 6, 30), True)


@pytest.mark.parametrize(
    ("years", "today", "expected"),
    [
        ([2021, 2023], date(2024, 6, 15), 2023),  # the latest recorded
        ([2023, 2024], date(2024, 6, 15), 2024),
        ([2023, 2025], date(2024, 6, 15), 2023),  # not a year after today
        ([], date(2024, 6, 15), 2024),  # nothing recorded: this year (unknown)
    ],
)
def test_assessment_year(years, today, expected) -> None:
    household = make_household(incomes=[make_income(year, 30000) for year in years])
    assert assessment_year(household, today) == expected


def test_explicit_income_year() -> None:
    household = make_household(incomes=[make_income(2022, 9000), make_income(2023, 40000)])
    result = assess_household(household, make_family(), CONFIG, TODAY, income_year=2022)
    assert result.income.year == 2022 and not result.exit.eligible


def test_other_households_members_are_ignored() -> None:
    stranger = make_child("外人", 10, household_id="h9")
    result = assess_household(make_household(), make_family(stranger), CONFIG, TODAY)
    assert result.exit.eligible


def test_assess_households_groups_members_and_visits() -> None:
    households = [make_household(id="h1"), make_household(id="h2", head_name="王五")]
    members = [
        *make_family(),
        make_member("王五", household_id="h2", id="m-w"),
        make_child(household_id="h2", id="m-c"),
    ]
    visits = [make_visit(date(2024, 6, 1), Role.VILLAGE_CLERK, household_id="h2")]
    results = assess_households(households, members, CONFIG, TODAY, visits, role=Role.VILLAGE_CLERK)
    assert list(results) == ["h1", "h2"]
    assert results["h1"].exit.eligible and results["h1"].income.persons == 2
    assert not results["h2"].exit.eligible and results["h2"].income.persons == 2
    assert results["h1"].due.last_visit is None and results["h2"].due.visited_this_period


def test_default_config_end_to_end() -> None:
    household = make_household(incomes=[make_income(2023, 12000)])  # 6000 per person; the demo line is 6900
    result = assess_household(household, make_family(), default_config(), TODAY)
    assert result.income.line.yuan_per_person == 6900
    assert result.income.standing is IncomeStanding.BELOW


def _county(size: int) -> tuple[list, list, list]:
    households, members, visits = [], [], []
    for n in range(size):
        hid = f"h{n}"
        status = [HouseholdStatus.NOT_EXITED, HouseholdStatus.EXITED, HouseholdStatus.MONITORED][n % 3]
        households.append(
            make_household(
                id=hid,
                status=status,
                exit_year=2020 if status is HouseholdStatus.EXITED else None,
                helper_ids=["u1"],
                incomes=[make_income(2022, 20000 + n), make_income(2023, 24000 + 10 * n)],
            )
        )
        members += [
            make_member(
                "张三",
                date(1970, 3, 1),
                household_id=hid,
                id=f"{hid}-1",
                id_number=make_id(date(1970, 3, 1), Sex.MALE),
            ),
            make_member(
                "李四",
                date(1972, 5, 1),
                Relation.SPOUSE,
                household_id=hid,
                id=f"{hid}-2",
                sex=Sex.FEMALE,
                id_number=make_id(date(1972, 5, 1), Sex.FEMALE),
            ),
            make_child("王小明", 11, household_id=hid, id=f"{hid}-3", school_status=SchoolStatus.PRIMARY),
            make_member(
                "张奶奶",
                date(1945, 1, 1),
                Relation.PARENT,
                household_id=hid,
                id=f"{hid}-4",
                health="chronic",
                family_doctor=n % 2 == 0,
            ),
        ]
        visits += [make_visit(date(2024, month, 5), Role.HELPER_CADRE, household_id=hid) for month in (3, 5)]
    return households, members, visits


def test_thousand_households_well_under_two_ms_each() -> None:
    households, members, visits = _county(1000)
    start = time.perf_counter()
    results = assess_households(households, members, CONFIG, TODAY, visits, role=Role.HELPER_CADRE)
    per_household_ms = (time.perf_counter() - start) * 1000 / len(households)
    assert len(results) == 1000
    assert sum(r.exit.eligible for r in results.values()) > 0
    assert per_household_ms < 2, f"{per_household_ms:.3f} ms per household"


# ---- the public API and the message catalogue --------------------------------------------------


def test_public_api() -> None:
    assert sorted(policy.__all__) == sorted(set(policy.__all__))
    for name in policy.__all__:
        assert getattr(policy, name) is not None


def test_every_policy_message_renders_in_both_languages() -> None:
    for code, (zh, en) in POLICY_MESSAGES.items():
        names = set(re.findall(r"{(\w+)}", zh + en))
        message = Message(code, {name: "x" for name in names})
        for lang in ("zh", "en"):
            assert "{" not in message.text(lang), (code, lang)
        assert re.search(r"[\u4e00-\u9fff]", zh), code


def test_every_policy_message_is_used() -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in Path(policy.__file__).parent.glob("*.py"))
    prefixes = {"policy.education.not_in_school", "policy.education.dropped_out"}  # + "_reason"
    unused = [
        code
        for code in POLICY_MESSAGES
        if f'"{code}"' not in source
        and not any(code == prefix + "_reason" for prefix in prefixes)
        and not code.startswith("policy.water.")  # built as f"policy.water.{name}..."
    ]
    assert unused == []


def test_severity_labels() -> None:
    assert FindingSeverity.ERROR.label() == "错误" and FindingSeverity.WARNING.label("en") == "Warning"
