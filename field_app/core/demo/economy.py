"""A household's situation: status and years, housing, water, utilities, income, assistance.

Incomes are shaped against :data:`REFERENCE_LINE`, the per-capita line this demo assumes
(the national line to 2020, then a Jiangxi-style monitoring line). It only steers the demo
data — "most exited households well above, a few near, the not-exited below"; the
product's own poverty lines are policy configuration, not this table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Any

from field_app.core.codes import (
    AssistanceKind,
    Fuel,
    Health,
    HouseholdCategory,
    HouseholdStatus,
    HousingGrade,
    HousingStructure,
    LabourCapacity,
    RenovationStatus,
    SchoolStatus,
    WaterSource,
)
from field_app.core.demo.ids import record_id
from field_app.core.demo.people import MIGRANT_PLACES, Draft, pick

REFERENCE_LINE: dict[int, int] = {
    2014: 2800, 2015: 2855, 2016: 2952, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000,
    2021: 6000, 2022: 6300, 2023: 6600, 2024: 7000, 2025: 7300, 2026: 7600,
}


def reference_line(year: int) -> float:
    if year in REFERENCE_LINE:
        return float(REFERENCE_LINE[year])
    if year < 2014:
        return float(REFERENCE_LINE[2014])
    return REFERENCE_LINE[2026] * 1.04 ** (year - 2026)


def _price_level(year: int) -> float:
    """Wages and allowances grow about 5 % a year (2025 = 1)."""
    return 1.05 ** (year - 2025)


# ---------------------------------------------------------------- status and years

_IDENTIFIED = {2014: 65, 2015: 15, 2016: 8, 2017: 6, 2018: 4, 2019: 2}
_EXITS = {2015: 8, 2016: 15, 2017: 22, 2018: 25, 2019: 22, 2020: 8, None: 4}


@dataclass(frozen=True)
class Standing:
    status: HouseholdStatus
    identified_year: int
    exit_year: int | None


def standing(rng: Random, today: date, *, force_exited: bool = False) -> Standing:
    """Status with its years, realistic for ``today`` (exits ran 2015–2020)."""
    identified = min(pick(rng, _IDENTIFIED), today.year)
    exit_year = pick(rng, _EXITS)
    if force_exited and exit_year is None:
        exit_year = 2019
    if exit_year is not None:
        exit_year = min(2020, max(exit_year, identified + 1))
    if exit_year is None or exit_year > today.year - 1:
        return Standing(HouseholdStatus.NOT_EXITED, identified, None)
    if today.year >= 2021 and not force_exited:
        roll = rng.random()
        if roll < 0.075:
            return Standing(HouseholdStatus.MONITORED, identified, exit_year)
        if roll < 0.095:
            return Standing(HouseholdStatus.RETURNED, identified, exit_year)
    status = HouseholdStatus.EXITED_SUPPORTED if rng.random() < 0.66 else HouseholdStatus.EXITED
    return Standing(status, identified, exit_year)


# ---------------------------------------------------------------- living conditions

def housing(rng: Random, today: date, status: HouseholdStatus, persons: int, *,
            dangerous: bool = False) -> dict[str, Any]:
    """The house; ``dangerous`` plants a C/D house never renovated in an exited household."""
    last_year = today.year
    if not dangerous and rng.random() < 0.03:  # 易地扶贫搬迁: a flat of ≤ 25 m² a person
        return {"grade": HousingGrade.A, "renovation": RenovationStatus.NOT_NEEDED,
                "area_m2": float(persons * rng.choice((20, 25))), "structure": HousingStructure.REINFORCED_CONCRETE,
                "year_built": min(last_year, rng.randint(2017, 2019)), "relocated": True}
    grade = HousingGrade.D if dangerous and rng.random() < 0.5 else HousingGrade.C if dangerous else pick(
        rng, {HousingGrade.A: 55, HousingGrade.B: 38, HousingGrade.C: 4, HousingGrade.D: 3})
    renovation = RenovationStatus.NOT_NEEDED
    if grade.is_dangerous and not dangerous:
        if status.is_exited or rng.random() < 0.5:  # 改造一户、销档一户: renovated, now safe
            grade, renovation = pick(rng, {HousingGrade.A: 70, HousingGrade.B: 30}), RenovationStatus.DONE
        else:
            renovation = pick(rng, {RenovationStatus.PLANNED: 50, RenovationStatus.IN_PROGRESS: 50})
    elif dangerous:
        renovation = pick(rng, {RenovationStatus.NOT_NEEDED: 50, RenovationStatus.PLANNED: 50})
    elif rng.random() < 0.1:
        renovation = RenovationStatus.DONE
    if renovation is RenovationStatus.DONE:
        structure = HousingStructure.BRICK_CONCRETE
        built = min(last_year, rng.randint(2016, 2020))
    elif grade is HousingGrade.D:
        structure = pick(rng, {HousingStructure.EARTH_BAMBOO: 60, HousingStructure.BRICK_WOOD: 40})
        built = rng.randint(1980, 1992)  # the model refuses years before 1980
    elif grade is HousingGrade.C:
        structure = pick(rng, {HousingStructure.BRICK_WOOD: 60, HousingStructure.EARTH_BAMBOO: 20,
                               HousingStructure.BRICK_CONCRETE: 20})
        built = rng.randint(1980, 1998)
    else:
        structure = pick(rng, {HousingStructure.BRICK_CONCRETE: 65, HousingStructure.REINFORCED_CONCRETE: 15,
                               HousingStructure.BRICK_WOOD: 20 if grade is HousingGrade.B else 0})
        built = min(last_year, rng.randint(1995, 2019) if grade is HousingGrade.A else rng.randint(1980, 2015))
    area = rng.randint(30, 80) if persons == 1 else rng.randint(60, 200)
    return {"grade": grade, "renovation": renovation, "area_m2": float(area), "structure": structure,
            "year_built": built, "relocated": False}


def water(rng: Random) -> dict[str, Any]:
    source = pick(rng, {WaterSource.TAP_TREATED: 75, WaterSource.PROTECTED_WELL: 20,
                        WaterSource.UNPROTECTED_WELL: 3, WaterSource.RAINWATER: 0.5, WaterSource.OTHER: 1.5})
    quality = {WaterSource.TAP_TREATED: 0.99, WaterSource.PROTECTED_WELL: 0.9}.get(source, 0.5)
    return {
        "source": source,
        "quantity_ok": pick(rng, {True: 96, False: 2, None: 2}),
        "quality_ok": rng.random() < quality if rng.random() < 0.98 else None,
        "convenient": pick(rng, {True: 96, False: 2, None: 2}),
    }


def utilities(rng: Random) -> dict[str, Any]:
    fuels = pick(rng, {
        (Fuel.ELECTRICITY, Fuel.FIREWOOD): 40, (Fuel.ELECTRICITY, Fuel.GAS): 25, (Fuel.FIREWOOD,): 10,
        (Fuel.ELECTRICITY, Fuel.GAS, Fuel.FIREWOOD): 15, (Fuel.GAS, Fuel.FIREWOOD): 7, (Fuel.ELECTRICITY,): 3,
    })
    return {
        "electricity": True if rng.random() < 0.997 else None,
        "road_access": pick(rng, {True: 97, False: 2, None: 1}),
        "sanitary_toilet": pick(rng, {True: 80, False: 15, None: 5}),
        "fuels": list(fuels),
        "market_distance_km": round(rng.uniform(1.0, 12.0), 1),
        "cooperative_member": rng.random() < 0.25,
    }


# ---------------------------------------------------------------- income

_EXPENSE_CAUSES = ("家庭成员重病住院", "家庭成员意外受伤住院", "房屋受洪灾损毁", "子女上大学费用")


def _target_multiple(rng: Random, status: HouseholdStatus, below_line: bool) -> float:
    """Latest year's per-capita net income as a multiple of the reference line."""
    if below_line:
        return rng.uniform(0.75, 0.92)
    if status.is_exited:
        if rng.random() < 0.06:
            return rng.uniform(1.02, 1.15)  # only just above
        return min(4.5, max(1.15, rng.lognormvariate(math.log(2.0), 0.35)))
    if status is HouseholdStatus.MONITORED:
        return rng.uniform(0.95, 1.35)
    if status is HouseholdStatus.RETURNED:
        return rng.uniform(0.55, 0.95)
    return rng.uniform(0.6, 1.0)


