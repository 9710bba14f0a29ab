"""The form engine on the standard forms: skip logic, required, constraints, calculations,
member repeats, prefill, finalize, registry updates and problems found."""

from __future__ import annotations

import copy
import datetime
import timeit
from pathlib import Path

import pytest

from field_app.core.errors import ValidationError
from field_app.core.forms import (
    FormContext,
    apply_household_updates,
    apply_member_updates,
    changed_since,
    evaluate,
    finalize,
    found_problems,
    load_form,
    new_instance,
    read_form_text,
    registry_updates,
    review,
    start_answers,
    visit_details,
)
from field_app.core.models import Household, IncomeYear, Member, Problem

FORMS = Path(__file__).resolve().parents[3] / "forms"
TODAY = datetime.date(2024, 5, 10)
PHOTO = "ab" * 32
SIGNATURE = "cd" * 32

HOUSEHOLD_VISIT = load_form(FORMS / "household_visit.v1.yaml")
REGISTRY_CHANGE = load_form(FORMS / "registry_change.v1.yaml")
MONITORING_VISIT = load_form(FORMS / "monitoring_visit.v1.yaml")


def make_household(**changes) -> Household:
    fields = dict(
        id="hh1", number="0001", village_code="360121101201", head_name="王大山", category="ordinary",
        status="not_exited", identified_year=2016, main_cause="illness",
    )  # fmt: skip
    return Household(**{**fields, **changes})


def make_members() -> list[Member]:
    return [
        Member(id="m-head", household_id="hh1", name="王大山", sex="male", birth_date=datetime.date(1984, 2, 1),
               relation="head", medical_insurance=True),
        Member(id="m-wife", household_id="hh1", name="李秀英", sex="female", birth_date=datetime.date(1986, 7, 9),
               relation="spouse", health="chronic", illness="高血压"),
        Member(id="m-son", household_id="hh1", name="王小明", sex="male", birth_date=datetime.date(2013, 9, 1),
               relation="son", school_status="primary"),
        Member(id="m-gran", household_id="hh1", name="王奶奶", sex="female", birth_date=datetime.date(1948, 1, 1),
               relation="parent", status="deceased", status_date=datetime.date(2023, 12, 1)),
    ]  # fmt: skip


def make_context(previous=None, **household_changes) -> FormContext:
    return FormContext(make_household(**household_changes), make_members(), previous, TODAY)


def complete_visit(context: FormContext | None = None) -> dict:
    """A finished household visit: every required answer given."""
    context = context or make_context()
    answers = start_answers(HOUSEHOLD_VISIT, context).answers
    answers.update(
        met=["m-head", "m-wife"], purpose="routine", food_secure=True, clothing_secure=True,
        housing_grade="B", water_source="tap_treated", water_quantity_ok=True, water_quality_ok=True,
        water_convenient=True, wages=24000, business=6000, property_income=0, transfers=3600,
        production_costs=2100, needs=["employment", "skills"], needs_detail="想去县城扶贫车间务工",
        measures="推荐到扶贫车间", satisfaction="satisfied",
        confirmation={"method": "signature", "sha256": SIGNATURE},
        gps={"latitude": 28.68, "longitude": 115.86, "accuracy_m": 15}, photos=[PHOTO],
    )  # fmt: skip
    for instance in answers["members"]:
        instance.update(medical_insurance=True, serious_illness_insurance=True, family_doctor=True)
    son = member_instance(answers, "m-son")
    son.update(school_status="primary", education_aid=True)
    member_instance(answers, "m-wife")["illness_managed"] = True
    return answers


def member_instance(answers: dict, member_id: str) -> dict:
    return next(item for item in answers["members"] if item["member_id"] == member_id)


# ------------------------------------------------------------------------ evaluation


