"""A year of visits: who went where, when, for how long, with what fix and photos.

Duties (DOMAIN §3): the paired helper cadre visits each of his households monthly, the
village clerk and the first secretary visit every household each quarter, the township
station looks at monitored, returned and not-yet-exited households each quarter, and the
county supervisor makes a few spot checks a month. Some planned visits do not happen (a
cadre misses a month now and then), so coverage is high but not perfect.

An :class:`Agenda` keeps each person's day honest: visits one after another from about
08:30, a lunch break, done by 18:00, and all in one village — so the only "visitor in two
far-apart villages minutes apart" is the one planted on purpose.

Times are China Standard Time (aware datetimes, UTC+8). Visits end before ``today``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from hashlib import sha256
from random import Random
from typing import Any

from field_app.core.codes import HouseholdStatus, Role, VisitPurpose
from field_app.core.demo.ids import record_id
from field_app.core.demo.people import pick
from field_app.core.models.geo import GeoPoint, distance_m
from field_app.core.models.users import User

CST = timezone(timedelta(hours=8), "CST")
_DEG_PER_M = 1 / 111_195.0
FORM_ID = "household_visit"
FORM_VERSION = 1
_DAY_START = 8 * 60 + 30  # minutes after midnight
_LUNCH = (11 * 60 + 45, 14 * 60)
_DAY_END = 18 * 60
_CAPTIONS = ("与户主合影", "房屋外景", "厨房及饮水设施")
SATISFACTION = {"satisfied": 86, "basically_satisfied": 12, "unsatisfied": 2}


@dataclass
class Home:
    """What the visit generator needs to know about a household."""

    id: str
    number: str
    village_code: str
    township_code: str
    point: tuple[float, float]
    group: int
    status: HouseholdStatus
    helper_id: str
    met: list[str]  # present members who may be met at home
    food: bool
    clothing: bool
    mood: str  # the household's usual answer to "are you satisfied"
    lon_per_m: float = field(init=False)

    def __post_init__(self) -> None:
        self.lon_per_m = _DEG_PER_M / math.cos(math.radians(self.point[0]))


@dataclass
class Crew:
    """The people who visit one village."""

    village_code: str
    secretary: User
    clerk: User
    helpers: list[User]


class Agenda:
    """Each person's day: one village, visits in sequence, daytime only.

    Times inside a day are kept as minutes after midnight (cheap), and become aware
    datetimes only for the visit record.
    """

    def __init__(self) -> None:
        self._days: dict[tuple[str, date], tuple[str, int]] = {}  # -> (village, minute free again)
        self._midnights: dict[date, datetime] = {}

    def is_free(self, user_id: str, day: date) -> bool:
        return (user_id, day) not in self._days

    def midnight(self, day: date) -> datetime:
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = self._midnights[day] = datetime.combine(day, time(0), CST)
        return midnight

    def book(self, rng: Random, user_id: str, day: date, village: str,
             minutes: int) -> tuple[datetime, datetime] | None:
        key = (user_id, day)
        booked = self._days.get(key)
        if booked is None:
            start = _DAY_START + int(rng.random() * 61)
        elif booked[0] != village:
            return None
        else:
            start = booked[1] + 8 + int(rng.random() * 23)  # 8–30 minutes to the next house
        if _LUNCH[0] <= start < _LUNCH[1]:
            start = _LUNCH[1] + int(rng.random() * 31)
        end = start + minutes
        if end > _DAY_END:
            return None
        self._days[key] = (village, end)
        midnight = self.midnight(day)
        return midnight + timedelta(minutes=start), midnight + timedelta(minutes=end)

    def hold(self, user_id: str, day: date, village: str, until: datetime) -> None:
        self._days[(user_id, day)] = (village, until.hour * 60 + until.minute)


def duration(rng: Random) -> int:
    """Minutes at the house: mostly 15–60, rarely less than 15, never less than 12."""
    return max(12, min(75, round(rng.triangular(12, 65, 26))))


def month_periods(first: date, last: date) -> list[tuple[date, date]]:
    periods = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        nxt = date(year + month // 12, month % 12 + 1, 1)
        periods.append((date(year, month, 1), nxt - timedelta(days=1)))
        year, month = nxt.year, nxt.month
    return periods


def quarter_periods(first: date, last: date) -> list[tuple[date, date]]:
    periods = []
    year, quarter = first.year, (first.month - 1) // 3
    while date(year, quarter * 3 + 1, 1) <= last:
        start = date(year, quarter * 3 + 1, 1)
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        periods.append((start, date(year, quarter * 3 + 1, 1) - timedelta(days=1)))
    return periods


def _days(period: tuple[date, date], saturdays: bool) -> list[date]:
    last_weekday = 5 if saturdays else 4
    span = (period[1] - period[0]).days + 1
    return [d for d in (period[0] + timedelta(days=i) for i in range(span)) if d.weekday() <= last_weekday]


@dataclass
class VisitMaker:
    seed: int
    today: date
    months: int
    agenda: Agenda = field(default_factory=Agenda)
    visits: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        month0 = self.today.year * 12 + self.today.month - 1 - self.months
        self.first = date(month0 // 12, month0 % 12 + 1, 1)
        self.last = self.today - timedelta(days=1)
        self._devices: dict[str, str] = {}

    # ------------------------------------------------------------ single visits

    def _device(self, user: User) -> str:
        device = self._devices.get(user.id)
        if device is None:
            device = self._devices[user.id] = f"dev-{user.username}"
        return device

    def add(self, rng: Random, home: Home, user: User, start: datetime, end: datetime,
            purpose: VisitPurpose) -> dict[str, Any]:
        """One visit (a dict for ``Visit``); the hot path of the generator, so written plainly."""
        random = rng.random
        visit_id = record_id(rng)
        # the fix: scattered ~12 m around the house, cut at 60 m
        north = max(-60.0, min(60.0, rng.gauss(0.0, 12.0)))
        east = max(-60.0, min(60.0, rng.gauss(0.0, 12.0)))
        accuracy = 3.5 + 14.5 * random() if random() < 0.9 else 20 + 40 * random()
        location = {"latitude": round(home.point[0] + north * _DEG_PER_M, 6),
                    "longitude": round(home.point[1] + east * home.lon_per_m, 6),
                    "accuracy_m": round(accuracy, 1)}
        roll = random()
        photos = []
        if roll >= 0.04:
            minutes = max(2, int((end - start).total_seconds() // 60))
            shots = [1 + int(random() * (minutes - 1)) for _ in range(1 if roll < 0.82 else 2)]
            shots.sort()
            prefix = f"bianfang-demo-photo:{self.seed}:{visit_id}:"
            photos = [
                {"sha256": sha256(f"{prefix}{i}".encode()).hexdigest(), "taken_at": start + timedelta(minutes=shot),
                 "caption": _CAPTIONS[i], "location": location}
                for i, shot in enumerate(shots)
            ]
        met = home.met
        if len(met) > 1:
            met = [rng.choice(met)] if random() < 0.65 else rng.sample(met, 2)
        mood = home.mood if random() < 0.85 else pick(rng, SATISFACTION)
        visit = {
            "id": visit_id,
            "household_id": home.id,
            "village_code": home.village_code,
            "form_id": FORM_ID,
            "form_version": FORM_VERSION,
            "visitor_id": user.id,
            "visitor_role": user.role,
            "purpose": purpose,
            "started_at": start,
            "ended_at": end,
            "location": location,
            "met_member_ids": list(met),
            "answers": {"food_secure": home.food, "clothing_secure": home.clothing, "satisfaction": mood},
            "photos": photos,
            "device_id": self._device(user),
        }
        self.visits.append(visit)
        return visit

    def visit_on(self, rng: Random, home: Home, user: User, day: date, purpose: VisitPurpose,
                 *, tries: int = 5) -> dict[str, Any] | None:
        """Book a visit on ``day`` or one of the next working days; None when no room."""
        for _ in range(tries):
            if day > self.last:
                return None
            if day.weekday() < 6:
                slot = self.agenda.book(rng, user.id, day, home.village_code, duration(rng))
                if slot is not None:
                    return self.add(rng, home, user, slot[0], slot[1], purpose)
            day += timedelta(days=1)
        return None

    # ------------------------------------------------------------ rounds of duty

    def _round(self, rng: Random, user: User, homes: Sequence[Home], period: tuple[date, date], *,
               share: float, chunk: tuple[int, int], saturdays: bool,
               purpose: Callable[[Home], VisitPurpose]) -> None:
        chosen = [home for home in homes if rng.random() < share]
        if not chosen:
            return
        rng.shuffle(chosen)
        chosen.sort(key=lambda home: (home.village_code, home.group))  # hamlet by hamlet
        chunks: list[list[Home]] = []
        while chosen:
            size = rng.randint(*chunk)
            chunks.append(chosen[:size])
            chosen = chosen[size:]
        pool = _days(period, saturdays)
        days = sorted(rng.sample(pool, min(len(chunks), len(pool))))
        while len(days) < len(chunks):
            days.append(rng.choice(pool))
        for group, day in zip(chunks, days, strict=True):
            if not self.first <= day <= self.last:
                continue
            for home in group:
                self.visit_on(rng, home, user, day, purpose(home), tries=1)

    def village_year(self, rng: Random, crew: Crew, homes: Sequence[Home]) -> None:
        """A year of duty visits in one village."""
        months = month_periods(self.first, self.last)
        quarters = quarter_periods(self.first, self.last)
        by_helper: dict[str, list[Home]] = {}
        for home in homes:
            by_helper.setdefault(home.helper_id, []).append(home)

        def helper_purpose(home: Home) -> VisitPurpose:
            if home.status is HouseholdStatus.MONITORED and rng.random() < 0.5:
                return VisitPurpose.MONITORING
            return VisitPurpose.POLICY if rng.random() < 0.15 else VisitPurpose.ROUTINE

        for helper in crew.helpers:
            mine = by_helper.get(helper.id, [])
            for period in months:
                self._round(rng, helper, mine, period, share=0.93, chunk=(3, 6), saturdays=True,
                            purpose=helper_purpose)
        for period in quarters:
            self._round(rng, crew.clerk, homes, period, share=0.9, chunk=(6, 9), saturdays=False,
                        purpose=lambda _: VisitPurpose.POLICY if rng.random() < 0.25 else VisitPurpose.ROUTINE)
            self._round(rng, crew.secretary, homes, period, share=0.9, chunk=(6, 9), saturdays=False,
                        purpose=lambda _: VisitPurpose.POLICY if rng.random() < 0.1 else VisitPurpose.ROUTINE)

    def township_year(self, rng: Random, station: User, homes: Sequence[Home]) -> None:
        """Quarterly looks at the households that may slip back or have not exited."""
        watched = [h for h in homes if h.status in (HouseholdStatus.MONITORED, HouseholdStatus.RETURNED,
                                                    HouseholdStatus.NOT_EXITED)]
        by_village: dict[str, list[Home]] = {}
        for home in watched:
            by_village.setdefault(home.village_code, []).append(home)

        def purpose(home: Home) -> VisitPurpose:
            return VisitPurpose.EXIT_CHECK if home.status is HouseholdStatus.NOT_EXITED else VisitPurpose.MONITORING

        for period in quarter_periods(self.first, self.last):
            for village_homes in by_village.values():
                self._round(rng, station, village_homes, period, share=0.95, chunk=(4, 7), saturdays=False,
                            purpose=purpose)

    def spot_checks(self, rng: Random, supervisor: User, homes: Sequence[Home]) -> None:
        """A county supervisor's unannounced checks: a village a day, a few houses each."""
        by_village: dict[str, list[Home]] = {}
        for home in homes:
            by_village.setdefault(home.village_code, []).append(home)
        villages = list(by_village)
        per_month = min(20.0, len(homes) / 300)  # about two check days a month for a 600-household county
        for period in month_periods(self.first, self.last):
            pool = _days(period, False)
            days = int(per_month) + (rng.random() < per_month % 1)
            for day in rng.sample(pool, min(days, len(pool))):
                if not self.first <= day <= self.last:
                    continue
                village = by_village[rng.choice(villages)]
                for home in rng.sample(village, min(len(village), rng.randint(3, 5))):
                    self.visit_on(rng, home, supervisor, day, VisitPurpose.PROBLEM_CHECK, tries=1)