def _ages_in(draft: Draft, year: int, today: date) -> int:
    return draft.age - (today.year - year)


def incomes(rng: Random, today: date, members: Sequence[Draft], category: HouseholdCategory,
            status: HouseholdStatus, *, below_line: bool = False) -> list[dict[str, Any]]:
    """The last three complete years, latest last."""
    present = [m for m in members if m.present]
    persons = max(1, len(present))
    workers = [m for m in present if m.worker]
    farmers = [m for m in present if not m.worker and m.labour in
               (LabourCapacity.NORMAL, LabourCapacity.SKILLED, LabourCapacity.PARTLY_LOST) and m.age >= 16]
    migrant = any(m.work_place in MIGRANT_PLACES for m in workers)
    years = [today.year - 3, today.year - 2, today.year - 1]
    latest = _target_multiple(rng, status, below_line)
    growth = rng.uniform(1.0, 1.06)
    shock = status in (HouseholdStatus.RETURNED, HouseholdStatus.MONITORED) and rng.random() < 0.6
    wage_share = rng.uniform(0.75, 0.95) if migrant else rng.uniform(0.5, 0.8)
    cost_ratio = rng.uniform(0.2, 0.4)
    eco = rng.randint(15, 50) * 10
    dividends = rng.randint(30, 200) * 10 if rng.random() < 0.35 else 0
    out: list[dict[str, Any]] = []
    for back, year in enumerate(reversed(years)):
        if back == 0:
            multiple = latest
        elif shock:  # fine before the bad year
            multiple = rng.uniform(1.2, 1.8)
        else:
            multiple = latest / growth**back
        level = _price_level(year)
        net = multiple * reference_line(year) * persons
        transfers = eco * level
        for m in present:
            if _ages_in(m, year, today) >= 60:
                transfers += 1900 * level  # basic pension
            if m.min_living:
                transfers += 5400 * level
            if category is HouseholdCategory.EXTREME:
                transfers += 10000 * level  # 特困供养金
            if m.disability_allowance:
                transfers += 1500 * level
        prop = dividends * level
        rest = net - transfers - prop
        wages = business = costs = 0.0
        if rest < 0 and multiple < 1:
            transfers = max(0.0, net * 0.9 - prop)
        elif rest > 0:
            if workers:
                wages = rest * (wage_share if farmers else 1.0)
                farm = rest - wages
            else:
                farm = rest if farmers else 0.0
                transfers += rest - farm  # support from children living elsewhere (赡养费)
            if farm > 0:
                business = farm / (1 - cost_ratio)
                costs = business - farm
        income: dict[str, Any] = {
            "year": year,
            "wages": float(round(wages, -2)),
            "business": float(round(business, -2)),
            "property_income": float(round(prop, -1)),
            "transfers": float(round(transfers)),
            "production_costs": float(round(costs, -1)),
        }
        if back == 0 and shock:
            income["unavoidable_expenses"] = float(rng.randint(20, 80) * 1000)
            income["expense_cause"] = rng.choice(_EXPENSE_CAUSES)
        out.append(income)
    out.reverse()
    return out


