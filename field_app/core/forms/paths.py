"""Registry paths: where an answer is saved (``save_to``) or read from (``prefill: registry:``, facts).

Grammar: ``<root>.<field>[.<field>...]`` where the root names a record model and each field
one of its fields, e.g. ``household.food_secure``, ``household.housing.grade``,
``member.school_status``, ``problem.due_date``. A list of records kept one per key is
addressed by a bracket holding the *name of a question or fact* whose value is the key:
``household.incomes[income_year].wages`` (the IncomeYear of the year in ``${income_year}``).

Checked against the models themselves (their pydantic fields), so a renamed model field
breaks the form at load, not at a household's door. Roots:

* ``household`` — :class:`Household`;
* ``member`` — :class:`Member` (inside a member repeat: that member; inside a repeat that
  ``creates: member``: the new member);
* ``problem`` — :class:`Problem`, inside a repeat that ``creates: problem``.

Facts may also use the derived values ``member.age`` (whole years on the visit day),
``household.member_count`` (present members), ``visit.year`` and ``visit.today``.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from field_app.core.models.geo import GeoPoint
from field_app.core.models.household import Household
from field_app.core.models.member import Member
from field_app.core.models.problem import Problem

ROOTS: dict[str, type[BaseModel]] = {"household": Household, "member": Member, "problem": Problem}

# Lists of records kept one per key: (model, field) -> the key field of the item model.
KEYED_LISTS: dict[tuple[type[BaseModel], str], str] = {(Household, "incomes"): "year"}

# Fields a form may never write: identities and bookkeeping.
READ_ONLY_FIELDS = frozenset(
    {"id", "household_id", "deleted", "created_by", "created_at", "found_in_visit_id"}
)

# Problem fields a form supplies; the rest (household, village, author, time) come from the visit.
PROBLEM_FIELDS = frozenset({"category", "description", "severity", "due_date"})

DERIVED = {"member.age": "int", "household.member_count": "int", "visit.year": "int", "visit.today": "date"}

_STEP = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[([A-Za-z_][A-Za-z0-9_]*)\])?$")


class PathError(ValueError):
    """A registry path that does not fit the models; ``reason`` is (zh, en)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True, slots=True)
class Step:
    field: str
    key: str | None = None  # the question or fact naming the list key


@dataclass(frozen=True, slots=True)
class Target:
    """What a path points at: its kind, and the code list for coded values."""

    kind: str  # bool, int, float, str, date, datetime, enum, enum_list, str_list, geo, model, other
    enum: type[Enum] | None = None


@dataclass(frozen=True, slots=True)
class RegistryPath:
    text: str
    root: str
    steps: tuple[Step, ...]
    target: Target

    @property
    def keys(self) -> tuple[str, ...]:
        """Names of the questions or facts the path's brackets refer to."""
        return tuple(step.key for step in self.steps if step.key)

    def concrete(self, keys: Mapping[str, Any]) -> str | None:
        """The path below the root with its keys filled in (``incomes[2024].wages``), or None
        when a key has no value."""
        parts = []
        for step in self.steps:
            if step.key is None:
                parts.append(step.field)
                continue
            key = keys.get(step.key)
            if key is None or isinstance(key, bool):
                return None
            parts.append(f"{step.field}[{key}]")
        return ".".join(parts)

    def read(self, record: BaseModel | None, keys: Mapping[str, Any]) -> Any:
        """The value at this path in ``record`` (codes as their plain values), or None."""
        current: Any = record
        for step in self.steps:
            if current is None:
                return None
            owner = current
            current = getattr(owner, step.field, None)
            if step.key is not None:
                key_value = keys.get(step.key)
                key_field = KEYED_LISTS[(type(owner), step.field)]
                current = next(
                    (item for item in current or () if getattr(item, key_field) == key_value), None
                )
        return plain(current)