def test_a_complete_visit_has_no_issues_and_finalizes():
    context = make_context()
    answers = complete_visit(context)
    state = evaluate(HOUSEHOLD_VISIT, answers, context)
    assert review(state) == []
    assert state.complete
    submission = finalize(HOUSEHOLD_VISIT, answers, context)
    assert submission.form_id == "household_visit" and submission.form_version == 1
    assert submission.answers["food_secure"] is True
    assert [item["member_id"] for item in submission.answers["members"]] == ["m-head", "m-wife", "m-son"]


def test_member_repeat_follows_present_members_and_asks_school_only_at_school_age():
    context = make_context()
    state = evaluate(HOUSEHOLD_VISIT, complete_visit(context), context)
    assert state.repeats["members"].keys == ("m-head", "m-wife", "m-son")  # the deceased grandmother is gone
    assert state.is_relevant("members[m-son].school_status")  # 10 years old
    assert not state.is_relevant("members[m-head].school_status")  # 40 years old
    assert not state.is_relevant("members[m-son].dropout_reason")
    assert state.question("members[m-son].school_status").member_id == "m-son"


def test_drop_out_reason_and_home_teaching_follow_school_status():
    context = make_context()
    answers = complete_visit(context)
    member_instance(answers, "m-son")["school_status"] = "dropped_out"
    state = evaluate(HOUSEHOLD_VISIT, answers, context)
    assert state.is_relevant("members[m-son].dropout_reason")
    assert not state.is_relevant("members[m-son].education_aid")
    missing = {issue.path for issue in review(state) if issue.kind == "missing"}
    assert "members[m-son].dropout_reason" in missing
    issue = next(i for i in review(state) if i.path == "members[m-son].dropout_reason")
    assert issue.text("zh") == "王小明 · 未上学（辍学）原因：必填，尚未填写"
    assert issue.text("en") == "王小明 · Why not in school: required, not answered"
    assert issue.member_id == "m-son"


def test_skip_logic_shows_renovation_only_for_dangerous_houses():
    context = make_context()
    answers = complete_visit(context)
    answers["housing_grade"] = "B"
    assert not evaluate(HOUSEHOLD_VISIT, answers, context).is_relevant("renovation")
    answers["housing_grade"] = "D"
    state = evaluate(HOUSEHOLD_VISIT, answers, context)
    assert state.is_relevant("renovation") and state.question("renovation").required


def test_constraint_message_in_chinese_and_english():
    context = make_context()
    answers = complete_visit(context)
    answers["wages"] = 600000
    (issue,) = review(evaluate(HOUSEHOLD_VISIT, answers, context))
    assert (issue.path, issue.kind, issue.code) == ("wages", "constraint", "form.answer.constraint")
    assert issue.text("zh") == "工资性收入：工资性收入超过50万元，请核实"
    assert issue.text("en") == "Wages: Wages above 500,000 yuan: please check"


def test_constraint_on_dangerous_house_renovation():
    context = make_context()
    answers = complete_visit(context)
    answers.update(housing_grade="C", renovation="not_needed")
    (issue,) = review(evaluate(HOUSEHOLD_VISIT, answers, context))
    assert issue.path == "renovation" and "C、D级危房必须列入改造" in issue.text("zh")


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("wages", -1, "form.answer.too_small"),
        ("wages", "许多", "form.answer.not_number"),
        ("food_secure", "yes", "form.answer.not_yes_no"),
        ("housing_grade", "E", "form.answer.not_choice"),
        ("met", ["m-head", "m-gran"], "form.answer.not_choice"),  # the deceased are no longer choices
        ("needs", ["employment", "employment"], "form.answer.repeated_choice"),
        ("gps", {"latitude": 28.68, "longitude": 115.86, "accuracy_m": 350}, "form.answer.gps_inaccurate"),
        ("gps", {"latitude": 128.0, "longitude": 115.86}, "form.answer.bad_gps"),
        ("photos", ["not-a-hash"], "form.answer.bad_photo"),
        ("photos", [PHOTO] * 2, "form.answer.repeated_photo"),
        ("confirmation", {"method": "fingerprint", "sha256": SIGNATURE}, "form.answer.bad_confirmation"),
    ],
)
def test_invalid_answers_are_reported(name, value, code):
    context = make_context()
    answers = complete_visit(context)
    answers[name] = value
    issues = review(evaluate(HOUSEHOLD_VISIT, answers, context))
    assert [(issue.path, issue.code) for issue in issues] == [(name, code)]
    assert issues[0].blocking


