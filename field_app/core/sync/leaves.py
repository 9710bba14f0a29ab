"""A record as *leaves* and back: what the field-level merge compares and stores.

A mutation carries whole top-level fields (``housing`` as one object, ``fuels`` as one list).
The merge cuts each field into leaves according to its :class:`FieldPolicy` and keeps only
the leaves whose new value differs from the value the user saw (the base), so a change to
``housing.grade`` does not touch ``housing.area_m2``. A leaf is addressed by a *path*, a
tuple that starts with the field name:

============  ===================================  ===========================
shape         path                                 leaf value
============  ===================================  ===========================
SCALAR        ``("phone",)``                       the value
RECORD        ``("housing", "grade")``             the sub-field's value
SET           ``("fuels", "coal")``                ``True`` present / ``False`` absent
KEYED         ``("incomes", 2023)``                ``True`` present / ``False`` absent
KEYED         ``("incomes", 2023, "wages")``       the entry field's value
============  ===================================  ===========================

Values are JSON values (``model_dump(mode="json")``) and are compared by their canonical JSON
text, so ``1`` and ``True`` are never "the same" by accident.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from field_app.core.sync.field_policy import ID_FIELD, TOMBSTONE, FieldPolicy, KindPolicy, Shape
from field_app.core.sync.mutation import FieldChange

Path = tuple[Any, ...]


class _Absent:
    """The base of a leaf that did not exist before (a created record, an added entry)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def same(a: Any, b: Any) -> bool:
    if a is ABSENT or b is ABSENT:
        return a is b
    return canonical(a) == canonical(b)


def sort_key(value: Any) -> tuple[int, Any]:
    """A total order over JSON scalars (numbers before text), for merged list order."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, canonical(value))


class LeafError(ValueError):
    """A field's value does not have the shape its policy says (a list where a record is due)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True, slots=True)
class LeafChange:
    path: Path
    value: Any
    base: Any  # ``None`` when nothing was there before


def format_path(policy: KindPolicy, path: Path) -> str:
    """The path as people read it: ``housing.grade``, ``fuels[coal]``, ``incomes[2023].wages``."""
    name = path[0]
    shape = policy.field(name).shape
    if shape is Shape.SCALAR or len(path) == 1:
        return name
    if shape is Shape.RECORD:
        return f"{name}.{path[1]}"
    text = f"{name}[{path[1]}]"
    return f"{text}.{path[2]}" if len(path) > 2 else text


# -- cutting a mutation into leaves --------------------------------------------------------


def leaf_changes(policy: KindPolicy, fields: Mapping[str, FieldChange], *, create: bool) -> list[LeafChange]:
    """The leaves a mutation writes. On ``create`` every leaf is written (nothing was there);
    otherwise only leaves whose value differs from their base. ``id`` is not a leaf.
    Raises :class:`LeafError` when a value's shape does not fit its field's policy."""
    changes: list[LeafChange] = []
    for name in sorted(fields):
        if name == ID_FIELD:
            continue
        change = fields[name]
        base = ABSENT if create else change.base
        changes.extend(_field_changes(policy.field(name), name, change.value, base))
    return changes


def _field_changes(rule: FieldPolicy, name: str, value: Any, base: Any) -> Iterable[LeafChange]:
    match rule.shape:
        case Shape.SCALAR:
            if not same(value, base):
                yield LeafChange((name,), value, _plain(base))
        case Shape.RECORD:
            new, old = _record(name, value), _record(name, base)
            for sub in sorted(new.keys() | old.keys()):
                if not same(new.get(sub, ABSENT), old.get(sub, ABSENT)) and sub in new:
                    yield LeafChange((name, sub), new[sub], _plain(old.get(sub, ABSENT)))
        case Shape.SET:
            new_set, old_set = _elements(name, value), _elements(name, base)
            for element in sorted(new_set.keys() - old_set.keys(), key=sort_key):
                yield LeafChange((name, element), True, False)
            for element in sorted(old_set.keys() - new_set.keys(), key=sort_key):
                yield LeafChange((name, element), False, True)
        case Shape.KEYED:
            assert rule.key is not None
            new_entries, old_entries = _entries(name, rule.key, value), _entries(name, rule.key, base)
            for key in sorted(new_entries.keys() | old_entries.keys(), key=sort_key):
                yield from _entry_changes(name, key, new_entries.get(key), old_entries.get(key))


