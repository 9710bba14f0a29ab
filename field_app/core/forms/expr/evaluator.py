"""Walk a syntax tree and compute its value.

The evaluator only routes: what each operator and function means lives in
``arithmetic.py``, ``comparison.py`` and ``functions.py``. It adds the one thing those
modules cannot know, the position, by turning their :class:`ValueFault` into ``expr.type``
at the operator or call that met the bad value. ``and``/``or`` are here because they
short-circuit: the right side is evaluated only when it decides the result.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any

from . import arithmetic, comparison
from .diagnostics import evaluation_error
from .functions import FUNCTIONS
from .nodes import Binary, Call, Current, Literal, Node, Reference, Unary
from .values import ValueFault, check_supported, is_true

_BINARY_OPERATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "=": comparison.equals,
    "!=": comparison.not_equals,
    "<": comparison.ordered("<"),
    "<=": comparison.ordered("<="),
    ">": comparison.ordered(">"),
    ">=": comparison.ordered(">="),
    "+": arithmetic.add,
    "-": arithmetic.subtract,
    "*": arithmetic.multiply,
    "/": arithmetic.divide,
    "div": arithmetic.divide,
    "mod": arithmetic.modulo,
}


def evaluate(
    tree: Node,
    *,
    source: str,
    values: Mapping[str, Any],
    today: datetime.date,
    current: Any = None,
) -> Any:
    """The value of ``tree``; ``source`` is only quoted in errors."""
    return _Evaluation(source, values, today, current).value_of(tree)


class _Evaluation:
    def __init__(self, source: str, values: Mapping[str, Any], today: datetime.date, current: Any) -> None:
        self._source = source
        self._values = values
        self._today = today
        self._current = current

    def value_of(self, node: Node) -> Any:
        match node:
            case Literal(value=value):
                return value
            case Reference(name=name):
                with self._faults_at(node.position):
                    # A name the form does not know is caught at load time via references;
                    # here a missing name is simply unanswered.
                    return check_supported(self._values.get(name), f"${{{name}}}")
            case Current():
                with self._faults_at(node.position):
                    return check_supported(self._current, "the current answer")
            case Unary():
                return self._unary(node)
            case Binary():
                return self._binary_chain(node)
            case Call():
                return self._call(node)
        raise TypeError(f"not a syntax tree node: {node!r}")

    def _unary(self, node: Unary) -> Any:
        operand = self.value_of(node.operand)
        if node.operator == "not":
            return not is_true(operand)
        with self._faults_at(node.position):
            return arithmetic.negate(operand)

    def _binary_chain(self, node: Binary) -> Any:
        # Fold the left spine in a loop so "a + b + c + ..." costs no stack per operator.
        spine = [node]
        while isinstance(spine[-1].left, Binary):
            spine.append(spine[-1].left)
        value = self.value_of(spine[-1].left)
        for binary in reversed(spine):
            value = self._binary(binary, value)
        return value

    def _binary(self, node: Binary, left: Any) -> Any:
        if node.operator == "and":
            return is_true(left) and is_true(self.value_of(node.right))
        if node.operator == "or":
            return is_true(left) or is_true(self.value_of(node.right))
        right = self.value_of(node.right)
        with self._faults_at(node.position):
            return _BINARY_OPERATIONS[node.operator](left, right)

    def _call(self, node: Call) -> Any:
        function = FUNCTIONS[node.name]  # the parser admitted only known names
        if function.lazy:
            arguments = [partial(self.value_of, argument) for argument in node.arguments]
        else:
            arguments = [self.value_of(argument) for argument in node.arguments]
        keywords = {"today": self._today} if function.needs_today else {}
        with self._faults_at(node.position):
            return function.implementation(*arguments, **keywords)

    @contextmanager
    def _faults_at(self, position: int) -> Iterator[None]:
        try:
            yield
        except ValueFault as fault:
            raise evaluation_error(self._source, position, fault.reason) from None
        except ArithmeticError:  # overflow of floats or dates, decimal limits
            raise evaluation_error(self._source, position, "number out of range") from None
