"""The demo county generator: deterministic, realistic, and valid through and through."""

from __future__ import annotations

import io
import random
import re
from collections import Counter, defaultdict
from datetime import date, time, timedelta

import pytest

from field_app.core.demo.__main__ import main
from field_app.core.demo.county import PLANTED_KINDS, DemoCounty, generate_county
from field_app.core.demo.economy import reference_line
from field_app.core.demo.summary import print_summary
from field_app.core.models import (
    Household,
    HouseholdCategory,
    HouseholdStatus,
    HousingGrade,
    Member,
    MemberStatus,
    PovertyCause,
    ProblemState,
    Relation,
    Role,
    SchoolStatus,
    Sex,
    User,
    Village,
    Visit,
    distance_m,
    fold_problem,
    parse_record,
)
from field_app.core.validation import parse_id_number

TODAY = date(2026, 5, 20)
SEED = 7


@pytest.fixture(scope="module")
def county() -> DemoCounty:
    return generate_county(SEED, today=TODAY)


@pytest.fixture(scope="module")
def small() -> DemoCounty:
    return generate_county(3, today=TODAY, villages=1, households_per_village=10)


def _age(member: Member) -> int:
    return member.age_on(TODAY)


# ---------------------------------------------------------------- determinism and size

def test_same_seed_gives_the_same_county(county: DemoCounty) -> None:
    again = generate_county(SEED, today=TODAY)
    assert again.digest() == county.digest()
    assert again == county


def test_different_seed_gives_a_different_county(small: DemoCounty) -> None:
    other = generate_county(4, today=TODAY, villages=1, households_per_village=10)
    assert other.digest() != small.digest()
    assert {h.head_name for h in other.households} != {h.head_name for h in small.households}


def test_the_generator_leaves_the_global_random_alone() -> None:
    random.seed(12345)
    state = random.getstate()
    generate_county(1, today=TODAY, villages=1, households_per_village=5)
    assert random.getstate() == state


def test_size_and_places(county: DemoCounty) -> None:
    assert county.county.code == "360731000000" and county.county.name == "于都县"
    assert [t.code for t in county.townships] == ["360731108000"]
    assert county.townships[0].name == "梓山镇"
    assert len(county.villages) >= 5
    assert [v.code for v in county.villages][:5] == [f"360731108{n}" for n in range(201, 206)]
    assert all(v.name.endswith("村") for v in county.villages)
    assert len({v.name for v in county.villages}) == len(county.villages)
    assert len(county.households) >= 600
    for village in county.villages:
        assert 100 <= len(county.households_in(village.code)) <= 160


def test_scale_parameters(small: DemoCounty) -> None:
    assert len(small.villages) == 1 and len(small.households) == 10
    assert small.visits and all(v.village_code == small.villages[0].code for v in small.visits)
    assert "impossible_travel" not in small.planted or not small.planted["impossible_travel"]
    bigger = generate_county(5, today=TODAY, villages=23, households_per_village=3, months=1)
    assert len(bigger.townships) == 2 and len(bigger.villages) == 23
    assert len({v.code for v in bigger.villages}) == 23
    assert {v.township_code for v in bigger.villages} == {t.code for t in bigger.townships}
    with pytest.raises(ValueError):
        generate_county(1, today=TODAY, villages=0)


def test_lookups(county: DemoCounty) -> None:
    household = county.households[0]
    members = county.members_of(household.id)
    assert members and members[0].id == household.head_member_id
    visits = county.visits_of(household.id)
    assert visits and [v.started_at for v in visits] == sorted(v.started_at for v in visits)
    assert county.household(household.id) is household
    assert county.user(household.helper_ids[0]).role is Role.HELPER_CADRE
    assert sum(len(county.members_of(h.id)) for h in county.households) == len(county.members)
    assert sum(len(county.visits_of(h.id)) for h in county.households) == len(county.visits)


# ---------------------------------------------------------------- every record is valid

def test_every_record_revalidates(county: DemoCounty) -> None:
    for record in county.records():
        again = parse_record(type(record), record.model_dump(), today=TODAY)
        assert again == record


def test_record_ids_are_unique(county: DemoCounty) -> None:
    ids = [r.id for r in county.records() if hasattr(r, "id")]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- members

