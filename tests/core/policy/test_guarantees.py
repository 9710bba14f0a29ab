from __future__ import annotations

from datetime import date

import pytest

from field_app.core.models import (
    Guarantee,
    Health,
    Housing,
    HousingGrade,
    MemberStatus,
    RenovationStatus,
    SchoolStatus,
    Water,
)
from field_app.core.policy import GuaranteeStatus, assess_guarantees
from field_app.core.policy.guarantees import (
    clothing_status,
    education_status,
    food_status,
    housing_status,
    medical_status,
    water_status,
)
from tests.core.policy.conftest import (
    TODAY,
    make_child,
    make_config,
    make_family,
    make_household,
    make_member,
)

MET, NOT_MET, UNKNOWN = GuaranteeStatus.MET, GuaranteeStatus.NOT_MET, GuaranteeStatus.UNKNOWN


def codes(result) -> list[str]:
    return [reason.code for reason in result.reasons]


# ---- 两不愁 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "reason_codes"),
    [(True, MET, []), (False, NOT_MET, ["policy.food.not_secure"]), (None, UNKNOWN, ["policy.food.unknown"])],
)
def test_food(value, status, reason_codes) -> None:
    result = food_status(make_household(food_secure=value))
    assert (result.guarantee, result.status, codes(result)) == (Guarantee.FOOD, status, reason_codes)


@pytest.mark.parametrize(
    ("value", "status", "reason_codes"),
    [
        (True, MET, []),
        (False, NOT_MET, ["policy.clothing.not_secure"]),
        (None, UNKNOWN, ["policy.clothing.unknown"]),
    ],
)
def test_clothing(value, status, reason_codes) -> None:
    result = clothing_status(make_household(clothing_secure=value))
    assert (result.guarantee, result.status, codes(result)) == (Guarantee.CLOTHING, status, reason_codes)


def test_food_texts() -> None:
    assert food_status(make_household(food_secure=False)).reasons[0].text() == "全年口粮不能保障"
    assert food_status(make_household(food_secure=None)).reasons[0].text() == "不愁吃情况未核实"


# ---- 义务教育 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("school", "home", "reason", "status", "reason_code"),
    [
        (SchoolStatus.PRIMARY, False, None, MET, None),
        (SchoolStatus.JUNIOR, False, None, MET, None),
        (SchoolStatus.PRESCHOOL, False, None, MET, None),
        (SchoolStatus.NOT_IN_SCHOOL, True, None, MET, "policy.education.home_teaching"),
        (SchoolStatus.NOT_IN_SCHOOL, False, None, NOT_MET, "policy.education.not_in_school"),
        (SchoolStatus.NOT_IN_SCHOOL, False, "重度残疾", NOT_MET, "policy.education.not_in_school_reason"),
        (SchoolStatus.DROPPED_OUT, False, None, NOT_MET, "policy.education.dropped_out"),
        (SchoolStatus.DROPPED_OUT, False, "外出打工", NOT_MET, "policy.education.dropped_out_reason"),
    ],
)
def test_education_per_child(school, home, reason, status, reason_code) -> None:
    child = make_child(school_status=school, home_teaching=home, dropout_reason=reason)
    result = education_status(child, make_config(), TODAY)
    assert result is not None
    assert result.status is status
    assert codes(result) == ([reason_code] if reason_code else [])
    if reason_code:
        params = result.reasons[0].params
        assert (params["name"], params["age"], params["member_id"]) == ("王小明", 11, child.id)


@pytest.mark.parametrize(
    ("school", "reason", "zh", "en"),
    [
        (SchoolStatus.NOT_IN_SCHOOL, None, "王小明 11岁 未在校", "王小明, 11, not in school"),
        (
            SchoolStatus.NOT_IN_SCHOOL,
            "重度残疾",
            "王小明 11岁 未在校（重度残疾）",
            "王小明, 11, not in school (重度残疾)",
        ),
        (SchoolStatus.DROPPED_OUT, None, "王小明 11岁 辍学", "王小明, 11, dropped out of school"),
        (
            SchoolStatus.DROPPED_OUT,
            "厌学",
            "王小明 11岁 辍学（厌学）",
            "王小明, 11, dropped out of school (厌学)",
        ),
    ],
)
def test_education_texts(school, reason, zh, en) -> None:
    result = education_status(make_child(school_status=school, dropout_reason=reason), make_config(), TODAY)
    assert result is not None
    assert result.reasons[0].text("zh") == zh
    assert result.reasons[0].text("en") == en


