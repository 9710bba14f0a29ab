from __future__ import annotations

from datetime import date

import pytest

from field_app.core.models import (
    HouseholdStatus,
    Housing,
    HousingGrade,
    MemberStatus,
    Relation,
    RenovationStatus,
    SchoolStatus,
    Sex,
)
from field_app.core.policy import FindingSeverity, assess_income, check_household
from tests.core.policy.conftest import (
    TODAY,
    make_child,
    make_config,
    make_family,
    make_household,
    make_id,
    make_income,
    make_member,
)

ERROR, WARNING = FindingSeverity.ERROR, FindingSeverity.WARNING
CONFIG = make_config()


def findings(household=None, members=None, *, year: int = 2023, today: date = TODAY):
    household = household or make_household()
    members = make_family() if members is None else members
    income = assess_income(household, members, CONFIG, year)
    return check_household(household, members, CONFIG, today, income=income)


def summary(found) -> list[tuple[FindingSeverity, str]]:
    return [(finding.severity, finding.code) for finding in found]


def test_clean_household_has_no_findings() -> None:
    assert findings() == ()


@pytest.mark.parametrize(
    ("child", "expected", "zh"),
    [
        (
            make_child("王小明", 10),
            [(WARNING, "policy.check.not_in_school_no_reason")],
            "王小明 10岁 未在校，未填写原因",
        ),
        (
            make_child("王小明", 10, school_status=SchoolStatus.DROPPED_OUT),
            [(WARNING, "policy.check.dropped_out_no_reason")],
            "王小明 10岁 辍学，未填写辍学原因",
        ),
        (make_child("王小明", 10, dropout_reason="随父母外出"), [], None),
        (make_child("王小明", 10, home_teaching=True), [], None),
        (make_child("王小明", 10, school_status=SchoolStatus.PRIMARY), [], None),
        (make_child("王小明", 16), [], None),  # past compulsory age
        (make_child("王小明", 10, school_status=None), [], None),  # unrecorded: 未核实 in the guarantee
        (make_child("王小明", 5), [], None),
        (make_child("王小明", 10, status=MemberStatus.MOVED_OUT), [], None),
    ],
)
def test_school_age_child_not_in_school_without_reason(child, expected, zh) -> None:
    found = findings(members=make_family(child))
    assert summary(found) == expected
    if zh:
        assert found[0].message.text() == zh and found[0].member_id == child.id


@pytest.mark.parametrize(
    ("insured", "expected", "zh"),
    [
        (True, [], None),
        (False, [(ERROR, "policy.medical.uninsured")], "李四 未参加基本医疗保险"),
        (None, [(WARNING, "policy.medical.insurance_unrecorded")], "李四 参保情况未登记"),
    ],
)
def test_insurance(insured, expected, zh) -> None:
    members = [
        make_member(),
        make_member("李四", date(1972, 5, 1), Relation.SPOUSE, medical_insurance=insured),
    ]
    found = findings(members=members)
    assert summary(found) == expected
    if zh:
        assert found[0].message.text() == zh and found[0].member_id == "m-李四"


@pytest.mark.parametrize(
    ("status", "housing", "expected"),
    [
        (
            HouseholdStatus.EXITED,
            Housing(grade=HousingGrade.D),
            [(ERROR, "policy.check.dangerous_house_exited")],
        ),
        (
            HouseholdStatus.EXITED_SUPPORTED,
            Housing(grade=HousingGrade.C, renovation=RenovationStatus.IN_PROGRESS),
            [(ERROR, "policy.check.dangerous_house_exited")],
        ),
        (HouseholdStatus.EXITED, Housing(grade=HousingGrade.D, renovation=RenovationStatus.DONE), []),
        (HouseholdStatus.EXITED, Housing(grade=HousingGrade.D, relocated=True), []),
        (HouseholdStatus.EXITED, Housing(grade=HousingGrade.B), []),
        (HouseholdStatus.EXITED, Housing(grade=None), []),
        (HouseholdStatus.MONITORED, Housing(grade=HousingGrade.D), []),
    ],
)
def test_dangerous_house_with_status_exited(status, housing, expected) -> None:
    exit_year = 2020 if status is not HouseholdStatus.MONITORED else None
    assert summary(findings(make_household(status=status, exit_year=exit_year, housing=housing))) == expected


def test_dangerous_house_text() -> None:
    household = make_household(
        status=HouseholdStatus.EXITED, exit_year=2020, housing=Housing(grade=HousingGrade.D)
    )
    assert findings(household)[0].message.text() == "住房为D级危房且未改造，户状态却为“已脱贫”"


@pytest.mark.parametrize(
    ("status", "exit_year", "net", "year", "expected"),
    [
        (HouseholdStatus.EXITED, 2020, 11000, 2023, [(ERROR, "policy.check.income_below_exited")]),
        (
            HouseholdStatus.EXITED,
            2020,
            12000,
            2023,
            [(ERROR, "policy.check.income_below_exited")],
        ),  # at the line
        (HouseholdStatus.EXITED, 2020, 12002, 2023, []),
        (HouseholdStatus.EXITED, 2024, 11000, 2023, []),  # income of the year before exit
        (HouseholdStatus.NOT_EXITED, None, 11000, 2023, []),
        (HouseholdStatus.MONITORED, None, 11000, 2023, []),
    ],
)
def test_income_below_line_with_status_exited(status, exit_year, net, year, expected) -> None:
    household = make_household(status=status, exit_year=exit_year, incomes=[make_income(year, net)])
    assert summary(findings(household, year=year, today=date(2024, 12, 1))) == expected


