"""``+ - * / div mod`` and unary ``-``.

* ``None`` on either side gives ``None`` (an unanswered amount makes the total unknown).
* Numbers (booleans count as 1 and 0) compute as in Python; ``/`` and ``div`` always give
  a float; ``mod`` is Python's ``%`` (the sign follows the divisor).
* Division or ``mod`` by zero gives ``None``, not an error: the divisor is usually an answer.
* date - date is the number of days; date + int, int + date and date - int are dates.
* Anything else, text included, is an ``expr.type`` error (join text with ``concat()``,
  convert it with ``number()``).
"""

from __future__ import annotations

import datetime
from typing import Any

from .values import ValueFault, check_integer_range, is_date, is_number, is_whole_number, kind_of


def add(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if is_number(left) and is_number(right):
        return check_integer_range(left + right)
    if is_date(left) and is_whole_number(right):
        return left + datetime.timedelta(days=right)
    if is_whole_number(left) and is_date(right):
        return right + datetime.timedelta(days=left)
    hint = "; use concat() to join text" if isinstance(left, str) or isinstance(right, str) else ""
    raise ValueFault(f"cannot add {kind_of(left)} and {kind_of(right)}{hint}")


def subtract(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if is_number(left) and is_number(right):
        return check_integer_range(left - right)
    if is_date(left) and is_date(right):
        return (left - right).days
    if is_date(left) and is_whole_number(right):
        return left - datetime.timedelta(days=right)
    raise ValueFault(f"cannot subtract {kind_of(right)} from {kind_of(left)}")


def multiply(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    _require_numbers("multiply", left, right)
    return check_integer_range(left * right)


def divide(left: Any, right: Any) -> float | None:
    if left is None or right is None:
        return None
    _require_numbers("divide", left, right)
    if right == 0:
        return None
    return left / right


def modulo(left: Any, right: Any) -> int | float | None:
    if left is None or right is None:
        return None
    _require_numbers("take the remainder of", left, right)
    if right == 0:
        return None
    return left % right


def negate(value: Any) -> int | float | None:
    if value is None:
        return None
    if is_number(value):
        return -value
    raise ValueFault(f"cannot negate {kind_of(value)}")


def _require_numbers(verb: str, left: Any, right: Any) -> None:
    if not (is_number(left) and is_number(right)):
        raise ValueFault(f"cannot {verb} {kind_of(left)} and {kind_of(right)}")