def test_id_numbers_are_valid_unique_and_consistent(county: DemoCounty) -> None:
    numbers = [m.id_number for m in county.members if m.id_number]
    assert len(numbers) == len(set(numbers))
    assert len(numbers) >= 0.99 * len(county.members)  # only some newborns lack one
    for member in county.members:
        assert member.warnings(today=TODAY) == [], member
        if member.id_number is None:
            assert _age(member) == 0
            continue
        resident = parse_id_number(member.id_number, today=TODAY)
        assert resident.region_known
        assert resident.birth_date == member.birth_date and resident.sex == member.sex
        assert resident.region_code == ("362132" if member.birth_date.year < 1998 else "360731")


def test_household_make_up(county: DemoCounty) -> None:
    for household in county.households:
        members = county.members_of(household.id)
        assert 1 <= len(members) <= 6
        heads = [m for m in members if m.relation is Relation.HEAD]
        assert heads == [members[0]]
        head = heads[0]
        assert head.id == household.head_member_id and head.name == household.head_name
        assert head.status is MemberStatus.PRESENT and _age(head) >= 18
        assert len([m for m in members if m.relation is Relation.SPOUSE]) <= 1


def test_ages_fit_the_relations(county: DemoCounty) -> None:
    for household in county.households:
        members = county.members_of(household.id)
        head = members[0]
        spouse = next((m for m in members if m.relation is Relation.SPOUSE), None)
        for m in members[1:]:
            gap = _age(head) - _age(m)
            if m.relation is Relation.SPOUSE:
                assert abs(gap) <= 15 and m.sex != head.sex
            elif m.relation in (Relation.SON, Relation.DAUGHTER):
                assert 18 <= gap <= 40, (head, m)
                if spouse is not None:
                    assert 18 <= _age(spouse) - _age(m) <= 40
                assert m.sex is (Sex.MALE if m.relation is Relation.SON else Sex.FEMALE)
                if head.sex is Sex.MALE:
                    assert m.name[0] == head.name[0]
            elif m.relation is Relation.GRANDCHILD:
                assert 36 <= gap <= 80
                if head.sex is Sex.MALE:
                    assert m.name[0] == head.name[0]
            elif m.relation in (Relation.SON_IN_LAW, Relation.DAUGHTER_IN_LAW):
                assert 10 <= gap <= 50
            elif m.relation is Relation.PARENT:
                assert 18 <= -gap <= 45
            elif m.relation is Relation.GRANDPARENT:
                assert 40 <= -gap <= 75
            elif m.relation is Relation.SIBLING:
                assert abs(gap) <= 20


def test_schooling_fits_age(county: DemoCounty) -> None:
    school_age = [m for m in county.members if 7 <= _age(m) <= 14 and m.status is MemberStatus.PRESENT]
    assert len(school_age) > 100
    in_school = [m for m in school_age if m.school_status in (SchoolStatus.PRIMARY, SchoolStatus.JUNIOR)]
    assert len(in_school) / len(school_age) > 0.9
    assert all(not m.school_status.in_school or m.school_status is SchoolStatus.PRESCHOOL
               for m in county.members if _age(m) <= 4)
    assert all(m.school_status is not SchoolStatus.PRIMARY for m in county.members if _age(m) >= 16)
    out_of_school = {m.id for m in county.members
                     if 6 <= _age(m) <= 15 and m.status is MemberStatus.PRESENT and not m.school_status.in_school}
    assert out_of_school == set(county.planted["out_of_school_no_reason"]) | set(county.planted["dropped_out"])
    members = {m.id: m for m in county.members}
    for member_id in county.planted["out_of_school_no_reason"]:
        m = members[member_id]
        assert 6 <= _age(m) <= 15 and m.school_status is SchoolStatus.NOT_IN_SCHOOL and not m.dropout_reason
    for member_id in county.planted["dropped_out"]:
        m = members[member_id]
        assert 6 <= _age(m) <= 15 and m.school_status is SchoolStatus.DROPPED_OUT and m.dropout_reason
    assert 1 <= len(county.planted["home_teaching"]) <= 3
    for member_id in county.planted["home_teaching"]:
        m = members[member_id]
        assert m.home_teaching and m.school_status.in_school and m.disability_category and m.disability_grade