def test_home_teaching_text() -> None:
    child = make_child("刘小芳", 9, home_teaching=True)
    result = education_status(child, make_config(), TODAY)
    assert result is not None and result.reasons[0].text() == "刘小芳 9岁 送教上门"


@pytest.mark.parametrize(
    ("birth", "applies"),
    [
        (date(2018, 6, 15), True),  # turns 6 today
        (date(2018, 6, 16), False),  # turns 6 tomorrow: still 5
        (date(2008, 6, 16), True),  # turns 16 tomorrow: still 15
        (date(2008, 6, 15), False),  # turns 16 today
        (date(2010, 1, 1), True),
        (date(2000, 1, 1), False),
    ],
)
def test_compulsory_age_edges(birth: date, applies: bool) -> None:
    child = make_member("王小明", birth, school_status=SchoolStatus.NOT_IN_SCHOOL)
    result = education_status(child, make_config(), TODAY)
    assert (result is not None) is applies
    if applies:
        assert result.status is NOT_MET


@pytest.mark.parametrize(
    ("today", "applies"),
    [
        (date(2018, 2, 28), False),  # 2012-02-29 child: not yet 6 on 28 February of a common year
        (date(2018, 3, 1), True),  # 6 from 1 March
        (date(2028, 2, 29), False),  # turns 16 on her birthday in a leap year
        (date(2028, 2, 28), True),  # still 15 the day before
        (date(2027, 2, 28), True),  # 14
        (date(2027, 3, 1), True),  # 15 from 1 March
    ],
)
def test_leap_day_birthday(today: date, applies: bool) -> None:
    child = make_member("王小丽", date(2012, 2, 29), school_status=SchoolStatus.DROPPED_OUT)
    result = education_status(child, make_config(), today)
    assert (result is not None) is applies


def test_compulsory_ages_are_configuration() -> None:
    child = make_child(age=16, school_status=SchoolStatus.DROPPED_OUT)
    assert education_status(child, make_config(), TODAY) is None
    wider = make_config(compulsory_age_max=17)
    result = education_status(child, wider, TODAY)
    assert result is not None and result.reasons[0].text() == "王小明 16岁 辍学"


# ---- 基本医疗 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("insured", "health", "doctor", "illness", "status", "reason_codes"),
    [
        (True, Health.HEALTHY, None, None, MET, []),
        (True, Health.DISABLED, None, None, MET, []),
        (False, Health.HEALTHY, None, None, NOT_MET, ["policy.medical.uninsured"]),
        (None, Health.HEALTHY, None, None, UNKNOWN, ["policy.medical.insurance_unrecorded"]),
        (True, Health.CHRONIC, True, None, MET, []),
        (True, Health.CHRONIC, False, None, NOT_MET, ["policy.medical.no_family_doctor"]),
        (True, Health.SERIOUS, False, "尿毒症", NOT_MET, ["policy.medical.no_family_doctor"]),
        (True, Health.CHRONIC, None, None, UNKNOWN, ["policy.medical.family_doctor_unrecorded"]),
        (
            False,
            Health.CHRONIC,
            None,
            None,
            NOT_MET,
            ["policy.medical.uninsured", "policy.medical.family_doctor_unrecorded"],
        ),
        (
            None,
            Health.SERIOUS,
            False,
            None,
            NOT_MET,
            ["policy.medical.no_family_doctor", "policy.medical.insurance_unrecorded"],
        ),
    ],
)
def test_medical_per_member(insured, health, doctor, illness, status, reason_codes) -> None:
    member = make_member(medical_insurance=insured, health=health, family_doctor=doctor, illness=illness)
    result = medical_status(member)
    assert (result.guarantee, result.status, codes(result)) == (Guarantee.MEDICAL, status, reason_codes)
    assert all(reason.params["name"] == "张三" for reason in result.reasons)


