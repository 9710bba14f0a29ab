from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from field_app.core.codes import Sex
from field_app.core.errors import ValidationError
from field_app.core.validation import consistency_warnings, convert_legacy_15, parse_id_number

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("raw", "number", "birth", "sex"),
    [
        ("360426199101010071", "360426199101010071", date(1991, 1, 1), Sex.MALE),
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), Sex.FEMALE),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), Sex.FEMALE),  # lowercase x
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", date(1949, 12, 31), Sex.FEMALE),  # full-width
        (" 360426 19910101 0071 ", "360426199101010071", date(1991, 1, 1), Sex.MALE),  # spaces
        ("360426-19910101-0071", "360426199101010071", date(1991, 1, 1), Sex.MALE),
    ],
)
def test_valid_numbers(raw, number, birth, sex):
    resident = parse_id_number(raw, today=TODAY)
    assert (resident.number, resident.birth_date, resident.sex) == (number, birth, sex)
    assert resident.region_code == number[:6]
    assert resident.region_known


@pytest.mark.parametrize(
    ("raw", "code", "params"),
    [
        ("", "id_number.empty", {}),
        ("360426199101010072", "id_number.bad_check_digit", {"expected": "1", "given": "2"}),
        ("36042619910101007X", "id_number.bad_check_digit", {"expected": "1", "given": "X"}),
        ("3604261991010100", "id_number.bad_length", {"length": 16}),
        ("3604261991010100711", "id_number.bad_length", {"length": 19}),
        ("36042619910101A071", "id_number.bad_characters", {}),
        ("110105491231002", "id_number.legacy_15", {}),
        ("1.10105E+17", "id_number.scientific_notation", {"value": "1.10105E+17"}),
        ("3.60426199101E+17", "id_number.scientific_notation", {}),
        ("36042619911301007" + ric.calc_check_digit("360426199113010070"), "id_number.bad_birth_date",
         {"birth": "19911301"}),
        # a birth date in the future of `today`
        ("36042620270101007" + ric.calc_check_digit("360426202701010070"), "id_number.bad_birth_date", {}),
        # region 99: no such province
        ("99042619910101007" + ric.calc_check_digit("990426199101010070"), "id_number.bad_region", {}),
    ],
)
def test_refused_numbers(raw, code, params):
    with pytest.raises(ValidationError) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.code == code
    for key, value in params.items():
        assert caught.value.params[key] == value
    assert caught.value.message("zh") and caught.value.message("en")


def test_legacy_15_digit_converted_on_request():
    resident = parse_id_number("110105491231002", today=TODAY, allow_legacy=True)
    assert resident.number == "11010519491231002X"
    assert resident.converted_from_legacy
    assert [w.code for w in resident.warnings()] == ["id_number.converted_legacy"]
    assert convert_legacy_15("110105491231002") == "11010519491231002X"


def test_county_code_not_in_use_in_birth_year_is_only_a_warning():
    # 360731 (于都县) exists from 1998; someone born in 1990 would carry 362132.
    body = "360731199001010011"
    number = body[:17] + ric.calc_check_digit(body)
    resident = parse_id_number(number, today=TODAY)
    assert not resident.region_known
    assert [w.code for w in resident.warnings()] == ["id_number.unknown_region"]


def test_sex_and_birth_mismatch_are_warned_in_both_languages():
    resident = parse_id_number("360426199101010071", today=TODAY)
    warnings = consistency_warnings(resident, name="张三", sex=Sex.FEMALE, birth_date=date(1991, 1, 2))
    assert [w.code for w in warnings] == ["id_number.sex_mismatch", "id_number.birth_mismatch"]
    assert warnings[0].text("zh") == "张三：录入性别为女，但身份证号显示为男"
    assert warnings[0].text("en") == "张三: sex entered as Female, but the ID number says Male"
    assert consistency_warnings(resident, name="张三", sex=Sex.MALE, birth_date=date(1991, 1, 1)) == []


@given(
    birth=st.dates(min_value=date(1920, 1, 1), max_value=TODAY),
    order=st.integers(min_value=0, max_value=999),
)
def test_any_well_formed_number_round_trips(birth, order):
    body = f"110105{birth:%Y%m%d}{order:03d}"
    number = body + ric.calc_check_digit(body + "0")
    resident = parse_id_number(number.lower(), today=TODAY)
    assert resident.number == number
    assert resident.birth_date == birth
    assert resident.sex == (Sex.MALE if order % 2 else Sex.FEMALE)


@given(st.text(max_size=25))
def test_arbitrary_text_is_either_accepted_or_refused_with_our_error(text):
    try:
        parse_id_number(text, today=TODAY)
    except ValidationError as error:
        assert error.code.startswith("id_number.")