# ---------------------------------------------------------------- planted doubts

def plant_doubts(rng: Random, maker: VisitMaker, homes: Sequence[Home], station: User | None,
                 *, count: int) -> dict[str, tuple[str, ...]]:
    """Visits a supervisor should question; returns their ids by kind.

    ``no_gps``: no fix at all; ``too_short``: 3 minutes at the house; ``impossible_travel``:
    the township station user in two villages over 10 km apart, the second visit starting 5
    minutes after the first ended; ``shared_photo``: two households' visits with one photo.
    """
    planted: dict[str, tuple[str, ...]] = {}
    field_visits = [v for v in maker.visits if v["visitor_role"] in (Role.HELPER_CADRE, Role.VILLAGE_CLERK)]
    if not field_visits:
        return planted
    picked = rng.sample(field_visits, min(len(field_visits), 2 * count))
    for visit in picked[:count]:
        visit["location"] = None
        visit["photos"] = [{**photo, "location": None} for photo in visit["photos"]]
    planted["no_gps"] = tuple(v["id"] for v in picked[:count])
    for visit in picked[count:]:
        visit["ended_at"] = visit["started_at"] + timedelta(minutes=3)
        visit["photos"] = [{**photo, "taken_at": visit["started_at"] + timedelta(minutes=1)}
                           for photo in visit["photos"]]
    planted["too_short"] = tuple(v["id"] for v in picked[count:])

    # One helper's photo reused for another of his households.
    by_helper: dict[str, list[dict[str, Any]]] = {}
    for visit in field_visits:
        if visit["visitor_role"] is Role.HELPER_CADRE and visit["photos"] and visit["location"] is not None:
            by_helper.setdefault(visit["visitor_id"], []).append(visit)
    for visits in by_helper.values():
        households = {v["household_id"] for v in visits}
        if len(households) >= 2:
            first = rng.choice(visits)
            second = rng.choice([v for v in visits if v["household_id"] != first["household_id"]])
            second["photos"] = [{**second["photos"][0], "sha256": first["photos"][0]["sha256"]},
                                *second["photos"][1:]]
            planted["shared_photo"] = (first["id"], second["id"])
            break

    travel = _impossible_travel(rng, maker, homes, station)
    if travel:
        planted["impossible_travel"] = travel
    return planted


