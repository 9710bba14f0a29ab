"""Parsing: precedence, canonical text, trees with positions, references, syntax errors."""

from __future__ import annotations

import ast
import dataclasses
import datetime
import doctest
import sys
from pathlib import Path

import pytest

from field_app.core.errors import ExpressionError
from field_app.core.forms import expr
from field_app.core.forms.expr import Expression, parse
from field_app.core.forms.expr.functions import FUNCTIONS
from field_app.core.forms.expr.nodes import Binary, Call, Current, Literal, Reference, Unary

CANONICAL = [
    # precedence and associativity
    ("1+2*3", "1 + 2 * 3"),
    ("(1+2)*3", "(1 + 2) * 3"),
    ("1-2-3", "1 - 2 - 3"),
    ("1-(2-3)", "1 - (2 - 3)"),
    ("8/4/2", "8 / 4 / 2"),
    ("8/(4/2)", "8 / (4 / 2)"),
    ("6 div 2 mod 4", "6 div 2 mod 4"),
    ("2*3 mod 4+1", "2 * 3 mod 4 + 1"),
    ("-2*3", "-2 * 3"),
    ("-(2*3)", "-(2 * 3)"),
    ("--1", "--1"),
    ("1 - -1", "1 - -1"),
    ("${a} or ${b} and ${c}", "${a} or ${b} and ${c}"),
    ("(${a} or ${b}) and ${c}", "(${a} or ${b}) and ${c}"),
    ("${a} + 1 = ${b} * 2", "${a} + 1 = ${b} * 2"),
    ("(1 < 2) < 3", "(1 < 2) < 3"),
    ("1 < (2 < 3)", "1 < (2 < 3)"),
    # prefix not sits between "and" and the comparisons
    ("not ${a} = 1", "not ${a} = 1"),
    ("(not ${a}) = 1", "(not ${a}) = 1"),
    ("not(${a}) and ${b}", "not ${a} and ${b}"),
    ("not (${a} and ${b})", "not (${a} and ${b})"),
    ("not not .", "not not ."),
    ("${a} and not ${b}", "${a} and not ${b}"),
    ("-(not 1)", "-(not 1)"),
    # spellings
    ("${a}==1", "${a} = 1"),
    ("${a}!=1", "${a} != 1"),
    ("1<=2", "1 <= 2"),
    ("1>=2", "1 >= 2"),
    ("1>2", "1 > 2"),
    ('"it\'s"', "'it''s'"),
    ("'it''s'", "'it''s'"),
    ('"say ""hi"""', "'say \"hi\"'"),
    ("''", "''"),
    ("'中文 答案'", "'中文 答案'"),
    ("1.50", "1.5"),
    ("007", "7"),
    ("  ${x}\t<=\n.\u3000", "${x} <= ."),
    ("if(${a},1,2)", "if(${a}, 1, 2)"),
    ("true()", "true()"),
    ("today( )", "today()"),
    ("concat('a', ${b}, 3)", "concat('a', ${b}, 3)"),
    ("count_selected(${c})>=2", "count_selected(${c}) >= 2"),
]


@pytest.mark.parametrize(("source", "canonical"), CANONICAL)
def test_canonical_text(source: str, canonical: str) -> None:
    expression = parse(source)
    assert str(expression) == canonical
    assert parse(canonical).tree == expression.tree


TREES = [
    ("1 + 2 * 3", Binary("+", Literal(1, 0), Binary("*", Literal(2, 4), Literal(3, 8), 6), 2)),
    ("1 - 2 - 3", Binary("-", Binary("-", Literal(1, 0), Literal(2, 4), 2), Literal(3, 8), 6)),
    ("-${a}", Unary("-", Reference("a", 1), 0)),
    ("not .", Unary("not", Current(4), 0)),
    ("max(1, 2.5)", Call("max", (Literal(1, 4), Literal(2.5, 7)), 0)),
    ("'x' = 'y'", Binary("=", Literal("x", 0), Literal("y", 6), 4)),
]


