"""What the language's values are, which are true, and how they convert.

Values: ``None`` (unanswered or not relevant), ``bool``, ``int``, ``float``, ``str``,
``datetime.date`` (not ``datetime``), and ``list`` (the choices of a multiple-choice
answer, the values of a question across repeat instances, or the instances of a repeat).

Functions here raise :class:`ValueFault`, which knows no position; the evaluator turns it
into ``expr.type`` at the operator or call that met the bad value.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from .limits import MAX_INTEGER_BITS


class ValueFault(Exception):  # noqa: N818 - internal signal, never seen by callers
    """A value of the wrong kind; ``reason`` is a short English phrase."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


SUPPORTED_KINDS = frozenset({"nothing", "boolean", "number", "text", "date", "list"})

# Strict formats: Python's float() would also accept "nan", "1e5" and "1_000", and
# date.fromisoformat() accepts "20240101"; neither belongs in a survey answer.
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_NUMBER_TEXT_LENGTH = 400


def kind_of(value: Any) -> str:
    """The kind of a value as named in error messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.datetime):
        return "datetime"  # a date and time is not a date: refuse rather than drop the time
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def is_number(value: Any) -> bool:
    """Numbers include booleans, which count as 1 and 0 (as in XPath)."""
    return isinstance(value, int | float)


def is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_date(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def is_blank(value: Any) -> bool:
    """Unanswered: ``None``, the empty text or the empty list (no choice selected)."""
    if value is None:
        return True
    if isinstance(value, str | list):
        return len(value) == 0
    return False


def is_true(value: Any) -> bool:
    """Truthiness: ``None``, ``False``, ``0``, NaN, ``''`` and ``[]`` are false, the rest true."""
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def check_integer_range(value: int | float) -> int | float:
    if is_whole_number(value) and value.bit_length() > MAX_INTEGER_BITS:
        raise ValueFault("number too large")
    return value


def parse_number_text(text: str) -> int | float | None:
    """The number written in ``text`` (surrounding spaces allowed), or ``None``."""
    stripped = text.strip()
    # Longer text is no number a survey needs; the cap also keeps int() clear of Python's
    # limit on the digits it converts (a ValueError for pasted walls of digits).
    if len(stripped) > _MAX_NUMBER_TEXT_LENGTH or not _NUMBER_TEXT.fullmatch(stripped):
        return None
    if "." in stripped:
        number = float(stripped)
        return number if math.isfinite(number) else None
    whole = int(stripped)
    return None if whole.bit_length() > MAX_INTEGER_BITS else whole


def parse_date_text(text: str) -> datetime.date | None:
    """The date written as ``YYYY-MM-DD`` in ``text``, or ``None``."""
    stripped = text.strip()
    if not _DATE_TEXT.fullmatch(stripped):
        return None
    try:
        return datetime.date.fromisoformat(stripped)
    except ValueError:  # month 13, February 30, year 0
        return None


def to_number(value: Any) -> int | float | None:
    """Convert for ``number()``, ``int()`` and friends: text that is no number gives ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if is_number(value):
        return value
    if isinstance(value, str):
        return parse_number_text(value)
    raise ValueFault(f"cannot convert {kind_of(value)} to a number")


def to_date(value: Any) -> datetime.date | None:
    """Convert for ``date()`` and ``age()``: blank gives ``None``, bad text is an error."""
    if is_blank(value):
        return None
    if is_date(value):
        return value
    if isinstance(value, str):
        parsed = parse_date_text(value)
        if parsed is None:
            raise ValueFault(f"not a date (YYYY-MM-DD): '{value[:20]}'")
        return parsed
    raise ValueFault(f"cannot convert {kind_of(value)} to a date")


def to_text(value: Any) -> str:
    """Convert for ``concat()`` and other text functions; ``None`` is the empty text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 3.0 reads as "3", as in XPath; huge or non-finite floats keep Python's spelling.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if is_date(value):
        return value.isoformat()
    if isinstance(value, list):
        # A multiple-choice answer reads as its space-separated choices, as in XLSForm.
        return " ".join(to_text(item) for item in value)
    raise ValueFault(f"cannot convert {kind_of(value)} to text")


def check_supported(value: Any, what: str) -> Any:
    """``value`` unchanged if the language can hold it; ``what`` names it in the error."""
    kind = kind_of(value)
    if kind not in SUPPORTED_KINDS:
        raise ValueFault(f"{what} has unsupported type {kind}")
    return value