def _entry_changes(name: str, key: Any, new: dict | None, old: dict | None) -> Iterable[LeafChange]:
    if new is None:
        yield LeafChange((name, key), False, True)
        return
    changed = [
        LeafChange((name, key, sub), new[sub], None if old is None else _plain(old.get(sub, ABSENT)))
        for sub in sorted(new)
        if old is None or not same(new[sub], old.get(sub, ABSENT))
    ]
    if changed:
        # An added entry, or an edited one: either way the writer says "this entry exists".
        yield LeafChange((name, key), True, old is not None)
        yield from changed


def _plain(base: Any) -> Any:
    return None if base is ABSENT else base


def _record(name: str, value: Any) -> dict[str, Any]:
    if value is None or value is ABSENT:
        return {}
    if not isinstance(value, Mapping):
        raise LeafError(name)
    return dict(value)


def _elements(name: str, value: Any) -> dict[Any, None]:
    if value is None or value is ABSENT:
        return {}
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise LeafError(name)
    return dict.fromkeys(value)


def _entries(name: str, key: str, value: Any) -> dict[Any, dict[str, Any]]:
    if value is None or value is ABSENT:
        return {}
    if not isinstance(value, list):
        raise LeafError(name)
    entries: dict[Any, dict[str, Any]] = {}
    for entry in value:
        if (
            not isinstance(entry, Mapping)
            or not isinstance(entry.get(key), str | int)
            or entry[key] in entries
        ):
            raise LeafError(name)
        entries[entry[key]] = dict(entry)
    return entries


# -- putting leaves back together ----------------------------------------------------------


def assemble(policy: KindPolicy, entity_id: str, leaves: Mapping[Path, Any]) -> dict[str, Any]:
    """The record's JSON values from the shown value of each leaf. Sets come out sorted,
    keyed lists sorted by their policy's ``order``; fields without leaves are left out (the
    model's default applies). The tombstone is included only where the model has it."""
    values: dict[str, Any] = {ID_FIELD: entity_id}
    present: dict[str, dict[Any, bool]] = {}
    entries: dict[str, dict[Any, dict[str, Any]]] = {}
    keep_tombstone = TOMBSTONE in policy.model.model_fields
    for path, value in leaves.items():
        name = path[0]
        if name == TOMBSTONE and not keep_tombstone:
            continue
        shape = policy.field(name).shape
        if shape is Shape.SCALAR:
            values[name] = value
        elif shape is Shape.RECORD:
            values.setdefault(name, {})[path[1]] = value
        elif shape is Shape.SET:
            elements = values.setdefault(name, [])
            if value is True:
                elements.append(path[1])
        elif len(path) == 2:
            present.setdefault(name, {})[path[1]] = value is True
        else:
            entries.setdefault(name, {}).setdefault(path[1], {})[path[2]] = value
    for name, items in list(values.items()):
        if policy.field(name).shape is Shape.SET:
            values[name] = sorted(items, key=sort_key)
    for name, keys in present.items():
        rule = policy.field(name)
        values[name] = sorted(
            (entry_of(rule, key, entries.get(name, {}).get(key, {})) for key, shown in keys.items() if shown),
            key=lambda entry, order=rule.order: tuple(sort_key(entry.get(part)) for part in order),
        )
    return values


def entry_of(rule: FieldPolicy, key: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    assert rule.key is not None
    return {rule.key: key, **fields}


def with_leaf(rule: FieldPolicy, top: Any, path: Path, leaf: Any, *, entry: Mapping[str, Any]) -> Any:
    """``top`` (a whole top-level field value) with the leaf at ``path`` set to ``leaf``;
    ``entry`` is the keyed entry at ``path`` as the server keeps it (used when the entry is
    currently hidden). The inverse of :func:`leaf_changes`, for building resolutions."""
    match rule.shape:
        case Shape.SCALAR:
            return leaf
        case Shape.RECORD:
            return {**(top or {}), path[1]: leaf}
        case Shape.SET:
            elements = [item for item in (top or []) if item != path[1]]
            return sorted([*elements, path[1]], key=sort_key) if leaf is True else elements
    assert rule.key is not None
    others = [item for item in (top or []) if item.get(rule.key) != path[1]]
    current = next((item for item in (top or []) if item.get(rule.key) == path[1]), dict(entry))
    if len(path) == 2:
        return [*others, current] if leaf is True else others
    return [*others, {**current, path[2]: leaf}]


__all__ = [
    "ABSENT",
    "LeafChange",
    "LeafError",
    "Path",
    "assemble",
    "canonical",
    "entry_of",
    "format_path",
    "leaf_changes",
    "same",
    "sort_key",
    "with_leaf",
]
