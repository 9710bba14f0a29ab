"""The shape of a form definition, as pydantic models of the YAML/JSON data in ``forms/``.

A form is data, never code: a list of items (questions, groups, repeats) with labels in
Chinese and English, and rules written in the expression language (``relevant``,
``required``, ``constraint``, ``calculation``). This module checks only the *shape*;
:mod:`field_app.core.forms.compiler` checks the meaning (names, references, choice lists,
``save_to`` paths, cycles) and parses every expression once.

Question types and what their answers hold (also what expressions see):

============== ==================================== ==========================================
type           answer                               in expressions
============== ==================================== ==========================================
text           ``str``                              the text
integer        ``int``                              the number
decimal        ``int`` or ``float``                 the number
date           ``date`` (or ``"YYYY-MM-DD"``)        the date
yes_no         ``bool``                             ``true()`` / ``false()``
select_one     a choice value (``str``)             the value
select_multiple list of choice values               the list (``selected()``, ``count_selected()``)
gps            ``{latitude, longitude, accuracy_m,  the text ``"lat lon"`` (as ODK, shortened)
               altitude_m}``
photo          list of SHA-256 hex digests          the list (``count()``)
confirmation   ``{method: signature|photo, sha256}`` the method
note           (none: display only)                 —
calculate      computed from ``calculation``        the value
============== ==================================== ==========================================
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from field_app.core.codes import VisitPurpose

# Names of questions, groups, repeats, facts and choice lists: what ``${name}`` can spell.
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
Name = Annotated[str, Field(pattern=NAME_PATTERN)]
FormId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
ChoiceValue = Annotated[str, Field(pattern=r"^\S{1,64}$")]
ExpressionText = Annotated[str, Field(min_length=1, max_length=4000)]
# ``previous``, ``none`` or ``registry:<path>`` (see paths.py for the path grammar).
PrefillRule = Annotated[str, Field(pattern=r"^(previous|none|registry:\S+)$")]

QUESTION_TYPES = (
    "text", "integer", "decimal", "date", "yes_no", "select_one", "select_multiple",
    "gps", "photo", "confirmation", "note", "calculate",
)  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(_Strict):
    """A text shown to users: Chinese first, English second; both are required."""

    zh: Annotated[str, Field(min_length=1, max_length=2000)]
    en: Annotated[str, Field(min_length=1, max_length=2000)]

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class Choice(_Strict):
    value: ChoiceValue
    label: LocalText


class _Item(_Strict):
    name: Name
    label: LocalText
    hint: LocalText | None = None
    relevant: ExpressionText | None = None


class _Question(_Item):
    """What every answerable question shares."""

    required: bool | ExpressionText = False
    constraint: ExpressionText | None = None
    constraint_message: LocalText | None = None
    default: Any = None
    # None: the type's default rule (``previous`` for most questions; see compiler.py).
    prefill: PrefillRule | None = None
    save_to: Annotated[str, Field(min_length=3, max_length=200)] | None = None


class TextQuestion(_Question):
    type: Literal["text"]
    multiline: bool = False
    max_length: Annotated[int, Field(ge=1, le=2000)] = 2000
    # Checked with the product's own validators (GB 11643 check digit, phone formats).
    format: Literal["id_number", "phone"] | None = None


class IntegerQuestion(_Question):
    type: Literal["integer"]
    min: int | None = None
    max: int | None = None


class DecimalQuestion(_Question):
    type: Literal["decimal"]
    min: float | None = None
    max: float | None = None


class DateQuestion(_Question):
    type: Literal["date"]


class YesNoQuestion(_Question):
    type: Literal["yes_no"]


class _Select(_Question):
    # A choice list name, or ``choices_from: members`` (the household's present members,
    # values are member ids); both together put the static choices after the members.
    choices: Name | None = None
    choices_from: Literal["members"] | None = None


class SelectOneQuestion(_Select):
    type: Literal["select_one"]


class SelectMultipleQuestion(_Select):
    type: Literal["select_multiple"]


class GpsQuestion(_Question):
    type: Literal["gps"]
    # A fix less accurate than this (metres) is refused; None accepts any accuracy.
    max_accuracy_m: Annotated[float, Field(gt=0)] | None = None


class PhotoQuestion(_Question):
    type: Literal["photo"]
    min_count: Annotated[int, Field(ge=0, le=50)] = 0
    max_count: Annotated[int, Field(ge=1, le=50)] = 10


class ConfirmationQuestion(_Question):
    """The household confirms the record: a signature on the screen or a photo."""

    type: Literal["confirmation"]
    methods: Annotated[list[Literal["signature", "photo"]], Field(min_length=1)] = ["signature", "photo"]


class NoteItem(_Item):
    """Display only: a heading, an instruction or a reminder; holds no answer."""

    type: Literal["note"]


class CalculateItem(_Item):
    """A value computed from other answers; shown read-only, saved like an answer."""

    type: Literal["calculate"]
    calculation: ExpressionText
    save_to: Annotated[str, Field(min_length=3, max_length=200)] | None = None


class Group(_Item):
    """Items shown together (one page), hidden together when ``relevant`` is false."""

    type: Literal["group"]
    items: Annotated[list[Item], Field(min_length=1)]


class Repeat(_Item):
    """Items asked once per instance.

    ``source: members`` makes one instance per present household member, keyed by the
    member id; ``facts`` then names read-only values of that member usable as ``${name}``
    inside the instance (e.g. ``age: member.age``). Without a source the repeat is free:
    the user adds instances between ``min_count`` and ``max_count``. ``creates`` marks a
    free repeat whose instances become new registry records (``problem``: Problems found;
    ``member``: new household members) through the ``save_to`` of its questions.
    """

    type: Literal["repeat"]
    items: Annotated[list[Item], Field(min_length=1)]
    source: Literal["members"] | None = None
    facts: dict[Name, Annotated[str, Field(min_length=3, max_length=200)]] = {}
    min_count: Annotated[int, Field(ge=0, le=100)] = 0
    max_count: Annotated[int, Field(ge=1, le=100)] = 50
    creates: Literal["problem", "member"] | None = None
    # Free repeats only: ``previous`` copies the previous visit's instances into the draft.
    prefill: Literal["previous", "none"] = "none"


Question = (
    TextQuestion | IntegerQuestion | DecimalQuestion | DateQuestion | YesNoQuestion | SelectOneQuestion
    | SelectMultipleQuestion | GpsQuestion | PhotoQuestion | ConfirmationQuestion
)  # fmt: skip
Item = Annotated[
    TextQuestion | IntegerQuestion | DecimalQuestion | DateQuestion | YesNoQuestion | SelectOneQuestion
    | SelectMultipleQuestion | GpsQuestion | PhotoQuestion | ConfirmationQuestion | NoteItem | CalculateItem
    | Group | Repeat,
    Field(discriminator="type"),
]  # fmt: skip


class VisitFields(_Strict):
    """Which answers fill the Visit record's own fields (its location, purpose, people met, photos)."""

    location: Name | None = None
    purpose: Name | None = None
    met_members: Name | None = None
    photos: list[Name] = []


