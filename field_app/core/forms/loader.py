"""Read form definitions from YAML or JSON (one file, text, or a whole folder) and compile them.

Files travel between offices, so they are read as untrusted data: ``yaml.safe_load``
semantics, no aliases (no "billion laughs"), no duplicate keys (YAML would silently keep
the last), at most ``MAX_FILE_BYTES``. Faults are ``form.unreadable`` (the file cannot be
read or parsed) or ``form.invalid`` (naming the form, the question and the fault); schema
faults found by pydantic are translated into the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError as PydanticValidationError

from field_app.core.errors import FormDefinitionError
from field_app.core.forms.compiled import Form
from field_app.core.forms.compiler import compile_form
from field_app.core.forms.faults import FormInvalid
from field_app.core.forms.schema import FormDefinition
from field_app.core.i18n import MESSAGES, Message

MAX_FILE_BYTES = 1_000_000
FORM_SUFFIXES = (".yaml", ".yml", ".json")


def load_form(path: str | Path) -> Form:
    """Load and compile one form file."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise FormDefinitionError(
                "form.unreadable", path=file.name, reason=f"larger than {MAX_FILE_BYTES} bytes"
            )
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FormDefinitionError("form.unreadable", path=file.name, reason=_os_reason(error)) from None
    return read_form_text(text, source=file.name, json_text=file.suffix == ".json")


def read_form_text(text: str, *, source: str = "<text>", json_text: bool = False) -> Form:
    """Compile a form from YAML (or JSON) text; ``source`` names it in messages."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise FormDefinitionError(
            "form.unreadable", path=source, reason=f"larger than {MAX_FILE_BYTES} bytes"
        )
    try:
        data = json.loads(text) if json_text else yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise FormDefinitionError("form.unreadable", path=source, reason=_yaml_reason(error)) from None
    return parse_form(data, source=source)


def parse_form(data: Any, *, source: str = "<data>") -> Form:
    """Compile a form from already-parsed data (a mapping, e.g. downloaded JSON)."""
    form_name = data.get("id") if isinstance(data, Mapping) and isinstance(data.get("id"), str) else source
    if not isinstance(data, Mapping):
        raise FormInvalid(form_name, "", Message("form.def.not_mapping"))
    try:
        definition = FormDefinition.model_validate(data)
    except PydanticValidationError as error:
        raise _schema_error(form_name, data, error) from None
    return compile_form(definition)


def load_forms(folder: str | Path) -> FormCatalog:
    """Load every form file of ``folder`` (not recursive); one broken file fails the load."""
    catalog = FormCatalog()
    for file in sorted(Path(folder).iterdir()):
        if file.suffix in FORM_SUFFIXES and file.is_file():
            catalog.add(load_form(file))
    return catalog


class FormCatalog(Mapping[tuple[str, int], Form]):
    """Loaded forms by ``(id, version)``; :meth:`latest` gives a form's newest version."""

    def __init__(self, forms: Mapping[tuple[str, int], Form] | None = None) -> None:
        self._forms: dict[tuple[str, int], Form] = dict(forms or {})

    def add(self, form: Form) -> None:
        if form.key in self._forms:
            raise FormInvalid(
                form.id,
                f"version {form.version}",
                Message("form.def.duplicate_form", {"version": form.version}),
            )
        self._forms[form.key] = form

    def get_form(self, form_id: str, version: int | None = None) -> Form:
        """The form ``form_id`` at ``version`` (the latest when None), or ``form.not_found``."""
        if version is None:
            return self.latest(form_id)
        form = self._forms.get((form_id, version))
        if form is None:
            raise FormDefinitionError("form.not_found", form=form_id, version=version)
        return form

    def latest(self, form_id: str) -> Form:
        versions = [key[1] for key in self._forms if key[0] == form_id]
        if not versions:
            raise FormDefinitionError("form.not_found", form=form_id, version="—")
        return self._forms[(form_id, max(versions))]

    def __getitem__(self, key: tuple[str, int]) -> Form:
        return self._forms[key]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)


# ------------------------------------------------------------------------ YAML reading


class _StrictLoader(yaml.SafeLoader):
    """``safe_load`` without aliases and without duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in forms", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml_reason(error: BaseException) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        return f"{where}{error.problem or error.context}"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error)[:200]


def _os_reason(error: BaseException) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    return getattr(error, "strerror", None) or type(error).__name__


# ------------------------------------------------------------------- schema faults


def _schema_error(form: str, data: Mapping[str, Any], error: PydanticValidationError) -> FormInvalid:
    first = _best(error.errors())
    where, field = _locate(data, first["loc"])
    kind = first["type"]
    ctx = first.get("ctx") or {}
    if kind == "missing":
        reason = Message("form.def.missing", {"field": field})
    elif kind == "extra_forbidden":
        reason = Message("form.def.unknown_setting", {"field": field})
    elif kind == "union_tag_invalid":
        reason = Message(
            "form.def.unknown_type", {"tag": ctx.get("tag", "?"), "expected": ctx.get("expected_tags", "")}
        )
    elif kind == "union_tag_not_found":
        reason = Message("form.def.no_type", {})
    else:
        code = f"form.def.pydantic.{kind}"
        params = {key: str(value) for key, value in ctx.items()}
        if code in MESSAGES:
            detail, detail_en = Message(code, params).text("zh"), Message(code, params).text("en")
        else:
            detail = detail_en = first["msg"]
        reason = Message("form.def.bad_value", {"field": field, "detail": detail, "detail_en": detail_en})
    return FormInvalid(form, where or field, reason, details={"errors": len(error.errors()), "type": kind})


def _best(errors: list[Any]) -> Any:
    """The most telling of pydantic's errors: an unknown type or missing field before the
    fallout of a failed union member."""
    for wanted in ("union_tag_invalid", "union_tag_not_found", "missing", "extra_forbidden"):
        for error in errors:
            if error["type"] == wanted:
                return error
    return errors[0]


def _locate(data: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """``(where, field)`` for an error location: the names of the items passed through, and
    the setting below the last of them (``("members/school_status", "choices")``)."""
    names: list[str] = []
    field: list[str] = []
    current = data
    parts = list(loc)
    if parts[:1] == ["choice_lists"] and len(parts) > 1:
        names = [f"choice_lists/{parts[1]}"]
        current, parts = None, [str(part) for part in parts[2:]]
    for part in parts:
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            if isinstance(current, Mapping):
                name = current.get("name")
                names.append(name if isinstance(name, str) else f"#{part + 1}")
                field = []
            else:
                field.append(str(part))
        elif isinstance(current, Mapping) and part in current:
            current = current[part]
            if part != "items":
                field.append(str(part))
        elif isinstance(current, Mapping) and part == current.get("type"):
            continue  # the discriminator's name in the location: not a key of the data
        else:
            current = None
            field.append(str(part))
    return "/".join(names), ".".join(field) or "—"


__all__ = [
    "FORM_SUFFIXES",
    "MAX_FILE_BYTES",
    "FormCatalog",
    "load_form",
    "load_forms",
    "parse_form",
    "read_form_text",
]
