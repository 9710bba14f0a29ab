import re
import string

import pytest

from field_app.core import errors
from field_app.core.i18n import MESSAGES, Message, render


def test_every_message_has_chinese_and_english_with_same_placeholders():
    formatter = string.Formatter()
    for code, (zh, en) in MESSAGES.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)*", code), code
        assert zh.strip() and en.strip(), code
        assert re.search(r"[\u4e00-\u9fff]", zh) or zh.startswith("{"), f"{code}: Chinese text expected"
        zh_fields = {f for _, f, _, _ in formatter.parse(zh) if f}
        en_fields = {f.removesuffix("_en") for _, f, _, _ in formatter.parse(en) if f}
        assert {f.removesuffix("_en") for f in zh_fields} == en_fields, code


def test_error_carries_code_message_and_details():
    error = errors.ValidationError("id_number.bad_check_digit", expected="X", given="1")
    assert error.code == "id_number.bad_check_digit"
    assert error.message("zh") == "身份证号校验位错误：末位应为 X，录入的是 1"
    assert "check digit" in error.message("en")
    assert error.to_dict() == {
        "code": "id_number.bad_check_digit",
        "message": "身份证号校验位错误：末位应为 X，录入的是 1",
        "details": {"expected": "X", "given": "1"},
    }
    assert isinstance(error, ValueError)  # so pydantic validators keep the field path


def test_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        errors.BianfangError("no.such.code")
    with pytest.raises(KeyError):
        Message("no.such.code")


def test_missing_placeholder_stays_visible_instead_of_crashing():
    assert "{given}" in render("id_number.bad_check_digit", {"expected": "X"})


@pytest.mark.parametrize(
    ("cls", "default"),
    [
        (errors.ValidationError, "validation.invalid"),
        (errors.FormDefinitionError, "form.invalid"),
        (errors.ExpressionError, "expr.syntax"),
        (errors.ConfigError, "config.invalid"),
    ],
)
def test_error_tree(cls, default):
    error = cls()
    assert error.code == default
    assert isinstance(error, errors.BianfangError)
