"""Evaluate a draft: relevance, values, calculations, then required and constraint checks.

Pure: ``evaluate(form, answers, context)`` reads nothing but its arguments and never raises
on odd answers (a value of the wrong type is an issue, a rule that cannot be computed is a
warning). The draft's answers are nested like the submission: top-level names map to
answers; a repeat's name maps to a list of instance dicts (member instances carry
``member_id``). The member repeat's instances follow the context's present members, in
order, whatever the draft holds; a free repeat's instances are the draft's list.

Scopes: inside a repeat instance ``${x}`` is that instance's own ``x`` (or its fact, e.g.
``${age}``); from outside, a repeat question is the list of its values across instances
and the repeat's name the list of instance keys (so ``count(${members})`` is the number of
present members). A question that is not relevant is ``None`` to every expression, and its
answer is kept in the draft but left out of :attr:`FormState.answers`, as in ODK.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from field_app.core.errors import ExpressionError
from field_app.core.forms.coerce import Spec, coerce, expression_view
from field_app.core.forms.compiled import Form, Node
from field_app.core.forms.context import FormContext, fact_value
from field_app.core.forms.expr import Expression
from field_app.core.forms.expr.values import is_true
from field_app.core.forms.state import FormState, Issue, QuestionState, RepeatState
from field_app.core.i18n import Message
from field_app.core.models.member import Member

_MAX_FREE_INSTANCES = 101  # one more than any form allows, so "too many" is still seen


class _Scope(Mapping[str, Any]):
    """An instance's own values first, then the top-level values."""

    __slots__ = ("local", "outer")

    def __init__(self, local: dict[str, Any], outer: dict[str, Any]) -> None:
        self.local = local
        self.outer = outer

    def __getitem__(self, key: str) -> Any:
        local = self.local
        return local[key] if key in local else self.outer[key]

    def get(self, key: str, default: Any = None) -> Any:
        local = self.local
        return local[key] if key in local else self.outer.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.local or key in self.outer

    def __iter__(self) -> Iterator[str]:
        yield from self.local
        yield from (key for key in self.outer if key not in self.local)

    def __len__(self) -> int:
        return len(self.local.keys() | self.outer.keys())


class _Instance:
    """One scope: the top level, or one instance of a repeat."""

    __slots__ = (
        "key",
        "path",
        "raw",
        "env",
        "scope",
        "member",
        "prefix",
        "prefix_en",
        "relevant",
        "values",
        "faults",
    )

    def __init__(
        self, key: Any, path: str, raw: Mapping[str, Any], env: dict[str, Any], scope: Mapping[str, Any],
        member: Member | None = None, prefix: str = "", prefix_en: str = "",
    ) -> None:  # fmt: skip
        self.key = key
        self.path = path  # prefix of the paths of its questions: "" or "members[m1]."
        self.raw = raw
        self.env = env  # what expressions see of this scope's own names
        self.scope = scope
        self.member = member
        self.prefix = prefix
        self.prefix_en = prefix_en
        self.relevant: dict[int, bool] = {}
        self.values: dict[int, Any] = {}
        self.faults: dict[int, Any] = {}


def evaluate(form: Form, answers: Mapping[str, Any] | None, context: FormContext) -> FormState:
    """Evaluate a draft; see the module docstring. Never raises on the answers' content."""
    return _Evaluation(form, answers if isinstance(answers, Mapping) else {}, context).run()


