"""Check what a well-shaped form definition *means*, and compile it into a :class:`Form`.

Each check raises ``form.invalid`` (:class:`~field_app.core.forms.faults.FormInvalid`)
naming the form, the place (``members/school_status``) and the fault:

* names unique in the whole form (questions, groups, repeats, facts), at most one member
  repeat, no repeat inside a repeat, nesting at most ``MAX_DEPTH`` deep;
* every expression parses (the position is kept), refers only to names that exist and hold
  values, and uses ``.`` only in a constraint;
* choice lists exist, their values are unique; defaults fit their question (a select's
  default is one of its choices);
* ``save_to``, ``prefill: registry:`` and fact paths fit the record models, in a scope where
  they make sense, with a type the question can deliver and choice values from the code list;
* repeats that create problems or members save the fields those records need;
* no cycle among calculations and relevance conditions.
"""

from __future__ import annotations

import datetime
import heapq
from dataclasses import replace
from typing import Any

from field_app.core.errors import ExpressionError
from field_app.core.forms.coerce import Spec, coerce
from field_app.core.forms.compiled import ANSWERABLE_KINDS, DEFAULT_PREFILL, Form, Node
from field_app.core.forms.expr import Expression, parse
from field_app.core.forms.expr.diagnostics import excerpt
from field_app.core.forms.faults import FormInvalid, expression_invalid, invalid
from field_app.core.forms.paths import PathError, RegistryPath, Target, coded_values, parse_path
from field_app.core.forms.schema import FormDefinition, LocalText, Repeat

MAX_DEPTH = 6

# The question types that can deliver each kind of registry field.
_SAVABLE: dict[str, frozenset[str]] = {
    "text": frozenset({"str"}),
    "integer": frozenset({"int", "float"}),
    "decimal": frozenset({"float"}),
    "date": frozenset({"date"}),
    "yes_no": frozenset({"bool"}),
    "select_one": frozenset({"enum", "str"}),
    "select_multiple": frozenset({"enum_list", "str_list"}),
    "gps": frozenset({"geo"}),
    "calculate": frozenset({"bool", "int", "float", "str", "date", "enum"}),
}

# The fields a repeat that creates records must fill.
_CREATES_NEEDS = {
    "problem": ("category", "description"),
    "member": ("name", "sex", "birth_date", "relation"),
}

_MEMBER_ID_LABEL = LocalText(zh="成员编号", en="Member id")
_ANY_DAY = datetime.date(2000, 1, 1)


def compile_form(definition: FormDefinition) -> Form:
    """Check ``definition`` and compile it; raises ``form.invalid`` naming the first fault."""
    return _Compiler(definition).run()


