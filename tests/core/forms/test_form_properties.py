"""Properties of the form engine on the standard household visit form (Hypothesis)."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from field_app.core.errors import ValidationError
from field_app.core.forms import (
    apply_household_updates,
    apply_member_updates,
    changed_since,
    evaluate,
    finalize,
    registry_updates,
    review,
    start_answers,
)

from .test_form_engine import HOUSEHOLD_VISIT, PHOTO, TODAY, complete_visit, make_context

FORM = HOUSEHOLD_VISIT
CONTEXT = make_context()
MEMBER_IDS = ["m-head", "m-wife", "m-son", "m-gran", "stranger"]
NAMES = sorted(FORM.by_name)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["A", "C", "D", "primary", "dropped_out", "other", "m-head", "2024-05-01", "12", "", " "]
    ),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2030, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(NAMES + ["latitude", "longitude", "method", "sha256"]), inner, max_size=4
        ),
    ),
    max_leaves=8,
)
instance = st.fixed_dictionaries(
    {"member_id": st.sampled_from(MEMBER_IDS)},
    optional={
        name: values
        for name in ("school_status", "age", "medical_insurance", "health", "dropout_reason", "education_aid")
    },
)
problem = st.dictionaries(
    st.sampled_from(["category", "description", "severity", "due_date", "x"]), values, max_size=5
)
answers_strategy = st.one_of(
    st.dictionaries(st.sampled_from(NAMES), values, max_size=12),
    st.fixed_dictionaries(
        {
            "members": st.lists(st.one_of(instance, values), max_size=5),
            "problems": st.lists(st.one_of(problem, values), max_size=3),
        },
        optional={
            name: values
            for name in ("housing_grade", "wages", "met", "gps", "photos", "needs", "confirmation")
        },
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy)
def test_evaluate_never_raises_and_keeps_its_promises(answers):
    state = evaluate(FORM, answers, CONTEXT)
    for path, question in state.questions.items():
        if not question.relevant:
            assert question.value is None, path
            assert not question.issues, path
    for issue in review(state):
        assert issue.text("zh") and issue.text("en")
        assert issue.path in state.questions or issue.path in state.repeats
    if state.complete:  # then it finalizes, and the cleaned answers re-validate clean
        submission = finalize(FORM, answers, CONTEXT)
        assert finalize(FORM, submission.answers, CONTEXT) == submission


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy)
def test_prefill_from_any_previous_answers_never_raises(previous):
    context = make_context(previous=previous)
    prefill = start_answers(FORM, context)
    assert [item["member_id"] for item in prefill.answers["members"]] == ["m-head", "m-wife", "m-son"]
    evaluate(FORM, prefill.answers, context)


def _valid_values(node):
    """Answers of the right kind for a question (which may still break a constraint)."""
    kind = node.kind
    if kind in ("select_one", "select_multiple"):
        options = sorted(
            node.choice_values | ({"m-head", "m-wife", "m-son"} if node.choices_from_members else set())
        )
        if kind == "select_one":
            return st.sampled_from(options)
        return st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True)
    if kind == "yes_no":
        return st.booleans()
    if kind == "decimal":
        return st.one_of(st.integers(0, 700000), st.floats(0, 700000, allow_nan=False))
    if kind == "integer":
        return st.integers(-5, 100)
    if kind == "text":
        return st.text(alphabet="走访问题abc 123", min_size=0, max_size=10)
    if kind == "date":
        return st.dates(datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    if kind == "photo":
        return st.just([PHOTO])
    return st.none()


TOP_QUESTIONS = [
    node
    for node in FORM.nodes
    if node.repeat is None and node.is_answerable and node.kind not in ("gps", "confirmation")
]
MEMBER_QUESTIONS = [node for node in FORM.nodes if node.repeat is FORM.node("members") and node.is_answerable]


@st.composite
def edited_visits(draw):
    answers = complete_visit(CONTEXT)
    for node in draw(st.lists(st.sampled_from(TOP_QUESTIONS), max_size=6, unique_by=lambda n: n.name)):
        answers[node.name] = draw(_valid_values(node))
    for node in draw(st.lists(st.sampled_from(MEMBER_QUESTIONS), max_size=4)):
        member = draw(st.sampled_from(answers["members"]))
        member[node.name] = draw(_valid_values(node))
    return answers


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_visits())
def test_accepted_submissions_revalidate_clean_and_update_the_registry_validly(answers):
    try:
        submission = finalize(FORM, answers, CONTEXT)
    except ValidationError as error:
        assert error.code == "form.incomplete" and error.details["issues"]
        return
    again = finalize(FORM, submission.answers, CONTEXT)
    assert again == submission
    assert changed_since(submission.answers, again.answers) == set()
    assert finalize(FORM, submission.to_json(), CONTEXT) == submission
    updates = registry_updates(FORM, submission, CONTEXT)
    household = apply_household_updates(CONTEXT.household, updates.household)
    assert household.income_for(TODAY.year) is not None
    for member_id, changes in updates.members.items():
        apply_member_updates(CONTEXT.member(member_id), changes, today=TODAY)
