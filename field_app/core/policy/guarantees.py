"""两不愁三保障 + safe water: the status of each guarantee, per household and per member.

Each guarantee is ``met``, ``not_met`` or ``unknown`` (not yet checked), with the reasons as
:class:`Message` objects. The rules (DOMAIN.md §2, §3):

- FOOD / CLOTHING: ``household.food_secure`` / ``clothing_secure``; None is unknown.
- EDUCATION, per present member aged ``compulsory_age_min..compulsory_age_max`` on ``today``:
  in school (any school status but "not in school" / "dropped out") or taught at home
  (送教上门) is met; otherwise not met, with the dropout reason when one is recorded. The
  household is not met when any child is not met, and met when it has no child of that age
  ("无义务教育阶段儿童").
- MEDICAL, per present member: basic medical insurance False is not met, None is unknown;
  a member with a chronic or serious illness (``Health.CHRONIC`` / ``SERIOUS``) and no
  family-doctor contract is not met (None: unknown). Serious-illness insurance (大病保险)
  follows basic insurance automatically and is not checked; disability alone does not
  require a family-doctor contract. A household with no present member is unknown.
- HOUSING: relocated (易地扶贫搬迁) is met; no grade is unknown; grade C or D not renovated
  (renovation not ``done``) is not met; A, B, or C/D renovated is met.
- WATER: quantity, quality, convenience: any False is not met (naming each), else any None
  is unknown, all True is met.

Member and household statuses combine the same way: not met if any part is not met, else
unknown if any part is unknown, else met. Reasons list every finding (not met first, then
unverified), so a not-met result also tells what else is still unverified.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from field_app.core.codes import Coded, Guarantee, Health, MemberStatus, RenovationStatus, SchoolStatus
from field_app.core.i18n import Message
from field_app.core.models.household import Household
from field_app.core.models.member import Member
from field_app.core.policy.config import PolicyConfig


class GuaranteeStatus(Coded):
    MET = "met", "已保障", "Met"
    NOT_MET = "not_met", "未保障", "Not met"
    UNKNOWN = "unknown", "未核实", "Not verified"


MET, NOT_MET, UNKNOWN = GuaranteeStatus.MET, GuaranteeStatus.NOT_MET, GuaranteeStatus.UNKNOWN


@dataclass(frozen=True, slots=True)
class GuaranteeResult:
    guarantee: Guarantee
    status: GuaranteeStatus
    reasons: tuple[Message, ...] = ()

    @property
    def met(self) -> bool:
        return self.status is MET


@dataclass(frozen=True, slots=True)
class MemberGuarantees:
    """The guarantees that apply to one present member: MEDICAL always, EDUCATION at school age."""

    member_id: str
    name: str
    age: int
    results: Mapping[Guarantee, GuaranteeResult]

    def get(self, guarantee: Guarantee) -> GuaranteeResult | None:
        return self.results.get(guarantee)


@dataclass(frozen=True, slots=True)
class HouseholdGuarantees:
    """All six guarantees of a household (in :class:`Guarantee` order) and the member detail."""

    results: Mapping[Guarantee, GuaranteeResult]
    member_results: tuple[MemberGuarantees, ...] = ()

    def __getitem__(self, guarantee: Guarantee) -> GuaranteeResult:
        return self.results[guarantee]

    def __iter__(self) -> Iterator[GuaranteeResult]:
        return iter(self.results.values())

    @property
    def all_met(self) -> bool:
        return all(result.status is MET for result in self.results.values())

    def with_status(self, status: GuaranteeStatus) -> tuple[GuaranteeResult, ...]:
        return tuple(result for result in self.results.values() if result.status is status)


def present_members(members: Iterable[Member]) -> list[Member]:
    return [member for member in members if member.status is MemberStatus.PRESENT]


def combine(guarantee: Guarantee, parts: Sequence[GuaranteeResult]) -> GuaranteeResult:
    """Not met if any part is not met, else unknown if any is unknown, else met."""
    failing = [reason for part in parts if part.status is NOT_MET for reason in part.reasons]
    unverified = [reason for part in parts if part.status is UNKNOWN for reason in part.reasons]
    if any(part.status is NOT_MET for part in parts):
        return GuaranteeResult(guarantee, NOT_MET, (*failing, *unverified))
    if unverified or any(part.status is UNKNOWN for part in parts):
        return GuaranteeResult(guarantee, UNKNOWN, tuple(unverified))
    return GuaranteeResult(guarantee, MET, tuple(reason for part in parts for reason in part.reasons))


# ---- 两不愁 ---------------------------------------------------------------------------------


def _flag(guarantee: Guarantee, value: bool | None, not_met_code: str, unknown_code: str) -> GuaranteeResult:
    if value is None:
        return GuaranteeResult(guarantee, UNKNOWN, (Message(unknown_code),))
    if not value:
        return GuaranteeResult(guarantee, NOT_MET, (Message(not_met_code),))
    return GuaranteeResult(guarantee, MET)


def food_status(household: Household) -> GuaranteeResult:
    return _flag(Guarantee.FOOD, household.food_secure, "policy.food.not_secure", "policy.food.unknown")


def clothing_status(household: Household) -> GuaranteeResult:
    return _flag(
        Guarantee.CLOTHING, household.clothing_secure, "policy.clothing.not_secure", "policy.clothing.unknown"
    )


# ---- 义务教育 --------------------------------------------------------------------------------


def education_status(member: Member, config: PolicyConfig, today: date) -> GuaranteeResult | None:
    """The member's compulsory-education status, or None when the member is not of that age."""
    age = member.age_on(today)
    if not config.is_compulsory_age(age):
        return None
    params = {"name": member.name, "age": age, "member_id": member.id}
    school = member.school_status
    if school is None and not member.home_teaching:
        return GuaranteeResult(Guarantee.EDUCATION, UNKNOWN, (Message("policy.education.unrecorded", params),))
    if school is not None and school.in_school:
        return GuaranteeResult(Guarantee.EDUCATION, MET)
    if member.home_teaching:
        return GuaranteeResult(Guarantee.EDUCATION, MET, (Message("policy.education.home_teaching", params),))
    base = (
        "policy.education.dropped_out"
        if school is SchoolStatus.DROPPED_OUT
        else "policy.education.not_in_school"
    )
    if member.dropout_reason:
        return GuaranteeResult(
            Guarantee.EDUCATION,
            NOT_MET,
            (Message(base + "_reason", {**params, "reason": member.dropout_reason}),),
        )
    return GuaranteeResult(Guarantee.EDUCATION, NOT_MET, (Message(base, params),))


