"""Turn a raw answer (from the UI, a JSON draft or a previous visit) into its typed value.

Each question type has one coercer: ``coerce(kind, raw, spec) -> (value, fault)``. A blank
answer (``None``, ``""``, ``[]``) is ``(None, None)``. A value of the wrong kind is
``(None, fault)``: expressions then see it as unanswered. A value of the right kind but out
of bounds (a number above ``max``, too many photos, a GPS fix too coarse) keeps its value
and carries a fault, as a failed constraint does. A fault is ``(message code, params)``.

Numbers and dates also come as text (``"12"``, ``"2024-05-01"``), because drafts are JSON
and text fields deliver text; the strict formats of the expression language apply.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from field_app.core.errors import ValidationError
from field_app.core.forms.expr.values import parse_date_text, parse_number_text
from field_app.core.validation import normalize_phone, parse_id_number

Fault = tuple[str, dict[str, Any]]
Result = tuple[Any, Fault | None]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Spec:
    """What a coercer needs to know of its question beyond the raw value."""

    today: datetime.date
    choices: frozenset[str] | Callable[[], frozenset[str]] = frozenset()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 2000
    text_format: str | None = None
    max_accuracy_m: float | None = None
    min_count: int = 0
    max_count: int = 50
    methods: tuple[str, ...] = ()

    def allowed(self) -> frozenset[str]:
        return self.choices() if callable(self.choices) else self.choices


def is_blank(raw: Any) -> bool:
    return (
        raw is None
        or (isinstance(raw, str) and not raw.strip())
        or (isinstance(raw, list | tuple) and not raw)
    )


def coerce(kind: str, raw: Any, spec: Spec) -> Result:
    if is_blank(raw):
        return None, None
    return COERCERS[kind](raw, spec)


def _text(raw: Any, spec: Spec) -> Result:
    if not isinstance(raw, str):
        return None, ("form.answer.not_text", {})
    value = raw.strip()
    if len(value) > spec.max_length:
        return value, ("form.answer.too_long", {"limit": spec.max_length, "length": len(value)})
    if spec.text_format is not None:
        try:
            if spec.text_format == "id_number":
                value = parse_id_number(value, today=spec.today).number
            else:
                value = normalize_phone(value)
        except ValidationError as error:
            return None, (
                "form.answer.format",
                {"reason": error.message("zh"), "reason_en": error.message("en")},
            )
    return value, None


def _number_from(raw: Any) -> int | float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None
    if isinstance(raw, str):
        return parse_number_text(raw)
    return None


def _bounded(value: int | float, spec: Spec) -> Result:
    if spec.minimum is not None and value < spec.minimum:
        return value, ("form.answer.too_small", {"limit": _show(spec.minimum)})
    if spec.maximum is not None and value > spec.maximum:
        return value, ("form.answer.too_large", {"limit": _show(spec.maximum)})
    return value, None


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _integer(raw: Any, spec: Spec) -> Result:
    number = _number_from(raw)
    if number is None or (isinstance(number, float) and not number.is_integer()):
        return None, ("form.answer.not_integer", {})
    if abs(number) > 1e15:
        return None, ("form.answer.not_integer", {})
    return _bounded(int(number), spec)


def _decimal(raw: Any, spec: Spec) -> Result:
    number = _number_from(raw)
    if number is None or abs(number) > 1e15:
        return None, ("form.answer.not_number", {})
    return _bounded(number, spec)


def _date(raw: Any, spec: Spec) -> Result:
    if isinstance(raw, datetime.datetime):
        return None, ("form.answer.not_date", {})
    if isinstance(raw, datetime.date):
        return raw, None
    if isinstance(raw, str):
        parsed = parse_date_text(raw)
        if parsed is not None:
            return parsed, None
    return None, ("form.answer.not_date", {})


def _yes_no(raw: Any, spec: Spec) -> Result:
    if isinstance(raw, bool):
        return raw, None
    return None, ("form.answer.not_yes_no", {})


def _select_one(raw: Any, spec: Spec) -> Result:
    if not isinstance(raw, str):
        return None, ("form.answer.not_choice", {"value": _short(raw)})
    if raw not in spec.allowed():
        return None, ("form.answer.not_choice", {"value": _short(raw)})
    return raw, None


def _select_multiple(raw: Any, spec: Spec) -> Result:
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        return None, ("form.answer.not_choices", {})
    allowed = spec.allowed()
    unknown = [item for item in raw if item not in allowed]
    if unknown:
        return None, ("form.answer.not_choice", {"value": _short(unknown[0])})
    if len(set(raw)) != len(raw):
        return None, ("form.answer.repeated_choice", {})
    return list(raw), None


def _gps(raw: Any, spec: Spec) -> Result:
    if not isinstance(raw, Mapping):
        return None, ("form.answer.bad_gps", {})
    latitude = _number_from(raw.get("latitude"))
    longitude = _number_from(raw.get("longitude"))
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, ("form.answer.bad_gps", {})
    point: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    for key in ("accuracy_m", "altitude_m"):
        if raw.get(key) is None:
            continue
        number = _number_from(raw[key])
        if number is None or (key == "accuracy_m" and number < 0):
            return None, ("form.answer.bad_gps", {})
        point[key] = number
    if set(raw) - {"latitude", "longitude", "accuracy_m", "altitude_m"}:
        return None, ("form.answer.bad_gps", {})
    accuracy = point.get("accuracy_m")
    if spec.max_accuracy_m is not None:
        if accuracy is None:
            return point, ("form.answer.gps_no_accuracy", {"limit": _show(spec.max_accuracy_m)})
        if accuracy > spec.max_accuracy_m:
            return point, (
                "form.answer.gps_inaccurate",
                {"accuracy": _show(round(accuracy)), "limit": _show(spec.max_accuracy_m)},
            )
    return point, None


def _photo(raw: Any, spec: Spec) -> Result:
    if not isinstance(raw, list | tuple) or not all(
        isinstance(item, str) and _SHA256.match(item) for item in raw
    ):
        return None, ("form.answer.bad_photo", {})
    if len(set(raw)) != len(raw):
        return None, ("form.answer.repeated_photo", {})
    photos = list(raw)
    if len(photos) < spec.min_count:
        return photos, ("form.answer.too_few_photos", {"limit": spec.min_count})
    if len(photos) > spec.max_count:
        return photos, ("form.answer.too_many_photos", {"limit": spec.max_count})
    return photos, None


def _confirmation(raw: Any, spec: Spec) -> Result:
    if not isinstance(raw, Mapping) or set(raw) != {"method", "sha256"}:
        return None, ("form.answer.bad_confirmation", {})
    method, digest = raw.get("method"), raw.get("sha256")
    if method not in spec.methods or not isinstance(digest, str) or not _SHA256.match(digest):
        return None, ("form.answer.bad_confirmation", {})
    return {"method": method, "sha256": digest}, None


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


COERCERS: dict[str, Callable[[Any, Spec], Result]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "yes_no": _yes_no,
    "select_one": _select_one,
    "select_multiple": _select_multiple,
    "gps": _gps,
    "photo": _photo,
    "confirmation": _confirmation,
}


def expression_view(kind: str, value: Any) -> Any:
    """What expressions see of a typed answer (see schema.py): GPS as ``"lat lon"`` text,
    a confirmation as its method; everything else as it is."""
    if value is None:
        return None
    if kind == "gps":
        return f"{value['latitude']} {value['longitude']}"
    if kind == "confirmation":
        return value["method"]
    return value


__all__ = ["COERCERS", "Fault", "Spec", "coerce", "expression_view", "is_blank"]
