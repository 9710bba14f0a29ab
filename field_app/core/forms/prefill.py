"""Start a visit's answers: carried over from the previous visit, read from the registry.

The seeds ask to cut form-filling ("减少村级填表报数"): a cadre who visits monthly should
confirm what has not changed, not type it again. Each question's ``prefill`` rule says
where its first value comes from:

* ``previous`` (the default for answerable questions except GPS, photos and
  confirmations): the household's previous answer, member by member in the member repeat;
* ``registry:<path>``: the registry's current value (e.g. ``registry:member.school_status``);
* ``none``: nothing carried over.

Then the question's ``default``, if any. Values that no longer fit the question (a choice
removed in a new form version, a member who left) are dropped. The paths filled from the
previous visit and from the registry are returned, so the UI marks them "please confirm".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from field_app.core.forms.coerce import Spec, coerce
from field_app.core.forms.compiled import Form, Node
from field_app.core.forms.context import FormContext, fact_value
from field_app.core.models.member import Member


@dataclass(frozen=True)
class Prefill:
    answers: dict[str, Any]
    from_previous: frozenset[str]  # paths carried over from the previous visit
    from_registry: frozenset[str]  # paths read from the registry

    @property
    def to_confirm(self) -> frozenset[str]:
        return self.from_previous | self.from_registry


def start_answers(form: Form, context: FormContext) -> Prefill:
    """The first draft of a new visit with ``form`` for ``context``'s household."""
    return _Start(form, context).run()


def new_instance(form: Form, repeat: str, context: FormContext) -> dict[str, Any]:
    """A new instance of the free repeat ``repeat`` (the user taps "add"), with its defaults."""
    node = form.node(repeat)
    if node.kind != "repeat" or node.member_repeat:
        raise ValueError(f"{repeat!r} is not a free repeat of form {form.id!r}")
    instance: dict[str, Any] = {}
    _Start(form, context)._fill(node.children, instance, {}, None, f"{repeat}[new].")
    return instance


class _Start:
    def __init__(self, form: Form, context: FormContext) -> None:
        self.form = form
        self.context = context
        self.from_previous: set[str] = set()
        self.from_registry: set[str] = set()
        self.keys: dict[str, Any] = {}

    def run(self) -> Prefill:
        previous = self.context.previous_answers
        previous = previous if isinstance(previous, Mapping) else {}
        for node in self.form.top:
            if node.kind == "fact":
                self.keys[node.name] = fact_value(node.fact_path, self.context)  # type: ignore[arg-type]
        answers: dict[str, Any] = {}
        self._fill(self.form.top, answers, previous, None, "")
        return Prefill(answers, frozenset(self.from_previous), frozenset(self.from_registry))

    def _fill(
        self, nodes: Any, out: dict[str, Any], previous: Mapping[str, Any], member: Member | None, prefix: str
    ) -> None:
        for node in nodes:
            if node.kind == "group":
                self._fill(node.children, out, previous, member, prefix)
            elif node.kind == "repeat":
                out[node.name] = self._repeat(node, previous.get(node.name))
            elif node.is_answerable:
                value = self._initial(node, previous, member, prefix + node.name)
                if value is not None:
                    out[node.name] = value
                    if member is None and node.repeat is None:
                        self.keys[node.name] = value

    def _repeat(self, node: Node, previous: Any) -> list[dict[str, Any]]:
        earlier = (
            [item for item in previous if isinstance(item, Mapping)] if isinstance(previous, list) else []
        )
        instances: list[dict[str, Any]] = []
        if node.member_repeat:
            by_member = {
                item["member_id"]: item for item in earlier if isinstance(item.get("member_id"), str)
            }
            for member in self.context.present:
                instance: dict[str, Any] = {"member_id": member.id}
                self._fill(
                    node.children,
                    instance,
                    by_member.get(member.id, {}),
                    member,
                    f"{node.name}[{member.id}].",
                )
                instances.append(instance)
            return instances
        sources = earlier[: node.item.max_count] if node.item.prefill == "previous" else []
        sources += [{}] * max(0, node.item.min_count - len(sources))
        for position, source in enumerate(sources):
            instance = {}
            self._fill(node.children, instance, source, None, f"{node.name}[{position}].")
            instances.append(instance)
        return instances

    def _initial(self, node: Node, previous: Mapping[str, Any], member: Member | None, path: str) -> Any:
        spec = self._spec(node)
        if node.prefill == "previous":
            value, fault = coerce(node.kind, previous.get(node.name), spec)
            if value is not None and fault is None:
                self.from_previous.add(path)
                return value
        elif node.prefill == "registry" and node.prefill_path is not None:
            record = member if node.prefill_path.root == "member" else self.context.household
            value, fault = coerce(node.kind, node.prefill_path.read(record, self.keys), spec)
            if value is not None and fault is None:
                self.from_registry.add(path)
                return value
        return node.default

    def _spec(self, node: Node) -> Spec:
        item = node.item
        choices = (
            node.choice_values | self.context.present_ids if node.choices_from_members else node.choice_values
        )
        # Carry over any value of the right kind; bounds and formats are checked when evaluated.
        return Spec(today=self.context.today, choices=choices, max_length=getattr(item, "max_length", 2000))


__all__ = ["Prefill", "new_instance", "start_answers"]