# ---- 基本医疗 --------------------------------------------------------------------------------

_CONDITIONS = {
    Health.CHRONIC: ("慢性病", "a chronic illness"),
    Health.SERIOUS: ("大病", "a serious illness"),
}


def medical_status(member: Member) -> GuaranteeResult:
    not_met: list[Message] = []
    unknown: list[Message] = []
    params = {"name": member.name, "member_id": member.id}
    if member.medical_insurance is None:
        unknown.append(Message("policy.medical.insurance_unrecorded", params))
    elif not member.medical_insurance:
        not_met.append(Message("policy.medical.uninsured", params))
    condition = _CONDITIONS.get(member.health)
    if condition is not None and member.family_doctor is not True:
        zh, en = condition
        illness = {**params, "condition": member.illness or zh, "condition_en": member.illness or en}
        if member.family_doctor is None:
            unknown.append(Message("policy.medical.family_doctor_unrecorded", illness))
        else:
            not_met.append(Message("policy.medical.no_family_doctor", illness))
    if not_met:
        return GuaranteeResult(Guarantee.MEDICAL, NOT_MET, (*not_met, *unknown))
    if unknown:
        return GuaranteeResult(Guarantee.MEDICAL, UNKNOWN, tuple(unknown))
    return GuaranteeResult(Guarantee.MEDICAL, MET)


# ---- 住房安全 --------------------------------------------------------------------------------