def test_health_insurance_and_moves(county: DemoCounty) -> None:
    members = county.members
    health = Counter(m.health for m in members)
    assert all(health[h] > 0 for h in health)
    assert all(m.disability_category and m.disability_grade for m in members if m.health == "disabled")
    assert all(m.illness for m in members if m.health in ("chronic", "serious"))
    insured = sum(1 for m in members if m.medical_insurance is True) / len(members)
    assert 0.95 < insured < 1
    assert any(m.medical_insurance is False for m in members) and any(m.medical_insurance is None for m in members)
    assert set(county.planted["uninsured"]) == {m.id for m in members
                                               if m.medical_insurance is False and m.status == "present"}
    moved = [m for m in members if m.status is not MemberStatus.PRESENT]
    assert any(m.status is MemberStatus.DECEASED for m in moved)
    assert any(m.status in (MemberStatus.MOVED_OUT, MemberStatus.MARRIED_OUT) for m in moved)
    assert len(moved) < 0.08 * len(members)
    assert all(m.status_date and m.status_date < TODAY for m in moved)


# ---------------------------------------------------------------- households

def test_household_fields(county: DemoCounty) -> None:
    households = county.households
    for h in households:
        assert h.number.startswith(h.village_code) and len(h.number) == 16
        assert h.address and "组" in h.address or "安置点" in (h.address or "")
        assert h.location is not None and h.helper_ids
        assert 2014 <= h.identified_year <= 2019
        assert h.main_cause not in h.other_causes and len(set(h.other_causes)) == len(h.other_causes) <= 2
        assert [i.year for i in h.incomes] == [2023, 2024, 2025]
        assert h.water.source is not None and h.fuels and h.housing.grade is not None
        if h.phone:
            assert re.fullmatch(r"1[3-9]\d{9}", h.phone)
    assert len({h.number for h in households}) == len(households)
    assert sum(1 for h in households if h.phone) / len(households) > 0.8
    assert any(a.kind == "microcredit" for h in households for a in h.assistance)


def test_status_category_and_cause_mix(county: DemoCounty) -> None:
    n = len(county.households)
    status = Counter(h.status for h in county.households)
    assert (status[HouseholdStatus.EXITED] + status[HouseholdStatus.EXITED_SUPPORTED]) / n > 0.75
    for rare in (HouseholdStatus.MONITORED, HouseholdStatus.RETURNED, HouseholdStatus.NOT_EXITED):
        assert 0 < status[rare] / n < 0.12
    category = Counter(h.category for h in county.households)
    assert 0.12 < category[HouseholdCategory.MIN_LIVING] / n < 0.3
    assert 0.02 < category[HouseholdCategory.EXTREME] / n < 0.09
    causes = Counter(h.main_cause for h in county.households)
    assert [c for c, _ in causes.most_common(2)] == [PovertyCause.ILLNESS, PovertyCause.DISABILITY]
    for h in county.households:
        if h.status is HouseholdStatus.NOT_EXITED:
            assert h.exit_year is None
        else:
            assert h.exit_year is not None and h.identified_year <= h.exit_year <= 2020


def test_causes_agree_with_members(county: DemoCounty) -> None:
    for h in county.households:
        present = [m for m in county.members_of(h.id) if m.status is MemberStatus.PRESENT]
        if h.main_cause is PovertyCause.ILLNESS:
            assert any(m.health in ("chronic", "serious") for m in present)
        if h.main_cause is PovertyCause.DISABILITY:
            assert any(m.health == "disabled" for m in present)


def test_income_against_the_line(county: DemoCounty) -> None:
    below_planted = set(county.planted["exited_below_line"])
    assert below_planted
    exited_below, not_exited_below, not_exited = 0, 0, 0
    for h in county.households:
        latest = h.latest_income()
        assert latest is not None
        persons = sum(1 for m in county.members_of(h.id) if m.status is MemberStatus.PRESENT)
        per_capita = latest.net / persons
        line = reference_line(latest.year)
        assert 1000 < per_capita < 60000
        if h.status.is_exited:
            if per_capita < line:
                exited_below += 1
                assert h.id in below_planted
        elif h.status is HouseholdStatus.NOT_EXITED:
            not_exited += 1
            not_exited_below += per_capita < line
    assert exited_below == len(below_planted)
    assert not_exited_below / not_exited > 0.7


def test_housing(county: DemoCounty) -> None:
    grades = Counter(h.housing.grade for h in county.households)
    assert (grades[HousingGrade.A] + grades[HousingGrade.B]) / len(county.households) > 0.9
    assert grades[HousingGrade.C] + grades[HousingGrade.D] > 0
    assert any(h.housing.renovation == "done" for h in county.households)
    dangerous_exited = {h.id for h in county.households if h.status.is_exited and h.housing.grade.is_dangerous}
    assert dangerous_exited == set(county.planted["exited_dangerous_house"])
    for h in county.households:
        if h.housing.relocated:
            persons = sum(1 for m in county.members_of(h.id) if m.status is MemberStatus.PRESENT)
            assert h.housing.area_m2 <= 25 * persons


