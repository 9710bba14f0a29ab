"""Operator precedence, shared by the parser and the unparser so they cannot disagree.

From lowest to highest: ``or``; ``and``; prefix ``not``; comparisons (not associative);
``+ -``; ``* / div mod``; unary ``-``; primaries. Binary operators other than comparisons
associate to the left.
"""

from __future__ import annotations

from .nodes import Binary, Node, Unary

OR = 1
AND = 2
NOT = 3
COMPARISON = 4
ADDITIVE = 5
MULTIPLICATIVE = 6
UNARY_MINUS = 7
PRIMARY = 8

COMPARISON_OPERATORS = frozenset({"=", "!=", "<", "<=", ">", ">="})

BINARY_PRECEDENCE: dict[str, int] = {
    "or": OR,
    "and": AND,
    **{operator: COMPARISON for operator in COMPARISON_OPERATORS},
    "+": ADDITIVE,
    "-": ADDITIVE,
    "*": MULTIPLICATIVE,
    "/": MULTIPLICATIVE,
    "div": MULTIPLICATIVE,
    "mod": MULTIPLICATIVE,
}

# Spellings the parser accepts for an operator, mapped to the one kept in the tree.
OPERATOR_SPELLINGS = {"==": "="}


def precedence_of(node: Node) -> int:
    if isinstance(node, Binary):
        return BINARY_PRECEDENCE[node.operator]
    if isinstance(node, Unary):
        return NOT if node.operator == "not" else UNARY_MINUS
    return PRIMARY


def left_operand_precedence(operator: str) -> int:
    """The lowest precedence a left operand may have without parentheses."""
    precedence = BINARY_PRECEDENCE[operator]
    # Comparisons do not chain: "(a < b) < c" keeps its parentheses.
    return precedence + 1 if operator in COMPARISON_OPERATORS else precedence


def right_operand_precedence(operator: str) -> int:
    """The lowest precedence a right operand may have without parentheses (left associativity)."""
    return BINARY_PRECEDENCE[operator] + 1