def test_gps_accuracy_message():
    context = make_context()
    answers = complete_visit(context)
    answers["gps"] = {"latitude": 28.68, "longitude": 115.86, "accuracy_m": 350.4}
    (issue,) = review(evaluate(HOUSEHOLD_VISIT, answers, context))
    assert issue.text("zh") == "走访定位：定位精度 350 米，要求 100 米以内，请到室外重新定位"


def test_photos_are_required_as_evidence():
    context = make_context()
    answers = complete_visit(context)
    answers["photos"] = []
    (issue,) = review(evaluate(HOUSEHOLD_VISIT, answers, context))
    assert (issue.path, issue.kind) == ("photos", "missing")


def test_values_typed_from_text():
    context = make_context()
    answers = complete_visit(context)
    answers.update(wages="24000", business="6000.50")
    state = evaluate(HOUSEHOLD_VISIT, answers, context)
    assert state.value("wages") == 24000 and state.value("business") == 6000.5
    assert state.complete


def test_per_capita_income_is_calculated_over_present_members():
    context = make_context()
    state = evaluate(HOUSEHOLD_VISIT, complete_visit(context), context)
    assert state.value("net_income") == 24000 + 6000 + 0 + 3600 - 2100
    assert state.value("per_capita_income") == 10500  # three present members
    assert not state.question("per_capita_income").issues


def test_refused_confirmation_asks_for_the_reason_instead():
    context = make_context()
    answers = complete_visit(context)
    answers.update(confirmation_refused=True, confirmation=None)
    state = evaluate(HOUSEHOLD_VISIT, answers, context)
    assert not state.is_relevant("confirmation")
    assert [issue.path for issue in review(state)] == ["refusal_reason"]


def test_other_person_met_needs_a_name():
    context = make_context()
    answers = complete_visit(context)
    answers["met"] = ["other"]
    assert [issue.path for issue in review(evaluate(HOUSEHOLD_VISIT, answers, context))] == ["met_other_who"]


def test_monitored_household_gets_the_reminder_note():
    context = make_context(status="monitored")
    assert evaluate(HOUSEHOLD_VISIT, complete_visit(context), context).is_relevant("monitored_reminder")
    context = make_context()
    assert not evaluate(HOUSEHOLD_VISIT, complete_visit(context), context).is_relevant("monitored_reminder")


SCOPES = """
id: scopes
version: 1
title: {zh: 作用域, en: Scopes}
facts:
  size: household.member_count
items:
  - type: repeat
    name: people
    label: {zh: 成员, en: People}
    source: members
    facts: {age: member.age, who: member.name}
    items:
      - {type: integer, name: hours, label: {zh: 时长, en: Hours}, required: "${age} >= 18"}
      - {type: calculate, name: older, label: {zh: 较年长, en: Older}, calculation: "${age} > 30"}
      - {type: calculate, name: greeting, label: {zh: 称呼, en: Greeting}, calculation: "concat(${who}, ':', ${hours})"}
  - {type: calculate, name: eldest, label: {zh: 最大年龄, en: Eldest}, calculation: "max(${age})"}
  - {type: calculate, name: total, label: {zh: 合计, en: Total}, calculation: "sum(${hours})"}
  - {type: calculate, name: count, label: {zh: 人数, en: Count}, calculation: "count(${people}) = ${size}"}
"""


def test_inside_a_repeat_names_are_the_instance_own_and_lists_from_outside():
    form = read_form_text(SCOPES)
    context = make_context()
    answers = {"people": [{"member_id": "m-head", "hours": 8}, {"member_id": "m-wife", "hours": 6}]}
    state = evaluate(form, answers, context)
    assert state.value("people[m-head].older") is True
    assert state.value("people[m-son].older") is False
    assert state.value("people[m-wife].greeting") == "李秀英:6"
    assert state.value("eldest") == 40
    assert state.value("total") == 14
    assert state.value("count") is True
    # hours are required for adults only: the 10-year-old may skip them
    assert state.complete
    assert state.question("people[m-son].hours").required is False
    assert state.question("people[m-head].hours").required is True


