"""Loading form definitions: the standard forms, and one test per kind of broken form."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from field_app.core.codes import HousingGrade, ProblemCategory, SchoolStatus, Severity, VisitPurpose
from field_app.core.errors import FormDefinitionError
from field_app.core.forms import FormCatalog, load_form, load_forms, parse_form, read_form_text

FORMS = Path(__file__).resolve().parents[3] / "forms"
STANDARD = ["household_visit.v1.yaml", "registry_change.v1.yaml", "monitoring_visit.v1.yaml"]
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- standard forms


@pytest.mark.parametrize("file", STANDARD)
def test_standard_form_loads_with_chinese_and_english_everywhere(file):
    form = load_form(FORMS / file)
    assert form.id == file.split(".")[0]
    assert form.version == 1
    assert CJK.search(form.title.zh) and form.title.en
    labelled = [node for node in form.nodes if node.kind != "fact"]
    assert labelled
    for node in labelled:
        assert CJK.search(node.label.zh), node.where
        assert node.label.en.strip() and not CJK.search(node.label.en), node.where
        for choice in node.choices:
            assert CJK.search(choice.label.zh) and choice.label.en.strip(), (node.where, choice.value)


def test_the_folder_loads_as_a_catalog():
    catalog = load_forms(FORMS)
    assert {key[0] for key in catalog} >= {"household_visit", "registry_change", "monitoring_visit"}
    assert catalog.get_form("household_visit").version == 1
    assert catalog.get_form("household_visit", 1) is catalog[("household_visit", 1)]
    with pytest.raises(FormDefinitionError) as caught:
        catalog.get_form("household_visit", 99)
    assert caught.value.code == "form.not_found"


def test_a_form_version_loaded_twice_is_refused():
    form = load_form(FORMS / STANDARD[0])
    catalog = FormCatalog()
    catalog.add(form)
    with pytest.raises(FormDefinitionError) as caught:
        catalog.add(form)
    assert caught.value.code == "form.invalid"


def test_choice_values_match_the_registry_code_lists():
    form = load_form(FORMS / "household_visit.v1.yaml")
    lists = form.definition.choice_lists

    def values(name):
        return {choice.value for choice in lists[name]}

    assert values("school_status") <= {code.value for code in SchoolStatus}
    assert values("housing_grade") == {code.value for code in HousingGrade}
    assert values("problem_category") == {code.value for code in ProblemCategory}
    assert values("severity") == {code.value for code in Severity}
    assert values("purpose") == {code.value for code in VisitPurpose}


def test_household_visit_keeps_the_key_rules():
    form = load_form(FORMS / "household_visit.v1.yaml")
    assert form.node("school_status").repeat is form.node("members")
    assert form.node("education").relevant.source == "${age} >= 6 and ${age} <= 15"
    assert form.node("food_secure").save_to.text == "household.food_secure"
    assert form.node("wages").save_to.text == "household.incomes[income_year].wages"
    assert form.node("problems").item.creates == "problem"
    assert form.node("gps").item.max_accuracy_m == 100
    assert form.node("photos").item.min_count >= 1
    # every expression was parsed once, at load
    assert form.node("per_capita_income").calculation is not None


# ------------------------------------------------------------------------- broken forms

BASE = """\
id: tiny
version: 1
title: {{zh: 小表, en: Tiny}}
choice_lists:
  ab:
    - {{value: a, label: {{zh: 甲, en: A}}}}
    - {{value: b, label: {{zh: 乙, en: B}}}}
{extra}items:
  - {{type: integer, name: age, label: {{zh: 年龄, en: Age}}}}
  - {{type: select_one, name: pick, label: {{zh: 选择, en: Pick}}, choices: ab}}
{items}"""


def tiny(items: str = "", extra: str = "") -> str:
    return BASE.format(items=textwrap.indent(textwrap.dedent(items), "  "), extra=extra)


BROKEN = [
    pytest.param(tiny().replace("id: tiny\n", ""), "form.invalid", "id", ["id"], id="missing-id"),
    pytest.param(
        tiny().replace("version: 1\n", ""), "form.invalid", "version", ["version"], id="missing-version"
    ),
    pytest.param(
        tiny().replace("version: 1", "version: 0"), "form.invalid", "version", ["version"], id="version-zero"
    ),
    pytest.param(
        tiny("- {type: text, name: age, label: {zh: 又一个, en: Again}}\n"),
        "form.invalid",
        "age",
        ["age"],
        id="duplicate-question-name",
    ),
    pytest.param(
        tiny("- {type: slider, name: level, label: {zh: 程度, en: Level}}\n"),
        "form.invalid",
        "level",
        ["slider"],
        id="unknown-question-type",
    ),
    pytest.param(
        tiny("- {type: text, name: why, label: {zh: 原因, en: Why}, relevant: '${age} >'}\n"),
        "form.invalid",
        "why",
        ["relevant", "${age} >"],
        id="relevance-syntax-error",
    ),
    pytest.param(
        tiny(
            "- {type: text, name: why, label: {zh: 原因, en: Why}, relevant: '${age} > 6 and ${agee} < 15'}\n"
        ),
        "form.invalid",
        "why",
        ["agee", "16"],
        id="unknown-reference",
    ),
    pytest.param(
        tiny("- {type: text, name: why, label: {zh: 原因, en: Why}, relevant: '. > 3'}\n"),
        "form.invalid",
        "why",
        ["constraint"],
        id="current-outside-constraint",
    ),
    pytest.param(
        tiny("- {type: select_one, name: grade, label: {zh: 等级, en: Grade}, choices: grades}\n"),
        "form.invalid",
        "grade",
        ["grades"],
        id="unknown-choice-list",
    ),
    pytest.param(
        tiny().replace("{value: b, label: {zh: 乙", "{value: a, label: {zh: 乙"),
        "form.invalid",
        "choice_lists/ab",
        ["a"],
        id="duplicate-choice-value",
    ),
    pytest.param(
        tiny("- {type: yes_no, name: fed, label: {zh: 吃饱, en: Fed}, save_to: household.food_sec}\n"),
        "form.invalid",
        "fed",
        ["household.food_sec", "food_sec"],
        id="bad-save-to-field",
    ),
    pytest.param(
        tiny("- {type: text, name: fed, label: {zh: 吃饱, en: Fed}, save_to: household.food_secure}\n"),
        "form.invalid",
        "fed",
        ["household.food_secure"],
        id="save-to-wrong-type",
    ),
    pytest.param(
        tiny("- {type: yes_no, name: fed, label: {zh: 吃饱, en: Fed}, save_to: member.medical_insurance}\n"),
        "form.invalid",
        "fed",
        ["member.medical_insurance"],
        id="save-to-member-outside-member-repeat",
    ),
    pytest.param(
        tiny(
            "- {type: select_one, name: grade, label: {zh: 等级, en: Grade}, choices: ab, save_to: household.housing.grade}\n"
        ),
        "form.invalid",
        "grade",
        ["a", "household.housing.grade"],
        id="choice-not-in-code-list",
    ),
    pytest.param(
        tiny("""\
            - {type: calculate, name: x, label: {zh: 甲, en: X}, calculation: '${y} + 1'}
            - {type: calculate, name: y, label: {zh: 乙, en: Y}, calculation: '${x} * 2'}
            """),
        "form.invalid",
        "x",
        ["x → y → x"],
        id="calculation-cycle",
    ),
    pytest.param(
        tiny("- {type: text, name: why, label: {zh: 原因, en: Why}, relevant: '${why} = 1'}\n"),
        "form.invalid",
        "why",
        ["why → why"],
        id="relevance-on-itself",
    ),
    pytest.param(
        tiny("- {type: select_one, name: grade, label: {zh: 等级, en: Grade}, choices: ab, default: c}\n"),
        "form.invalid",
        "grade",
        ["c"],
        id="select-default-not-in-choices",
    ),
    pytest.param(
        tiny("- {type: integer, name: n, label: {zh: 数, en: N}, default: many}\n"),
        "form.invalid",
        "n",
        ["many"],
        id="default-wrong-type",
    ),
    pytest.param(
        tiny(
            "- {type: text, name: why, label: {zh: 原因, en: Why}, prefill: 'registry:household.nothing'}\n"
        ),
        "form.invalid",
        "why",
        ["household.nothing"],
        id="bad-prefill-path",
    ),
    pytest.param(
        tiny("- {type: text, name: why, label: {zh: 原因}}\n"),
        "form.invalid",
        "why",
        ["label.en"],
        id="label-without-english",
    ),
    pytest.param(
        tiny("- {type: text, name: why, label: {zh: 原因, en: Why}, colour: red}\n"),
        "form.invalid",
        "why",
        ["colour"],
        id="unknown-setting",
    ),
    pytest.param(
        tiny("""\
            - type: repeat
              name: outer
              label: {zh: 外, en: Outer}
              items:
                - type: repeat
                  name: inner
                  label: {zh: 内, en: Inner}
                  items:
                    - {type: text, name: t, label: {zh: 文, en: T}}
            """),
        "form.invalid",
        "outer/inner",
        ["outer"],
        id="repeat-inside-repeat",
    ),
    pytest.param(
        tiny("""\
            - type: repeat
              name: problems
              label: {zh: 问题, en: Problems}
              creates: problem
              items:
                - {type: text, name: description, label: {zh: 描述, en: Description}, save_to: problem.description}
            """),
        "form.invalid",
        "problems",
        ["category"],
        id="problem-repeat-without-category",
    ),
    pytest.param(
        tiny("- {type: text, name: why, label: {zh: 原因, en: Why}, constraint: 'string_length(.) <'}\n"),
        "form.invalid",
        "why",
        ["constraint"],
        id="constraint-syntax-error",
    ),
    pytest.param(
        tiny("- {type: calculate, name: c, label: {zh: 算, en: C}, calculation: 'frobnicate(${age})'}\n"),
        "form.invalid",
        "c",
        ["frobnicate"],
        id="unknown-function",
    ),
]


@pytest.mark.parametrize(("text", "code", "where", "mentions"), BROKEN)
def test_broken_form_is_refused_naming_form_and_question(text, code, where, mentions):
    with pytest.raises(FormDefinitionError) as caught:
        read_form_text(text, source="tiny.v1.yaml")
    error = caught.value
    assert error.code == code
    assert error.params["where"] == where
    form_name = "tiny" if "id: tiny" in text else "tiny.v1.yaml"
    for lang in ("zh", "en"):
        message = error.message(lang)
        assert form_name in message and where in message, message
        for mention in mentions:
            assert mention in message, (lang, message)
    assert CJK.search(error.message("zh"))
    assert error.to_dict()["details"]["reason_code"].startswith("form.def.")


def test_relevance_syntax_error_gives_the_position():
    text = tiny("- {type: text, name: why, label: {zh: 原因, en: Why}, relevant: '${age} >= 6 and and'}\n")
    with pytest.raises(FormDefinitionError) as caught:
        read_form_text(text)
    error = caught.value
    assert error.details["expression_code"] == "expr.syntax"
    assert error.details["position"] == 17  # the second "and"
    assert "第17个字符" in error.message("zh") and "position 17" in error.message("en")


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        pytest.param("id: tiny\nversion: [1\n", "line", id="yaml-syntax"),
        pytest.param("id: tiny\nid: other\n", "duplicate key 'id'", id="duplicate-key"),
        pytest.param("a: &x [1, 2]\nb: *x\n", "aliases", id="alias"),
    ],
)
def test_unreadable_yaml(text, mention):
    with pytest.raises(FormDefinitionError) as caught:
        read_form_text(text, source="tiny.v1.yaml")
    assert caught.value.code == "form.unreadable"
    assert "tiny.v1.yaml" in caught.value.message("zh")
    assert mention in caught.value.message("en")


def test_unreadable_file(tmp_path):
    path = tmp_path / "broken.v1.yaml"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    assert caught.value.code == "form.unreadable"
    assert "broken.v1.yaml" in caught.value.message("en")
    with pytest.raises(FormDefinitionError) as caught:
        load_form(tmp_path / "missing.yaml")
    assert caught.value.code == "form.unreadable"


def test_not_a_mapping():
    with pytest.raises(FormDefinitionError) as caught:
        parse_form(["a", "list"], source="list.json")
    assert caught.value.code == "form.invalid"
    assert "list.json" in caught.value.message("zh")


def test_json_forms_load_too(tmp_path):
    import json

    import yaml

    data = yaml.safe_load(tiny())
    path = tmp_path / "tiny.v1.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_form(path).id == "tiny"