class _Evaluation:
    def __init__(self, form: Form, answers: Mapping[str, Any], context: FormContext) -> None:
        self.form = form
        self.context = context
        self.today = context.today
        self.top: dict[str, Any] = {}
        self.root = _Instance(None, "", answers, self.top, self.top)
        self.instances: dict[int, list[_Instance]] = {}
        self.specs: dict[int, Spec] = {}
        self.warnings: dict[str, list[Issue]] = {}

    # --------------------------------------------------------------- values

    def run(self) -> FormState:
        for node in self.form.top:
            if node.kind == "fact":
                self.top[node.name] = fact_value(node.fact_path, self.context)  # type: ignore[arg-type]
        for repeat in self.form.repeats:
            self.instances[repeat.index] = self._instances(repeat)
        for node in self.form.plan:
            if node.repeat is None:
                self._step(node, self.root)
                if node.kind == "repeat":
                    keys = [instance.key for instance in self.instances[node.index]]
                    self.top[node.name] = keys if self.root.relevant[node.index] else []
            else:
                scope = self.instances[node.repeat.index]
                for instance in scope:
                    self._step(node, instance)
                if node.holds_value:
                    name = node.name
                    self.top[name] = [instance.env.get(name) for instance in scope]
        return self._collect()

    def _instances(self, repeat: Node) -> list[_Instance]:
        raw = self.root.raw.get(repeat.name)
        items = list(raw[:_MAX_FREE_INSTANCES]) if isinstance(raw, list) else []
        facts = [child for child in repeat.children if child.kind == "fact"]
        instances: list[_Instance] = []
        if repeat.member_repeat:
            drafts = {
                item["member_id"]: item for item in items
                if isinstance(item, Mapping) and isinstance(item.get("member_id"), str)
            }  # fmt: skip
            for member in self.context.present:
                env: dict[str, Any] = {}
                for fact in facts:
                    env[fact.name] = fact_value(fact.fact_path, self.context, member)  # type: ignore[arg-type]
                instance = _Instance(
                    member.id, f"{repeat.name}[{member.id}].", drafts.get(member.id, {}), env,
                    _Scope(env, self.top), member, f"{member.name} · ", f"{member.name} · ",
                )  # fmt: skip
                instances.append(instance)
        else:
            label = repeat.label
            for position, item in enumerate(items):
                env = {}
                instances.append(_Instance(
                    position, f"{repeat.name}[{position}].", item if isinstance(item, Mapping) else {}, env,
                    _Scope(env, self.top), None, f"{label.zh} 第{position + 1}条 · ", f"{label.en} #{position + 1} · ",
                ))  # fmt: skip
        return instances

    def _step(self, node: Node, instance: _Instance) -> None:
        parent = node.parent
        if parent is None:
            relevant = True
        else:
            relevant = (self.root if node.parent_at_top else instance).relevant[parent.index]
        if relevant and node.relevant is not None:
            relevant = self._truth(node.relevant, node, instance, "relevant", on_error=True)
        instance.relevant[node.index] = relevant
        kind = node.kind
        if node.is_answerable:
            if relevant:
                value, fault = coerce(kind, instance.raw.get(node.name), self._spec(node))
            else:
                value, fault = None, None
            instance.values[node.index] = value
            instance.faults[node.index] = fault
            instance.env[node.name] = expression_view(kind, value)
        elif kind == "calculate":
            value = None
            if relevant:
                try:
                    value = node.calculation.evaluate(instance.scope, today=self.today)  # type: ignore[union-attr]
                except ExpressionError as error:
                    self._warn(node, instance, "calculation", error)
            instance.values[node.index] = value
            instance.env[node.name] = value

    def _spec(self, node: Node) -> Spec:
        spec: Spec = node.spec  # type: ignore[assignment]
        if not (node.choices_from_members or spec.text_format):
            return spec
        adapted = self.specs.get(node.index)
        if adapted is None:
            choices = (
                node.choice_values | self.context.present_ids if node.choices_from_members else spec.choices
            )
            adapted = self.specs[node.index] = replace(spec, today=self.today, choices=choices)
        return adapted

    def _truth(
        self,
        expression: Expression,
        node: Node,
        instance: _Instance,
        attribute: str,
        *,
        on_error: bool,
        current: Any = None,
    ) -> bool:
        try:
            return is_true(expression.evaluate(instance.scope, today=self.today, current=current))
        except ExpressionError as error:
            self._warn(node, instance, attribute, error)
            return on_error

    def _warn(self, node: Node, instance: _Instance, attribute: str, error: ExpressionError) -> None:
        path = instance.path + node.name
        message = self._message(node, instance, "form.answer.rule_failed", {
            "attribute": attribute, "error": error.message("zh"), "error_en": error.message("en"),
        })  # fmt: skip
        self.warnings.setdefault(path, []).append(Issue(path, "warning", message, _member_id(instance)))

    @staticmethod
    def _message(node: Node, instance: _Instance, code: str, params: Mapping[str, Any]) -> Message:
        label = node.label
        return Message(code, {
            "question": label.zh, "question_en": label.en,
            "prefix": instance.prefix, "prefix_en": instance.prefix_en, **params,
        })  # fmt: skip

    # ---------------------------------------------------------------- checks

    def _collect(self) -> FormState:
        state = FormState(self.form, self.context, {}, {})
        self._walk(self.form.top, self.root, state, state.answers)
        return state

    def _walk(
        self,
        nodes: tuple[Node, ...] | list[Node],
        instance: _Instance,
        state: FormState,
        clean: dict[str, Any],
    ) -> None:
        for node in nodes:
            kind = node.kind
            if kind == "fact":
                continue
            if kind == "group":
                self._walk(node.children, instance, state, clean)
            elif kind == "repeat":
                self._repeat(node, state, clean)
            else:
                self._question(node, instance, state, clean)

    def _repeat(self, node: Node, state: FormState, clean: dict[str, Any]) -> None:
        relevant = self.root.relevant[node.index]
        instances = self.instances[node.index]
        issues: list[Issue] = []
        item = node.item
        if relevant and not node.member_repeat:
            count = len(instances)
            code = None
            if count < item.min_count:
                code, limit = "form.answer.too_few_instances", item.min_count
            elif count > item.max_count:
                code, limit = "form.answer.too_many_instances", item.max_count
            if code is not None:
                issues.append(
                    Issue(node.name, "count", self._message(node, self.root, code, {"limit": limit}))
                )
                state.issues.extend(issues)
        state.repeats[node.name] = RepeatState(
            node.name, relevant, tuple(i.key for i in instances), tuple(issues)
        )
        cleaned: list[dict[str, Any]] = []
        for instance in instances:
            target: dict[str, Any] = {"member_id": instance.key} if node.member_repeat else {}
            cleaned.append(target)
            self._walk(node.children, instance, state, target)
        if relevant:
            clean[node.name] = cleaned

    def _question(self, node: Node, instance: _Instance, state: FormState, clean: dict[str, Any]) -> None:
        index = node.index
        path = instance.path + node.name
        relevant = instance.relevant[index]
        value = instance.values.get(index)
        required = False
        issues: list[Issue] = []
        if relevant and node.is_answerable:
            rule = node.required
            required = (
                rule
                if isinstance(rule, bool)
                else self._truth(rule, node, instance, "required", on_error=True)
            )
            if node.kind == "photo" and node.item.min_count > 0:
                required = True
            fault = instance.faults.get(index)
            if fault is not None:
                issues.append(
                    Issue(
                        path,
                        "invalid",
                        self._message(node, instance, fault[0], fault[1]),
                        _member_id(instance),
                    )
                )
            elif value is None:
                if required:
                    issues.append(
                        Issue(
                            path,
                            "missing",
                            self._message(node, instance, "form.answer.missing", {}),
                            _member_id(instance),
                        )
                    )
            elif node.constraint is not None:
                current = expression_view(node.kind, value)
                if not self._truth(
                    node.constraint, node, instance, "constraint", on_error=True, current=current
                ):
                    issues.append(self._constraint_issue(node, instance, path))
        if relevant and value is not None and node.holds_value:
            clean[node.name] = value
        issues.extend(self.warnings.get(path, ()))
        if issues:
            state.issues.extend(issues)
        state.questions[path] = QuestionState(
            path, node, relevant, required, value, tuple(issues),
            None if instance.key is None else node.repeat.name,  # type: ignore[union-attr]
            instance.key, _member_id(instance),
        )  # fmt: skip

    def _constraint_issue(self, node: Node, instance: _Instance, path: str) -> Issue:
        text = node.item.constraint_message
        if text is None:
            message = self._message(node, instance, "form.answer.constraint_default", {})
        else:
            message = self._message(
                node, instance, "form.answer.constraint", {"reason": text.zh, "reason_en": text.en}
            )
        return Issue(path, "constraint", message, _member_id(instance))


def _member_id(instance: _Instance) -> str | None:
    return instance.member.id if instance.member is not None else None


__all__ = ["evaluate"]
