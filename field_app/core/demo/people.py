"""Who lives in a household: its make-up, then each member's age, schooling, health and work.

Households come in a few shapes (a lone elder, an elderly couple, a couple with children,
three generations down or up, a single parent, a young head living with grandparents, …),
chosen by the household's category. Ages keep the relations honest: a spouse within 8
years, children 19–40 years younger than both parents, grandchildren 38–80 years younger
than the head, parents 19–40 years older, grandparents 40–70 years older.

A :class:`Draft` is mutable while the generator fills it in; :meth:`Draft.data` turns it into
the dict that :class:`~field_app.core.models.Member` validates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from field_app.core.codes import (
    DisabilityCategory,
    Education,
    Health,
    HouseholdCategory,
    LabourCapacity,
    MemberStatus,
    PovertyCause,
    Relation,
    SchoolStatus,
    Sex,
)
from field_app.core.demo import names

KINDS_BY_CATEGORY: dict[HouseholdCategory, dict[str, float]] = {
    HouseholdCategory.EXTREME: {"single_elderly": 85, "elderly_couple": 15},
    HouseholdCategory.MIN_LIVING: {
        "single_elderly": 14, "elderly_couple": 20, "nuclear": 25, "three_gen_down": 15,
        "three_gen_up": 10, "single_parent": 13, "orphan_like": 3,
    },
    HouseholdCategory.ORDINARY: {
        "single_elderly": 5, "elderly_couple": 12, "nuclear": 38, "three_gen_down": 22,
        "three_gen_up": 15, "single_parent": 6, "orphan_like": 1, "with_relative": 1,
    },
}

# Flags planted in a few households to give the data checks something to find.
CHILD_FLAGS = ("out_of_school_no_reason", "dropped_out", "home_teaching")

_CHRONIC = ("高血压", "糖尿病", "慢性阻塞性肺疾病", "类风湿性关节炎", "冠心病", "脑梗死后遗症",
            "慢性胃炎", "腰椎间盘突出症", "慢性肾炎", "哮喘")
_SERIOUS = ("尿毒症", "恶性肿瘤（肺癌）", "恶性肿瘤（胃癌）", "肝硬化", "重度再生障碍性贫血",
            "先天性心脏病", "白血病", "重性精神病")
_DISABILITY_WEIGHTS = {
    DisabilityCategory.PHYSICAL: 45, DisabilityCategory.VISUAL: 12, DisabilityCategory.HEARING: 10,
    DisabilityCategory.INTELLECTUAL: 12, DisabilityCategory.MENTAL: 12, DisabilityCategory.SPEECH: 3,
    DisabilityCategory.MULTIPLE: 6,
}
_DROPOUT_REASONS = ("厌学，已多次劝返", "随父母外出", "因病休学", "家庭经济困难")
MIGRANT_PLACES = ("广东省深圳市", "广东省东莞市", "广东省广州市", "广东省佛山市", "福建省厦门市",
                  "浙江省宁波市", "江西省赣州市")
LOCAL_PLACES = ("于都县纺织服装产业园", "梓山镇扶贫车间", "本村公益性岗位", "县城务工")


@dataclass
class Draft:
    """A member being made: relation, sex and age first, the rest filled in later."""

    relation: Relation
    sex: Sex
    age: int
    surname: str
    status: MemberStatus = MemberStatus.PRESENT
    id: str = ""
    name: str = ""
    birth: date | None = None
    id_number: str | None = None
    ethnicity: str = "汉族"
    education: Education | None = None
    school: SchoolStatus = SchoolStatus.NOT_IN_SCHOOL
    dropout_reason: str | None = None
    home_teaching: bool = False
    health: Health = Health.HEALTHY
    illness: str | None = None
    disability: DisabilityCategory | None = None
    disability_grade: int | None = None
    labour: LabourCapacity = LabourCapacity.NORMAL
    work_place: str | None = None
    work_months: int | None = None
    medical: bool | None = True
    serious_illness: bool | None = True
    pension: bool | None = None
    family_doctor: bool | None = None
    min_living: bool = False
    disability_allowance: bool = False
    status_date: date | None = None
    flags: set[str] = field(default_factory=set)

    @property
    def present(self) -> bool:
        return self.status is MemberStatus.PRESENT

    @property
    def worker(self) -> bool:
        return self.present and self.work_place is not None

    def data(self, household_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "household_id": household_id,
            "name": self.name,
            "sex": self.sex,
            "id_number": self.id_number,
            "birth_date": self.birth,
            "relation": self.relation,
            "ethnicity": self.ethnicity,
            "education": self.education,
            "school_status": self.school,
            "dropout_reason": self.dropout_reason,
            "home_teaching": self.home_teaching,
            "health": self.health,
            "illness": self.illness,
            "disability_category": self.disability,
            "disability_grade": self.disability_grade,
            "labour": self.labour,
            "work_place": self.work_place,
            "work_months": self.work_months,
            "medical_insurance": self.medical,
            "serious_illness_insurance": self.serious_illness,
            "pension_insurance": self.pension,
            "family_doctor": self.family_doctor,
            "min_living_guarantee": self.min_living,
            "disability_allowance": self.disability_allowance,
            "status": self.status,
            "status_date": self.status_date,
        }


def pick(rng: Random, weights: dict[Any, float]) -> Any:
    """One key of ``weights``, drawn with those weights (a fast ``rng.choices`` for small dicts)."""
    left = rng.random() * sum(weights.values())
    chosen = None
    for item, weight in weights.items():
        if weight > 0:
            chosen = item
            left -= weight
            if left < 0:
                break
    return chosen


def _other(sex: Sex) -> Sex:
    return Sex.FEMALE if sex is Sex.MALE else Sex.MALE


def _spouse_age(rng: Random, head_age: int, head_sex: Sex, minimum: int = 20) -> int:
    gap = rng.choice((-2, -1, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6))  # husbands a little older
    age = head_age - gap if head_sex is Sex.MALE else head_age + gap
    return max(minimum, age)


def _child_ages(rng: Random, parents: list[int], count: int, *, youngest: int = 0,
                oldest: int = 200) -> list[int]:
    """Up to ``count`` ages, eldest first, each 19–40 years below every parent."""
    lo = max(youngest, max(parents) - 40)
    hi = min(oldest, min(parents) - 19)
    if hi < lo or count < 1:
        return []
    ages = [rng.randint(lo, hi)]
    while len(ages) < count:
        nxt = ages[-1] - rng.choice((1, 2, 2, 3, 3, 4, 5, 6))
        if nxt < lo:
            break
        ages.append(nxt)
    return ages


def compose(rng: Random, kind: str, family_surname: str, *, child_flag: str | None = None) -> list[Draft]:
    """The members of one household (head first), by relation, sex, age and surname."""
    out: list[Draft] = []

    def add(relation: Relation, sex: Sex, age: int, surname: str) -> Draft:
        draft = Draft(relation, sex, age, surname)
        out.append(draft)
        return draft

    def wife_surname() -> str:
        return names.surname(rng)

    def add_children(parents: list[int], count: int, **bounds: int) -> list[Draft]:
        kids = []
        for age in _child_ages(rng, parents, count, **bounds):
            sex = Sex.MALE if rng.random() < 0.52 else Sex.FEMALE
            kids.append(add(Relation.SON if sex is Sex.MALE else Relation.DAUGHTER, sex, age, family_surname))
        return kids

    if child_flag:  # a couple with a school-age child the flag is about
        head_age = rng.randint(32, 46)
        head = add(Relation.HEAD, Sex.MALE, head_age, family_surname)
        spouse = add(Relation.SPOUSE, Sex.FEMALE, min(head_age, _spouse_age(rng, head_age, Sex.MALE, 26)),
                     wife_surname())
        kid = add_children([head.age, spouse.age], 1, youngest=6, oldest=15)
        kid[0].flags.add(child_flag)
        add_children([head.age, spouse.age], rng.choice((0, 1, 1, 2)), oldest=kid[0].age - 1)
        return out

    if kind == "single_elderly":
        sex = Sex.MALE if rng.random() < 0.65 else Sex.FEMALE
        head = add(Relation.HEAD, sex, rng.randint(60, 92), family_surname)
        if rng.random() < 0.15:
            late = add(Relation.SPOUSE, _other(sex), _spouse_age(rng, head.age, sex, 58), wife_surname())
            late.status = MemberStatus.DECEASED
    elif kind == "elderly_couple":
        sex = Sex.MALE if rng.random() < 0.9 else Sex.FEMALE
        head = add(Relation.HEAD, sex, rng.randint(60, 88), family_surname)
        add(Relation.SPOUSE, _other(sex), _spouse_age(rng, head.age, sex, 55), wife_surname())
    elif kind == "nuclear":
        sex = Sex.MALE if rng.random() < 0.95 else Sex.FEMALE
        head = add(Relation.HEAD, sex, rng.randint(26, 58), family_surname)
        spouse = add(Relation.SPOUSE, _other(sex), _spouse_age(rng, head.age, sex), wife_surname())
        count = pick(rng, {1: 30, 2: 45, 3: 20, 4: 5})
        add_children([head.age, spouse.age], count)
    elif kind == "three_gen_down":
        head = add(Relation.HEAD, Sex.MALE if rng.random() < 0.93 else Sex.FEMALE, rng.randint(52, 76),
                   family_surname)
        spouse = add(Relation.SPOUSE, _other(head.sex), _spouse_age(rng, head.age, head.sex, 45), wife_surname())
        grown = add_children([head.age, spouse.age], 1, youngest=22)
        if grown:
            young = grown[0]
            if rng.random() < 0.85:  # the son stays, his wife marries in
                young.relation, young.sex = Relation.SON, Sex.MALE
                inlaw = add(Relation.DAUGHTER_IN_LAW, Sex.FEMALE, max(20, young.age + rng.randint(-5, 3)),
                            wife_surname())
            else:  # a daughter stays, her husband marries in (入赘, common among the Hakka)
                young.relation, young.sex = Relation.DAUGHTER, Sex.FEMALE
                inlaw = add(Relation.SON_IN_LAW, Sex.MALE, young.age + rng.randint(-3, 5), names.surname(rng))
            for age in _child_ages(rng, [young.age, inlaw.age], rng.choice((0, 1, 1, 2, 2, 3))):
                if len(out) >= 6:
                    break
                add(Relation.GRANDCHILD, Sex.MALE if rng.random() < 0.52 else Sex.FEMALE, age, family_surname)
    elif kind == "three_gen_up":
        head = add(Relation.HEAD, Sex.MALE, rng.randint(30, 55), family_surname)
        spouse = add(Relation.SPOUSE, Sex.FEMALE, _spouse_age(rng, head.age, Sex.MALE), wife_surname())
        add_children([head.age, spouse.age], rng.choice((1, 2, 2, 3)))
        mother_age = min(95, head.age + rng.randint(21, 38))
        father_age = max(head.age + 19, min(head.age + 40, mother_age + rng.choice((-1, 0, 1, 2, 3, 4, 6))))
        which = pick(rng, {"mother": 40, "father": 20, "both": 40})
        if which in ("father", "both") and father_age <= 96:
            father = add(Relation.PARENT, Sex.MALE, father_age, family_surname)
            if rng.random() < 0.1:
                father.status = MemberStatus.DECEASED
        if which in ("mother", "both") and len(out) < 6:
            add(Relation.PARENT, Sex.FEMALE, mother_age, wife_surname())
    elif kind == "single_parent":
        sex = Sex.FEMALE if rng.random() < 0.6 else Sex.MALE
        head = add(Relation.HEAD, sex, rng.randint(28, 55), family_surname)
        other_surname = family_surname if sex is Sex.MALE else names.surname(rng)
        if rng.random() < 0.25:
            late = add(Relation.SPOUSE, _other(sex), head.age + rng.randint(-1, 4), other_surname if
                       sex is Sex.FEMALE else wife_surname())
            late.status = MemberStatus.DECEASED
        # the children carry their father's surname; the absent parent is about the head's age
        kids = _child_ages(rng, [head.age + 4, head.age - 1], rng.choice((1, 2, 2, 3)))
        for age in kids:
            child_sex = Sex.MALE if rng.random() < 0.52 else Sex.FEMALE
            add(Relation.SON if child_sex is Sex.MALE else Relation.DAUGHTER, child_sex, age, other_surname)
    elif kind == "orphan_like":
        head = add(Relation.HEAD, Sex.MALE, rng.randint(18, 30), family_surname)
        add(Relation.GRANDPARENT, Sex.FEMALE, min(95, head.age + rng.randint(44, 65)), wife_surname())
        if rng.random() < 0.35:
            add(Relation.GRANDPARENT, Sex.MALE, min(96, head.age + rng.randint(46, 68)), family_surname)
        if rng.random() < 0.5:
            sib_sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
            add(Relation.SIBLING, sib_sex, max(6, head.age - rng.randint(1, 10)), family_surname)
    else:  # with_relative: an elder living with a nephew
        head = add(Relation.HEAD, Sex.MALE, rng.randint(60, 80), family_surname)
        add(Relation.OTHER, Sex.MALE, rng.randint(25, 50), family_surname)

    _moves(rng, out)
    return out[:6]


def _moves(rng: Random, members: list[Draft]) -> None:
    """Daughters marry out, a few sons move to town, some old parents die."""
    uxorilocal = any(m.relation is Relation.SON_IN_LAW for m in members)
    for draft in members[1:]:
        if draft.status is not MemberStatus.PRESENT:
            continue
        if draft.relation is Relation.DAUGHTER and draft.age >= 21 and not uxorilocal and rng.random() < 0.45:
            draft.status = MemberStatus.MARRIED_OUT
        elif draft.relation is Relation.SON and draft.age >= 22 and rng.random() < 0.06:
            draft.status = MemberStatus.MOVED_OUT
        elif draft.relation in (Relation.PARENT, Relation.GRANDPARENT) and draft.age >= 80 and rng.random() < 0.1:
            draft.status = MemberStatus.DECEASED


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_date_for(rng: Random, age: int, today: date) -> date:
    """A birth date that makes the person exactly ``age`` on ``today``."""
    latest = years_before(today, age)
    earliest = years_before(today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def school_grade(birth: date, today: date) -> int:
    """Years of schooling by now if entered at 6 by 31 August (negative before school age)."""
    year_start = today.year if today.month >= 9 else today.year - 1
    cutoff = date(year_start, 8, 31)
    age = cutoff.year - birth.year - ((cutoff.month, cutoff.day) < (birth.month, birth.day))
    return age - 6


def _adult_education(rng: Random, birth_year: int) -> Education:
    if birth_year < 1955:
        table = {Education.ILLITERATE: 45, Education.PRIMARY: 45, Education.JUNIOR: 10}
    elif birth_year < 1970:
        table = {Education.ILLITERATE: 20, Education.PRIMARY: 50, Education.JUNIOR: 27, Education.SENIOR: 3}
    elif birth_year < 1985:
        table = {Education.ILLITERATE: 5, Education.PRIMARY: 35, Education.JUNIOR: 50, Education.SENIOR: 7,
                 Education.VOCATIONAL: 3}
    elif birth_year < 2000:
        table = {Education.PRIMARY: 10, Education.JUNIOR: 55, Education.SENIOR: 15, Education.VOCATIONAL: 15,
                 Education.COLLEGE: 5}
    else:
        table = {Education.JUNIOR: 30, Education.SENIOR: 25, Education.VOCATIONAL: 30, Education.COLLEGE: 15}
    return pick(rng, table)


def fill_schooling(rng: Random, draft: Draft, today: date) -> None:
    assert draft.birth is not None
    grade = school_grade(draft.birth, today)
    # Children of compulsory-school age (6–15) are all in some school unless a flag says otherwise.
    if grade < 0:
        draft.education = Education.PRESCHOOL
        draft.school = SchoolStatus.PRESCHOOL if draft.age >= 6 or (draft.age >= 3 and rng.random() < 0.85) \
            else SchoolStatus.NOT_IN_SCHOOL
    elif grade <= 8:
        draft.school = SchoolStatus.PRIMARY if grade <= 5 else SchoolStatus.JUNIOR
        draft.education = Education.PRIMARY if grade <= 5 else Education.JUNIOR
    elif grade <= 11:
        draft.school = pick(rng, {SchoolStatus.SENIOR: 55, SchoolStatus.VOCATIONAL: 30,
                                  SchoolStatus.NOT_IN_SCHOOL: 15 if draft.age >= 16 else 0})
        draft.education = {SchoolStatus.SENIOR: Education.SENIOR, SchoolStatus.VOCATIONAL: Education.VOCATIONAL}.get(
            draft.school, Education.JUNIOR)
    elif grade <= 15 and rng.random() < 0.3:
        draft.school, draft.education = SchoolStatus.COLLEGE, Education.COLLEGE
    else:
        draft.school, draft.education = SchoolStatus.NOT_IN_SCHOOL, _adult_education(rng, draft.birth.year)
    flag = next((f for f in CHILD_FLAGS if f in draft.flags), None)
    if flag in ("out_of_school_no_reason", "dropped_out"):
        draft.education = Education.PRIMARY if grade <= 6 else Education.JUNIOR
        draft.school = SchoolStatus.NOT_IN_SCHOOL
        if flag == "dropped_out":
            draft.school = SchoolStatus.DROPPED_OUT
            draft.dropout_reason = rng.choice(_DROPOUT_REASONS)
    elif flag == "home_teaching":  # 送教上门: enrolled, taught at home
        draft.school = SchoolStatus.PRIMARY if grade <= 5 else SchoolStatus.JUNIOR
        draft.education = Education.PRIMARY if grade <= 5 else Education.JUNIOR
        draft.home_teaching = True
        draft.health = Health.DISABLED
        draft.disability = rng.choice((DisabilityCategory.INTELLECTUAL, DisabilityCategory.MULTIPLE,
                                       DisabilityCategory.PHYSICAL))
        draft.disability_grade = rng.choice((1, 2))


def fill_health(rng: Random, draft: Draft) -> None:
    if draft.health is not Health.HEALTHY:
        return
    age = draft.age
    chronic, serious, disabled = (0.02, 0.01, 0.03) if age < 40 else (0.10, 0.03, 0.05) if age < 60 else \
        (0.25, 0.05, 0.08)
    roll = rng.random()
    if roll < disabled:
        make_disabled(rng, draft)
    elif roll < disabled + serious:
        make_ill(rng, draft, serious=True)
    elif roll < disabled + serious + chronic:
        make_ill(rng, draft, serious=False)


def make_ill(rng: Random, draft: Draft, *, serious: bool) -> None:
    draft.health = Health.SERIOUS if serious else Health.CHRONIC
    draft.illness = rng.choice(_SERIOUS if serious else _CHRONIC)
    draft.disability = draft.disability_grade = None


def make_disabled(rng: Random, draft: Draft) -> None:
    draft.health = Health.DISABLED
    draft.illness = None
    draft.disability = pick(rng, _DISABILITY_WEIGHTS)
    draft.disability_grade = pick(rng, {1: 15, 2: 30, 3: 30, 4: 25})


def fill_work(rng: Random, draft: Draft, category: HouseholdCategory) -> None:
    """Labour capacity from age and health, then where a worker works."""
    age, health = draft.age, draft.health
    if age < 16 or draft.school.in_school:
        draft.labour = LabourCapacity.NONE
    elif health is Health.DISABLED:
        draft.labour = LabourCapacity.LOST if (draft.disability_grade or 4) <= 2 else LabourCapacity.PARTLY_LOST
    elif health is Health.SERIOUS:
        draft.labour = LabourCapacity.LOST if rng.random() < 0.7 else LabourCapacity.PARTLY_LOST
    elif health is Health.CHRONIC and rng.random() < 0.5:
        draft.labour = LabourCapacity.PARTLY_LOST
    elif age >= 70 or (age >= 60 and rng.random() < 0.4) or category is HouseholdCategory.EXTREME:
        draft.labour = LabourCapacity.NONE
    elif age < 45 and rng.random() < 0.3:
        draft.labour = LabourCapacity.SKILLED
    else:
        draft.labour = LabourCapacity.NORMAL
    if not draft.present or draft.labour in (LabourCapacity.NONE, LabourCapacity.LOST) or age >= 65:
        return
    if draft.labour is LabourCapacity.PARTLY_LOST or age >= 55:
        if rng.random() < 0.35:
            draft.work_place, draft.work_months = "本村公益性岗位", rng.randint(10, 12)
        return
    roll = rng.random()
    if roll < 0.5:
        draft.work_place, draft.work_months = rng.choice(MIGRANT_PLACES), rng.randint(8, 12)
    elif roll < 0.8:
        draft.work_place, draft.work_months = rng.choice(LOCAL_PLACES), rng.randint(6, 12)
    # else: farms at home; the farm shows as the household's business income


def fill_insurance(rng: Random, draft: Draft, category: HouseholdCategory) -> None:
    draft.medical = pick(rng, {True: 990, False: 4, None: 6})
    draft.serious_illness = draft.medical if draft.medical is not True or rng.random() < 0.98 else None
    if draft.age >= 16 and not draft.school.in_school:
        draft.pension = pick(rng, {True: 88, False: 6, None: 6})
    needs_doctor = draft.health is not Health.HEALTHY or draft.age >= 60
    draft.family_doctor = pick(rng, {True: 92, False: 4, None: 4} if needs_doctor else {True: 70, False: 25, None: 5})
    draft.min_living = category is HouseholdCategory.MIN_LIVING and draft.present and rng.random() < 0.92
    draft.disability_allowance = draft.health is Health.DISABLED and rng.random() < 0.85


def choose_cause(rng: Random, members: list[Draft], category: HouseholdCategory) -> PovertyCause:
    present = [m for m in members if m.present]
    students = any(m.school in (SchoolStatus.SENIOR, SchoolStatus.VOCATIONAL, SchoolStatus.COLLEGE,
                                SchoolStatus.JUNIOR, SchoolStatus.PRIMARY) for m in present)
    elderly = all(m.age >= 60 or m.age < 16 for m in present)
    weights = {
        PovertyCause.ILLNESS: 38, PovertyCause.DISABILITY: 20, PovertyCause.LACK_LABOUR: 9,
        PovertyCause.LACK_SKILLS: 9, PovertyCause.LACK_CAPITAL: 9, PovertyCause.SCHOOLING: 6 if students else 0,
        PovertyCause.DISASTER: 3, PovertyCause.LACK_DRIVE: 3, PovertyCause.LACK_LAND: 2,
        PovertyCause.POOR_TRANSPORT: 1.5, PovertyCause.LACK_WATER: 0.5, PovertyCause.OTHER: 1,
    }
    if elderly or category is HouseholdCategory.EXTREME:
        weights[PovertyCause.LACK_LABOUR] = 16
        weights[PovertyCause.LACK_SKILLS] = weights[PovertyCause.LACK_CAPITAL] = 2
    return pick(rng, weights)


def choose_other_causes(rng: Random, main: PovertyCause) -> list[PovertyCause]:
    weights = {
        PovertyCause.LACK_CAPITAL: 30, PovertyCause.LACK_SKILLS: 22, PovertyCause.LACK_LABOUR: 14,
        PovertyCause.ILLNESS: 10, PovertyCause.SCHOOLING: 6, PovertyCause.LACK_DRIVE: 5,
        PovertyCause.POOR_TRANSPORT: 4, PovertyCause.LACK_LAND: 4, PovertyCause.DISASTER: 3,
        PovertyCause.LACK_WATER: 1,
    }
    weights.pop(main, None)
    count = pick(rng, {0: 35, 1: 40, 2: 25})
    chosen: list[PovertyCause] = []
    while len(chosen) < count:
        cause = pick(rng, weights)
        if cause not in chosen:
            chosen.append(cause)
    return chosen


def fit_cause(rng: Random, members: list[Draft], cause: PovertyCause) -> None:
    """Make the members agree with the main cause: someone ill, someone disabled."""
    present = [m for m in members if m.present]
    if cause is PovertyCause.ILLNESS and not any(m.health in (Health.CHRONIC, Health.SERIOUS) for m in present):
        adults = [m for m in present if m.age >= 18 and m.health is Health.HEALTHY] or present
        make_ill(rng, rng.choice(adults), serious=rng.random() < 0.4)
    elif cause is PovertyCause.DISABILITY and not any(m.health is Health.DISABLED for m in present):
        candidates = [m for m in present if m.health is Health.HEALTHY and not m.home_teaching] or present
        make_disabled(rng, rng.choice(candidates))


def name_members(rng: Random, members: list[Draft]) -> None:
    """Names by sex and era; brothers share a generation character (字辈) half the time."""
    used: set[str] = set()
    generations: dict[tuple[Relation, int], str] = {}
    for draft in members:
        assert draft.birth is not None
        generation = None
        if draft.sex is Sex.MALE and draft.relation in (Relation.SON, Relation.GRANDCHILD):
            key = (draft.relation, draft.birth.year // 20)
            if key not in generations:
                generations[key] = names.generation_char(rng, draft.birth.year) if rng.random() < 0.5 else ""
            generation = generations[key] or None
        for _ in range(20):
            full = draft.surname + names.given_name(rng, draft.sex, draft.birth.year, generation=generation)
            if full not in used:
                break
        used.add(full)
        draft.name = full


__all__ = [
    "CHILD_FLAGS",
    "KINDS_BY_CATEGORY",
    "Draft",
    "birth_date_for",
    "choose_cause",
    "choose_other_causes",
    "compose",
    "fill_health",
    "fill_insurance",
    "fill_schooling",
    "fill_work",
    "fit_cause",
    "name_members",
    "pick",
    "school_grade",
    "years_before",
]