def test_houses_cluster_around_their_village(county: DemoCounty) -> None:
    centres = county.village_centres
    assert set(centres) == {v.code for v in county.villages}
    for village in county.villages:
        centre = centres[village.code]
        assert 25.85 < centre.latitude < 26.05 and 115.3 < centre.longitude < 115.5
        assert max(distance_m(centre, h.location) for h in county.households_in(village.code)) <= 1500
    codes = list(centres)
    gaps = [distance_m(centres[a], centres[b]) for i, a in enumerate(codes) for b in codes[i + 1:]]
    assert min(gaps) > 2500 and max(gaps) > 10_000


# ---------------------------------------------------------------- users

def test_users_and_scopes(county: DemoCounty) -> None:
    users = county.users
    assert len({u.username for u in users}) == len(users)
    assert all(re.fullmatch(r"[a-z]{2}_[a-z]+\d{2,}", u.username) for u in users)
    roles = Counter(u.role for u in users)
    assert roles[Role.ADMIN] == 1 and roles[Role.SUPERVISOR] == 1
    assert roles[Role.TOWNSHIP_STATION] == len(county.townships)
    for village in county.villages:
        local = [u for u in users if village.code in u.scope.village_codes]
        kinds = Counter(u.role for u in local)
        assert kinds[Role.FIELD_WORKER] == 1 and kinds[Role.VILLAGE_CLERK] == 1
        assert 7 <= kinds[Role.HELPER_CADRE] <= 13
        helpers = {u.id for u in local if u.role is Role.HELPER_CADRE}
        load = Counter(h.helper_ids[0] for h in county.households_in(village.code))
        assert set(load) <= helpers and max(load.values()) <= 20
        for h in county.households_in(village.code):
            assert set(h.helper_ids) <= helpers
    for user in users:
        if user.role in (Role.SUPERVISOR, Role.ADMIN):
            assert user.scope.county_codes == ("360731000000",)
        elif user.role is Role.TOWNSHIP_STATION:
            assert user.scope.township_codes
        assert 2 <= len(user.name) <= 3


# ---------------------------------------------------------------- visits

def _visitors(county: DemoCounty) -> dict[str, User]:
    return {u.id: u for u in county.users}


