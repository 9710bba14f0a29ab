"""The demo county: 于都县 (Yudu, Ganzhou, Jiangxi), a former national poverty county.

``generate_county(seed=7, today=date(2026, 5, 20))`` builds, from ``random.Random`` streams
derived from the seed (never the global random, never the clock), a registry of
households and members, the cadres who visit them, a year of visits, and the problem
ledger — every record validated with the checks of :func:`~field_app.core.models.parse_record`
(in batches; see :func:`validate_all`).

Codes: county ``360731000000``; the home township is 梓山镇 ``360731108000`` and its
villages ``360731108201`` … (up to 20 villages a township, then the next real township of
于都). A household's number (户编号) is its village code followed by a 4-digit serial in the
village: ``3607311082010001``.

A few records are wrong on purpose, for the data checks and the supervisor's console to
find; :attr:`DemoCounty.planted` lists their ids by kind (see ``PLANTED_KINDS``). The
member and household faults appear from 50 households on; the doubtful visits whenever
there are visits, except ``impossible_travel``, which needs two villages of the home
township more than 10 km apart (the default five villages have them; one to three do not).
Nothing else in the county has those faults, so a check can be tested for finding exactly
the planted ids (``uninsured`` is simply every present member with no medical insurance).

Times are China Standard Time, timezone-aware (UTC+8).
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from field_app.core.codes import ProblemCategory
from field_app.core.demo import economy, geo, names, people
from field_app.core.demo.ids import IdNumbers, Phones, record_id
from field_app.core.demo.people import pick
from field_app.core.demo.problems import Finding, Ledger, random_findings
from field_app.core.demo.visits import SATISFACTION, Crew, Home, VisitMaker, plant_doubts
from field_app.core.models import (
    County,
    GeoPoint,
    Household,
    HouseholdCategory,
    HouseholdStatus,
    IdentificationStandard,
    Member,
    MemberStatus,
    Problem,
    ProblemEvent,
    Record,
    Role,
    Scope,
    Township,
    User,
    Village,
    Visit,
    parse_record,
)
from field_app.core.models.problem import ProblemState

COUNTY_CODE = "360731000000"
COUNTY_NAME = "于都县"
CITY_NAME = "赣州市"
PROVINCE_NAME = "江西省"
VILLAGES_PER_TOWNSHIP = 20
HOUSEHOLDS_PER_HELPER = 13

PLANTED_KINDS = {
    # members
    "out_of_school_no_reason": "6–15 岁儿童非在校且无原因 (child of school age not in school, no reason)",
    "dropped_out": "义务教育阶段辍学 (dropped out of compulsory schooling, reason given)",
    "home_teaching": "送教上门 (taught at home; not a fault)",
    "uninsured": "未参加基本医疗保险 (no basic medical insurance)",
    # households
    "exited_dangerous_house": "已脱贫但住房为 C/D 级危房且未改造 (exited, dangerous house not renovated)",
    "exited_below_line": "已脱贫但上年人均纯收入低于参考线 (exited, last year's income below the line)",
    # visits
    "no_gps": "走访无定位 (visit without GPS fix)",
    "too_short": "走访仅 3 分钟 (3-minute visit)",
    "impossible_travel": "同一人 5 分钟内出现在相距 10 公里以上的两村 (one visitor, two villages >10 km, 5 min)",
    "shared_photo": "两户走访使用同一张照片 (one photo in two households' visits)",
}


@dataclass(frozen=True)
class DemoCounty:
    """Everything generated, as validated records, with look-ups computed once."""

    seed: int
    today: date
    county: County
    townships: tuple[Township, ...]
    villages: tuple[Village, ...]
    users: tuple[User, ...]
    households: tuple[Household, ...]
    members: tuple[Member, ...]
    visits: tuple[Visit, ...]
    problems: tuple[Problem, ...]
    problem_events: tuple[ProblemEvent, ...]
    planted: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    village_centres: Mapping[str, GeoPoint] = field(default_factory=dict)  # the model has no place for them
    _members: dict[str, tuple[Member, ...]] = field(init=False, repr=False, compare=False)
    _visits: dict[str, tuple[Visit, ...]] = field(init=False, repr=False, compare=False)
    _events: dict[str, tuple[ProblemEvent, ...]] = field(init=False, repr=False, compare=False)
    _households: dict[str, Household] = field(init=False, repr=False, compare=False)
    _by_village: dict[str, tuple[Household, ...]] = field(init=False, repr=False, compare=False)
    _users: dict[str, User] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "planted", MappingProxyType(dict(self.planted)))
        object.__setattr__(self, "village_centres", MappingProxyType(dict(self.village_centres)))
        object.__setattr__(self, "_members", _group(self.members, "household_id"))
        object.__setattr__(self, "_visits", _group(self.visits, "household_id"))
        object.__setattr__(self, "_events", _group(self.problem_events, "problem_id"))
        object.__setattr__(self, "_households", {h.id: h for h in self.households})
        object.__setattr__(self, "_by_village", _group(self.households, "village_code"))
        object.__setattr__(self, "_users", {u.id: u for u in self.users})

    def members_of(self, household_id: str) -> tuple[Member, ...]:
        """The household's members, head first (present or not)."""
        return self._members.get(household_id, ())

    def visits_of(self, household_id: str) -> tuple[Visit, ...]:
        """The household's visits, oldest first."""
        return self._visits.get(household_id, ())

    def events_of(self, problem_id: str) -> tuple[ProblemEvent, ...]:
        """The problem's events in their order (fold them with ``fold_problem``)."""
        return self._events.get(problem_id, ())

    def household(self, household_id: str) -> Household:
        return self._households[household_id]

    def households_in(self, village_code: str) -> tuple[Household, ...]:
        return self._by_village.get(village_code, ())

    def user(self, user_id: str) -> User:
        return self._users[user_id]

    def records(self) -> Iterator[Record]:
        """Every record, in a fixed order."""
        yield self.county
        for group in (self.townships, self.villages, self.users, self.households, self.members, self.visits,
                      self.problems, self.problem_events):
            yield from group

    def digest(self) -> str:
        """sha256 of the JSON of every record: equal digests, equal counties."""
        hasher = hashlib.sha256()
        for record in self.records():
            hasher.update(type(record).__name__.encode())
            hasher.update(record.model_dump_json().encode())
            hasher.update(b"\n")
        return hasher.hexdigest()


