"""Factories for the policy tests: small, explicit records with sensible defaults."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from stdnum.cn import ric

from field_app.core.models import (
    Household,
    HouseholdCategory,
    HouseholdStatus,
    Housing,
    HousingGrade,
    IncomeYear,
    Member,
    PovertyCause,
    Relation,
    Role,
    SchoolStatus,
    Sex,
    Visit,
    Water,
)
from field_app.core.policy import PolicyConfig, VisitDuty

CST = timezone(timedelta(hours=8))  # visits are recorded in China Standard Time
TODAY = date(2024, 6, 15)
VILLAGE = "360781102201"  # 江西 瑞金 (province 36)
HOUSEHOLD_ID = "h1"

# Explicit lines so the tests do not depend on the demo values of default_policy.yaml.
# 2021 is deliberately missing (falls back to 2020).
TEST_LINES = {"36": {2019: 3747, 2020: 4000, 2022: 5000, 2023: 6000, 2024: 6000}, "44": {2016: 4000}}

TEST_DUTIES = [
    VisitDuty(role=Role.HELPER_CADRE, period="month", assigned_only=True),
    VisitDuty(role=Role.VILLAGE_CLERK, period="quarter"),
    VisitDuty(role=Role.FIELD_WORKER, period="quarter"),
    VisitDuty(role=Role.TOWNSHIP_STATION, period="year"),
    VisitDuty(
        role=Role.FIELD_WORKER,
        period="month",
        statuses=frozenset({HouseholdStatus.MONITORED, HouseholdStatus.RETURNED}),
    ),
    VisitDuty(role=Role.FIELD_WORKER, period="month", at_risk_only=True),
]


def make_config(**overrides: Any) -> PolicyConfig:
    data: dict[str, Any] = {
        "poverty_lines": TEST_LINES,
        "monitoring_band": 0.5,
        "large_expense_yuan": 10000,
        "compulsory_age_min": 6,
        "compulsory_age_max": 15,
        "visit_duties": TEST_DUTIES,
    }
    data.update(overrides)
    return PolicyConfig.model_validate(data)


@pytest.fixture
def config() -> PolicyConfig:
    return make_config()


def make_id(birth: date, sex: Sex, region: str = "360121", seq: int = 1) -> str:
    """A valid 18-digit resident ID number (GB 11643) for ``birth`` and ``sex`` (南昌县: a code of every year)."""
    sequence = seq * 2 + (1 if sex is Sex.MALE else 0)  # odd 17th digit: male
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_household(**overrides: Any) -> Household:
    """A household with every guarantee met and income for 2023 well above the line."""
    data: dict[str, Any] = {
        "id": HOUSEHOLD_ID,
        "number": "36078110220100001",
        "village_code": VILLAGE,
        "head_name": "张三",
        "category": HouseholdCategory.ORDINARY,
        "status": HouseholdStatus.NOT_EXITED,
        "identified_year": 2016,
        "main_cause": PovertyCause.ILLNESS,
        "food_secure": True,
        "clothing_secure": True,
        "housing": Housing(grade=HousingGrade.B),
        "water": Water(quantity_ok=True, quality_ok=True, convenient=True),
        "incomes": [make_income(2023, 40000)],
    }
    data.update(overrides)
    return Household.model_validate(data, context={"today": TODAY})


def make_member(
    name: str = "张三",
    birth: date = date(1970, 3, 1),
    relation: Relation = Relation.HEAD,
    **overrides: Any,
) -> Member:
    data: dict[str, Any] = {
        "id": f"m-{name}",
        "household_id": HOUSEHOLD_ID,
        "name": name,
        "sex": Sex.MALE,
        "id_number": None,
        "birth_date": birth,
        "relation": relation,
        "medical_insurance": True,
    }
    data.update(overrides)
    return Member.model_validate(data, context={"today": TODAY})


def make_child(name: str = "王小明", age: int = 11, **overrides: Any) -> Member:
    """A son aged ``age`` on TODAY (born on TODAY's month/day ``age`` years before, minus a day),
    recorded as not in school unless ``school_status`` says otherwise."""
    birth = date(TODAY.year - age, TODAY.month, TODAY.day) - timedelta(days=1)
    overrides.setdefault("school_status", SchoolStatus.NOT_IN_SCHOOL)
    return make_member(name, birth, Relation.SON, **overrides)


def make_income(year: int, net: float, **overrides: Any) -> IncomeYear:
    return IncomeYear.model_validate({"year": year, "wages": net, **overrides})


def make_family(*extra: Member) -> list[Member]:
    """The head 张三 and his wife 李四, both insured, plus ``extra``."""
    return [
        make_member("张三", date(1970, 3, 1), Relation.HEAD),
        make_member("李四", date(1972, 5, 1), Relation.SPOUSE, sex=Sex.FEMALE),
        *extra,
    ]


def make_visit(
    day: date,
    role: Role = Role.FIELD_WORKER,
    *,
    household_id: str = HOUSEHOLD_ID,
    visitor_id: str = "u1",
    **overrides: Any,
) -> Visit:
    start = datetime.combine(day, time(10, 0, tzinfo=CST))
    data: dict[str, Any] = {
        "household_id": household_id,
        "village_code": VILLAGE,
        "form_id": "routine",
        "form_version": 1,
        "visitor_id": visitor_id,
        "visitor_role": role,
        "started_at": start,
        "ended_at": start + timedelta(minutes=30),
    }
    data.update(overrides)
    return Visit.model_validate(data, context={"today": day})
