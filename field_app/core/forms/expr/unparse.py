"""Write a syntax tree back as canonical text: the inverse of the parser.

Canonical means: single spaces around binary operators, ``=`` for equality, single quotes
(an inner quote doubled), parentheses only where precedence needs them. Parsing the text
gives back an equal tree, which the tests check on random trees.
"""

from __future__ import annotations

import decimal

from .nodes import Binary, Call, Current, Literal, Node, Reference, Unary
from .precedence import (
    NOT,
    OR,
    UNARY_MINUS,
    left_operand_precedence,
    precedence_of,
    right_operand_precedence,
)


def unparse(node: Node) -> str:
    match node:
        case Literal(value=value):
            return _literal(value)
        case Reference(name=name):
            return f"${{{name}}}"
        case Current():
            return "."
        case Unary(operator="not", operand=operand):
            return f"not {_operand(operand, NOT)}"
        case Unary(operator=operator, operand=operand):
            return f"{operator}{_operand(operand, UNARY_MINUS)}"
        case Binary():
            return _binary_chain(node)
        case Call(name=name, arguments=arguments):
            return f"{name}({', '.join(_operand(argument, OR) for argument in arguments)})"
    raise TypeError(f"not a syntax tree node: {node!r}")


def _binary_chain(node: Binary) -> str:
    # Walk down the left spine in a loop: "a + b + c + ..." may be longer than the recursion limit.
    spine = [node]
    while isinstance(spine[-1].left, Binary) and not _needs_parentheses(
        spine[-1].left, left_operand_precedence(spine[-1].operator)
    ):
        spine.append(spine[-1].left)
    innermost = spine[-1]
    parts = [_operand(innermost.left, left_operand_precedence(innermost.operator))]
    for binary in reversed(spine):
        parts.append(
            f" {binary.operator} {_operand(binary.right, right_operand_precedence(binary.operator))}"
        )
    return "".join(parts)


def _needs_parentheses(node: Node, min_precedence: int) -> bool:
    return precedence_of(node) < min_precedence


def _operand(node: Node, min_precedence: int) -> str:
    text = unparse(node)
    return f"({text})" if _needs_parentheses(node, min_precedence) else text


def _literal(value: int | float | str) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, float):
        # The language has no exponent form: spell 1e-07 as 0.0000001. repr() is the
        # shortest text that reads back as the same float, so nothing is lost.
        text = format(decimal.Decimal(repr(value)), "f")
        return text if "." in text else text + ".0"
    return str(value)
