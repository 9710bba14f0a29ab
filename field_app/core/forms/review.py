"""The review page and finalizing: list what is missing or wrong; refuse or produce a Submission."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from field_app.core.errors import ValidationError
from field_app.core.forms.compiled import Form
from field_app.core.forms.context import FormContext
from field_app.core.forms.engine import evaluate
from field_app.core.forms.state import FormState, Issue


@dataclass(frozen=True)
class Submission:
    """The cleaned answers of a finalized visit: relevant questions only, typed, no blanks.

    Shaped like a draft (member instances keep ``member_id``), so a submission is also a
    valid draft: finalizing it again gives the same submission. It becomes ``Visit.answers``
    (``to_json()``) and the next visit's ``previous_answers``.
    """

    form_id: str
    form_version: int
    answers: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The answers with dates as ``YYYY-MM-DD`` text, ready for JSON."""
        return to_jsonable(self.answers)


def review(state: FormState) -> list[Issue]:
    """Every issue of the evaluated draft, in form order: blocking ones (``issue.blocking``:
    missing and invalid answers) and warnings (rules that could not be computed)."""
    return list(state.issues)


def finalize(form: Form, answers: Mapping[str, Any] | None, context: FormContext) -> Submission:
    """The submission, or ``ValidationError("form.incomplete")`` listing the blocking issues
    in ``details["issues"]`` (path, kind, code, zh and en messages, member id)."""
    state = evaluate(form, answers, context)
    blocking = state.blocking
    if blocking:
        raise ValidationError(
            "form.incomplete",
            count=len(blocking),
            details={"issues": [issue.to_dict() for issue in blocking]},
        )
    return Submission(form.id, form.version, state.answers)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return value


__all__ = ["Submission", "finalize", "review", "to_jsonable"]