# -------------------------------------------------------------------------- finalize


def test_finalize_refuses_with_form_incomplete_listing_issues():
    context = make_context()
    answers = complete_visit(context)
    del answers["food_secure"]
    answers["wages"] = 900000
    with pytest.raises(ValidationError) as caught:
        finalize(HOUSEHOLD_VISIT, answers, context)
    error = caught.value
    assert error.code == "form.incomplete"
    assert error.params["count"] == 2
    assert error.message("zh") == "还有 2 个问题未填或填写有误"
    issues = error.details["issues"]
    assert [issue["path"] for issue in issues] == ["food_secure", "wages"]
    assert issues[0]["kind"] == "missing" and "不愁吃" in issues[0]["message"]
    assert "Wages above 500,000 yuan" in issues[1]["message_en"]


def test_non_relevant_answers_stay_in_the_draft_but_not_in_the_submission():
    context = make_context()
    answers = complete_visit(context)
    answers.update(housing_grade="A", renovation="planned", dissatisfaction_reason="旧的原因")
    submission = finalize(HOUSEHOLD_VISIT, answers, context)
    assert "renovation" not in submission.answers
    assert "dissatisfaction_reason" not in submission.answers
    assert answers["renovation"] == "planned"  # the draft is not touched
    head = submission.answers["members"][0]
    assert "school_status" not in head  # a 40-year-old is not asked


def test_a_submission_finalizes_again_to_itself():
    context = make_context()
    submission = finalize(HOUSEHOLD_VISIT, complete_visit(context), context)
    again = finalize(HOUSEHOLD_VISIT, submission.answers, context)
    assert again == submission
    as_json = submission.to_json()
    assert finalize(HOUSEHOLD_VISIT, as_json, context) == submission


# ---------------------------------------------------------------- prefill and changes


def test_prefill_from_registry_and_previous_visit_and_changes_detected():
    first_context = make_context()
    first = finalize(HOUSEHOLD_VISIT, complete_visit(first_context), first_context)

    context = make_context(previous=first.answers, food_secure=True)
    prefill = start_answers(HOUSEHOLD_VISIT, context)
    answers = prefill.answers
    # carried over from the previous visit (the default rule)
    assert answers["needs"] == ["employment", "skills"]
    assert member_instance(answers, "m-son")["education_aid"] is True
    assert {
        "needs",
        "needs_detail",
        "members[m-son].education_aid",
        "members[m-wife].illness_managed",
    } <= prefill.from_previous
    # read from the registry
    assert answers["food_secure"] is True and "food_secure" in prefill.from_registry
    assert member_instance(answers, "m-son")["school_status"] == "primary"
    assert "members[m-son].school_status" in prefill.from_registry
    assert member_instance(answers, "m-wife")["illness"] == "高血压"
    # never carried over: who was met, evidence, the household's confirmation, problems
    for name in ("met", "gps", "photos", "confirmation", "satisfaction", "measures"):
        assert name not in answers and name not in prefill.from_previous
    assert answers["problems"] == []
    assert answers["purpose"] == "routine"  # the default

    # the cadre confirms, changes two answers and finishes the visit
    answers.update(
        met=["m-head"], clothing_secure=True, housing_grade="B", water_source="tap_treated",
        water_quantity_ok=True, water_quality_ok=True, water_convenient=True, wages=24000, business=6000,
        property_income=0, transfers=3600, production_costs=2100, satisfaction="satisfied",
        confirmation={"method": "photo", "sha256": SIGNATURE}, gps={"latitude": 28.68, "longitude": 115.86, "accuracy_m": 8},
        photos=[PHOTO],
    )  # fmt: skip
    for instance in answers["members"]:
        instance.update(medical_insurance=True, serious_illness_insurance=True, family_doctor=True)
    answers["needs"] = ["employment"]
    member_instance(answers, "m-wife")["family_doctor"] = False
    second = finalize(HOUSEHOLD_VISIT, answers, context)
    changed = changed_since(first.answers, second.answers)
    assert {"needs", "members[m-wife].family_doctor", "met", "confirmation"} <= changed
    assert "food_secure" not in changed and "members[m-son].school_status" not in changed


