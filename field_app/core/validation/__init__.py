"""Checks of values typed by people: ID numbers, phones, dates, money."""

from field_app.core.validation.idnumber import (
    ResidentId,
    clean_id_text,
    consistency_warnings,
    convert_legacy_15,
    normalize_id_number,
    parse_id_number,
)
from field_app.core.validation.phone import normalize_phone
from field_app.core.validation.values import require_money, require_not_future, require_range

__all__ = [
    "ResidentId",
    "clean_id_text",
    "consistency_warnings",
    "convert_legacy_15",
    "normalize_id_number",
    "normalize_phone",
    "parse_id_number",
    "require_money",
    "require_not_future",
    "require_range",
]
