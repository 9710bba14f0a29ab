"""A short, Chinese-first printed overview of a generated demo county."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TextIO

from field_app.core.demo.county import PLANTED_KINDS, DemoCounty
from field_app.core.models import (
    Coded,
    Health,
    Household,
    HouseholdStatus,
    Member,
    MemberStatus,
    Role,
    fold_problem,
)
from field_app.core.models.problem import ProblemState

Say = Callable[[str], None]

_PLANTED_SHORT = {
    "out_of_school_no_reason": "适龄未在校无原因",
    "dropped_out": "辍学",
    "home_teaching": "送教上门",
    "uninsured": "未参医保",
    "exited_dangerous_house": "已脱贫住危房",
    "exited_below_line": "已脱贫收入低于线",
    "no_gps": "走访无定位",
    "too_short": "走访仅3分钟",
    "impossible_travel": "5分钟跨村10公里",
    "shared_photo": "两户共用照片",
}


def print_summary(county: DemoCounty, out: TextIO = sys.stdout, *, samples: int = 3) -> None:
    """Counts per village, the status and category mix, the ledger, and a few sample households."""

    def line(text: str = "") -> None:
        print(text, file=out)

    present = sum(1 for m in county.members if m.status is MemberStatus.PRESENT)
    township_names = "、".join(t.name for t in county.townships)
    line(f"遍访 演示县 Demo county — 江西省赣州市{county.county.name}（{county.county.code}）")
    line(f"种子 seed {county.seed} · 日期 today {county.today.isoformat()} · 乡镇 townships: {township_names}")
    line(f"村 {len(county.villages)} 个 · 建档立卡户 {len(county.households):,} 户 · 家庭成员 {len(county.members):,} 人"
         f"（在户 {present:,}）· 用户 {len(county.users):,} · 走访 {len(county.visits):,} 条 · "
         f"问题 {len(county.problems):,} 个（事件 {len(county.problem_events):,} 条）")
    line()

    line("各村 Villages")
    visits_by_village = Counter(v.village_code for v in county.visits)
    problems_by_village = Counter(p.village_code for p in county.problems)
    line(f"  {pad('村 village', 18)}{pad('代码 code', 15)}{'户 hh':>7}{'人 ppl':>8}{'走访 visits':>12}"
         f"{'问题 prob.':>11}")
    for village in county.villages[:20]:
        households = county.households_in(village.code)
        people = sum(len(county.members_of(h.id)) for h in households)
        name = village.name + ("（贫困村）" if village.poor_village else "")
        line(f"  {pad(name, 18)}{village.code:<15}{len(households):>7}{people:>8}"
             f"{visits_by_village[village.code]:>12,}{problems_by_village[village.code]:>11}")
    if len(county.villages) > 20:
        line(f"  … 另有 {len(county.villages) - 20} 个村 (and {len(county.villages) - 20} more villages)")
    line()

    _mix(line, "户状态 Status", (h.status for h in county.households), len(county.households))
    _mix(line, "户属性 Category", (h.category for h in county.households), len(county.households))
    _mix(line, "主要致贫原因 Main cause", (h.main_cause for h in county.households), len(county.households), top=6)

    states = Counter(fold_problem(p, list(county.events_of(p.id))).state for p in county.problems)
    line("问题台账 Problem ledger: " + " · ".join(f"{s.zh} {s.en} {states[s]}" for s in ProblemState))
    roles = Counter(v.visitor_role for v in county.visits)
    line("走访 Visits by role: " + " · ".join(f"{r.zh} {roles[r]:,}" for r in Role if roles[r]))
    line("埋设的疑点 Planted for the checks: " + " · ".join(
        f"{_PLANTED_SHORT.get(kind, kind)} {len(county.planted.get(kind, ()))}" for kind in PLANTED_KINDS))
    line()

    line("样例户 Sample households")
    for household in _samples(county, samples):
        _household(line, county, household)


def pad(text: str, width: int) -> str:
    """Pad to ``width`` display columns (a CJK character takes two)."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - shown)


def _mix(line: Say, title: str, values: Iterable[Coded], total: int, top: int | None = None) -> None:
    counts = Counter(values).most_common(top)
    parts = [f"{value.zh} {count} ({count / max(1, total):.0%})" for value, count in counts]
    line(f"{title}: " + " · ".join(parts))


def _samples(county: DemoCounty, count: int) -> list[Household]:
    picks: list[Household] = []
    wanted = [
        lambda h: True,
        lambda h: h.status in (HouseholdStatus.MONITORED, HouseholdStatus.RETURNED),
        lambda h: len(county.members_of(h.id)) >= 5,
        lambda h: h.status is HouseholdStatus.NOT_EXITED,
    ]
    for test in wanted:
        found = next((h for h in county.households if test(h) and h not in picks), None)
        if found is not None and len(picks) < count:
            picks.append(found)
    return picks


def _household(say: Say, county: DemoCounty, household: Household) -> None:
    exit_text = f" / {household.exit_year} 脱贫" if household.exit_year else ""
    say(f"  {household.number}  {household.head_name}  {household.address or ''}")
    say(f"     {household.category.zh} · {household.status.zh} · {household.main_cause.zh}"
        + (f"（另：{'、'.join(c.zh for c in household.other_causes)}）" if household.other_causes else "")
        + f" · {household.identified_year} 识别{exit_text}")
    income = household.latest_income()
    members = county.members_of(household.id)
    if income is not None:
        persons = income.persons or max(1, sum(1 for m in members if m.status is MemberStatus.PRESENT))
        say(f"     {income.year} 年人均纯收入 {income.net / persons:,.0f} 元 · 住房 "
            f"{household.housing.grade.zh if household.housing.grade else '未鉴定'} · 帮扶责任人 "
            + "、".join(county.user(uid).name for uid in household.helper_ids))
    visits = county.visits_of(household.id)
    if visits:
        say(f"     走访 {len(visits)} 次，最近 {visits[-1].started_at.date().isoformat()}")
    for member in members:
        say("     · " + _member_text(member, county))


def _member_text(member: Member, county: DemoCounty) -> str:
    parts = [member.relation.zh, member.name, member.sex.zh, f"{member.age_on(county.today)}岁"]
    if member.education:
        parts.append(member.education.zh)
    if member.school_status.in_school or member.dropout_reason:
        parts.append(f"在校：{member.school_status.zh}" if member.school_status.in_school else member.school_status.zh)
    if member.home_teaching:
        parts.append("送教上门")
    if member.health is Health.DISABLED and member.disability_category:
        parts.append(f"{member.disability_category.zh}{member.disability_grade}级")
    elif member.health is not Health.HEALTHY:
        parts.append(f"{member.health.zh}（{member.illness}）")
    if member.work_place:
        parts.append(f"务工：{member.work_place}")
    if member.status is not MemberStatus.PRESENT:
        parts.append(f"[{member.status.zh} {member.status_date.isoformat() if member.status_date else ''}]")
    return " ".join(parts)


__all__ = ["pad", "print_summary"]