@pytest.mark.parametrize(
    ("member_args", "zh"),
    [
        ({"medical_insurance": False}, "张三 未参加基本医疗保险"),
        ({"medical_insurance": None}, "张三 参保情况未登记"),
        ({"health": Health.CHRONIC, "family_doctor": False}, "张三 患慢性病，未签约家庭医生"),
        ({"health": Health.SERIOUS, "family_doctor": False}, "张三 患大病，未签约家庭医生"),
        (
            {"health": Health.CHRONIC, "family_doctor": False, "illness": "高血压"},
            "张三 患高血压，未签约家庭医生",
        ),
        ({"health": Health.CHRONIC, "family_doctor": None}, "张三 患慢性病，家庭医生签约情况未登记"),
    ],
)
def test_medical_texts(member_args, zh) -> None:
    assert medical_status(make_member(**member_args)).reasons[0].text() == zh


def test_medical_english() -> None:
    member = make_member(health=Health.CHRONIC, family_doctor=False)
    assert (
        medical_status(member).reasons[0].text("en")
        == "张三 has a chronic illness but no family-doctor contract"
    )


# ---- 住房安全 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("housing", "status", "reason_codes", "zh"),
    [
        (Housing(grade=HousingGrade.A), MET, [], None),
        (Housing(grade=HousingGrade.B), MET, [], None),
        (Housing(grade=None), UNKNOWN, ["policy.housing.unknown"], "住房安全等级未鉴定"),
        (
            Housing(grade=HousingGrade.D, renovation=RenovationStatus.PLANNED),
            NOT_MET,
            ["policy.housing.dangerous"],
            "住房为D级危房，尚未完成改造（已列入改造计划）",
        ),
        (
            Housing(grade=HousingGrade.C, renovation=RenovationStatus.IN_PROGRESS),
            NOT_MET,
            ["policy.housing.dangerous"],
            "住房为C级危房，尚未完成改造（改造中）",
        ),
        (
            Housing(grade=HousingGrade.D),
            NOT_MET,
            ["policy.housing.dangerous_no_plan"],
            "住房为D级危房，未列入危房改造",
        ),
        (
            Housing(grade=HousingGrade.D, renovation=RenovationStatus.DONE),
            MET,
            ["policy.housing.renovated"],
            "D级危房已改造完成",
        ),
        (Housing(grade=HousingGrade.D, relocated=True), MET, ["policy.housing.relocated"], "已易地扶贫搬迁"),
        (Housing(grade=None, relocated=True), MET, ["policy.housing.relocated"], "已易地扶贫搬迁"),
    ],
)
def test_housing(housing, status, reason_codes, zh) -> None:
    result = housing_status(make_household(housing=housing))
    assert (result.guarantee, result.status, codes(result)) == (Guarantee.HOUSING, status, reason_codes)
    if zh:
        assert result.reasons[0].text() == zh


# ---- 饮水安全 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "quality", "convenient", "status", "reason_codes"),
    [
        (True, True, True, MET, []),
        (False, True, True, NOT_MET, ["policy.water.quantity"]),
        (True, False, True, NOT_MET, ["policy.water.quality"]),
        (True, True, False, NOT_MET, ["policy.water.convenience"]),
        (
            False,
            False,
            False,
            NOT_MET,
            ["policy.water.quantity", "policy.water.quality", "policy.water.convenience"],
        ),
        (None, True, True, UNKNOWN, ["policy.water.quantity_unknown"]),
        (True, None, None, UNKNOWN, ["policy.water.quality_unknown", "policy.water.convenience_unknown"]),
        (None, False, True, NOT_MET, ["policy.water.quality", "policy.water.quantity_unknown"]),
        (
            None,
            None,
            None,
            UNKNOWN,
            [
                "policy.water.quantity_unknown",
                "policy.water.quality_unknown",
                "policy.water.convenience_unknown",
            ],
        ),
    ],
)
def test_water(quantity, quality, convenient, status, reason_codes) -> None:
    water = Water(quantity_ok=quantity, quality_ok=quality, convenient=convenient)
    result = water_status(make_household(water=water))
    assert (result.guarantee, result.status, codes(result)) == (Guarantee.WATER, status, reason_codes)


def test_water_text() -> None:
    result = water_status(make_household(water=Water(quantity_ok=True, quality_ok=True, convenient=False)))
    assert result.reasons[0].text() == "取水不便（单程超过1公里或垂直高差超过100米）"