def housing_status(household: Household) -> GuaranteeResult:
    housing = household.housing
    if housing.relocated:
        return GuaranteeResult(Guarantee.HOUSING, MET, (Message("policy.housing.relocated"),))
    grade = housing.grade
    if grade is None:
        return GuaranteeResult(Guarantee.HOUSING, UNKNOWN, (Message("policy.housing.unknown"),))
    if not grade.is_dangerous:
        return GuaranteeResult(Guarantee.HOUSING, MET)
    params = {"grade": grade.value}
    if housing.renovation is RenovationStatus.DONE:
        return GuaranteeResult(Guarantee.HOUSING, MET, (Message("policy.housing.renovated", params),))
    if housing.renovation is RenovationStatus.NOT_NEEDED:
        return GuaranteeResult(
            Guarantee.HOUSING, NOT_MET, (Message("policy.housing.dangerous_no_plan", params),)
        )
    renovation = {**params, "renovation": housing.renovation.zh, "renovation_en": housing.renovation.en}
    return GuaranteeResult(Guarantee.HOUSING, NOT_MET, (Message("policy.housing.dangerous", renovation),))


# ---- 饮水安全 --------------------------------------------------------------------------------

_WATER_TESTS = (("quantity_ok", "quantity"), ("quality_ok", "quality"), ("convenient", "convenience"))


def water_status(household: Household) -> GuaranteeResult:
    water = household.water
    not_met: list[Message] = []
    unknown: list[Message] = []
    for attribute, name in _WATER_TESTS:
        value = getattr(water, attribute)
        if value is None:
            unknown.append(Message(f"policy.water.{name}_unknown"))
        elif not value:
            not_met.append(Message(f"policy.water.{name}"))
    if not_met:
        return GuaranteeResult(Guarantee.WATER, NOT_MET, (*not_met, *unknown))
    if unknown:
        return GuaranteeResult(Guarantee.WATER, UNKNOWN, tuple(unknown))
    return GuaranteeResult(Guarantee.WATER, MET)


# ---- the household ---------------------------------------------------------------------------


def member_guarantees(member: Member, config: PolicyConfig, today: date) -> MemberGuarantees:
    results: dict[Guarantee, GuaranteeResult] = {}
    education = education_status(member, config, today)
    if education is not None:
        results[Guarantee.EDUCATION] = education
    results[Guarantee.MEDICAL] = medical_status(member)
    return MemberGuarantees(member.id, member.name, member.age_on(today), results)


def assess_guarantees(
    household: Household, members: Iterable[Member], config: PolicyConfig, today: date
) -> HouseholdGuarantees:
    """Every guarantee of ``household``; ``members`` are its members (absent ones are skipped)."""
    per_member = tuple(member_guarantees(member, config, today) for member in present_members(members))
    education_parts = [m.results[Guarantee.EDUCATION] for m in per_member if Guarantee.EDUCATION in m.results]
    if education_parts:
        education = combine(Guarantee.EDUCATION, education_parts)
    else:
        education = GuaranteeResult(Guarantee.EDUCATION, MET, (Message("policy.education.no_children"),))
    if per_member:
        medical = combine(Guarantee.MEDICAL, [m.results[Guarantee.MEDICAL] for m in per_member])
    else:
        medical = GuaranteeResult(Guarantee.MEDICAL, UNKNOWN, (Message("policy.medical.no_members"),))
    results = {
        Guarantee.FOOD: food_status(household),
        Guarantee.CLOTHING: clothing_status(household),
        Guarantee.EDUCATION: education,
        Guarantee.MEDICAL: medical,
        Guarantee.HOUSING: housing_status(household),
        Guarantee.WATER: water_status(household),
    }
    return HouseholdGuarantees(results, per_member)


__all__ = [
    "GuaranteeResult",
    "GuaranteeStatus",
    "HouseholdGuarantees",
    "MemberGuarantees",
    "assess_guarantees",
    "clothing_status",
    "combine",
    "education_status",
    "food_status",
    "housing_status",
    "medical_status",
    "member_guarantees",
    "present_members",
    "water_status",
]