def plain(value: Any) -> Any:
    """Registry values as forms hold them: codes as strings, lists of codes as lists of strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, GeoPoint):
        return value.model_dump(exclude_none=True)
    return value


def parse_path(
    text: str, *, roots: frozenset[str] | None = None, derived: bool = False, writable: bool = False
) -> RegistryPath:
    """Parse and check ``text`` against the models; raise :class:`PathError` when it does not fit.

    ``roots`` limits the roots allowed here; ``derived`` admits the derived facts
    (``member.age``, ...); ``writable`` refuses fields a form may not set.
    """
    if derived and text in DERIVED:
        root, _, rest = text.partition(".")
        if roots is None or root in roots or root == "visit":
            return RegistryPath(text, root, (Step(rest),), Target(DERIVED[text]))
    root, dot, rest = text.partition(".")
    allowed = roots if roots is not None else frozenset(ROOTS)
    if not dot or root not in ROOTS or root not in allowed:
        names = "、".join(sorted(allowed)) or "—"
        raise PathError(
            f"路径应以 {names} 开头", f"the path must start with one of: {', '.join(sorted(allowed))}"
        )
    model: type[BaseModel] | None = ROOTS[root]
    steps: list[Step] = []
    target = Target("model")
    parts = rest.split(".")
    for number, part in enumerate(parts):
        match = _STEP.match(part)
        if match is None or model is None:
            raise PathError(f"无法识别的路径片段“{part}”", f"cannot read path segment '{part}'")
        field, key = match.group(1), match.group(2)
        if field not in model.model_fields:
            raise PathError(f"{model.__name__} 没有字段 {field}", f"{model.__name__} has no field '{field}'")
        if writable and (field in READ_ONLY_FIELDS or (root == "problem" and field not in PROBLEM_FIELDS)):
            raise PathError(f"字段 {field} 不能由表单填写", f"field '{field}' cannot be set by a form")
        annotation = model.model_fields[field].annotation
        last = number == len(parts) - 1
        if key is not None:
            key_field = KEYED_LISTS.get((model, field))
            if key_field is None:
                raise PathError(f"{field} 不是按键索引的列表", f"'{field}' is not a keyed list")
            model = _item_model(annotation)
            if last:
                raise PathError(f"{field}[{key}] 后应指明字段", f"name a field after '{field}[{key}]'")
        else:
            target = describe(annotation)
            if target.kind == "model":
                model = nested_model(model, field)
            elif target.kind == "model_list":
                raise PathError(
                    f"{field} 是列表，需用 [键] 指明一项", f"'{field}' is a list: pick an item with [key]"
                )
            elif not last:
                raise PathError(f"{field} 不是记录，不能再往下", f"'{field}' has no fields below it")
            else:
                model = None
        steps.append(Step(field, key))
    if target.kind in ("model", "model_list"):
        raise PathError(
            "路径应指向一个字段而不是整条记录", "the path must end at a field, not a whole record"
        )
    return RegistryPath(text, root, tuple(steps), target)


def describe(annotation: Any) -> Target:
    """Classify a pydantic field annotation (``X | None`` and ``Annotated`` unwrapped)."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation) or (Any,)
        inner = _unwrap(inner)
        if isinstance(inner, type) and issubclass(inner, Enum):
            return Target("enum_list", inner)
        if inner is str:
            return Target("str_list")
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return Target("model_list")
        return Target("other")
    if not isinstance(annotation, type):
        return Target("other")
    if annotation is GeoPoint:
        return Target("geo")
    if issubclass(annotation, BaseModel):
        return Target("model")
    if issubclass(annotation, Enum):
        return Target("enum", annotation)
    for kind, python_type in (("bool", bool), ("int", int), ("float", float), ("str", str)):
        if annotation is python_type:
            return Target(kind)
    if annotation is datetime.datetime:
        return Target("datetime")
    if annotation is datetime.date:
        return Target("date")
    return Target("other")


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or origin is types.UnionType:
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _item_model(annotation: Any) -> type[BaseModel]:
    (inner,) = typing.get_args(_unwrap(annotation))
    return _unwrap(inner)


def nested_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    annotation = _unwrap(model.model_fields[field].annotation)
    if typing.get_origin(annotation) is list:
        return _item_model(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def coded_values(enum: type[Enum]) -> frozenset[str]:
    return frozenset(str(member.value) for member in enum)  # type: ignore[attr-defined]


__all__ = [
    "DERIVED",
    "KEYED_LISTS",
    "PROBLEM_FIELDS",
    "ROOTS",
    "PathError",
    "RegistryPath",
    "Step",
    "Target",
    "coded_values",
    "describe",
    "nested_model",
    "parse_path",
    "plain",
]