def test_income_below_text() -> None:
    household = make_household(
        status=HouseholdStatus.EXITED, exit_year=2020, incomes=[make_income(2023, 11000)]
    )
    assert findings(household)[0].message.text() == (
        "2023年人均纯收入5500元未超过贫困线6000元，户状态却为“已脱贫”"
    )


@pytest.mark.parametrize(
    ("status", "exit_year", "expected", "zh"),
    [
        (
            HouseholdStatus.NOT_EXITED,
            2020,
            [(ERROR, "policy.check.exit_year_not_exited")],
            "已填写脱贫年度2020年，户状态却为“未脱贫”",
        ),
        (
            HouseholdStatus.EXITED,
            None,
            [(ERROR, "policy.check.exited_no_exit_year")],
            "户状态为“已脱贫”，但未填写脱贫年度",
        ),
        (
            HouseholdStatus.EXITED_SUPPORTED,
            None,
            [(ERROR, "policy.check.exited_no_exit_year")],
            "户状态为“已脱贫（享受政策）”，但未填写脱贫年度",
        ),
        (
            HouseholdStatus.EXITED,
            2025,
            [(ERROR, "policy.check.exit_year_future")],
            "脱贫年度2025年晚于今年（2024年）",
        ),
        (HouseholdStatus.EXITED, 2024, [], None),
        (HouseholdStatus.RETURNED, 2019, [], None),  # exited once, then returned: the year stays
        (HouseholdStatus.MONITORED, 2019, [], None),
        (HouseholdStatus.NOT_EXITED, None, [], None),
    ],
)
def test_exit_year_and_status(status, exit_year, expected, zh) -> None:
    found = findings(make_household(status=status, exit_year=exit_year))
    assert summary(found) == expected
    if zh:
        assert found[0].message.text() == zh


@pytest.mark.parametrize(
    ("members", "expected", "zh"),
    [
        ([], [(WARNING, "policy.check.no_members")], "无在户成员"),
        ([make_member(status=MemberStatus.DECEASED)], [(WARNING, "policy.check.no_members")], "无在户成员"),
        (
            [make_member("张三", relation=Relation.SPOUSE)],
            [(ERROR, "policy.check.no_head")],
            "在户成员中没有户主",
        ),
        (
            [make_member("张三"), make_member("张大", date(1968, 1, 1))],
            [(ERROR, "policy.check.several_heads")],
            "在户成员中有2名户主：张三、张大",
        ),
        (
            [make_member("张三", status=MemberStatus.DECEASED), make_member("张大", date(1968, 1, 1))],
            [(WARNING, "policy.check.head_name_mismatch")],
            "户主姓名登记为张三，成员中的户主却是张大",
        ),
    ],
)
def test_head_of_household(members, expected, zh) -> None:
    found = findings(members=members)
    assert summary(found) == expected
    assert found[0].message.text() == zh


@pytest.mark.parametrize(
    ("member", "expected", "zh"),
    [
        (
            make_member("张小", date(1965, 1, 1), Relation.SON),
            "policy.check.older_than_head",
            "张小（之子）比户主张三年长",
        ),
        (make_member("孙", date(1960, 1, 1), Relation.GRANDCHILD), "policy.check.older_than_head", None),
        (
            make_member("张父", date(1980, 1, 1), Relation.PARENT),
            "policy.check.younger_than_head",
            "张父（之父母）比户主张三年轻",
        ),
        (make_member("张小", date(1995, 1, 1), Relation.SON), None, None),
        (make_member("张父", date(1945, 1, 1), Relation.PARENT), None, None),
        (make_member("张弟", date(1960, 1, 1), Relation.SIBLING), None, None),
    ],
)
def test_age_against_relation(member, expected, zh) -> None:
    found = findings(members=[make_member(), member])
    assert summary(found) == ([(WARNING, expected)] if expected else [])
    if zh:
        assert found[0].message.text() == zh


def test_id_number_warnings_are_folded_in() -> None:
    born = date(1970, 3, 1)
    good = make_member(id_number=make_id(born, Sex.MALE))
    wrong_sex = make_member(
        "李四",
        date(1972, 5, 1),
        Relation.SPOUSE,
        sex=Sex.FEMALE,
        id_number=make_id(date(1972, 5, 1), Sex.MALE, seq=2),
    )
    wrong_birth = make_member(
        "张小", date(2000, 1, 2), Relation.SON, id_number=make_id(date(2000, 1, 1), Sex.MALE)
    )
    found = findings(members=[good, wrong_sex, wrong_birth])
    assert summary(found) == [(WARNING, "id_number.sex_mismatch"), (WARNING, "id_number.birth_mismatch")]
    assert [f.member_id for f in found] == ["m-李四", "m-张小"]
    assert found[0].message.text() == "李四：录入性别为女，但身份证号显示为男"


def test_errors_come_first() -> None:
    household = make_household(status=HouseholdStatus.EXITED, exit_year=None)
    members = make_family(make_child("王小明", 10)) + [
        make_member("赵六", relation=Relation.OTHER, medical_insurance=False)
    ]
    severities = [f.severity for f in findings(household, members)]
    assert severities == sorted(severities, key=lambda s: s is not ERROR)
    assert severities.count(ERROR) == 2  # exit year missing, uninsured


def test_without_income_no_income_check() -> None:
    household = make_household(
        status=HouseholdStatus.EXITED, exit_year=2020, incomes=[make_income(2023, 100)]
    )
    assert check_household(household, make_family(), CONFIG, TODAY) == ()