def _impossible_travel(rng: Random, maker: VisitMaker, homes: Sequence[Home],
                       station: User | None) -> tuple[str, ...] | None:
    if station is None:
        return None
    mine = [h for h in homes if h.township_code in station.scope.township_codes]
    villages = sorted({h.village_code for h in mine})
    if len(villages) < 2:
        return None
    here = [h for h in mine if h.village_code == villages[0]]
    there = [h for h in mine if h.village_code != villages[0]]

    def point(home: Home) -> GeoPoint:
        return GeoPoint(latitude=home.point[0], longitude=home.point[1])

    anchor = rng.choice(here)
    far = max(there, key=lambda home: distance_m(point(anchor), point(home)))
    if distance_m(point(anchor), point(far)) < 10_000:
        return None
    days = [d for d in _days((maker.first, maker.last), False) if maker.agenda.is_free(station.id, d)]
    if not days:
        return None
    day = rng.choice(days[len(days) // 2:])  # in the second half of the year
    start = datetime.combine(day, time(10, rng.randint(0, 20)), CST)
    first = maker.add(rng, anchor, station, start, start + timedelta(minutes=22), VisitPurpose.MONITORING)
    second_start = first["ended_at"] + timedelta(minutes=5)
    second = maker.add(rng, far, station, second_start, second_start + timedelta(minutes=25),
                       VisitPurpose.MONITORING)
    maker.agenda.hold(station.id, day, "*", second["ended_at"])
    return (first["id"], second["id"])


__all__ = ["CST", "FORM_ID", "FORM_VERSION", "SATISFACTION", "Agenda", "Crew", "Home", "VisitMaker", "duration", "plant_doubts"]