class FormDefinition(_Strict):
    id: FormId
    version: Annotated[int, Field(ge=1)]
    title: LocalText
    description: LocalText | None = None
    subject: Literal["household"] = "household"
    purposes: list[VisitPurpose] = []
    # Read-only values from the registry usable as ``${name}`` anywhere in the form,
    # e.g. ``income_year: visit.year`` or ``household_status: household.status``.
    facts: dict[Name, Annotated[str, Field(min_length=3, max_length=200)]] = {}
    choice_lists: dict[Name, Annotated[list[Choice], Field(min_length=1)]] = {}
    items: Annotated[list[Item], Field(min_length=1)]
    visit_fields: VisitFields = VisitFields()


Group.model_rebuild()
Repeat.model_rebuild()
FormDefinition.model_rebuild()

ANSWERABLE = (
    TextQuestion, IntegerQuestion, DecimalQuestion, DateQuestion, YesNoQuestion, SelectOneQuestion,
    SelectMultipleQuestion, GpsQuestion, PhotoQuestion, ConfirmationQuestion,
)  # fmt: skip

__all__ = [
    "ANSWERABLE",
    "QUESTION_TYPES",
    "CalculateItem",
    "Choice",
    "ConfirmationQuestion",
    "DateQuestion",
    "DecimalQuestion",
    "FormDefinition",
    "GpsQuestion",
    "Group",
    "IntegerQuestion",
    "Item",
    "LocalText",
    "NoteItem",
    "PhotoQuestion",
    "Question",
    "Repeat",
    "SelectMultipleQuestion",
    "SelectOneQuestion",
    "TextQuestion",
    "VisitFields",
    "YesNoQuestion",
]
