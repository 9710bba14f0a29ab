"""Finished visits for benchmarks: start from the real prefill, then answer whatever the form
still asks for with a plausible value of the question's type, until nothing blocks."""

from __future__ import annotations

import re
from typing import Any

from field_app.core.forms import Form, FormContext, evaluate, start_answers

_PATH = re.compile(r"^(?P<repeat>\w+)\[(?P<key>[^\]]+)\]\.(?P<name>\w+)$")
PHOTO = "ab" * 32
SIGNATURE = "cd" * 32


def finished_answers(form: Form, context: FormContext, *, rounds: int = 8) -> dict[str, Any]:
    answers = start_answers(form, context).answers
    for attempt in range(rounds):
        state = evaluate(form, answers, context)
        blocking = [issue for issue in state.issues if issue.blocking]
        if not blocking:
            return answers
        for issue in blocking:
            question = state.questions.get(issue.path)
            if question is not None:
                _put(answers, issue.path, _plausible(question.node, context, attempt))
    raise RuntimeError(f"could not finish {form.id}: {[i.text('en') for i in blocking][:5]}")


def _plausible(node: Any, context: FormContext, attempt: int) -> Any:
    """A value of the node's type; a constraint still failing next round gets the next choice."""
    kind = node.kind
    if node.choices:
        first = node.choices[attempt % len(node.choices)].value
    else:
        first = context.present[0].id if context.present else None
    spec = node.spec
    if kind == "yes_no":
        return True
    if kind == "select_one":
        return first
    if kind == "select_multiple":
        return [first]
    if kind in ("integer", "decimal"):
        return max(0, spec.minimum or 0) if spec else 0
    if kind == "date":
        return context.today.isoformat()
    if kind == "gps":
        location = context.household.location if context.household else None
        latitude, longitude = (location.latitude, location.longitude) if location else (25.95, 115.41)
        return {"latitude": latitude, "longitude": longitude, "accuracy_m": 10}
    if kind == "photo":
        return [PHOTO]
    if kind == "confirmation":
        return {"method": "signature", "sha256": SIGNATURE}
    return "无"


def _put(answers: dict[str, Any], path: str, value: Any) -> None:
    match = _PATH.match(path)
    if match is None:
        answers[path] = value
        return
    instances = answers.setdefault(match["repeat"], [])
    key = match["key"]
    if key.isdigit():
        instance = instances[int(key)]
    else:
        instance = next(item for item in instances if item.get("member_id") == key)
    instance[match["name"]] = value
