"""A loaded form: the definition plus everything worked out once at load.

:class:`Form` keeps every expression parsed, every ``save_to`` path resolved, the choices
of each select, and the order in which values must be computed (a topological order of
calculations and relevance), so evaluating a visit is a straight walk with no parsing.
Build it with :func:`field_app.core.forms.compile_form` or the loaders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from field_app.core.forms.coerce import Spec
from field_app.core.forms.expr import Expression
from field_app.core.forms.paths import RegistryPath
from field_app.core.forms.schema import Choice, FormDefinition, LocalText

# Node kinds beyond the question types: containers and registry facts.
CONTAINERS = frozenset({"group", "repeat"})
ANSWERABLE_KINDS = frozenset({
    "text", "integer", "decimal", "date", "yes_no", "select_one", "select_multiple",
    "gps", "photo", "confirmation",
})  # fmt: skip
# Prefill when the form says nothing: carry over what may not have changed, never evidence.
DEFAULT_PREFILL = {kind: "previous" for kind in ANSWERABLE_KINDS} | {
    "gps": "none",
    "photo": "none",
    "confirmation": "none",
}


@dataclass(eq=False, slots=True)
class Node:
    """One named element of a form: a question, a calculation, a note, a group, a repeat or a fact."""

    index: int  # position in Form.nodes (form order, facts of a scope first)
    name: str
    kind: str  # a question type, "group", "repeat" or "fact"
    label: LocalText
    where: str  # structural path for messages, e.g. "members/school_status"
    parent: Node | None = None  # the enclosing group or repeat
    repeat: Node | None = None  # the enclosing repeat: the scope of the node's value
    item: Any = None  # the schema item (None for facts)
    relevant: Expression | None = None
    required: bool | Expression = False
    constraint: Expression | None = None
    calculation: Expression | None = None
    choices: tuple[Choice, ...] = ()
    choice_values: frozenset[str] = frozenset()
    choices_from_members: bool = False
    save_to: RegistryPath | None = None
    prefill: str = "none"  # "previous", "registry" or "none"
    prefill_path: RegistryPath | None = None
    fact_path: RegistryPath | None = None
    default: Any = None
    spec: Spec | None = None  # how answers are coerced (the context fills in members and today)
    children: list[Node] = field(default_factory=list)
    # Derived for the evaluator: is the parent's relevance kept at the top scope?
    parent_at_top: bool = False

    @property
    def is_answerable(self) -> bool:
        return self.kind in ANSWERABLE_KINDS

    @property
    def holds_value(self) -> bool:
        return self.kind in ANSWERABLE_KINDS or self.kind in ("calculate", "fact")

    @property
    def member_repeat(self) -> bool:
        return self.kind == "repeat" and self.item.source == "members"

    def __repr__(self) -> str:
        return f"Node({self.kind} {self.where})"


@dataclass(frozen=True, eq=False)
class Form:
    definition: FormDefinition
    nodes: tuple[Node, ...]
    by_name: dict[str, Node]
    top: tuple[Node, ...]  # the top-level items, in form order (facts first)
    plan: tuple[Node, ...]  # every node, in an order where each comes after what it depends on
    repeats: tuple[Node, ...]

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def version(self) -> int:
        return self.definition.version

    @property
    def title(self) -> LocalText:
        return self.definition.title

    @property
    def key(self) -> tuple[str, int]:
        return self.definition.id, self.definition.version

    def node(self, name: str) -> Node:
        return self.by_name[name]

    def __repr__(self) -> str:
        return f"Form({self.id!r}, version={self.version})"


__all__ = ["ANSWERABLE_KINDS", "CONTAINERS", "DEFAULT_PREFILL", "Form", "Node"]