# ---- the household -------------------------------------------------------------------------


def test_household_all_met() -> None:
    result = assess_guarantees(make_household(), make_family(), make_config(), TODAY)
    assert result.all_met
    assert list(result.results) == list(Guarantee)
    assert [codes(r) for r in result] == [[], [], ["policy.education.no_children"], [], [], []]
    assert result[Guarantee.EDUCATION].reasons[0].text() == "无义务教育阶段儿童"
    assert [m.name for m in result.member_results] == ["张三", "李四"]


@pytest.mark.parametrize(
    ("children", "status", "reason_texts"),
    [
        ([make_child("王小明", 11, school_status=SchoolStatus.PRIMARY)], MET, []),
        ([make_child("王小明", 11)], NOT_MET, ["王小明 11岁 未在校"]),
        ([make_child("王小明", 11, school_status=None)], UNKNOWN, ["王小明 11岁 在校情况未登记"]),
        (
            [make_child("王小明", 11), make_child("王小红", 8, school_status=SchoolStatus.DROPPED_OUT)],
            NOT_MET,
            ["王小明 11岁 未在校", "王小红 8岁 辍学"],
        ),
        (
            [
                make_child("王小明", 11, school_status=SchoolStatus.PRIMARY),
                make_child("王小红", 8, home_teaching=True),
            ],
            MET,
            ["王小红 8岁 送教上门"],
        ),
        ([make_child("王小明", 17)], MET, ["无义务教育阶段儿童"]),  # past compulsory age
        ([make_child("王小明", 11, status=MemberStatus.MOVED_OUT)], MET, ["无义务教育阶段儿童"]),  # absent
    ],
)
def test_household_education(children, status, reason_texts) -> None:
    result = assess_guarantees(make_household(), make_family(*children), make_config(), TODAY)[
        Guarantee.EDUCATION
    ]
    assert result.status is status
    assert [reason.text() for reason in result.reasons] == reason_texts


@pytest.mark.parametrize(
    ("spouse_args", "status", "reason_codes"),
    [
        ({}, MET, []),
        ({"medical_insurance": None}, UNKNOWN, ["policy.medical.insurance_unrecorded"]),
        ({"medical_insurance": False}, NOT_MET, ["policy.medical.uninsured"]),
        (
            {"medical_insurance": False, "status": MemberStatus.DECEASED},
            MET,
            [],
        ),  # absent members do not count
    ],
)
def test_household_medical(spouse_args, status, reason_codes) -> None:
    members = [make_member(), make_member("李四", date(1972, 5, 1), relation="spouse", **spouse_args)]
    result = assess_guarantees(make_household(), members, make_config(), TODAY)[Guarantee.MEDICAL]
    assert (result.status, codes(result)) == (status, reason_codes)


def test_household_medical_not_met_also_lists_unverified_members() -> None:
    members = [
        make_member(medical_insurance=None),
        make_member("李四", date(1972, 5, 1), relation="spouse", medical_insurance=False),
    ]
    result = assess_guarantees(make_household(), members, make_config(), TODAY)[Guarantee.MEDICAL]
    assert result.status is NOT_MET
    assert [reason.text() for reason in result.reasons] == ["李四 未参加基本医疗保险", "张三 参保情况未登记"]


def test_household_without_present_members() -> None:
    result = assess_guarantees(
        make_household(), [make_member(status=MemberStatus.DECEASED)], make_config(), TODAY
    )
    assert result[Guarantee.MEDICAL].status is UNKNOWN
    assert codes(result[Guarantee.MEDICAL]) == ["policy.medical.no_members"]
    assert result.member_results == ()


def test_member_results() -> None:
    child = make_child("王小明", 11)
    result = assess_guarantees(make_household(), make_family(child), make_config(), TODAY)
    detail = result.member_results[2]
    assert (detail.member_id, detail.name, detail.age) == (child.id, "王小明", 11)
    assert detail.get(Guarantee.EDUCATION).status is NOT_MET
    assert detail.get(Guarantee.MEDICAL).status is MET
    assert result.member_results[0].get(Guarantee.EDUCATION) is None  # the head is not of school age
    assert [r.guarantee for r in result.with_status(NOT_MET)] == [Guarantee.EDUCATION]