def _group(records: tuple[Any, ...], key: str) -> dict[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for record in records:
        grouped.setdefault(getattr(record, key), []).append(record)
    return {k: tuple(v) for k, v in grouped.items()}


# ---------------------------------------------------------------- the generator

def generate_county(
    seed: int = 1,
    *,
    today: date,
    villages: int = 5,
    households_per_village: int | tuple[int, int] = (100, 160),
    months: int = 12,
) -> DemoCounty:
    """A deterministic demo county: same ``seed`` and arguments, same county.

    ``villages``: how many villages (≥ 1; 20 a township, then the next township);
    ``households_per_village``: a count or an inclusive (min, max) range drawn per village;
    ``months``: how far back the visit history reaches — that many whole calendar months
    before the current one, plus the current month up to yesterday; 0 for no visits at all
    (a registry only: the quickest way to a big county).
    """
    if villages < 1:
        raise ValueError("villages must be at least 1")
    low, high = (households_per_village, households_per_village) if isinstance(households_per_village, int) \
        else households_per_village
    if not 1 <= low <= high:
        raise ValueError("households_per_village must be a count ≥ 1 or a range (min, max)")
    if today.year < 2016:
        raise ValueError("the demo county is built for dates from 2016 on")
    if months < 0:
        raise ValueError("months must be 0 or more")
    collecting = gc.isenabled()
    gc.disable()  # a million fresh dicts make the cyclic collector rescan the heap again and again
    try:
        return _Builder(seed, today, villages, (low, high), months).build()
    finally:
        if collecting:
            gc.enable()


def _visit_order(visit: dict[str, Any]) -> tuple[Any, str]:
    return (visit["started_at"], visit["id"])


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}
_CHUNK = 20_000


