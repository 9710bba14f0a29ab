"""Forms as data: load survey definitions (``forms/*.yaml``), evaluate drafts, finalize visits.

Usage::

    form = load_form("forms/household_visit.v1.yaml")
    context = FormContext(household, members, previous_answers, today)
    draft = start_answers(form, context)         # prefilled; draft.from_previous: to confirm
    state = evaluate(form, draft.answers, context)  # relevance, values, issues per path
    review(state)                                # what is missing or wrong, in zh and en
    submission = finalize(form, answers, context)   # or ValidationError("form.incomplete")
    registry_updates(form, submission, context)  # save_to -> household and member changes
    found_problems(form, submission, context)    # the problems repeat -> Problem fields

Paths (see :mod:`.state`): ``food_secure``, ``members[<member id>].school_status``,
``problems[0].description``. Everything here is pure; nothing reads files but the loaders.
"""

from field_app.core.forms.changes import changed_since
from field_app.core.forms.compiled import Form, Node
from field_app.core.forms.compiler import compile_form
from field_app.core.forms.context import FormContext
from field_app.core.forms.engine import evaluate
from field_app.core.forms.faults import FormInvalid
from field_app.core.forms.loader import FormCatalog, load_form, load_forms, parse_form, read_form_text
from field_app.core.forms.prefill import Prefill, new_instance, start_answers
from field_app.core.forms.registry_updates import (
    RegistryUpdates,
    apply_household_updates,
    apply_member_updates,
    found_problems,
    registry_updates,
    visit_details,
)
from field_app.core.forms.review import Submission, finalize, review, to_jsonable
from field_app.core.forms.schema import Choice, FormDefinition, LocalText
from field_app.core.forms.state import FormState, Issue, QuestionState, RepeatState

__all__ = [
    "Choice",
    "Form",
    "FormCatalog",
    "FormContext",
    "FormDefinition",
    "FormInvalid",
    "FormState",
    "Issue",
    "LocalText",
    "Node",
    "Prefill",
    "QuestionState",
    "RegistryUpdates",
    "RepeatState",
    "Submission",
    "apply_household_updates",
    "apply_member_updates",
    "changed_since",
    "compile_form",
    "evaluate",
    "finalize",
    "found_problems",
    "load_form",
    "load_forms",
    "new_instance",
    "parse_form",
    "read_form_text",
    "registry_updates",
    "review",
    "start_answers",
    "to_jsonable",
    "visit_details",
]
