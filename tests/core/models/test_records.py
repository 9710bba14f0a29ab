from datetime import UTC, date, datetime

import pytest

from field_app.core.errors import ValidationError
from field_app.core.models import (
    GeoPoint,
    Household,
    Member,
    Scope,
    Visit,
    distance_m,
    parse_record,
)

TODAY = date(2026, 11, 23)
VILLAGE = "360731108201"


def household(**changes):
    data = {
        "number": "3607311082010001",
        "village_code": VILLAGE,
        "head_name": "王大明",
        "category": "ordinary",
        "status": "exited_supported",
        "identified_year": 2015,
        "exit_year": 2018,
        "main_cause": "illness",
        "other_causes": ["lack_skills"],
        "phone": "138 0013 8000",
    }
    return {**data, **changes}


def member(**changes):
    data = {
        "household_id": "h1",
        "name": "王小明",
        "sex": "male",
        "id_number": "360426199101010071",
        "birth_date": "1991-01-01",
        "relation": "son",
    }
    return {**data, **changes}


def test_household_parses_and_normalises():
    record = parse_record(Household, household(), today=TODAY)
    assert record.phone == "13800138000"
    assert record.other_causes[0].zh == "缺技术"
    assert record.id  # ids are made on the device, offline


def test_records_are_frozen():
    record = parse_record(Household, household(), today=TODAY)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        record.head_name = "x"
    assert record.model_copy(update={"head_name": "王二"}).head_name == "王二"


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"village_code": "360731108000"}, "village_code", "不是村级代码"),
        ({"village_code": "3607311"}, "village_code", "12位数字"),
        ({"other_causes": ["illness"]}, "", "主要致贫原因不能同时列为其他致贫原因"),
        ({"other_causes": ["disaster", "lack_land", "lack_water"]}, "other_causes", "最多 2 项"),
        ({"exit_year": 2014}, "", "脱贫年度早于识别年度"),
        ({"phone": "12345"}, "phone", "电话号码无效"),
        ({"category": "rich"}, "category", "不是可选的值"),
        ({"incomes": [{"year": 2025, "wages": -5}]}, "incomes.0.wages", "不能为负数"),
        ({"fuels": ["firewood", "gas", "coal", "electricity"]}, "fuels", "最多 3 项"),
    ],
)
def test_household_refusals_name_the_field_in_chinese(changes, field, text):
    with pytest.raises(ValidationError) as caught:
        parse_record(Household, household(**changes), today=TODAY)
    errors = caught.value.details["errors"]
    assert errors[0]["field"] == field
    assert text in errors[0]["message"]
    assert errors[0]["message_en"]


def test_all_faults_are_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        parse_record(Member, member(name="", sex="x", id_number="360426199101010072", work_months=13), today=TODAY)
    fields = [error["field"] for error in caught.value.details["errors"]]
    assert fields == ["name", "sex", "id_number", "work_months"]
    assert caught.value.code == "validation.record"
    assert caught.value.message("zh") == "姓名：不能为空或过短（共4处错误）"


def test_member_id_number_normalised_and_optional():
    assert parse_record(Member, member(id_number="36042619910101007１"), today=TODAY).id_number == "360426199101010071"
    assert parse_record(Member, member(id_number=None), today=TODAY).id_number is None
    assert parse_record(Member, member(id_number=""), today=TODAY).id_number is None


def test_member_birth_date_not_in_future_uses_injected_today():
    with pytest.raises(ValidationError) as caught:
        parse_record(Member, member(id_number=None, birth_date="2026-11-24"), today=TODAY)
    assert caught.value.details["errors"][0]["code"] == "validation.future_date"
    assert parse_record(Member, member(id_number=None, birth_date="2026-11-24"), today=date(2026, 12, 1))


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("2015-11-23", TODAY, 11),
        ("2015-11-24", TODAY, 10),
        ("2012-02-29", date(2026, 2, 28), 13),
        ("2012-02-29", date(2026, 3, 1), 14),
    ],
)
def test_member_age(birth, on, age):
    assert parse_record(Member, member(id_number=None, birth_date=birth), today=TODAY).age_on(on) == age


def test_visit_times_and_gps():
    base = {
        "household_id": "h1",
        "village_code": VILLAGE,
        "form_id": "household_visit",
        "form_version": 1,
        "visitor_id": "u1",
        "visitor_role": "helper_cadre",
        "started_at": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        "ended_at": datetime(2026, 11, 20, 9, 40, tzinfo=UTC),
        "location": {"latitude": 25.95, "longitude": 115.41, "accuracy_m": 8},
    }
    visit = parse_record(Visit, base, today=TODAY)
    assert visit.duration_minutes == 40
    with pytest.raises(ValidationError) as caught:
        parse_record(Visit, {**base, "ended_at": datetime(2026, 11, 20, 8, 0, tzinfo=UTC)}, today=TODAY)
    assert "结束时间早于开始时间" in caught.value.message()
    with pytest.raises(ValidationError):
        parse_record(Visit, {**base, "location": {"latitude": 95, "longitude": 0}}, today=TODAY)
    with pytest.raises(ValidationError):
        parse_record(Visit, {**base, "photos": [{"sha256": "not-a-hash"}]}, today=TODAY)


def test_distance():
    a = GeoPoint(latitude=25.95, longitude=115.40)
    b = GeoPoint(latitude=25.95, longitude=115.41)
    assert distance_m(a, a) == 0
    assert 990 < distance_m(a, b) < 1010  # 0.01° of longitude at 26°N is about 1 km


@pytest.mark.parametrize(
    ("scope", "covered"),
    [
        (Scope(village_codes=frozenset({VILLAGE})), True),
        (Scope(village_codes=frozenset({"360731108202"})), False),
        (Scope(township_codes=frozenset({"360731108000"})), True),
        (Scope(township_codes=frozenset({"360731109000"})), False),
        (Scope(county_codes=frozenset({"360731000000"})), True),
        (Scope(), False),
    ],
)
def test_scope_covers(scope, covered):
    assert scope.covers(VILLAGE) is covered