def test_prefill_drops_values_that_no_longer_fit():
    previous = {"needs": ["teleportation"], "members": [{"member_id": "m-son", "education_aid": "maybe"}]}
    prefill = start_answers(HOUSEHOLD_VISIT, make_context(previous=previous))
    assert "needs" not in prefill.answers
    assert "education_aid" not in member_instance(prefill.answers, "m-son")
    assert not prefill.from_previous


def test_changed_since_compares_meaning_not_spelling():
    before = {
        "d": datetime.date(2024, 1, 2),
        "n": 3,
        "m": ["a", "b"],
        "x": "",
        "r": [{"member_id": "m1", "q": 1}],
    }
    after = {"d": "2024-01-02", "n": 3.0, "m": ["b", "a"], "r": [{"member_id": "m1", "q": 1}]}
    assert changed_since(before, after) == set()
    after["r"] = [{"member_id": "m1", "q": 2}, {"member_id": "m2"}]
    assert changed_since(before, after) == {"r[m1].q", "r[m2]"}
    assert changed_since(None, {"a": 1}) == {"a"}


# ------------------------------------------------------------ registry and problems


def test_registry_updates_carry_only_changes_and_apply_cleanly():
    context = make_context(food_secure=True)
    answers = complete_visit(context)
    answers.update(housing_grade="C", renovation="planned")
    member_instance(answers, "m-wife")["family_doctor"] = False
    submission = finalize(HOUSEHOLD_VISIT, answers, context)
    updates = registry_updates(HOUSEHOLD_VISIT, submission, context)
    assert "food_secure" not in updates.household  # unchanged
    assert updates.household["clothing_secure"] is True
    assert updates.household["housing.grade"] == "C"
    assert updates.household["housing.renovation"] == "planned"
    assert updates.household["incomes[2024].wages"] == 24000
    assert updates.members["m-wife"]["family_doctor"] is False
    assert "medical_insurance" not in updates.members["m-head"]  # already insured in the registry
    assert updates.new_members == []

    household = apply_household_updates(context.household, updates.household)
    assert household.housing.grade == "C" and household.clothing_secure is True
    assert household.income_for(2024) == IncomeYear(
        year=2024, wages=24000, business=6000, property_income=0, transfers=3600, production_costs=2100
    )
    wife = apply_member_updates(context.member("m-wife"), updates.members["m-wife"], today=TODAY)
    assert wife.family_doctor is False and wife.medical_insurance is True

    # the next visit this year starts from the registry's income of the year
    next_context = FormContext(household, make_members(), submission.answers, TODAY)
    prefill = start_answers(HOUSEHOLD_VISIT, next_context)
    assert prefill.answers["wages"] == 24000 and "wages" in prefill.from_registry
    again = finalize(
        HOUSEHOLD_VISIT,
        {**complete_visit(next_context), "housing_grade": "C", "renovation": "planned"},
        next_context,
    )
    assert "incomes[2024].wages" not in registry_updates(HOUSEHOLD_VISIT, again, next_context).household