class _Compiler:
    def __init__(self, definition: FormDefinition) -> None:
        self.definition = definition
        self.form = definition.id
        self.nodes: list[Node] = []
        self.by_name: dict[str, Node] = {}
        self.member_repeat: Node | None = None

    def fail(self, where: str, code: str, **params: Any) -> FormInvalid:
        return invalid(self.form, where, code, **params)

    # ----------------------------------------------------------------- structure

    def run(self) -> Form:
        self._check_choice_lists()
        top = [self._fact(name, source, None) for name, source in self.definition.facts.items()]
        top += [self._item(item, None, None, (), 1) for item in self.definition.items]
        for node in self.nodes:
            self._compile(node)
        for node in self.nodes:
            if node.kind == "repeat":
                self._check_creates(node)
        self._check_visit_fields()
        plan = self._plan()
        repeats = tuple(node for node in self.nodes if node.kind == "repeat")
        return Form(self.definition, tuple(self.nodes), self.by_name, tuple(top), plan, repeats)

    def _register(self, node: Node) -> Node:
        first = self.by_name.get(node.name)
        if first is not None:
            raise self.fail(node.where, "form.def.duplicate_name", name=node.name, first=first.where)
        node.index = len(self.nodes)
        self.nodes.append(node)
        self.by_name[node.name] = node
        return node

    def _fact(self, name: str, source: str, repeat: Node | None) -> Node:
        where = f"{repeat.where}/{name}" if repeat else f"facts/{name}"
        label = _MEMBER_ID_LABEL if name == "member_id" else LocalText(zh=name, en=name)
        node = Node(
            0, name, "fact", label, where, parent=repeat, repeat=repeat, parent_at_top=repeat is not None
        )
        roots = frozenset({"household", "member"}) if repeat else frozenset({"household"})
        try:
            node.fact_path = parse_path(source, roots=roots, derived=True)
        except PathError as error:
            raise self.fail(
                where, "form.def.bad_fact", path=source, detail=error.zh, detail_en=error.en
            ) from None
        if node.fact_path.keys:
            raise self.fail(
                where,
                "form.def.bad_fact",
                path=source,
                detail="事实不能带 [键]",
                detail_en="facts take no [key]",
            )
        return self._register(node)

    def _item(
        self, item: Any, parent: Node | None, repeat: Node | None, trail: tuple[str, ...], depth: int
    ) -> Node:
        where = "/".join((*trail, item.name))
        if depth > MAX_DEPTH:
            raise self.fail(where, "form.def.too_deep", limit=MAX_DEPTH)
        node = Node(0, item.name, item.type, item.label, where, parent=parent, repeat=repeat, item=item)
        node.parent_at_top = parent is not None and parent is repeat
        self._register(node)
        if isinstance(item, Repeat):
            self._repeat(node, item, repeat)
            node.children = [self._fact(n, s, node) for n, s in self._repeat_facts(node, item).items()]
            inner = node
        else:
            inner = repeat
        for child in getattr(item, "items", ()):
            node.children.append(self._item(child, node, inner, (*trail, item.name), depth + 1))
        return node

    def _repeat(self, node: Node, item: Repeat, enclosing: Node | None) -> None:
        if enclosing is not None:
            raise self.fail(node.where, "form.def.nested_repeat", outer=enclosing.name)
        if item.min_count > item.max_count:
            raise self.fail(
                node.where, "form.def.min_above_max", minimum=item.min_count, maximum=item.max_count
            )
        if item.source == "members":
            if self.member_repeat is not None:
                raise self.fail(node.where, "form.def.second_member_repeat", first=self.member_repeat.where)
            if item.creates is not None:
                raise self.fail(node.where, "form.def.creates_on_members")
            self.member_repeat = node
        elif item.facts:
            raise self.fail(node.where, "form.def.facts_in_free_repeat")

    @staticmethod
    def _repeat_facts(node: Node, item: Repeat) -> dict[str, str]:
        if item.source != "members":
            return {}
        facts = dict(item.facts)
        facts.setdefault("member_id", "member.id")
        return facts

    def _check_choice_lists(self) -> None:
        for name, choices in self.definition.choice_lists.items():
            seen: set[str] = set()
            for choice in choices:
                if choice.value in seen:
                    raise self.fail(
                        f"choice_lists/{name}", "form.def.duplicate_choice", value=choice.value, list=name
                    )
                seen.add(choice.value)

    # --------------------------------------------------------------- per node

    def _compile(self, node: Node) -> None:
        if node.kind == "fact":
            return
        item = node.item
        node.relevant = self._expression(node, "relevant", item.relevant)
        if node.kind == "calculate":
            node.calculation = self._expression(node, "calculation", item.calculation)
            node.save_to = self._save_to(node, item.save_to)
        elif node.is_answerable:
            self._question(node, item)

    def _question(self, node: Node, item: Any) -> None:
        if isinstance(item.required, str):
            node.required = self._expression(node, "required", item.required) or False
        else:
            node.required = item.required
        node.constraint = self._expression(node, "constraint", item.constraint, current_allowed=True)
        if node.kind in ("select_one", "select_multiple"):
            self._choices(node, item)
        if node.kind in ("integer", "decimal") and item.min is not None and item.max is not None:
            if item.min > item.max:
                raise self.fail(node.where, "form.def.min_above_max", minimum=item.min, maximum=item.max)
        if node.kind == "photo" and item.min_count > item.max_count:
            raise self.fail(
                node.where, "form.def.min_above_max", minimum=item.min_count, maximum=item.max_count
            )
        node.spec = Spec(
            today=_ANY_DAY,
            choices=node.choice_values,
            minimum=getattr(item, "min", None),
            maximum=getattr(item, "max", None),
            max_length=getattr(item, "max_length", 2000),
            text_format=getattr(item, "format", None),
            max_accuracy_m=getattr(item, "max_accuracy_m", None),
            min_count=getattr(item, "min_count", 0),
            max_count=getattr(item, "max_count", 50),
            methods=tuple(getattr(item, "methods", ())),
        )
        node.default = self._default(node, item)
        node.save_to = self._save_to(node, item.save_to)
        self._prefill(node, item.prefill or DEFAULT_PREFILL[node.kind])

    def _expression(
        self, node: Node, attribute: str, source: str | None, *, current_allowed: bool = False
    ) -> Expression | None:
        if source is None:
            return None
        try:
            expression = parse(source)
        except ExpressionError as error:
            raise expression_invalid(self.form, node.where, attribute, error) from None
        for name in sorted(expression.references, key=expression.reference_offset):
            target = self.by_name.get(name)
            if target is None:
                offset = expression.reference_offset(name)
                error = ExpressionError(
                    "expr.unknown_reference", name=name, position=offset + 1,
                    expression=excerpt(source), details={"offset": offset},
                )  # fmt: skip
                raise expression_invalid(self.form, node.where, attribute, error)
            if not (target.holds_value or target.kind == "repeat"):
                raise self.fail(node.where, "form.def.reference_not_value", attribute=attribute, name=name)
        if expression.uses_current and not current_allowed:
            raise self.fail(node.where, "form.def.current_outside_constraint", attribute=attribute)
        return expression

    def _choices(self, node: Node, item: Any) -> None:
        if item.choices is None and item.choices_from is None:
            raise self.fail(node.where, "form.def.no_choices")
        if item.choices is not None:
            choices = self.definition.choice_lists.get(item.choices)
            if choices is None:
                raise self.fail(node.where, "form.def.unknown_choice_list", list=item.choices)
            node.choices = tuple(choices)
            node.choice_values = frozenset(choice.value for choice in choices)
        node.choices_from_members = item.choices_from == "members"

    def _default(self, node: Node, item: Any) -> Any:
        if item.default is None:
            return None
        if node.kind in ("gps", "photo", "confirmation"):
            raise self.fail(node.where, "form.def.default_not_allowed")
        spec = replace(node.spec, text_format=None)  # type: ignore[arg-type]
        value, fault = coerce(node.kind, item.default, spec)
        if fault is not None:
            if node.kind in ("select_one", "select_multiple") and fault[0] == "form.answer.not_choice":
                raise self.fail(node.where, "form.def.default_not_in_choices", value=fault[1]["value"])
            raise self.fail(node.where, "form.def.bad_default", value=str(item.default)[:40])
        return value

    def _scope_roots(self, node: Node, *, write: bool) -> frozenset[str]:
        repeat = node.repeat
        if repeat is None:
            return frozenset({"household"})
        if repeat.item.source == "members":
            return frozenset({"member"}) if write else frozenset({"household", "member"})
        creates = repeat.item.creates
        return frozenset({creates}) if write and creates else frozenset()

    def _save_to(self, node: Node, text: str | None) -> RegistryPath | None:
        if text is None:
            return None
        roots = self._scope_roots(node, write=True)
        if not roots:
            raise self.fail(node.where, "form.def.save_to_not_here", path=text)
        try:
            path = parse_path(text, roots=roots, writable=True)
        except PathError as error:
            raise self.fail(
                node.where, "form.def.bad_save_to", path=text, detail=error.zh, detail_en=error.en
            ) from None
        self._check_target(node, path, "form.def.bad_save_to")
        self._check_keys(node, path, "form.def.bad_save_to")
        for other in self.nodes:
            if (
                other is not node
                and other.save_to is not None
                and other.save_to.text == path.text
                and other.repeat is node.repeat
            ):
                raise self.fail(node.where, "form.def.duplicate_save_to", path=text, first=other.where)
        return path

    def _prefill(self, node: Node, rule: str) -> None:
        if rule == "none":
            node.prefill = "none"
            return
        if node.kind in ("gps", "photo", "confirmation"):
            raise self.fail(node.where, "form.def.prefill_not_allowed", rule=rule)
        if rule == "previous":
            node.prefill = "previous"
            return
        text = rule.removeprefix("registry:")
        roots = self._scope_roots(node, write=False)
        try:
            path = parse_path(text, roots=roots)
        except PathError as error:
            raise self.fail(
                node.where, "form.def.bad_prefill", path=text, detail=error.zh, detail_en=error.en
            ) from None
        self._check_target(node, path, "form.def.bad_prefill")
        self._check_keys(node, path, "form.def.bad_prefill")
        node.prefill, node.prefill_path = "registry", path

    def _check_target(self, node: Node, path: RegistryPath, code: str) -> None:
        target: Target = path.target
        if target.kind not in _SAVABLE.get(node.kind, frozenset()):
            raise self.fail(
                node.where, code, path=path.text,
                detail=f"{node.kind} 类型的问题与字段类型 {target.kind} 不符",
                detail_en=f"a {node.kind} question does not fit a field of kind {target.kind}",
            )  # fmt: skip
        if target.kind in ("enum", "enum_list") and node.kind != "calculate":
            if node.choices_from_members:
                raise self.fail(
                    node.where, code, path=path.text,
                    detail="成员选项不能保存到代码字段", detail_en="member choices cannot go to a coded field",
                )  # fmt: skip
            assert target.enum is not None
            allowed = coded_values(target.enum)
            for choice in node.choices:
                if choice.value not in allowed:
                    raise self.fail(
                        node.where, "form.def.choice_not_in_code_list", value=choice.value, path=path.text,
                        allowed=", ".join(sorted(allowed)),
                    )  # fmt: skip

    def _check_keys(self, node: Node, path: RegistryPath, code: str) -> None:
        for key in path.keys:
            target = self.by_name.get(key)
            if (
                target is None
                or target.repeat is not None
                or target.kind not in ("integer", "calculate", "fact")
            ):
                raise self.fail(
                    node.where, code, path=path.text,
                    detail=f"[{key}] 应是表单顶层的整数问题、计算或事实",
                    detail_en=f"[{key}] must name a top-level integer question, calculation or fact",
                )  # fmt: skip

    def _check_creates(self, node: Node) -> None:
        creates = node.item.creates
        if creates is None:
            return
        saved = {desc.save_to.steps[0].field for desc in _descendants(node) if desc.save_to is not None}
        missing = [field for field in _CREATES_NEEDS[creates] if field not in saved]
        if missing:
            raise self.fail(
                node.where, "form.def.creates_incomplete", creates=creates, fields=", ".join(missing)
            )

    def _check_visit_fields(self) -> None:
        fields = self.definition.visit_fields
        wanted: list[tuple[str, str | None, tuple[str, ...]]] = [
            ("location", fields.location, ("gps",)),
            ("purpose", fields.purpose, ("select_one",)),
            ("met_members", fields.met_members, ("select_one", "select_multiple")),
            *[("photos", name, ("photo",)) for name in fields.photos],
        ]
        for field, name, kinds in wanted:
            if name is None:
                continue
            node = self.by_name.get(name)
            if node is None or node.repeat is not None or node.kind not in kinds:
                raise self.fail(
                    f"visit_fields/{field}", "form.def.bad_visit_field", name=name, kinds="/".join(kinds)
                )
            if field == "met_members" and not node.choices_from_members:
                raise self.fail(
                    f"visit_fields/{field}",
                    "form.def.bad_visit_field",
                    name=name,
                    kinds="choices_from: members",
                )

    # -------------------------------------------------------------- ordering

    def _plan(self) -> tuple[Node, ...]:
        """Every node after the nodes its value depends on (parent, relevance, calculation)."""
        depends: list[set[int]] = []
        for node in self.nodes:
            needs: set[int] = set()
            if node.parent is not None:
                needs.add(node.parent.index)
            for expression in (node.relevant, node.calculation):
                if expression is not None:
                    needs.update(self.by_name[name].index for name in expression.references)
            depends.append(needs)
        waiting = [len(needs) for needs in depends]
        users: list[list[int]] = [[] for _ in self.nodes]
        for index, needs in enumerate(depends):
            for need in needs:
                users[need].append(index)
        ready = [index for index, count in enumerate(waiting) if count == 0]
        heapq.heapify(ready)
        order: list[Node] = []
        while ready:
            index = heapq.heappop(ready)
            order.append(self.nodes[index])
            for user in users[index]:
                waiting[user] -= 1
                if waiting[user] == 0:
                    heapq.heappush(ready, user)
        if len(order) < len(self.nodes):
            cycle = _find_cycle(depends, {i for i, count in enumerate(waiting) if count > 0})
            names = " → ".join(self.nodes[i].name for i in cycle)
            raise self.fail(self.nodes[cycle[0]].where, "form.def.cycle", cycle=names)
        return tuple(order)


def _descendants(node: Node) -> list[Node]:
    found: list[Node] = []
    stack = list(node.children)
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(child.children)
    return found


def _find_cycle(depends: list[set[int]], stuck: set[int]) -> list[int]:
    """A cycle among the ``stuck`` nodes, as a list of indices ending where it started."""
    start = min(stuck)
    path: list[int] = [start]
    seen = {start: 0}
    current = start
    while True:
        current = min(need for need in depends[current] if need in stuck)
        if current in seen:
            return [*path[seen[current] :], current]
        seen[current] = len(path)
        path.append(current)


__all__ = ["ANSWERABLE_KINDS", "MAX_DEPTH", "compile_form"]
