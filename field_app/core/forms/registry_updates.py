"""From a submission to the registry: field updates (``save_to``), new members, Problems found,
and the Visit record's own fields.

Like ODK's entity ``save_to``, each question that names a registry path updates that field
when the visit is accepted. Only answers that differ from the registry's current value are
returned, so a sync mutation carries real changes (and their base values) and a visit that
confirms everything changes nothing. Applying them is the caller's business (the registry
on the server, the store on the device); :func:`apply_household_updates` and
:func:`apply_member_updates` build the updated records and re-validate them with the models.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from field_app.core.forms.compiled import Form, Node
from field_app.core.forms.context import FormContext, fact_value
from field_app.core.forms.paths import KEYED_LISTS, nested_model, plain
from field_app.core.forms.review import Submission
from field_app.core.models.base import parse_record
from field_app.core.models.household import Household
from field_app.core.models.member import Member


@dataclass(frozen=True)
class RegistryUpdates:
    """Changes for the registry. Paths are below the record: ``food_secure``,
    ``housing.grade``, ``incomes[2024].wages``; values as forms hold them (codes as text)."""

    household: dict[str, Any] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # member id -> changes
    new_members: list[dict[str, Any]] = field(default_factory=list)  # fields of members to add

    @property
    def empty(self) -> bool:
        return not (self.household or self.members or self.new_members)


def registry_updates(form: Form, submission: Submission, context: FormContext) -> RegistryUpdates:
    answers = submission.answers
    keys = _keys(form, answers, context)
    updates = RegistryUpdates()
    for node, value, instance in _saved(form.top, answers, None):
        path = node.save_to
        assert path is not None
        repeat = node.repeat
        if repeat is None:
            concrete = path.concrete(keys)
            if concrete is not None and _differs(value, path.read(context.household, keys)):
                updates.household[concrete] = value
        elif repeat.member_repeat:
            member = context.member(instance.get("member_id"))  # type: ignore[union-attr]
            concrete = path.concrete(keys)
            if member is not None and concrete is not None and _differs(value, path.read(member, keys)):
                updates.members.setdefault(member.id, {})[concrete] = value
    for repeat in form.repeats:
        if repeat.item.creates != "member":
            continue
        for instance in _instances(answers, repeat):
            fields = {
                node.save_to.steps[0].field: value
                for node, value, _ in _saved(repeat.children, instance, instance)
            }  # type: ignore[union-attr]
            if fields:
                updates.new_members.append(fields)
    return updates


def found_problems(form: Form, submission: Submission, context: FormContext) -> list[dict[str, Any]]:
    """The problems recorded in repeats that ``create: problem``: one dict per instance with
    the Problem fields the form filled (``category``, ``description``, and ``severity``,
    ``due_date`` when answered). The caller adds household, village, visit, author and time."""
    found: list[dict[str, Any]] = []
    for repeat in form.repeats:
        if repeat.item.creates != "problem":
            continue
        for instance in _instances(submission.answers, repeat):
            problem = {
                node.save_to.steps[0].field: value
                for node, value, _ in _saved(repeat.children, instance, instance)
            }  # type: ignore[union-attr]
            if problem:
                found.append(problem)
    return found


def visit_details(form: Form, submission: Submission, context: FormContext) -> dict[str, Any]:
    """The Visit record's own fields from the answers named in the form's ``visit_fields``:
    ``location`` (a GeoPoint dict), ``purpose``, ``met_member_ids``, ``photos`` (hashes)."""
    fields = form.definition.visit_fields
    answers = submission.answers
    met = answers.get(fields.met_members) if fields.met_members else None
    met_list = met if isinstance(met, list) else [met] if met is not None else []
    photos: list[str] = []
    for name in fields.photos:
        photos.extend(hash_ for hash_ in answers.get(name) or () if hash_ not in photos)
    return {
        "location": answers.get(fields.location) if fields.location else None,
        "purpose": answers.get(fields.purpose) if fields.purpose else None,
        "met_member_ids": [value for value in met_list if context.member(value) is not None],
        "photos": photos,
    }


def apply_household_updates(household: Household, changes: Mapping[str, Any]) -> Household:
    """``household`` with ``changes`` (from :attr:`RegistryUpdates.household`) applied and re-validated."""
    return parse_record(Household, _apply(household, changes))


def apply_member_updates(member: Member, changes: Mapping[str, Any], *, today: datetime.date) -> Member:
    return parse_record(Member, _apply(member, changes), today=today)


# ----------------------------------------------------------------------------- helpers


def _keys(form: Form, answers: Mapping[str, Any], context: FormContext) -> dict[str, Any]:
    keys = dict(answers)
    for node in form.top:
        if node.kind == "fact":
            keys[node.name] = fact_value(node.fact_path, context)  # type: ignore[arg-type]
    return keys


def _instances(answers: Mapping[str, Any], repeat: Node) -> list[Mapping[str, Any]]:
    value = answers.get(repeat.name)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _saved(
    nodes: Any, answers: Mapping[str, Any], instance: Mapping[str, Any] | None
) -> Iterator[tuple[Node, Any, Mapping[str, Any] | None]]:
    """(node, value, instance) for each answered question with ``save_to`` under ``nodes``;
    at the top level, member repeat instances are walked too."""
    for node in nodes:
        if node.kind == "group":
            yield from _saved(node.children, answers, instance)
        elif node.kind == "repeat":
            if node.member_repeat:
                for item in _instances(answers, node):
                    yield from _saved(node.children, item, item)
        elif node.save_to is not None:
            value = answers.get(node.name)
            if value is not None:
                yield node, value, instance


def _differs(value: Any, current: Any) -> bool:
    return plain(value) != current


def _apply(record: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    data = record.model_dump()
    model = type(record)
    for path, value in changes.items():
        _set(data, model, path.split("."), value)
    return data


def _set(data: dict[str, Any], model: Any, parts: list[str], value: Any) -> None:
    head, rest = parts[0], parts[1:]
    field_name, _, key = head.partition("[")
    if key:
        key_text = key.rstrip("]")
        key_field = KEYED_LISTS[(model, field_name)]
        items = data.setdefault(field_name, [])
        key_value: Any = int(key_text) if key_text.lstrip("-").isdigit() else key_text
        item = next((entry for entry in items if entry.get(key_field) == key_value), None)
        if item is None:
            item = {key_field: key_value}
            items.append(item)
        _set(item, nested_model(model, field_name), rest, value)
        return
    if not rest:
        data[field_name] = value
        return
    nested = data.get(field_name)
    if not isinstance(nested, dict):
        nested = {}
        data[field_name] = nested
    _set(nested, nested_model(model, field_name), rest, value)


__all__ = [
    "RegistryUpdates",
    "apply_household_updates",
    "apply_member_updates",
    "found_problems",
    "registry_updates",
    "visit_details",
]
