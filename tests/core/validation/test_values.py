from datetime import date, datetime

import pytest

from field_app.core.errors import ValidationError
from field_app.core.validation import normalize_phone, require_money, require_not_future, require_range


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("0797-6321234", "07976321234"),
        ("(010)12345678", "01012345678"),
    ],
)
def test_valid_phones(raw, digits):
    assert normalize_phone(raw) == digits


@pytest.mark.parametrize("raw", ["", "12345", "12800138000", "1380013800", "138001380001", "abc", "0797-123"])
def test_invalid_phones(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.code == "phone.invalid"
    assert "电话号码无效" in caught.value.message("zh")


def test_dates_not_in_future():
    today = date(2026, 11, 23)
    assert require_not_future(today, today=today, field="birth_date") == today
    assert require_not_future(datetime(2026, 11, 23, 23, 59), today=today, field="started_at")
    with pytest.raises(ValidationError) as caught:
        require_not_future(date(2026, 11, 24), today=today, field="birth_date")
    assert caught.value.message("zh") == "出生日期 不能晚于今天（2026-11-23）"
    assert caught.value.message("en") == "Birth date cannot be after today (2026-11-23)"


def test_money_and_ranges():
    assert require_money(0, field="wages") == 0
    with pytest.raises(ValidationError) as caught:
        require_money(-1, field="wages")
    assert caught.value.message("zh") == "工资性收入 不能为负数"
    assert require_range(5, minimum=0, maximum=10, field="x") == 5
    with pytest.raises(ValidationError):
        require_range(11, minimum=0, maximum=10, field="x")
