"""The parsed expression handed to the form engine: source, references, evaluation."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .evaluator import evaluate
from .nodes import Current, Node, Reference, iter_nodes
from .parser import parse_tree
from .unparse import unparse


def parse(source: str) -> Expression:
    """Parse ``source``; raises ``ExpressionError`` (``expr.syntax`` or ``expr.unknown_function``).

    Parsing is pure and cheap; callers that evaluate one rule many times keep the result.
    """
    return Expression(source, parse_tree(source))


@dataclass(frozen=True)
class Expression:
    """An immutable parsed expression. Two expressions are equal when their sources are.

    Build it with :func:`parse`.
    """

    source: str
    tree: Node = field(compare=False, repr=False)
    references: frozenset[str] = field(init=False, compare=False, repr=False)  # names used as ${name}
    uses_current: bool = field(init=False, compare=False, repr=False)  # whether "." appears
    _reference_offsets: Mapping[str, int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        offsets: dict[str, int] = {}
        uses_current = False
        for node in iter_nodes(self.tree):
            if isinstance(node, Reference):
                offsets[node.name] = min(node.position, offsets.get(node.name, node.position))
            elif isinstance(node, Current):
                uses_current = True
        # The dataclass is frozen; these are derived once, here, from the tree.
        object.__setattr__(self, "references", frozenset(offsets))
        object.__setattr__(self, "uses_current", uses_current)
        object.__setattr__(self, "_reference_offsets", MappingProxyType(offsets))

    def reference_offset(self, name: str) -> int:
        """0-based offset of the first ``${name}``, for ``expr.unknown_reference`` errors."""
        return self._reference_offsets[name]

    def evaluate(self, values: Mapping[str, Any], *, today: datetime.date, current: Any = None) -> Any:
        """The value for these answers; raises ``ExpressionError`` (``expr.type``).

        ``values`` maps question names to answers (a missing name is unanswered);
        ``today`` is the date of the visit (the clock is never read); ``current`` is ``.``.
        """
        return evaluate(self.tree, source=self.source, values=values, today=today, current=current)

    def __str__(self) -> str:
        """The canonical spelling, e.g. ``${a} = 1`` for ``${a}==1``."""
        return unparse(self.tree)