@pytest.mark.parametrize(("source", "tree"), TREES)
def test_tree_shape(source: str, tree: object) -> None:
    assert parse(source).tree == tree


def test_positions_point_at_the_naming_token() -> None:
    tree = parse("  ${a} + max(., 2)").tree
    assert isinstance(tree, Binary)
    assert (tree.position, tree.left.position, tree.right.position) == (7, 2, 9)
    assert isinstance(tree.right, Call)
    assert [argument.position for argument in tree.right.arguments] == [13, 16]


def test_literal_kinds() -> None:
    assert parse("12").tree == Literal(12, 0)
    assert type(parse("12").tree.value) is int
    assert type(parse("3.5").tree.value) is float
    assert parse("'3'").tree.value == "3"


@pytest.mark.parametrize(
    ("source", "references", "uses_current"),
    [
        ("1 + 2", set(), False),
        ("${age} >= 6 and ${age} <= 15", {"age"}, False),
        ("sum(${income_wage}) + ${transfer}", {"income_wage", "transfer"}, False),
        (". > ${min_age}", {"min_age"}, True),
        ("if(., ${a}, coalesce(${b}, ${_c9}))", {"a", "b", "_c9"}, True),
        ("'${not_a_reference}'", set(), False),
    ],
)
def test_references_and_current(source: str, references: set[str], uses_current: bool) -> None:
    expression = parse(source)
    assert expression.references == frozenset(references)
    assert isinstance(expression.references, frozenset)
    assert expression.uses_current is uses_current


def test_reference_offset_is_the_first_use() -> None:
    expression = parse("${b} + ${a} * ${a}")
    assert expression.reference_offset("a") == 7
    assert expression.reference_offset("b") == 0
    with pytest.raises(KeyError):
        expression.reference_offset("c")


def test_expression_is_immutable_and_compares_by_source() -> None:
    expression = parse("1+1")
    assert expression == parse("1+1")
    assert expression != parse("1 + 1")
    assert hash(expression) == hash(parse("1+1"))
    assert expression.source == "1+1"
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.source = "2"  # type: ignore[misc]


def test_public_api_is_small() -> None:
    assert expr.__all__ == ["Expression", "parse"]
    assert expr.Expression is Expression


def test_no_regex_function() -> None:
    # Untrusted forms must not bring their own patterns (ReDoS).
    assert "regex" not in FUNCTIONS
    with pytest.raises(ExpressionError) as caught:
        parse("regex(${a}, '(a+)+$')")
    assert caught.value.code == "expr.unknown_function"


def test_long_left_chains_are_not_nesting() -> None:
    # A long sum of income items must neither hit the nesting limit nor the recursion limit.
    source = "+".join(["1"] * 1900)
    expression = parse(source)
    assert str(expression) == " + ".join(["1"] * 1900)
    assert expression.evaluate({}, today=datetime.date(2024, 1, 1)) == 1900


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert str(parse("(" * 63 + "1" + ")" * 63)) == "1"