def validate_all(model: type[Any], items: list[Any], *, today: date, consume: bool = False) -> tuple[Any, ...]:
    """Validate many records at once: the same checks as ``parse_record``, in one call.

    On a fault, the first faulty record is parsed again by ``parse_record`` so the error is
    the product's own :class:`~field_app.core.errors.ValidationError`. ``consume`` empties
    ``items`` as it goes.
    """
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    context = {"today": today}
    out: list[Any] = []
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]
        try:
            out += adapter.validate_python(chunk, context=context)
        except PydanticValidationError:
            for item in chunk:
                parse_record(model, item, today=today)
            raise
        if consume:  # let the dicts go as soon as their records exist: a big county is big
            items[start:start + _CHUNK] = [None] * len(chunk)
    return tuple(out)


def _spread(rng: Random, low: int, high: int, count: int) -> list[int]:
    """``count`` sizes between ``low`` and ``high``, one from each equal slice of the range,
    shuffled: as varied as uniform draws, but their total stays near the middle (five
    villages of 100–160 households always make more than 600)."""
    width = (high - low + 1) / count
    sizes = [min(high, int(low + width * (i + rng.random()))) for i in range(count)]
    rng.shuffle(sizes)
    return sizes


def _quota(total: int, rate: float, minimum: int = 1) -> int:
    return max(minimum, round(total * rate)) if total >= 50 else round(total * rate)


@dataclass
class _VillagePlan:
    village: Village
    township: Township
    township_index: int
    centre: tuple[float, float]
    households: int
    first_index: int


