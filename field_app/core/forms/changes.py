"""What changed since the previous visit: the paths whose answers differ.

Works on answers alone (drafts or submissions), so the app and the supervisor console use
it alike, even across form versions. Comparison is by meaning, not spelling: a date equals
its ``YYYY-MM-DD`` text, ``3`` equals ``3.0``, the choices of a multiple-choice answer (and
photo lists) compare as sets, blanks (``None``, ``""``, ``[]``, absent) are all "no answer".
Repeat instances are matched by ``member_id`` when they carry one, else by position; an
instance that appears or disappears is reported by its own path (``members[m7]``) besides
its answers'.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from typing import Any

_INSTANCE = object()  # marks "this repeat instance exists"


def changed_since(previous_answers: Mapping[str, Any] | None, answers: Mapping[str, Any] | None) -> set[str]:
    before = _flatten(previous_answers if isinstance(previous_answers, Mapping) else {}, "")
    after = _flatten(answers if isinstance(answers, Mapping) else {}, "")
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def _flatten(answers: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in answers.items():
        path = f"{prefix}{name}"
        if name == "member_id" and prefix:
            continue
        if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            for position, instance in enumerate(value):
                key = instance.get("member_id")
                key = key if isinstance(key, str) else position
                flat[f"{path}[{key}]"] = _INSTANCE
                flat.update(_flatten(instance, f"{path}[{key}]."))
            continue
        normal = _normal(value)
        if normal is not None:
            flat[path] = normal
    return flat


def _normal(value: Any) -> Any:
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value if not (isinstance(value, float) and math.isnan(value)) else None
    if isinstance(value, list | tuple):
        return frozenset(_hashable(item) for item in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _hashable(item)) for key, item in value.items()))
    return repr(value)


def _hashable(value: Any) -> Any:
    normal = _normal(value)
    try:
        hash(normal)
    except TypeError:
        return repr(normal)
    return normal


__all__ = ["changed_since"]