def test_visits_are_plausible(county: DemoCounty) -> None:
    users = _visitors(county)
    homes = {h.id: h for h in county.households}
    members = {m.id: m for m in county.members}
    too_short = set(county.planted["too_short"])
    no_gps = set(county.planted["no_gps"])
    last_year = TODAY - timedelta(days=400)
    for visit in county.visits:
        visitor = users[visit.visitor_id]
        assert visitor.role is visit.visitor_role and visitor.scope.covers(visit.village_code)
        assert visit.form_id == "household_visit" and visit.form_version == 1
        assert last_year < visit.started_at.date() < TODAY
        assert time(8, 0) <= visit.started_at.timetz().replace(tzinfo=None) <= time(18, 0)
        assert visit.ended_at.date() == visit.started_at.date()
        home = homes[visit.household_id]
        assert visit.village_code == home.village_code
        if visit.id in too_short:
            assert visit.duration_minutes == 3
        else:
            assert 12 <= visit.duration_minutes <= 75
        if visit.id in no_gps:
            assert visit.location is None
        else:
            assert visit.location is not None and distance_m(visit.location, home.location) < 150
            assert visit.location.accuracy_m is not None
        for member_id in visit.met_member_ids:
            assert members[member_id].household_id == home.id
        assert set(visit.answers) >= {"food_secure", "clothing_secure", "satisfaction"}
        for photo in visit.photos:
            assert visit.started_at <= photo.taken_at <= visit.ended_at
    durations = sorted(v.duration_minutes for v in county.visits)
    median = durations[len(durations) // 2]
    assert 20 <= median <= 40


def test_visit_duties(county: DemoCounty) -> None:
    """Helpers about monthly, the clerk and the first secretary about quarterly."""
    by_role: dict[Role, Counter[str]] = defaultdict(Counter)
    for visit in county.visits:
        by_role[visit.visitor_role][visit.household_id] += 1
    n = len(county.households)
    assert 9 <= sum(by_role[Role.HELPER_CADRE].values()) / n <= 13
    for role in (Role.VILLAGE_CLERK, Role.FIELD_WORKER):
        assert 3 <= sum(by_role[role].values()) / n <= 5
    helper_visits = Counter()
    for visit in county.visits:
        if visit.visitor_role is Role.HELPER_CADRE:
            assert visit.visitor_id in county.household(visit.household_id).helper_ids
            helper_visits[visit.household_id] += 1
    assert all(helper_visits[h.id] >= 6 for h in county.households)


def test_no_one_is_in_two_places_at_once(county: DemoCounty) -> None:
    by_visitor: dict[str, list[Visit]] = defaultdict(list)
    for visit in county.visits:
        by_visitor[visit.visitor_id].append(visit)
    for visits in by_visitor.values():
        visits.sort(key=lambda v: v.started_at)
        for a, b in zip(visits, visits[1:], strict=False):
            assert b.started_at >= a.ended_at


def _fast_moves(county: DemoCounty) -> set[tuple[str, str]]:
    """Consecutive visits by one person faster than 40 km/h between the houses."""
    homes = {h.id: h for h in county.households}
    by_visitor: dict[str, list[Visit]] = defaultdict(list)
    for visit in county.visits:
        by_visitor[visit.visitor_id].append(visit)
    found = set()
    for visits in by_visitor.values():
        for a, b in zip(visits, visits[1:], strict=False):
            if a.started_at.date() != b.started_at.date():
                continue
            metres = distance_m(homes[a.household_id].location, homes[b.household_id].location)
            hours = max((b.started_at - a.ended_at).total_seconds(), 1) / 3600
            if metres / 1000 / hours > 40:
                found.add((a.id, b.id))
    return found


def test_the_doubtful_visits_are_planted_and_only_they(county: DemoCounty) -> None:
    visits = {v.id: v for v in county.visits}
    planted = county.planted
    assert set(planted) == set(PLANTED_KINDS)
    assert len(planted["no_gps"]) >= 3 and len(planted["too_short"]) >= 3
    assert {v.id for v in county.visits if v.location is None} == set(planted["no_gps"])
    assert {v.id for v in county.visits if v.duration_minutes <= 5} == set(planted["too_short"])

    first, second = (visits[i] for i in planted["impossible_travel"])
    assert first.visitor_id == second.visitor_id and first.village_code != second.village_code
    assert timedelta(0) < second.started_at - first.ended_at <= timedelta(minutes=5)
    assert distance_m(first.location, second.location) > 10_000
    assert _fast_moves(county) == {(first.id, second.id)}

    a, b = (visits[i] for i in planted["shared_photo"])
    assert a.household_id != b.household_id
    assert a.photos[0].sha256 == b.photos[0].sha256
    hashes = Counter(p.sha256 for v in county.visits for p in v.photos)
    assert [h for h, n in hashes.items() if n > 1] == [a.photos[0].sha256]


# ---------------------------------------------------------------- problems

def test_problem_ledger_folds_cleanly(county: DemoCounty) -> None:
    visits = {v.id: v for v in county.visits}
    assert len(county.problems) >= 10
    states = Counter()
    for problem in county.problems:
        events = list(county.events_of(problem.id))
        status = fold_problem(problem, events)
        assert status.rejected == ()
        assert len(status.applied) == len(events)
        states[status.state] += 1
        found = visits[problem.found_in_visit_id]
        assert found.household_id == problem.household_id and found.visitor_id == problem.created_by
        assert problem.created_at >= found.ended_at
        times = [e.at for e in events]
        assert times == sorted(times) and all(t >= problem.created_at and t.date() < TODAY for t in times)
        if status.state is ProblemState.CLOSED:
            assert status.closed_at is not None
    assert states[ProblemState.CLOSED] > states[ProblemState.OPEN]
    assert all(states[s] for s in ProblemState)
    assert sum(len(county.events_of(p.id)) for p in county.problems) == len(county.problem_events)


# ---------------------------------------------------------------- printing

def test_summary_and_main(county: DemoCounty, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    print_summary(county, out)
    text = out.getvalue()
    assert "于都县" in text and "梓山镇" in text and "潭头村" in text
    assert "已脱贫" in text and "样例户" in text
    assert main(["--seed", "2", "--villages", "2", "--households-per-village", "8-12", "--today", "2026-05-20"]) == 0
    printed = capsys.readouterr().out
    assert "村 2 个" in printed and "于都县" in printed


def test_models_are_the_core_models(county: DemoCounty) -> None:
    assert isinstance(county.villages[0], Village)
    assert isinstance(county.households[0], Household)
