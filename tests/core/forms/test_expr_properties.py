"""Hypothesis properties: round trips, a reference evaluator, and no stray exceptions."""

from __future__ import annotations

import datetime
import math
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from field_app.core.errors import ExpressionError
from field_app.core.forms.expr import parse
from field_app.core.forms.expr.functions import FUNCTIONS
from field_app.core.forms.expr.nodes import Binary, Call, Current, Literal, Node, Reference, Unary, children
from field_app.core.forms.expr.precedence import BINARY_PRECEDENCE
from field_app.core.forms.expr.unparse import unparse

TODAY = datetime.date(2024, 5, 1)
FAST = settings(max_examples=200, deadline=None)

# -- strategies ------------------------------------------------------------------------

question_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
literal_values = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.just(0.0),
    # Decimals without exponent notation far from 1 would make very long literals.
    st.floats(min_value=1e-6, max_value=1e12),
    st.text(max_size=8),
)


def leaves(names: st.SearchStrategy[str]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Literal, literal_values, st.just(0)),
        st.builds(Reference, names, st.just(0)),
        st.just(Current(0)),
    )


def _calls(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    def call_of(name: str) -> st.SearchStrategy[Node]:
        function = FUNCTIONS[name]
        most = function.max_arguments if function.max_arguments is not None else function.min_arguments + 2
        arguments = st.lists(children, min_size=function.min_arguments, max_size=most)
        return arguments.map(lambda items: Call(name, tuple(items), 0))

    return st.sampled_from(sorted(FUNCTIONS)).flatmap(call_of)


def _compound(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Unary, st.sampled_from(["-", "not"]), children, st.just(0)),
        st.builds(Binary, st.sampled_from(sorted(BINARY_PRECEDENCE)), children, children, st.just(0)),
        _calls(children),
    )


def trees(names: st.SearchStrategy[str] = question_names) -> st.SearchStrategy[Node]:
    return st.recursive(leaves(names), _compound, max_leaves=20)


def height(node: Node) -> int:
    return 1 + max((height(child) for child in children(node)), default=0)


# -- (1) rendering then parsing gives back the tree -----------------------------------


@FAST
@given(trees())
def test_unparse_then_parse_round_trips(tree: Node) -> None:
    assume(height(tree) <= 25)  # each level may cost two of the 64 nesting levels
    text = unparse(tree)
    expression = parse(text)
    assert expression.tree == tree
    assert str(expression) == text  # also tells 1 from 1.0, which == does not


# -- (2) integer arithmetic agrees with a reference computed here ---------------------

integer_trees = st.recursive(
    st.builds(Literal, st.integers(min_value=0, max_value=50), st.just(0)),
    lambda children: st.one_of(
        st.builds(Unary, st.just("-"), children, st.just(0)),
        st.builds(Binary, st.sampled_from(["+", "-", "*"]), children, children, st.just(0)),
    ),
    max_leaves=25,
)


def reference_value(node: Node) -> int:
    match node:
        case Literal(value=value):
            assert isinstance(value, int)
            return value
        case Unary(operand=operand):
            return -reference_value(operand)
        case Binary(operator="+", left=left, right=right):
            return reference_value(left) + reference_value(right)
        case Binary(operator="-", left=left, right=right):
            return reference_value(left) - reference_value(right)
        case Binary(operator="*", left=left, right=right):
            return reference_value(left) * reference_value(right)
    raise AssertionError(node)


@FAST
@given(integer_trees)
def test_integer_arithmetic_matches_reference(tree: Node) -> None:
    assume(height(tree) <= 25)
    result = parse(unparse(tree)).evaluate({}, today=TODAY)
    assert result == reference_value(tree)
    assert type(result) is int


# -- (3) parsing any text fails only with ExpressionError -----------------------------

# Pieces of the grammar glued at random reach deeper into the parser than st.text() does.
expression_like_text = st.lists(
    st.sampled_from(
        list("()${}'\",.=<>!+-*/ _abcxyz0123456789（") + [" and ", " or ", "not ", " div ", "if(", "sum("]
    ),
    max_size=30,
).map("".join)


def parse_or_error(source: str) -> None:
    try:
        expression = parse(source)
    except ExpressionError as error:
        assert error.code in ("expr.syntax", "expr.unknown_function")
        assert 0 <= error.details["offset"] <= len(source)
    else:
        # Whatever parses has a canonical spelling that parses to the same tree.
        assert parse(str(expression)).tree == expression.tree


@FAST
@given(st.text())
def test_parse_arbitrary_text(source: str) -> None:
    parse_or_error(source)


@settings(max_examples=400, deadline=None)
@given(expression_like_text)
def test_parse_expression_like_text(source: str) -> None:
    parse_or_error(source)


# -- (4) evaluating random expressions fails only with ExpressionError -----------------

NAMES = ["a", "b", "c", "d"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["", "12", " 3.5 ", "2024-02-29", "a b", "abc"]),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
)
answers = st.one_of(scalars, st.lists(scalars, max_size=4))
value_maps = st.dictionaries(st.sampled_from(NAMES), answers)


@settings(max_examples=300, deadline=None)
@given(trees(st.sampled_from(NAMES)), value_maps, answers)
def test_evaluation_fails_only_with_expression_error(
    tree: Node, values: dict[str, Any], current: Any
) -> None:
    assume(height(tree) <= 25)
    expression = parse(unparse(tree))
    try:
        expression.evaluate(values, today=TODAY, current=current)
    except ExpressionError as error:
        assert error.code == "expr.type"
        assert 0 <= error.details["offset"] < len(expression.source)


# -- (5) and / or / not follow Python's truthiness -------------------------------------

plain_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-2, max_value=2),
    st.text(max_size=2),
    st.lists(st.text(max_size=1), max_size=2),
)


@FAST
@given(plain_values, plain_values)
def test_logic_follows_truthiness(a: Any, b: Any) -> None:
    values = {"a": a, "b": b}
    assert parse("${a} and ${b}").evaluate(values, today=TODAY) is bool(a and b)
    assert parse("${a} or ${b}").evaluate(values, today=TODAY) is bool(a or b)
    assert parse("not ${a}").evaluate(values, today=TODAY) is (not a)


# -- more: equality is symmetric, and != is its negation --------------------------------


@FAST
@given(scalars, scalars)
def test_equality_is_symmetric(a: Any, b: Any) -> None:
    values = {"a": a, "b": b}
    try:
        forward = parse("${a} = ${b}").evaluate(values, today=TODAY)
    except ExpressionError:
        return
    assert parse("${b} = ${a}").evaluate(values, today=TODAY) is forward
    assert parse("${a} != ${b}").evaluate(values, today=TODAY) is (not forward)
    nan_involved = any(isinstance(value, float) and math.isnan(value) for value in (a, b))
    if a is b and not nan_involved:
        assert forward is True
