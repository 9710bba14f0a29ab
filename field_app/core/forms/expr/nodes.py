"""The syntax tree: small frozen dataclasses, each carrying its 0-based ``position``.

``position`` points at the token that names the node: a literal's first character, the
``$`` of a reference, the operator of a unary or binary operation, the name of a call. It
is left out of equality, so two trees compare by structure alone (``1+2`` equals ``1 + 2``).

The parser never builds a negative number literal (``-3`` is ``Unary('-', Literal(3))``)
and spells ``==`` as ``=``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Literal:
    value: int | float | str
    position: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class Reference:
    """``${name}``: the answer to the question called ``name``."""

    name: str
    position: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class Current:
    """``.``: the answer being checked by a constraint."""

    position: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    operator: str  # "-" or "not"
    operand: Node
    position: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    operator: str  # see precedence.BINARY_PRECEDENCE
    left: Node
    right: Node
    position: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    arguments: tuple[Node, ...]
    position: int = field(compare=False)


Node = Literal | Reference | Current | Unary | Binary | Call


def children(node: Node) -> tuple[Node, ...]:
    match node:
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right):
            return (left, right)
        case Call(arguments=arguments):
            return arguments
        case _:
            return ()


def iter_nodes(root: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right.

    Uses an explicit stack: a long chain ``a + b + c + ...`` is as deep as it is long.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))
