"""Evaluation: every operator and function, None semantics, dates, and type errors."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

from field_app.core.errors import ExpressionError
from field_app.core.forms.expr import parse

TODAY = datetime.date(2024, 5, 1)
D = datetime.date


def evaluate(source: str, values: dict[str, Any] | None = None, current: Any = None) -> Any:
    return parse(source).evaluate(values or {}, today=TODAY, current=current)


def same(result: Any, expected: Any) -> bool:
    """Equal and of the same type: True must not pass for 1, nor 2.0 for 2."""
    return result == expected and type(result) is type(expected)


OPERATORS = [
    ("1 + 2", {}, 3),
    ("7 - 10", {}, -3),
    ("6 * 7", {}, 42),
    ("1.5 + 1", {}, 2.5),
    ("7 / 2", {}, 3.5),
    ("6 / 3", {}, 2.0),
    ("7 div 2", {}, 3.5),
    ("7 mod 3", {}, 1),
    ("-7 mod 3", {}, 2),
    ("7.5 mod 2", {}, 1.5),
    ("-${a}", {"a": 4}, -4),
    ("--3", {}, 3),
    ("true() + 1", {}, 2),
    ("-true()", {}, -1),
    # precedence and associativity
    ("2 + 3 * 4", {}, 14),
    ("(2 + 3) * 4", {}, 20),
    ("10 - 4 - 3", {}, 3),
    ("10 - (4 - 3)", {}, 9),
    ("2 * 3 mod 4", {}, 2),
    ("2 * (3 mod 4)", {}, 6),
    ("-2 * 3", {}, -6),
    ("12 / 2 / 3", {}, 2.0),
    ("1 + 1 = 2", {}, True),
    ("1 = 1 or 1 = 2 and 1 = 2", {}, True),
    ("(1 = 1 or 1 = 2) and 1 = 2", {}, False),
    ("not 1 = 2", {}, True),
    ("not(1 = 2) and 1 = 1", {}, True),
    # division by zero is unknown, not an error
    ("1 / 0", {}, None),
    ("1 div 0.0", {}, None),
    ("5 mod 0", {}, None),
    # None (unanswered) spreads through arithmetic
    ("${a} + 1", {}, None),
    ("1 - ${a}", {"a": None}, None),
    ("${a} * 2", {}, None),
    ("${a} / 2", {}, None),
    ("${a} mod 2", {}, None),
    ("-${a}", {}, None),
    ("${a} + ${d}", {"d": D(2024, 1, 1)}, None),
]

COMPARISONS = [
    ("1 = 1", {}, True),
    ("1 == 1.0", {}, True),
    ("1 != 2", {}, True),
    ("2 < 3", {}, True),
    ("3 <= 3", {}, True),
    ("4 > 5", {}, False),
    ("5 >= 5", {}, True),
    ("'abc' < 'abd'", {}, True),
    ("'a' = 'A'", {}, False),
    ("'1' = '1.0'", {}, False),  # text against text compares as text
    # None equals None and the empty text (and the empty choice list), nothing else
    ("${a} = ''", {}, True),
    ("${a} = ''", {"a": None}, True),
    ("${a} = ${b}", {}, True),
    ("${m} = ''", {"m": []}, True),
    ("${a} != ''", {"a": "x"}, True),
    ("${a} = 0", {}, False),
    ("${a} != 1", {}, True),
    ("${a} = false()", {}, False),
    # ordering with None is false both ways
    ("${a} < 1", {}, False),
    ("${a} >= 1", {}, False),
    ("1 > ${a}", {}, False),
    ("${a} <= ${b}", {}, False),
    # numbers against text compare numerically (XPath); text that is no number is NaN-like
    ("${t} = 12", {"t": "12"}, True),
    ("12 = ${t}", {"t": " 12.0 "}, True),
    ("${t} < 9", {"t": "10"}, False),
    ("${t} = 12", {"t": "abc"}, False),
    ("${t} != 12", {"t": "abc"}, True),
    ("${t} < 12", {"t": "abc"}, False),
    ("${t} > 12", {"t": "abc"}, False),
    ("${t} = 1", {"t": "1e0"}, False),
    ("${t} = 0", {"t": "nan"}, False),
    # booleans compare as numbers
    ("true() = 1", {}, True),
    ("${b} = 1", {"b": True}, True),
    ("false() < true()", {}, True),
    ("${b} = '0'", {"b": False}, True),
    # dates against dates and ISO text
    ("${d} = '2024-05-01'", {"d": D(2024, 5, 1)}, True),
    ("'2024-06-01' > ${d}", {"d": D(2024, 5, 1)}, True),
    ("${d} < ${e}", {"d": D(2024, 5, 1), "e": D(2024, 5, 2)}, True),
    ("${d} = 'soon'", {"d": D(2024, 5, 1)}, False),
    ("${d} != '2024-02-30'", {"d": D(2024, 5, 1)}, True),
    # lists compare element by element
    ("${m} = ${n}", {"m": ["a", "b"], "n": ["a", "b"]}, True),
    ("${m} != ${n}", {"m": ["a", "b"], "n": ["b", "a"]}, True),
]

LOGIC = [
    ("1 and 0", {}, False),
    ("1 and 'x'", {}, True),
    ("0 or ''", {}, False),
    ("${a} or 1", {}, True),
    ("${a} and 1", {}, False),
    ("not ${a}", {}, True),
    ("not 0", {}, True),
    ("not 0.0", {}, True),
    ("not 'x'", {}, False),
    ("not ${m}", {"m": []}, True),
    ("not ${m}", {"m": ["a"]}, False),
    ("not ${d}", {"d": D(2024, 1, 1)}, False),
    ("not not 2", {}, True),
    ("${x} and ${y}", {"x": math.nan, "y": 1}, False),
    # short-circuit: the side that would fail is never evaluated
    ("0 and 'a' + 1", {}, False),
    ("1 or 'a' + 1", {}, True),
]

DATES = [
    ("${d} - ${e}", {"d": D(2024, 5, 1), "e": D(2024, 4, 1)}, 30),
    ("${e} - ${d}", {"d": D(2024, 5, 1), "e": D(2024, 4, 1)}, -30),
    ("${d} + 30", {"d": D(2024, 5, 1)}, D(2024, 5, 31)),
    ("30 + ${d}", {"d": D(2024, 5, 1)}, D(2024, 5, 31)),
    ("${d} - 1", {"d": D(2024, 3, 1)}, D(2024, 2, 29)),
    ("today()", {}, TODAY),
    ("today() - date('2024-01-01')", {}, 121),
    ("date('2024-02-29')", {}, D(2024, 2, 29)),
    ("date(' 2024-02-29 ')", {}, D(2024, 2, 29)),
    ("date(${d})", {"d": D(2020, 1, 1)}, D(2020, 1, 1)),
    ("date(${x})", {}, None),
    ("date('')", {}, None),
    ("today() > '2024-04-30'", {}, True),
]

FUNCTIONS = [
    # selected / count_selected: a list or XLSForm's space-separated text
    ("selected(${c}, 'illness')", {"c": ["illness", "disability"]}, True),
    ("selected(${c}, 'schooling')", {"c": ["illness"]}, False),
    ("selected(${c}, 'illness')", {"c": "disability illness"}, True),
    ("selected(${c}, 'ill')", {"c": "illness"}, False),
    ("selected(${c}, 'illness')", {}, False),
    ("selected(${c}, ${v})", {"c": ["a"]}, False),
    ("selected(${c}, 2)", {"c": ["1", "2"]}, True),
    ("count_selected(${c})", {"c": ["a", "b"]}, 2),
    ("count_selected(${c})", {"c": " a  b c "}, 3),
    ("count_selected(${c})", {}, 0),
    # count / sum over repeats
    ("count(${members})", {"members": [{"name": "a"}, {"name": "b"}]}, 2),
    ("count(${ages})", {"ages": [3, None, 40]}, 2),
    ("count(${ages})", {}, 0),
    ("count(${x})", {"x": 7}, 1),
    ("sum(${w})", {"w": [100, None, 250.5]}, 350.5),
    ("sum(${w})", {"w": [1, 2]}, 3),
    ("sum(${w})", {"w": [None, None]}, 0),
    ("sum(${w})", {}, 0),
    ("sum(${w})", {"w": 5}, 5),
    # min / max: one list or several values; None ignored
    ("min(${w})", {"w": [3, None, 1, 2]}, 1),
    ("max(${w})", {"w": [3, None, 1, 2]}, 3),
    ("min(4, ${a}, 2.5)", {}, 2.5),
    ("max(4, ${a}, 2.5)", {}, 4),
    ("max(${w}, 10)", {"w": [3, 12]}, 12),
    ("min(${w})", {"w": []}, None),
    ("max(${a}, ${b})", {}, None),
    ("max(${d}, ${e})", {"d": D(2024, 1, 1), "e": D(2023, 1, 1)}, D(2024, 1, 1)),
    # age: whole years, birthday not yet reached counts one less
    ("age(${b})", {"b": D(2010, 5, 1)}, 14),
    ("age(${b})", {"b": D(2010, 5, 2)}, 13),
    ("age(${b})", {"b": D(2024, 5, 1)}, 0),
    ("age(${b})", {}, None),
    ("age('2010-04-30')", {}, 14),
    ("age(${b}, '2024-02-28')", {"b": D(2008, 2, 29)}, 15),
    ("age(${b}, '2024-02-29')", {"b": D(2008, 2, 29)}, 16),
    ("age(${b}, '2023-02-28')", {"b": D(2008, 2, 29)}, 14),
    ("age(${b}, '2023-03-01')", {"b": D(2008, 2, 29)}, 15),
    ("age(${b}, ${on})", {"b": D(2000, 1, 1)}, None),
    ("age(${b}, '1999-12-31')", {"b": D(2000, 1, 1)}, -1),
    # if / coalesce
    ("if(${a} > 1, 'big', 'small')", {"a": 2}, "big"),
    ("if(${a} > 1, 'big', 'small')", {}, "small"),
    ("if(1, 2, 'a' + 1)", {}, 2),
    ("coalesce(${a}, ${b}, 3)", {"b": ""}, 3),
    ("coalesce(${a}, ${b}, 3)", {"b": "x"}, "x"),
    ("coalesce(${m}, 'none')", {"m": []}, "none"),
    ("coalesce(${a}, ${b})", {}, None),
    ("coalesce(0, 'a' + 1)", {}, 0),
    # text
    ("string_length('abc')", {}, 3),
    ("string_length('中文')", {}, 2),
    ("string_length(${a})", {}, 0),
    ("string_length(12.0)", {}, 2),
    ("concat('a', ${x}, 1, '-', 2.5, true())", {}, "a1-2.5true"),
    ("concat(${d})", {"d": D(2024, 5, 1)}, "2024-05-01"),
    ("concat(${c})", {"c": ["a", "b"]}, "a b"),
    ("contains('village road', 'road')", {}, True),
    ("contains(${a}, 'x')", {}, False),
    ("contains('abc', ${a})", {}, True),
    # numbers
    ("int(3.9)", {}, 3),
    ("int(-3.9)", {}, -3),
    ("int('12')", {}, 12),
    ("int(' 12.7 ')", {}, 12),
    ("int('abc')", {}, None),
    ("int(${a})", {}, None),
    ("int(true())", {}, 1),
    ("number('3.5')", {}, 3.5),
    ("number('-3')", {}, -3),
    ("number('')", {}, None),
    ("number(${a})", {}, None),
    ("number(false())", {}, 0),
    ("round(2.5)", {}, 3),
    ("round(-2.5)", {}, -3),
    ("round(2.4)", {}, 2),
    ("round(1234, -2)", {}, 1200),
    ("round(2.675, 2)", {}, 2.68),
    ("round(7, 1)", {}, 7.0),
    ("round(${a})", {}, None),
    ("round('2.5')", {}, 3),
    ("abs(-3)", {}, 3),
    ("abs(-2.5)", {}, 2.5),
    ("abs(${a})", {}, None),
    ("true()", {}, True),
    ("false()", {}, False),
]

XLSFORM_EXAMPLES = [
    ("${age} >= 6 and ${age} <= 15", {"age": 9}, True),
    ("${age} >= 6 and ${age} <= 15", {"age": 16}, False),
    ("${age} >= 6 and ${age} <= 15", {}, False),
    ("selected(${causes}, 'illness')", {"causes": ["illness", "schooling"]}, True),
    ("sum(${income_wage}) + ${transfer}", {"income_wage": [1200, None, 800], "transfer": 300}, 2300),
    ("sum(${income_wage}) + ${transfer}", {"income_wage": [1200]}, None),
    ("count(${members})", {"members": [{}, {}, {}]}, 3),
    ("age(${birth}) < 16", {"birth": D(2010, 1, 1)}, True),
    ("age(${birth}) < 16", {"birth": D(2000, 1, 1)}, False),
    ("age(${birth}) < 16", {}, False),
]


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    OPERATORS + COMPARISONS + LOGIC + DATES + FUNCTIONS + XLSFORM_EXAMPLES,
)
def test_evaluates(source: str, values: dict[str, Any], expected: Any) -> None:
    result = evaluate(source, values)
    assert same(result, expected), (result, expected)


@pytest.mark.parametrize(
    ("source", "current", "expected"),
    [
        (". > 0", 5, True),
        (". = ''", None, True),
        (". >= 0 and . <= 120", 130, False),
        ("string_length(.) = 18", "11010519491231002X", True),
        ("count_selected(.) <= 3", ["a", "b"], True),
    ],
)
def test_current_answer(source: str, current: Any, expected: Any) -> None:
    assert same(evaluate(source, current=current), expected)


def test_values_may_be_any_mapping() -> None:
    from types import MappingProxyType

    assert parse("${a} + 1").evaluate(MappingProxyType({"a": 1}), today=TODAY) == 2


TYPE_ERRORS = [
    # source, values, offset, reason (start)
    ("'a' + 1", {}, 4, "cannot add text and number; use concat() to join text"),
    ("'a' + 'b'", {}, 4, "cannot add text and text; use concat() to join text"),
    ("${t} + 1", {"t": "2"}, 5, "cannot add text and number"),
    ("1 - 'a'", {}, 2, "cannot subtract text from number"),
    ("2 * 'a'", {}, 2, "cannot multiply number and text"),
    ("1 / ${d}", {"d": D(2024, 1, 1)}, 2, "cannot divide number and date"),
    ("'a' mod 2", {}, 4, "cannot take the remainder of text and number"),
    ("-'a'", {}, 0, "cannot negate text"),
    ("${d} + 1.5", {"d": D(2024, 1, 1)}, 5, "cannot add date and number"),
    ("${d} + ${e}", {"d": D(2024, 1, 1), "e": D(2024, 1, 1)}, 5, "cannot add date and date"),
    ("1 - ${d}", {"d": D(2024, 1, 1)}, 2, "cannot subtract date from number"),
    ("${d} < 3", {"d": D(2024, 1, 1)}, 5, "cannot compare date with number"),
    ("3 = ${d}", {"d": D(2024, 1, 1)}, 2, "cannot compare number with date"),
    ("${c} = 'a'", {"c": ["a"]}, 5, "cannot compare list with text; use selected()"),
    ("${c} < ${c}", {"c": ["a"]}, 5, "cannot order lists"),
    ("${c} = 1", {"c": ["a"]}, 5, "cannot compare list with number"),
    ("1 + date('2024-13-01')", {}, 4, "not a date (YYYY-MM-DD): '2024-13-01'"),
    ("date(3)", {}, 0, "cannot convert number to a date"),
    ("age(${b})", {"b": 1990}, 0, "cannot convert number to a date"),
    ("sum(${t})", {"t": [1, "a"]}, 0, "sum() needs numbers, not text"),
    ("min(1, ${d})", {"d": D(2024, 1, 1)}, 0, "min() needs numbers or dates, not date and number"),
    ("max('a')", {}, 0, "max() needs numbers or dates, not text"),
    ("selected(3, 'a')", {}, 0, "selected() needs a multiple-choice answer, not number"),
    ("count_selected(${d})", {"d": D(2024, 1, 1)}, 0, "count_selected() needs a multiple-choice answer"),
    ("int(${d})", {"d": D(2024, 1, 1)}, 0, "cannot convert date to a number"),
    ("int(${f})", {"f": math.inf}, 0, "int() needs a finite number"),
    ("round(${f})", {"f": math.nan}, 0, "round() needs a finite number"),
    ("round(1.5, 0.5)", {}, 0, "round() needs a whole number of digits"),
    ("round(1.5, 99)", {}, 0, "round() needs a whole number of digits"),
    ("concat(${m})", {"m": [{"k": 1}]}, 0, "cannot convert dict to text"),
    ("1 + ${x}", {"x": datetime.datetime(2024, 1, 1, 8, 0)}, 4, "${x} has unsupported type datetime"),
    ("${x} = 1", {"x": (1, 2)}, 0, "${x} has unsupported type tuple"),
    ("${d} + 99999999", {"d": D(2024, 1, 1)}, 5, "number out of range"),
    ("${n} / 3", {"n": 10**400}, 5, "number out of range"),
    ("${n} * ${n}", {"n": 2**600}, 5, "number too large"),
    ("if(1, 'a' + 1, 2)", {}, 10, "cannot add text and number"),
]


@pytest.mark.parametrize(("source", "values", "offset", "reason"), TYPE_ERRORS)
def test_type_errors_name_the_operator(source: str, values: dict[str, Any], offset: int, reason: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, values)
    error = caught.value
    assert error.code == "expr.type"
    assert error.details["offset"] == offset
    assert error.params["position"] == offset + 1
    assert error.params["reason"].startswith(reason)
    assert error.params["expression"] == source


def test_current_answer_of_unsupported_type() -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate(". > 1", current={1, 2})
    assert caught.value.details["offset"] == 0
    assert caught.value.params["reason"] == "the current answer has unsupported type set"


def test_type_error_message_in_both_languages() -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate("'a' + 1")
    assert caught.value.message("en") == (
        "Expression error at position 5: cannot add text and number; use concat() to join text: 'a' + 1"
    )
    assert caught.value.message("zh").startswith("表达式计算出错（第5个字符）")


def test_today_is_injected_not_read_from_the_clock() -> None:
    expression = parse("today()")
    assert expression.evaluate({}, today=D(1999, 12, 31)) == D(1999, 12, 31)


def test_evaluation_does_not_modify_values() -> None:
    values = {"w": [3, None, 1]}
    evaluate("sum(${w}) + max(${w}) + count(${w})", values)
    assert values == {"w": [3, None, 1]}