SYNTAX_ERRORS = [
    # source, offset, reason
    ("1 + * 2", 4, "unexpected token '*'"),
    ("1 +", 3, "unexpected end of expression"),
    ("1 2", 2, "unexpected token '2'"),
    ("1)", 1, "unexpected token ')'"),
    ("(1", 2, "expected ')'"),
    ("((1 + 2)", 8, "expected ')'"),
    ("concat(1 2)", 9, "expected ',' or ')'"),
    ("max(1,)", 6, "unexpected token ')'"),
    ("", 0, "empty expression"),
    ("   ", 3, "empty expression"),
    ("'abc", 0, "unterminated string"),
    ("1 + \"ab'", 4, "unterminated string"),
    ("'it''", 0, "unterminated string"),
    ("1 < 2 < 3", 6, "comparisons cannot be chained; use 'and'"),
    ("1 = 2 != 3", 6, "comparisons cannot be chained; use 'and'"),
    ("${a} = not ${b}", 7, "'not' needs parentheses here"),
    ("1 + not 2", 4, "'not' needs parentheses here"),
    ("-not 1", 1, "'not' needs parentheses here"),
    ("1 not 2", 2, "unexpected token 'not'"),
    ("1 AND 2", 2, "unexpected token 'AND'"),
    ("div", 0, "unexpected token 'div'"),
    ("age > 3", 0, "unexpected name 'age' (a question is written ${age})"),
    ("${}", 2, "expected a question name after '${'"),
    ("${1a}", 2, "expected a question name after '${'"),
    ("$a", 0, "expected '{' after '$'"),
    ("${a b}", 3, "expected '}' after the question name"),
    ("${a", 3, "expected '}' after the question name"),
    ("1 ! 2", 2, "unexpected character '!'"),
    ("1 ＋ 2", 2, "unexpected character '＋' (use '+')"),
    ("selected（${a}, 'x')", 8, "unexpected character '（' (use '(')"),
    ("1 ** 2", 3, "unexpected token '*'"),
    ("1.5.2", 3, "unexpected token '.'"),
    ("+1", 0, "unexpected token '+'"),
    ("1" + "0" * 400, 0, "number too large"),
    ("1 + " + "9" * 320 + ".5", 4, "number too large"),
    ("if(1, 2)", 0, "function if takes 3 arguments"),
    ("today(1)", 0, "function today takes no arguments"),
    ("1 + age()", 4, "function age takes 1 or 2 arguments"),
    ("coalesce(1)", 0, "function coalesce takes at least 2 arguments"),
    ("selected(${a})", 0, "function selected takes 2 arguments"),
    ("count(1, 2)", 0, "function count takes 1 argument"),
    ("x" * 4001, 4000, "expression too long"),
    ("(" * 70 + "1" + ")" * 70, 64, "expression nested too deeply"),
    ("-" * 70 + "1", 64, "expression nested too deeply"),
    ("not " * 70 + "1", 4 * 64, "expression nested too deeply"),
    ("abs(" * 70 + "1" + ")" * 70, 4 * 64, "expression nested too deeply"),
]


@pytest.mark.parametrize(("source", "offset", "reason"), SYNTAX_ERRORS)
def test_syntax_errors_name_the_offset(source: str, offset: int, reason: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    error = caught.value
    assert error.code == "expr.syntax"
    assert error.details["offset"] == offset
    assert error.params["position"] == offset + 1
    assert error.params["reason"] == reason
    assert f"position {offset + 1}" in error.message("en")
    assert f"第{offset + 1}个字符" in error.message("zh")


@pytest.mark.parametrize(
    ("source", "name", "offset"),
    [("foo(1)", "foo", 0), ("1 + Sum(${a})", "Sum", 4), ("if(1, 2, bar())", "bar", 9)],
)
def test_unknown_function_names_the_function(source: str, name: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    error = caught.value
    assert error.code == "expr.unknown_function"
    assert error.params["name"] == name
    assert error.details["offset"] == offset
    assert error.params["expression"] == source
    assert name in error.message("zh")


def test_long_sources_are_cut_in_messages() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("x" * 5000)
    assert len(caught.value.params["expression"]) < 250


def test_package_imports_only_the_standard_library_and_core_errors() -> None:
    def acceptable(module_name: str) -> bool:
        return module_name == "field_app.core.errors" or module_name.split(".")[0] in sys.stdlib_module_names

    for module in Path(expr.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:  # relative imports stay inside
                assert acceptable(node.module or ""), (module.name, node.module)
            elif isinstance(node, ast.Import):
                assert all(acceptable(alias.name) for alias in node.names), module.name


def test_package_docstring_example() -> None:
    result = doctest.testmod(expr)
    assert result.attempted > 0 and result.failed == 0