def test_found_problems_become_problem_records():
    context = make_context()
    answers = complete_visit(context)
    answers["problems"] = [
        {"category": "housing", "description": "厨房墙体开裂", "severity": "high", "due_date": "2024-06-30"},
        {
            **new_instance(HOUSEHOLD_VISIT, "problems", context),
            "category": "medical",
            "description": "慢病卡未办理",
            "due_date": "2024-05-20",
        },
    ]
    submission = finalize(HOUSEHOLD_VISIT, answers, context)
    problems = found_problems(HOUSEHOLD_VISIT, submission, context)
    assert problems[0] == {
        "category": "housing",
        "description": "厨房墙体开裂",
        "severity": "high",
        "due_date": datetime.date(2024, 6, 30),
    }
    assert problems[1]["severity"] == "medium"  # the question's default, set when the entry was added
    for found in problems:
        record = Problem(
            household_id="hh1", village_code="360121101201", created_by="u1",
            created_at=datetime.datetime(2024, 5, 10, 10, tzinfo=datetime.UTC), **found,
        )  # fmt: skip
        assert record.category.value == found["category"]


def test_problem_due_date_in_the_past_and_missing_description():
    context = make_context()
    answers = complete_visit(context)
    answers["problems"] = [{"category": "water", "severity": "low", "due_date": "2024-05-01"}]
    issues = review(evaluate(HOUSEHOLD_VISIT, answers, context))
    assert [(issue.path, issue.kind) for issue in issues] == [
        ("problems[0].description", "missing"),
        ("problems[0].due_date", "constraint"),
    ]
    assert issues[0].text("zh") == "发现的问题 第1条 · 问题描述：必填，尚未填写"
    assert issues[1].text("en") == "Problems found #1 · Due date: The due date cannot be in the past"


def test_visit_details_fill_the_visit_record():
    context = make_context()
    answers = complete_visit(context)
    answers["met"] = ["m-head", "other"]
    answers["met_other_who"] = "邻居"
    submission = finalize(HOUSEHOLD_VISIT, answers, context)
    details = visit_details(HOUSEHOLD_VISIT, submission, context)
    assert details == {
        "location": {"latitude": 28.68, "longitude": 115.86, "accuracy_m": 15},
        "purpose": "routine",
        "met_member_ids": ["m-head"],
        "photos": [PHOTO],
    }


# --------------------------------------------------------------------- other forms


def test_registry_change_adds_removes_and_corrects_members():
    context = make_context()
    answers = start_answers(REGISTRY_CHANGE, context).answers
    answers.update(
        change_kinds=["member_added", "member_removed", "member_changed"],
        new_members=[{
            "new_name": "王小花", "new_sex": "female", "new_birth_date": "2024-03-02", "new_relation": "daughter",
            "join_reason": "birth", "join_date": "2024-03-02", "new_health": "healthy",
        }],
        leaving=["m-wife"], changed_members=["m-son"], basis="出生医学证明；户口迁移证明",
    )  # fmt: skip
    member_instance(answers, "m-wife").update(leave_status="moved_out", leave_date="2024-04-01")
    member_instance(answers, "m-son").update(changed_attributes=["school_status"], school_status="junior")
    state = evaluate(REGISTRY_CHANGE, answers, context)
    assert review(state) == []
    assert not state.is_relevant("members[m-head].leave_status")
    submission = finalize(REGISTRY_CHANGE, answers, context)
    updates = registry_updates(REGISTRY_CHANGE, submission, context)
    assert updates.members == {
        "m-wife": {"status": "moved_out", "status_date": datetime.date(2024, 4, 1)},
        "m-son": {"school_status": "junior"},
    }
    (new,) = updates.new_members
    baby = Member(household_id="hh1", **new)
    assert baby.name == "王小花" and baby.birth_date == datetime.date(2024, 3, 2)
    wife = apply_member_updates(context.member("m-wife"), updates.members["m-wife"], today=TODAY)
    assert not wife.status.counts_in_household


def test_registry_change_checks_id_numbers_and_needs_a_new_member():
    context = make_context()
    answers = {"change_kinds": ["member_added"], "basis": "出生证明", "new_members": []}
    issues = review(evaluate(REGISTRY_CHANGE, answers, context))
    assert [(issue.path, issue.code) for issue in issues] == [
        ("new_members", "form.answer.too_few_instances")
    ]
    answers["new_members"] = [{
        "new_name": "王小花", "new_sex": "female", "new_birth_date": "2024-03-02", "new_relation": "daughter",
        "join_reason": "birth", "join_date": "2024-03-02", "new_health": "healthy", "new_id_number": "11010519491231002X"[:-1] + "1",
    }]  # fmt: skip
    (issue,) = review(evaluate(REGISTRY_CHANGE, answers, context))
    assert issue.path == "new_members[0].new_id_number" and issue.code == "form.answer.format"
    assert "校验位" in issue.text("zh")


