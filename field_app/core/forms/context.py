"""What a form is filled about: the household, its members, the previous visit, the day.

Registry *facts* reach expressions as read-only values declared in the form: top-level
``facts`` (``income_year: visit.year``, ``household_status: household.status``) and the
``facts`` of the member repeat (``age: member.age``, ``name: member.name``; ``member_id`` is
always there). They are never answers: they are not prefilled, not submitted, not compared.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from field_app.core.forms.paths import RegistryPath
from field_app.core.models.household import Household
from field_app.core.models.member import Member


@dataclass(frozen=True)
class FormContext:
    """The registry records and the day a form is evaluated against.

    ``members`` may include members who left (deceased, moved out): only the present ones
    get an instance of the member repeat and appear as ``choices_from: members``.
    ``previous_answers`` are the submitted answers of the household's previous visit with
    this form (``Submission.answers``), used by :func:`start_answers` only.
    """

    household: Household | None = None
    members: Sequence[Member] = ()
    previous_answers: Mapping[str, Any] | None = None
    today: datetime.date = field(default_factory=datetime.date.today)
    present: tuple[Member, ...] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, Member] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        members = tuple(self.members)
        object.__setattr__(self, "members", members)
        object.__setattr__(self, "present", tuple(m for m in members if m.status.counts_in_household))
        object.__setattr__(self, "_by_id", {m.id: m for m in members})

    def member(self, member_id: Any) -> Member | None:
        return self._by_id.get(member_id) if isinstance(member_id, str) else None

    @property
    def present_ids(self) -> frozenset[str]:
        return frozenset(m.id for m in self.present)


def fact_value(path: RegistryPath, context: FormContext, member: Member | None = None) -> Any:
    """The value of a fact: a registry field or a derived value (``member.age``, ...)."""
    if path.root == "visit":
        return context.today.year if path.text == "visit.year" else context.today
    if path.text == "household.member_count":
        return len(context.present)
    if path.text == "member.age":
        return member.age_on(context.today) if member is not None else None
    record = member if path.root == "member" else context.household
    return path.read(record, {})


__all__ = ["FormContext", "fact_value"]
