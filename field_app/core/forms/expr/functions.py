"""The function table: every function a form may call, with its arity.

Names and arities are checked when an expression is parsed, so a typo in a form is found
when the form loads, not in a household's kitchen. There is deliberately no ``regex()``:
forms travel between offices and a hostile pattern could hang the tablet (ReDoS).

Functions meet values from ``values.py``; a ``list`` argument is a multiple-choice answer
or the values of a question across repeat instances. Where a function expects a list, a
single value counts as a list of one and ``None`` as the empty list.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .values import (
    ValueFault,
    is_blank,
    is_date,
    is_number,
    is_true,
    kind_of,
    to_date,
    to_number,
    to_text,
)

Thunk = Callable[[], Any]


@dataclass(frozen=True, slots=True)
class Function:
    implementation: Callable[..., Any]
    min_arguments: int
    max_arguments: int | None  # None: any number
    lazy: bool = False  # receives zero-argument callables, evaluates only what it needs
    needs_today: bool = False  # receives the injected date as keyword ``today``

    def accepts(self, count: int) -> bool:
        return self.min_arguments <= count and (self.max_arguments is None or count <= self.max_arguments)

    def arity_text(self) -> str:
        """E.g. "takes 2 arguments", "takes 1 or 2 arguments", "takes at least 2 arguments"."""
        low, high = self.min_arguments, self.max_arguments
        if high is None:
            return f"takes at least {_arguments(low)}"
        if low == high:
            return "takes no arguments" if low == 0 else f"takes {_arguments(low)}"
        if high == low + 1:
            return f"takes {low} or {_arguments(high)}"
        return f"takes {low} to {_arguments(high)}"


def _arguments(count: int) -> str:
    return f"{count} argument" if count == 1 else f"{count} arguments"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _choices(value: Any, function: str) -> list[str]:
    """The selected choices of a multiple-choice answer, a list or space-separated text."""
    if value is None:
        return []
    if isinstance(value, list):
        return [to_text(item) for item in value]
    if isinstance(value, str):
        return value.split()
    raise ValueFault(f"{function}() needs a multiple-choice answer, not {kind_of(value)}")


def selected(answer: Any, choice: Any) -> bool:
    if choice is None:
        return False
    return to_text(choice) in _choices(answer, "selected")


def count_selected(answer: Any) -> int:
    return len(_choices(answer, "count_selected"))


def count(values: Any) -> int:
    return sum(1 for item in _as_list(values) if item is not None)


def sum_of(values: Any) -> int | float:
    items = [item for item in _as_list(values) if item is not None]
    for item in items:
        if not is_number(item):
            raise ValueFault(f"sum() needs numbers, not {kind_of(item)}")
    return sum(items)


def _extremes(arguments: Sequence[Any], function: str) -> list[Any]:
    """The non-None values among the arguments, lists opened one level."""
    items = [item for argument in arguments for item in _as_list(argument) if item is not None]
    all_numbers = all(is_number(item) for item in items)
    all_dates = all(is_date(item) for item in items)
    if not (all_numbers or all_dates):
        kinds = sorted({kind_of(item) for item in items})
        raise ValueFault(f"{function}() needs numbers or dates, not {' and '.join(kinds)}")
    return items


def minimum(*arguments: Any) -> Any:
    items = _extremes(arguments, "min")
    return min(items) if items else None


def maximum(*arguments: Any) -> Any:
    items = _extremes(arguments, "max")
    return max(items) if items else None


def today_function(*, today: datetime.date) -> datetime.date:
    return today


def age(birth: Any, *on_date: Any, today: datetime.date) -> int | None:
    """Whole years from ``birth`` to ``on_date`` (default: today).

    One less while the birthday of that year is still ahead. Someone born on 29 February
    turns a year older on 1 March in common years. A birth after ``on_date`` gives a
    negative age, which a constraint can reject.
    """
    born = to_date(birth)
    on = to_date(on_date[0]) if on_date else today
    if born is None or on is None:
        return None
    birthday_ahead = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - int(birthday_ahead)


def date_function(value: Any) -> datetime.date | None:
    return to_date(value)


def if_function(condition: Thunk, when_true: Thunk, when_false: Thunk) -> Any:
    return when_true() if is_true(condition()) else when_false()


def coalesce(*candidates: Thunk) -> Any:
    """The first value that is not blank (``None``, ``''``, ``[]``); later ones are not evaluated."""
    for candidate in candidates:
        value = candidate()
        if not is_blank(value):
            return value
    return None


def string_length(value: Any) -> int:
    return len(to_text(value))


def concat(*values: Any) -> str:
    return "".join(to_text(value) for value in values)


def contains(text: Any, part: Any) -> bool:
    return to_text(part) in to_text(text)


def _finite_number(value: Any, function: str) -> int | float | None:
    number = to_number(value)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueFault(f"{function}() needs a finite number")
    return number


def integer(value: Any) -> int | None:
    """Truncates toward zero; text that is no number gives ``None``."""
    number = _finite_number(value, "int")
    return None if number is None else math.trunc(number)


def number(value: Any) -> int | float | None:
    return to_number(value)


_MAX_ROUNDING_DIGITS = 15  # a float holds no more; also bounds the work of quantize()


def round_half_up(value: Any, *digits: Any) -> int | float | None:
    """Rounds halves away from zero (2.5 -> 3, as people expect; Python rounds to even).

    Without ``digits`` or with ``digits`` <= 0 the result is an int, otherwise a float.
    """
    number = _finite_number(value, "round")
    places = _finite_number(digits[0], "round") if digits else 0
    if number is None or places is None:
        return None
    if places != int(places) or abs(places) > _MAX_ROUNDING_DIGITS:
        raise ValueFault(
            f"round() needs a whole number of digits between -{_MAX_ROUNDING_DIGITS} and {_MAX_ROUNDING_DIGITS}"
        )
    places = int(places)
    # repr() gives the shortest text of the float, so 2.675 rounds like the 2.675 people see.
    exact = decimal.Decimal(repr(number) if isinstance(number, float) else number)
    context = decimal.Context(prec=400)  # enough digits for any float or allowed integer
    rounded = exact.quantize(
        decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP, context=context
    )
    return float(rounded) if places > 0 else int(rounded)


def absolute(value: Any) -> int | float | None:
    number = to_number(value)
    return None if number is None else abs(number)


FUNCTIONS: dict[str, Function] = {
    "selected": Function(selected, 2, 2),
    "count_selected": Function(count_selected, 1, 1),
    "count": Function(count, 1, 1),
    "sum": Function(sum_of, 1, 1),
    "min": Function(minimum, 1, None),
    "max": Function(maximum, 1, None),
    "today": Function(today_function, 0, 0, needs_today=True),
    "age": Function(age, 1, 2, needs_today=True),
    "date": Function(date_function, 1, 1),
    "if": Function(if_function, 3, 3, lazy=True),
    "coalesce": Function(coalesce, 2, None, lazy=True),
    "string_length": Function(string_length, 1, 1),
    "concat": Function(concat, 1, None),
    "contains": Function(contains, 2, 2),
    "int": Function(integer, 1, 1),
    "number": Function(number, 1, 1),
    "round": Function(round_half_up, 1, 2),
    "abs": Function(absolute, 1, 1),
    "true": Function(lambda: True, 0, 0),
    "false": Function(lambda: False, 0, 0),
}
