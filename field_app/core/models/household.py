"""Registered households (建档立卡户): identity, category, status, causes, living conditions,
income by year, assistance received. Members are separate records (see ``member.py``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from field_app.core.codes import (
    AssistanceKind,
    Fuel,
    HouseholdCategory,
    HouseholdStatus,
    HousingGrade,
    HousingStructure,
    IdentificationStandard,
    PovertyCause,
    RenovationStatus,
    WaterSource,
)
from field_app.core.models.base import Money, Name, Record, Text, new_id
from field_app.core.models.geo import GeoPoint
from field_app.core.models.places import VillageCode
from field_app.core.validation import normalize_phone

Year = Annotated[int, Field(ge=1980, le=2100)]


class Housing(Record):
    grade: HousingGrade | None = None
    renovation: RenovationStatus = RenovationStatus.NOT_NEEDED
    area_m2: Annotated[float, Field(ge=0, le=2000)] | None = None
    structure: HousingStructure | None = None
    year_built: Annotated[int, Field(ge=1900, le=2100)] | None = None  # earth houses predate 1980
    relocated: bool = False  # 易地扶贫搬迁


class Water(Record):
    source: WaterSource | None = None
    # The three tests of 饮水安全; None is "not checked yet".
    quantity_ok: bool | None = None
    quality_ok: bool | None = None
    convenient: bool | None = None  # not over 1 km or 100 m uphill, not short half the year


class IncomeYear(Record):
    """One year's household income by source (A17–A20), in yuan."""

    year: Year
    wages: Money = 0
    business: Money = 0  # 生产经营性收入
    property_income: Money = 0
    transfers: Money = 0  # pensions, minimum-living allowance, eco-compensation, ...
    production_costs: Money = 0
    # Large unavoidable expenses of the year (illness, disaster, accident): a monitoring trigger.
    unavoidable_expenses: Money = 0
    expense_cause: Text | None = None
    # Household size used for per-capita figures; the present members when not given.
    persons: Annotated[int, Field(ge=1, le=50)] | None = None

    @property
    def net(self) -> float:
        return self.wages + self.business + self.property_income + self.transfers - self.production_costs


class Assistance(Record):
    id: str = Field(default_factory=new_id)
    kind: AssistanceKind
    year: Year
    amount: Money = 0
    note: Text | None = None


class Household(Record):
    id: str = Field(default_factory=new_id)
    number: Annotated[str, Field(min_length=1, max_length=32)]  # 户编号
    village_code: VillageCode
    head_name: Name
    head_member_id: str | None = None
    phone: str | None = None
    address: Text | None = None
    location: GeoPoint | None = None
    standard: IdentificationStandard = IdentificationStandard.NATIONAL
    category: HouseholdCategory
    status: HouseholdStatus
    identified_year: Year
    exit_year: Year | None = None
    main_cause: PovertyCause
    other_causes: Annotated[list[PovertyCause], Field(max_length=2)] = []
    # 两不愁 as last assessed at a visit; None until someone has checked.
    food_secure: bool | None = None
    clothing_secure: bool | None = None
    housing: Housing = Housing()
    water: Water = Water()
    electricity: bool | None = None
    road_access: bool | None = None
    sanitary_toilet: bool | None = None
    fuels: Annotated[list[Fuel], Field(max_length=3)] = []
    market_distance_km: Annotated[float, Field(ge=0, le=500)] | None = None
    cooperative_member: bool = False
    incomes: list[IncomeYear] = []
    assistance: list[Assistance] = []
    helper_ids: list[str] = []  # 帮扶责任人 (user ids)
    deleted: bool = False  # removed from the registry (动态管理): kept, never erased

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        return normalize_phone(value) if value else None

    @model_validator(mode="after")
    def _causes_and_years(self) -> Household:
        if self.main_cause in self.other_causes:
            raise ValueError("主要致贫原因不能同时列为其他致贫原因 (main cause repeated among other causes)")
        if len(set(self.other_causes)) != len(self.other_causes):
            raise ValueError("其他致贫原因有重复 (other causes repeated)")
        if self.exit_year is not None and self.exit_year < self.identified_year:
            raise ValueError("脱贫年度早于识别年度 (exit year before identification year)")
        years = [income.year for income in self.incomes]
        if len(set(years)) != len(years):
            raise ValueError("同一年度的收入录入了两次 (income recorded twice for one year)")
        return self

    def income_for(self, year: int) -> IncomeYear | None:
        return next((income for income in self.incomes if income.year == year), None)

    def latest_income(self) -> IncomeYear | None:
        return max(self.incomes, key=lambda income: income.year, default=None)


__all__ = ["Assistance", "Household", "Housing", "IncomeYear", "Water", "Year"]