class _Builder:
    def __init__(self, seed: int, today: date, villages: int, per_village: tuple[int, int], months: int) -> None:
        self.seed = seed
        self.today = today
        self.n_villages = villages
        self.per_village = per_village
        self.months = months
        self.ids = IdNumbers()
        self.phones = Phones()
        self.usernames: dict[tuple[str, str], int] = {}
        self.planted: dict[str, list[str]] = {kind: [] for kind in PLANTED_KINDS}

    def stream(self, *parts: object) -> Random:
        return Random(":".join(["bianfang-demo", str(self.seed), *map(str, parts)]))

    def parse(self, model: type[Any], data: dict[str, Any]) -> Any:
        return parse_record(model, data, today=self.today)

    # ------------------------------------------------------------ places and people who visit

    def places(self) -> None:
        rng = self.stream("places")
        self.county = self.parse(County, {"code": COUNTY_CODE, "name": COUNTY_NAME, "province": PROVINCE_NAME})
        per_township = max(VILLAGES_PER_TOWNSHIP, math.ceil(self.n_villages / len(names.TOWNSHIPS)))
        n_townships = math.ceil(self.n_villages / per_township)
        village_names = names.village_names(rng, self.n_villages)
        sizes = _spread(rng, *self.per_village, self.n_villages)
        self.townships: list[Township] = []
        self.plans: list[_VillagePlan] = []
        first_index = 0
        for t in range(n_townships):
            suffix, township_name = names.TOWNSHIPS[t]
            township = self.parse(Township, {"code": f"360731{suffix}000", "name": township_name,
                                             "county_code": COUNTY_CODE})
            self.townships.append(township)
            count = min(per_township, self.n_villages - t * per_township)
            centres = geo.village_centres(rng, geo.township_centre(t), count)
            for i in range(count):
                index = t * per_township + i
                village = self.parse(Village, {
                    "code": f"360731{suffix}{201 + i:03d}", "name": village_names[index],
                    "township_code": township.code, "poor_village": index == 0 or rng.random() < 0.3,
                })
                households = sizes[index]
                self.plans.append(_VillagePlan(village, township, t, centres[i], households, first_index))
                first_index += households
        self.total_households = first_index

    def username(self, prefix: str, surname: str) -> str:
        key = (prefix, names.PINYIN[surname])
        self.usernames[key] = self.usernames.get(key, 0) + 1
        return f"{prefix}_{key[1]}{self.usernames[key]:02d}"

    def user(self, rng: Random, role: Role, prefix: str, scope: Scope, *, surname: str | None = None,
             male_share: float = 0.7) -> User:
        family = surname or names.surname(rng)
        sex = people.Sex.MALE if rng.random() < male_share else people.Sex.FEMALE
        name = family + names.given_name(rng, sex, rng.randint(1965, 1996))
        return self.parse(User, {"id": record_id(rng), "username": self.username(prefix, family), "name": name,
                                 "role": role, "scope": scope, "phone": self.phones.make(rng)})

    def staff(self) -> None:
        rng = self.stream("users")
        county_scope = Scope(county_codes=frozenset({COUNTY_CODE}))
        self.admin = self.user(rng, Role.ADMIN, "ad", county_scope)
        self.supervisor = self.user(rng, Role.SUPERVISOR, "sv", county_scope)
        self.stations: dict[str, User] = {
            t.code: self.user(rng, Role.TOWNSHIP_STATION, "ts", Scope(township_codes=frozenset({t.code})))
            for t in self.townships
        }
        self.crews: dict[str, Crew] = {}
        self.clans: dict[str, list[str]] = {}
        for plan in self.plans:
            code = plan.village.code
            vrng = self.stream("crew", code)
            self.clans[code] = names.clan_surnames(vrng, vrng.choice((2, 3, 3)))
            scope = Scope(village_codes=frozenset({code}))
            secretary = self.user(vrng, Role.FIELD_WORKER, "fs", scope, male_share=0.8)
            clerk = self.user(vrng, Role.VILLAGE_CLERK, "vc", scope, surname=vrng.choice(self.clans[code]),
                              male_share=0.6)
            helpers = [self.user(vrng, Role.HELPER_CADRE, "hc", scope, male_share=0.65)
                       for _ in range(max(1, round(plan.households / HOUSEHOLDS_PER_HELPER)))]
            self.crews[code] = Crew(code, secretary, clerk, helpers)
        self.users: list[User] = [self.admin, self.supervisor, *self.stations.values()]
        for crew in self.crews.values():
            self.users += [crew.secretary, crew.clerk, *crew.helpers]
        self.users_by_id = {u.id: u for u in self.users}

    # ------------------------------------------------------------ planted faults

    def plan_faults(self) -> None:
        rng = self.stream("faults")
        total = self.total_households
        quotas = {
            "out_of_school_no_reason": _quota(total, 0.004), "dropped_out": _quota(total, 0.004),
            "home_teaching": _quota(total, 0.0025), "exited_dangerous_house": _quota(total, 0.003),
            "exited_below_line": _quota(total, 0.003),
        }
        wanted = min(total, sum(quotas.values()))
        indices = rng.sample(range(total), wanted)
        self.faults: dict[int, str] = {}
        for kind, count in quotas.items():
            for index in indices[:count]:
                self.faults[index] = kind
            indices = indices[count:]

    # ------------------------------------------------------------ households

    def households(self) -> None:
        self.household_data: list[dict[str, Any]] = []
        self.member_data: list[dict[str, Any]] = []
        self.homes: list[Home] = []
        for plan in self.plans:
            rng = self.stream("village", plan.village.code)
            crew = self.crews[plan.village.code]
            hamlets = [geo.in_disc(rng, plan.centre, 1000) for _ in range(rng.randint(4, 8))]
            house_numbers = [0] * len(hamlets)
            helpers = [u.id for u in crew.helpers]
            order = list(range(plan.households))
            rng.shuffle(order)
            helper_of = {index: helpers[k % len(helpers)] for k, index in enumerate(order)}
            for serial in range(plan.households):
                fault = self.faults.get(plan.first_index + serial)
                group = rng.randrange(len(hamlets))
                house_numbers[group] += 1
                self.household(rng, plan, serial, fault, hamlets[group], group, house_numbers[group],
                               helper_of[serial], helpers)
        self.household_records = validate_all(Household, self.household_data, today=self.today, consume=True)
        self.member_records = validate_all(Member, self.member_data, today=self.today, consume=True)

    def household(self, rng: Random, plan: _VillagePlan, serial: int, fault: str | None,
                  hamlet: tuple[float, float], group: int, house_number: int, helper: str,
                  helpers: list[str]) -> None:
        today = self.today
        code = plan.village.code
        household_id = record_id(rng)
        category = pick(rng, {HouseholdCategory.ORDINARY: 75, HouseholdCategory.MIN_LIVING: 20,
                              HouseholdCategory.EXTREME: 5})
        child_flag = fault if fault in people.CHILD_FLAGS else None
        kind = pick(rng, people.KINDS_BY_CATEGORY[category])
        if child_flag and category is HouseholdCategory.EXTREME:
            category = HouseholdCategory.MIN_LIVING
        clan = self.clans[code]
        family = rng.choice(clan) if rng.random() < 0.65 else names.surname(rng)
        members = people.compose(rng, kind, family, child_flag=child_flag)

        for draft in members:
            draft.id = record_id(rng)
            draft.birth = people.birth_date_for(rng, draft.age, today)
            people.fill_schooling(rng, draft, today)
        people.name_members(rng, members)
        for draft in members:
            people.fill_health(rng, draft)
        cause = people.choose_cause(rng, members, category)
        people.fit_cause(rng, members, cause)
        she = rng.random() < 0.004  # a 畲族 family now and then
        for draft in members:
            people.fill_work(rng, draft, category)
            people.fill_insurance(rng, draft, category)
            if she and draft.surname == family:
                draft.ethnicity = "畲族"
            if draft.age == 0 and rng.random() < 0.3:
                draft.id_number = None  # a newborn without a number yet
            else:
                draft.id_number = self.ids.make(rng, draft.birth, draft.sex)
            if not draft.present:
                earliest = max(today - timedelta(days=4 * 365), people.years_before(today, max(0, draft.age - 18)))
                latest = today - timedelta(days=30)
                span = max(0, (latest - earliest).days)
                draft.status_date = earliest + timedelta(days=rng.randint(0, span))
        head = members[0]

        standing = economy.standing(rng, today, force_exited=fault in ("exited_dangerous_house", "exited_below_line"))
        present = [m for m in members if m.present]
        house = economy.housing(rng, today, standing.status, len(present),
                                dangerous=fault == "exited_dangerous_house")
        income = economy.incomes(rng, today, members, category, standing.status,
                                 below_line=fault == "exited_below_line")
        aid = economy.assistance(rng, today, members, category, standing.identified_year, house, income[-1])
        if house["relocated"]:
            point = geo.in_disc(rng, plan.centre, 200)
            address = f"{plan.township.name}{plan.village.name}安置点{serial + 1}号"
        else:
            point = geo.in_disc(rng, hamlet, 350)
            address = f"{plan.township.name}{plan.village.name}{group + 1}组{house_number}号"
        helper_ids = [helper]
        if len(helpers) > 1 and rng.random() < 0.1:
            helper_ids.append(rng.choice([h for h in helpers if h != helper]))
        worried = standing.status in (HouseholdStatus.NOT_EXITED, HouseholdStatus.RETURNED)
        food = not (worried and rng.random() < 0.05)
        clothing = not (worried and rng.random() < 0.05)
        has_phone = rng.random() < (0.65 if len(present) == 1 and head.age >= 70 else 0.92)
        data = {
            "id": household_id,
            "number": f"{code}{serial + 1:04d}",
            "village_code": code,
            "head_name": head.name,
            "head_member_id": head.id,
            "phone": self.phones.make(rng) if has_phone else None,
            "address": address,
            "location": {"latitude": round(point[0], 6), "longitude": round(point[1], 6),
                         "accuracy_m": round(rng.uniform(3, 15), 1)},
            "standard": IdentificationStandard.NATIONAL if rng.random() < 0.97 else IdentificationStandard.PROVINCIAL,
            "category": category,
            "status": standing.status,
            "identified_year": standing.identified_year,
            "exit_year": standing.exit_year,
            "main_cause": cause,
            "other_causes": people.choose_other_causes(rng, cause),
            "food_secure": food if self.months else None,  # as last assessed at a visit
            "clothing_secure": clothing if self.months else None,
            "housing": house,
            "water": economy.water(rng),
            **economy.utilities(rng),
            "incomes": income,
            "assistance": aid,
            "helper_ids": helper_ids,
        }
        self.household_data.append(data)
        self.member_data += [draft.data(household_id) for draft in members]
        at_home = [m.id for m in present if m.age >= 16 and m.work_place not in people.MIGRANT_PLACES]
        self.homes.append(Home(
            id=household_id, number=data["number"], village_code=code, township_code=plan.township.code,
            point=point, group=group, status=standing.status, helper_id=helper, met=at_home or [head.id],
            food=food, clothing=clothing, mood=pick(rng, SATISFACTION),
        ))
        if fault:
            target = household_id
            if fault in people.CHILD_FLAGS:
                target = next(m.id for m in members if fault in m.flags)
            self.planted[fault].append(target)

    # ------------------------------------------------------------ visits and problems

    def visits(self) -> None:
        self.maker = VisitMaker(self.seed, self.today, self.months)
        if self.months == 0:
            return
        by_village: dict[str, list[Home]] = {}
        for home in self.homes:
            by_village.setdefault(home.village_code, []).append(home)
        for code, homes in by_village.items():
            self.maker.village_year(self.stream("visits", code), self.crews[code], homes)
        for township in self.townships:
            homes = [h for h in self.homes if h.township_code == township.code]
            self.maker.township_year(self.stream("township", township.code), self.stations[township.code], homes)
        self.maker.spot_checks(self.stream("spot-checks"), self.supervisor, self.homes)

    def problems(self) -> None:
        rng = self.stream("problems")
        visits_by_home: dict[str, list[dict[str, Any]]] = {}
        for visit in self.maker.visits:
            visits_by_home.setdefault(visit["household_id"], []).append(visit)
        for visits in visits_by_home.values():
            visits.sort(key=_visit_order)
        homes = {h.id: h for h in self.homes}
        members = {m.id: m for m in self.member_records}
        findings: list[Finding] = []
        for member_id in self.planted["dropped_out"]:
            member = members[member_id]
            findings.append(Finding(homes[member.household_id], ProblemCategory.EDUCATION,
                                    f"{member.name}（{member.age_on(self.today)}岁）辍学在家，需劝返复学", ProblemState.ASSIGNED))
        for household_id in self.planted["exited_dangerous_house"][: max(1, len(self.planted["exited_dangerous_house"])
                                                                       // 2)]:
            findings.append(Finding(homes[household_id], ProblemCategory.HOUSING,
                                    "住房经鉴定为危房，尚未列入改造，需尽快落实", ProblemState.OPEN))
        uninsured = [m for m in self.member_records if m.medical_insurance is False and m.status is MemberStatus.PRESENT]
        self.planted["uninsured"] = [m.id for m in uninsured]
        for member in uninsured[::2]:
            findings.append(Finding(homes[member.household_id], ProblemCategory.MEDICAL,
                                    f"{member.name}未参加城乡居民基本医疗保险，需动员参保",
                                    pick(rng, {ProblemState.OPEN: 40, ProblemState.ASSIGNED: 60})))
        findings += random_findings(rng, self.homes, 0.05)
        ledger = Ledger(self.seed, self.maker, self.crews, self.stations, self.supervisor, self.users_by_id)
        for finding in findings:
            ledger.record(rng, finding, visits_by_home.get(finding.home.id, []))
        self.ledger = ledger

    def build(self) -> DemoCounty:
        self.places()
        self.staff()
        self.plan_faults()
        self.households()
        self.visits()
        self.problems()
        doubts = plant_doubts(self.stream("doubts"), self.maker, self.homes,
                              self.stations[self.townships[0].code], count=max(3, round(self.total_households * 0.008)))
        self.maker.visits.sort(key=_visit_order)
        visits = validate_all(Visit, self.maker.visits, today=self.today, consume=True)
        problems = validate_all(Problem, self.ledger.problems, today=self.today)
        events = sorted(self.ledger.events, key=lambda e: (e["problem_id"], e["at"]))
        order = {p["id"]: i for i, p in enumerate(self.ledger.problems)}
        events.sort(key=lambda e: order[e["problem_id"]])
        planted = {kind: tuple(ids) for kind, ids in self.planted.items()}
        planted.update(doubts)
        return DemoCounty(
            seed=self.seed, today=self.today, county=self.county, townships=tuple(self.townships),
            villages=tuple(p.village for p in self.plans), users=tuple(self.users),
            households=tuple(self.household_records), members=tuple(self.member_records), visits=visits,
            problems=problems, problem_events=validate_all(ProblemEvent, events, today=self.today),
            planted={kind: planted.get(kind, ()) for kind in PLANTED_KINDS},
            village_centres={p.village.code: GeoPoint(latitude=round(p.centre[0], 6), longitude=round(p.centre[1], 6))
                             for p in self.plans},
        )


__all__ = ["COUNTY_CODE", "PLANTED_KINDS", "DemoCounty", "generate_county"]
