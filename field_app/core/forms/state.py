"""What evaluating a draft tells the UI: per question, relevant or not, required or not,
its typed value, and its issues; per repeat, its instances.

Paths name answers everywhere (issues, carried-over answers, changes since the previous
visit, the supervisor console):

* a top-level question: its name — ``food_secure`` (groups add nothing: names are unique);
* a question in the member repeat: ``members[<member id>].school_status``;
* a question in a free repeat: ``problems[0].description`` (0-based position);
* a repeat instance itself: ``members[<member id>]``, ``problems[0]``; a repeat: its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from field_app.core.forms.compiled import Form, Node
from field_app.core.forms.context import FormContext
from field_app.core.i18n import DEFAULT_LANG, Lang, Message

ISSUE_KINDS = ("missing", "invalid", "constraint", "count", "warning")


@dataclass(frozen=True, slots=True)
class Issue:
    """A missing or invalid answer (``blocking``), or a warning that does not block finalizing.

    ``kind``: ``missing`` (required, not answered), ``invalid`` (wrong type, out of range,
    not a choice), ``constraint`` (the form's constraint is false), ``count`` (too few or too
    many repeat instances), ``warning`` (a rule could not be evaluated; never blocks).
    """

    path: str
    kind: str
    message: Message
    member_id: str | None = None

    @property
    def blocking(self) -> bool:
        return self.kind != "warning"

    @property
    def code(self) -> str:
        return self.message.code

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return self.message.text(lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "code": self.message.code,
            "message": self.message.text("zh"),
            "message_en": self.message.text("en"),
            "member_id": self.member_id,
        }


@dataclass(slots=True)
class QuestionState:
    """One question (or calculation, or note) in one scope; read-only once built."""

    path: str
    node: Node
    relevant: bool
    required: bool
    value: Any  # typed; None when unanswered, invalid in type, or not relevant
    issues: tuple[Issue, ...] = ()
    repeat: str | None = None
    key: str | int | None = None  # the member id or position of the repeat instance
    member_id: str | None = None

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def kind(self) -> str:
        return self.node.kind

    def label(self, lang: Lang = DEFAULT_LANG) -> str:
        return self.node.label.text(lang)


@dataclass(slots=True)
class RepeatState:
    name: str
    relevant: bool
    keys: tuple[str | int, ...]  # member ids (member repeat) or positions 0, 1, ... (free repeat)
    issues: tuple[Issue, ...] = ()

    def instance_path(self, key: str | int) -> str:
        return f"{self.name}[{key}]"


@dataclass(slots=True)
class FormState:
    """The evaluated draft. ``answers`` are the cleaned answers: relevant, typed, no blanks."""

    form: Form
    context: FormContext
    questions: dict[str, QuestionState]
    repeats: dict[str, RepeatState]
    issues: list[Issue] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.blocking]

    @property
    def complete(self) -> bool:
        return not any(issue.blocking for issue in self.issues)

    def question(self, path: str) -> QuestionState:
        return self.questions[path]

    def value(self, path: str) -> Any:
        return self.questions[path].value

    def is_relevant(self, path: str) -> bool:
        return self.questions[path].relevant


__all__ = ["ISSUE_KINDS", "FormState", "Issue", "QuestionState", "RepeatState"]
