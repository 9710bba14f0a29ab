"""Small checks on plain values: dates not in the future, money not negative, ranges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from field_app.core.errors import ValidationError
from field_app.core.i18n.fields import FIELD_LABELS


def require_not_future(value: date | datetime, *, today: date, field: str) -> date | datetime:
    day = value.date() if isinstance(value, datetime) else value
    if day > today:
        raise ValidationError("validation.future_date", **_names(field), today=today.isoformat())
    return value


def require_money(value: float | int | Decimal, *, field: str) -> float | int | Decimal:
    if value < 0:
        raise ValidationError("validation.negative_money", **_names(field))
    return value


def require_range(value: float, *, minimum: float, maximum: float, field: str) -> float:
    if not minimum <= value <= maximum:
        raise ValidationError("validation.out_of_range", **_names(field), minimum=minimum, maximum=maximum)
    return value


def _names(field: str) -> dict[str, str]:
    """A field's key -> its Chinese and English labels for the message."""
    zh, en = FIELD_LABELS.get(field, (field, field))
    return {"field": zh, "field_en": en}


__all__ = ["require_money", "require_not_future", "require_range"]