# ---------------------------------------------------------------- assistance

_INDUSTRY = ("脐橙种植奖补", "富硒蔬菜大棚奖补", "养殖奖补（鸡鸭）", "油茶低改奖补", "白莲种植奖补", "产业合作社入股")
_EMPLOYMENT = ("公益性岗位补贴（保洁员）", "扶贫车间务工补贴", "外出务工交通补贴", "生态护林员补贴")
_OTHER = ("光伏扶贫分红", "春节慰问金")


def assistance(rng: Random, today: date, members: Sequence[Draft], category: HouseholdCategory,
               identified_year: int, house: dict[str, Any], latest_income: dict[str, Any]) -> list[dict[str, Any]]:
    present = [m for m in members if m.present]
    first, last = identified_year, today.year - 1 if today.year - 1 >= identified_year else identified_year
    out: list[dict[str, Any]] = []

    def add(kind: AssistanceKind, year: int, amount: float, note: str) -> None:
        out.append({"id": record_id(rng), "kind": kind, "year": max(first, min(year, last)),
                    "amount": float(amount), "note": note})

    able = any(m.labour is not LabourCapacity.NONE and m.labour is not LabourCapacity.LOST for m in present)
    if able:
        for _ in range(pick(rng, {0: 25, 1: 50, 2: 25})):
            add(AssistanceKind.INDUSTRY, rng.randint(first, min(last, 2020)), rng.randint(10, 50) * 100,
                rng.choice(_INDUSTRY))
    if any(m.worker for m in present) and rng.random() < 0.5:
        add(AssistanceKind.EMPLOYMENT, rng.randint(first, last), rng.randint(3, 80) * 100, rng.choice(_EMPLOYMENT))
    for m in present:
        if m.school in (SchoolStatus.PRIMARY, SchoolStatus.JUNIOR):
            add(AssistanceKind.EDUCATION, last, 1000 if m.school is SchoolStatus.PRIMARY else 1250,
                f"{m.name}：义务教育阶段家庭经济困难学生生活补助")
        elif m.school is SchoolStatus.SENIOR:
            add(AssistanceKind.EDUCATION, last, 2000, f"{m.name}：普通高中国家助学金")
        elif m.school in (SchoolStatus.VOCATIONAL, SchoolStatus.COLLEGE):
            add(AssistanceKind.EDUCATION, last, 3000, f"{m.name}：雨露计划助学补助")
    if any(m.health is not Health.HEALTHY for m in present):
        if rng.random() < 0.5:
            add(AssistanceKind.HEALTH, rng.randint(max(first, last - 3), last), rng.randint(3, 60) * 1000,
                "住院医疗费用报销（四道保障线）")
        else:
            add(AssistanceKind.HEALTH, last, rng.randint(5, 30) * 100, "慢性病门诊补助")
    if house["renovation"] is RenovationStatus.DONE:
        add(AssistanceKind.HOUSING, house["year_built"], rng.randint(15, 40) * 1000, "农村危房改造补助")
    if house["relocated"]:
        add(AssistanceKind.RELOCATION, house["year_built"], 20000 * max(1, len(present)), "易地扶贫搬迁（集中安置）")
    if able and rng.random() < 0.12:
        since = max(first, 2016)
        add(AssistanceKind.MICROCREDIT, rng.randint(since, max(since, min(last, 2019))),
            rng.choice((30000, 40000, 50000)), "扶贫小额信贷，3年期，免抵押免担保，财政贴息")
    allowance = round(sum(5400 * _price_level(latest_income["year"]) for m in present if m.min_living))
    if allowance:
        add(AssistanceKind.MIN_LIVING, latest_income["year"], allowance, "农村低保金")
    if rng.random() < 0.2:
        add(AssistanceKind.OTHER, rng.randint(first, last), rng.randint(2, 10) * 100, rng.choice(_OTHER))
    out.sort(key=lambda item: item["year"])
    return out


__all__ = ["REFERENCE_LINE", "Standing", "assistance", "housing", "incomes", "reference_line", "standing",
           "utilities", "water"]
