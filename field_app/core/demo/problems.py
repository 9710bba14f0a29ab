"""Problems found in visits, and the ledger events that carry them to 销号.

Each problem is given a fate (mostly closed; some rectified, assigned or still open), is
found in one of its household's visits at a time that suits that fate, and then, as time
allows before ``today``: assigned (交办) by the township station or the first secretary,
rectified (整改) by the assignee, and verified and closed (验收销号) by the township station
— on a problem-check visit to the house — or by the county supervisor. One in ten
verifications fails and reopens the problem for a second round; a few assignees are slow.
Every event is one the fold accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from random import Random
from typing import Any

from field_app.core.codes import ProblemCategory, Role, Severity, VisitPurpose
from field_app.core.demo.ids import photo_hash, record_id
from field_app.core.demo.people import pick
from field_app.core.demo.visits import CST, Crew, Home, VisitMaker
from field_app.core.models.problem import ProblemAction, ProblemState
from field_app.core.models.users import User

_DESCRIPTIONS: dict[ProblemCategory, tuple[str, ...]] = {
    ProblemCategory.HOUSING: ("房屋墙体开裂，屋顶漏雨，需鉴定并列入危房改造", "厨房屋顶瓦片破损漏雨，需维修"),
    ProblemCategory.MEDICAL: ("家庭成员慢性病门诊待遇未办理", "住院费用报销未到位", "家庭医生签约后未履约随访"),
    ProblemCategory.WATER: ("旱季井水不足，需接通自来水", "入户自来水管破裂，需维修", "自来水水质浑浊，需检测"),
    ProblemCategory.INCOME: ("家庭主要劳动力因病无法务工，收入明显下降", "产业奖补资金未兑现"),
    ProblemCategory.POLICY: ("低保金发放存在延迟", "光伏分红未到账", "政策知晓度不高，需加强宣讲",
                             "帮扶手册填写不完整"),
    ProblemCategory.EDUCATION: ("教育资助未发放到位",),
    ProblemCategory.CLOTHING: ("冬季被褥不足",),
    ProblemCategory.FOOD: ("家中存粮不足，需临时救助",),
    ProblemCategory.OTHER: ("院前排水沟堵塞，雨天积水",),
}
_SEVERITY = {
    ProblemCategory.HOUSING: Severity.HIGH, ProblemCategory.MEDICAL: Severity.MEDIUM,
    ProblemCategory.EDUCATION: Severity.HIGH, ProblemCategory.FOOD: Severity.HIGH,
    ProblemCategory.WATER: Severity.MEDIUM, ProblemCategory.CLOTHING: Severity.MEDIUM,
}
_RANDOM_CATEGORIES = {
    ProblemCategory.HOUSING: 18, ProblemCategory.MEDICAL: 18, ProblemCategory.WATER: 12,
    ProblemCategory.INCOME: 15, ProblemCategory.POLICY: 22, ProblemCategory.EDUCATION: 5,
    ProblemCategory.CLOTHING: 3, ProblemCategory.FOOD: 2, ProblemCategory.OTHER: 5,
}
_RECTIFIED_NOTES = {
    ProblemCategory.HOUSING: "已完成屋面维修加固",
    ProblemCategory.MEDICAL: "已协助办理，待遇已落实",
    ProblemCategory.EDUCATION: "已劝返复学/资助已发放",
    ProblemCategory.WATER: "已完成管网维修并通水",
}
_FIELD_ROLES = (Role.FIELD_WORKER, Role.VILLAGE_CLERK, Role.HELPER_CADRE)


@dataclass(frozen=True)
class Finding:
    """A problem to create: about which household, what, and how far its life has gone."""

    home: Home
    category: ProblemCategory
    description: str
    target: ProblemState = ProblemState.CLOSED  # how far its life goes (time permitting)


_TARGETS = {ProblemState.CLOSED: 60, ProblemState.RECTIFIED: 12, ProblemState.ASSIGNED: 18, ProblemState.OPEN: 10}
# How long ago a problem with that fate was found, in days (None: any time in the history).
_FOUND_AGO: dict[ProblemState, tuple[int, int] | None] = {
    ProblemState.OPEN: (0, 20), ProblemState.ASSIGNED: (7, 45), ProblemState.RECTIFIED: (40, 75),
    ProblemState.CLOSED: None,
}


def random_findings(rng: Random, homes: list[Home], share: float) -> list[Finding]:
    """Problems in about ``share`` of the households; their fates dealt out in proportion."""
    chosen = [home for home in homes if rng.random() < share]
    fates: list[ProblemState] = []
    for state, weight in _TARGETS.items():
        if state is not ProblemState.CLOSED:
            fates += [state] * max(1 if len(chosen) >= 8 else 0, round(len(chosen) * weight / 100))
    fates = fates[:len(chosen)]
    fates += [ProblemState.CLOSED] * (len(chosen) - len(fates))
    rng.shuffle(fates)
    out = []
    for home, fate in zip(chosen, fates, strict=True):
        category = pick(rng, _RANDOM_CATEGORIES)
        out.append(Finding(home, category, rng.choice(_DESCRIPTIONS[category]), fate))
    return out


class Ledger:
    """Builds problems and their events, adding verification visits to the visit maker."""

    def __init__(self, seed: int, maker: VisitMaker, crews: dict[str, Crew], stations: dict[str, User],
                 supervisor: User, users: dict[str, User]) -> None:
        self.seed = seed
        self.maker = maker
        self.crews = crews
        self.stations = stations
        self.supervisor = supervisor
        self.users = users
        self.end = datetime.combine(maker.last, time(23, 59), CST)
        self.problems: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.reopened: list[str] = []

    def record(self, rng: Random, finding: Finding, visits: list[dict[str, Any]]) -> None:
        own = [v for v in visits if v["visitor_role"] in _FIELD_ROLES]
        if not own:
            return
        window = _FOUND_AGO[finding.target]
        if window is None:  # closed ones: found before the last two months, if possible
            early = [v for v in own if v["ended_at"] < self.end - timedelta(days=60)]
            visit = rng.choice(early or own)
        else:
            fitting = [v for v in own if window[0] <= (self.end - v["ended_at"]).days <= window[1]]
            visit = rng.choice(fitting) if fitting else own[-1]
        visit["answers"] = {**visit["answers"], "notes": finding.description}
        created = visit["ended_at"] + timedelta(minutes=rng.randint(0, 10))
        problem_id = record_id(rng)
        self.problems.append({
            "id": problem_id,
            "household_id": finding.home.id,
            "village_code": finding.home.village_code,
            "category": finding.category,
            "description": finding.description,
            "severity": _SEVERITY.get(finding.category, pick(rng, {Severity.LOW: 60, Severity.MEDIUM: 40})),
            "found_in_visit_id": visit["id"],
            "created_by": visit["visitor_id"],
            "created_at": created,
            "due_date": (created + timedelta(days=30)).date(),
        })
        self._life(rng, problem_id, finding, created)

    def _event(self, rng: Random, problem_id: str, action: ProblemAction, actor: User, at: datetime,
               **extra: Any) -> bool:
        if at > self.end:
            return False
        self.events.append({"id": record_id(rng), "problem_id": problem_id, "action": action, "actor_id": actor.id,
                            "actor_role": actor.role, "at": at, **extra})
        return True

    def _life(self, rng: Random, problem_id: str, finding: Finding, created: datetime) -> None:
        home = finding.home
        target = finding.target
        if target is ProblemState.OPEN:
            if rng.random() < 0.3:
                self._event(rng, problem_id, ProblemAction.COMMENT, self.crews[home.village_code].secretary,
                            _office_hours(rng, created + timedelta(days=1)), note="已登记，待交办")
            return
        crew = self.crews[home.village_code]
        station = self.stations[home.township_code]
        assigner = station if rng.random() < 0.6 else crew.secretary
        assignee = rng.choices((self.users[home.helper_id], crew.clerk, crew.secretary), weights=(50, 30, 20))[0]
        at = _office_hours(rng, created + timedelta(days=rng.randint(1, 5)))
        for round_ in (1, 2):
            due = (at + timedelta(days=30 if round_ == 1 else 15)).date()
            if not self._event(rng, problem_id, ProblemAction.ASSIGN, assigner, at, assignee_id=assignee.id,
                               due_date=due, note=f"请于{due.isoformat()}前完成整改"):
                return
            if rng.random() < 0.15:
                self._event(rng, problem_id, ProblemAction.COMMENT, crew.secretary,
                            _office_hours(rng, at + timedelta(days=rng.randint(3, 10))), note="已电话督促整改")
            if target is ProblemState.ASSIGNED:
                return
            slow = target is ProblemState.CLOSED and rng.random() < 0.1
            quick = target is ProblemState.RECTIFIED
            at = _office_hours(rng, at + timedelta(days=rng.randint(60, 120) if slow else
                                                    rng.randint(5, 25) if quick else rng.randint(5, 40)))
            after = {"sha256": photo_hash(self.seed, problem_id, round_, "after"), "taken_at": at,
                     "caption": "整改后照片"}
            note = _RECTIFIED_NOTES.get(finding.category, "已整改到位")
            if not self._event(rng, problem_id, ProblemAction.RECTIFY, assignee, at, note=note, photos=[after]):
                return
            if target is ProblemState.RECTIFIED:
                return
            verifier, at = self._verification(rng, home, station, at + timedelta(days=rng.randint(3, 20)))
            if at is None:
                return
            if round_ == 1 and rng.random() < 0.1:
                self._event(rng, problem_id, ProblemAction.REOPEN, verifier, at, note="复核发现整改不到位，重新交办")
                self.reopened.append(problem_id)
                assigner = verifier
                at = _office_hours(rng, at + timedelta(days=1))
                continue
            self._event(rng, problem_id, ProblemAction.VERIFY, verifier, at, note="经现场核实，整改到位，予以销号")
            return

    def _verification(self, rng: Random, home: Home, station: User,
                      day_at: datetime) -> tuple[User, datetime | None]:
        """The township station checks at the house (a visit); now and then the supervisor, from files."""
        if rng.random() < 0.2:
            return self.supervisor, _office_hours(rng, day_at)
        visit = self.maker.visit_on(rng, home, station, day_at.date(), VisitPurpose.PROBLEM_CHECK, tries=10)
        if visit is None:
            return station, None
        return station, visit["ended_at"] + timedelta(minutes=rng.randint(5, 30))


def _office_hours(rng: Random, at: datetime) -> datetime:
    day = at.date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), CST)


__all__ = ["Finding", "Ledger", "random_findings"]