def test_monitoring_visit_records_large_expenses_into_the_year():
    context = make_context(status="exited", exit_year=2020)
    answers = start_answers(MONITORING_VISIT, context).answers
    answers.update(
        met=["m-head"], income_change="decreased", income_drop_reasons=["illness"], wages=8000, business=2000,
        property_income=0, transfers=4000, production_costs=1000, large_expense=True, expense_kinds=["illness"],
        expense_amount=35000, expense_cause="户主妻子住院手术", food_secure=True, clothing_secure=True,
        children_in_school="yes", all_insured=True, housing_safe=True, water_safe=True, risk_level="high",
        risk_factors=["illness", "income_drop"], suggest_monitoring=True, measures="申请临时救助，落实大病保险报销",
        gps={"latitude": 28.68, "longitude": 115.86, "accuracy_m": 30}, photos=[PHOTO],
    )  # fmt: skip
    state = evaluate(MONITORING_VISIT, answers, context)
    assert review(state) == []
    assert not state.is_relevant("not_exited_note")
    assert state.value("per_capita_income") == 4333.33  # 13000 over three present members
    submission = finalize(MONITORING_VISIT, answers, context)
    updates = registry_updates(MONITORING_VISIT, submission, context)
    assert updates.household["incomes[2024].unavoidable_expenses"] == 35000
    assert updates.household["incomes[2024].expense_cause"] == "户主妻子住院手术"
    household = apply_household_updates(context.household, updates.household)
    assert household.income_for(2024).unavoidable_expenses == 35000


# ------------------------------------------------------------------ rules that fail


def test_a_rule_that_cannot_be_computed_is_a_warning_not_a_crash():
    form = read_form_text("""
id: fragile
version: 1
title: {zh: 易错, en: Fragile}
items:
  - {type: text, name: word, label: {zh: 词, en: Word}}
  - {type: calculate, name: bad, label: {zh: 坏, en: Bad}, calculation: "${word} * 2"}
  - {type: integer, name: n, label: {zh: 数, en: N}, relevant: "${word} * 2 > 1", required: true}
""")
    state = evaluate(form, {"word": "abc"}, FormContext(today=TODAY))
    assert state.value("bad") is None
    kinds = {(issue.path, issue.kind) for issue in review(state)}
    assert ("bad", "warning") in kinds
    assert ("n", "missing") in kinds  # a relevance that fails shows the question
    assert all(issue.text("en") for issue in review(state))
    with pytest.raises(ValidationError):
        finalize(form, {"word": "abc"}, FormContext(today=TODAY))
    assert finalize(form, {"word": "abc", "n": 2}, FormContext(today=TODAY)).answers == {
        "word": "abc",
        "n": 2,
    }


def test_new_instance_is_for_free_repeats_only():
    with pytest.raises(ValueError):
        new_instance(HOUSEHOLD_VISIT, "members", make_context())
    assert new_instance(HOUSEHOLD_VISIT, "problems", make_context()) == {"severity": "medium"}


def test_evaluate_accepts_garbage_without_raising():
    context = make_context()
    for garbage in (None, [], {"members": "x", "problems": [1, None, {"due_date": 3}], "met": {"a": 1}}):
        state = evaluate(HOUSEHOLD_VISIT, garbage, context)
        assert not state.complete


def test_evaluating_a_finished_visit_is_fast():
    context = make_context()
    answers = complete_visit(context)
    copy.deepcopy(answers)
    runs = 50
    seconds = timeit.timeit(lambda: finalize(HOUSEHOLD_VISIT, answers, context), number=runs) / runs
    assert seconds < 0.02  # measured about 1 ms; generous for slow CI machines
