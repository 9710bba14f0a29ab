"""Equality and ordering across kinds of values, XPath-like but with loud type mistakes.

* Blank values (``None``, ``''``, ``[]``) equal each other and nothing else; ``<``, ``<=``,
  ``>``, ``>=`` with ``None`` on either side are false.
* Booleans compare as the numbers 1 and 0.
* A number against text converts the text; a date against text reads ``YYYY-MM-DD``. Text
  that does not convert (often typed by an enumerator) behaves like XPath's NaN: it is
  unequal to the other side and neither smaller nor larger, never an error.
* Kinds that can never meet in a correct form (a date and a number, a list and a text, ...)
  raise ``expr.type``: that is a mistake of the form, better found while testing it.
* Lists compare element by element for ``=`` and ``!=`` only.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from .values import ValueFault, is_blank, is_date, is_number, kind_of, parse_date_text, parse_number_text

_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

_UNCOMPARABLE = None  # a pair where text did not convert: unequal and unordered


def equals(left: Any, right: Any) -> bool:
    if is_blank(left) or is_blank(right):
        return is_blank(left) and is_blank(right)
    pair = _comparable_pair(left, right, ordering=False)
    return pair is not _UNCOMPARABLE and pair[0] == pair[1]


def not_equals(left: Any, right: Any) -> bool:
    return not equals(left, right)


def ordered(symbol: str) -> Callable[[Any, Any], bool]:
    """The function behind ``<``, ``<=``, ``>`` or ``>=``."""
    compare = _ORDERINGS[symbol]

    def ordering(left: Any, right: Any) -> bool:
        if left is None or right is None:
            return False
        pair = _comparable_pair(left, right, ordering=True)
        return pair is not _UNCOMPARABLE and compare(pair[0], pair[1])

    return ordering


def _comparable_pair(left: Any, right: Any, *, ordering: bool) -> tuple[Any, Any] | None:
    """Both values brought to one kind, ``None`` if text did not convert, or a fault."""
    if is_number(left) and is_number(right):
        return left, right
    if isinstance(left, str) and isinstance(right, str):
        return left, right
    if is_date(left) and is_date(right):
        return left, right
    if is_number(left) and isinstance(right, str):
        return _with_converted(left, parse_number_text(right))
    if isinstance(left, str) and is_number(right):
        return _swap(_with_converted(right, parse_number_text(left)))
    if is_date(left) and isinstance(right, str):
        return _with_converted(left, parse_date_text(right))
    if isinstance(left, str) and is_date(right):
        return _swap(_with_converted(right, parse_date_text(left)))
    if isinstance(left, list) and isinstance(right, list):
        if ordering:
            raise ValueFault("cannot order lists")
        return left, right
    hint = "; use selected()" if {kind_of(left), kind_of(right)} == {"list", "text"} else ""
    raise ValueFault(f"cannot compare {kind_of(left)} with {kind_of(right)}{hint}")


def _with_converted(value: Any, converted: Any) -> tuple[Any, Any] | None:
    return _UNCOMPARABLE if converted is None else (value, converted)


def _swap(pair: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    return pair if pair is _UNCOMPARABLE else (pair[1], pair[0])
