"""Members of a registered household (家庭成员), rows A4–A16 of the national registration form."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from field_app.core.codes import (
    DisabilityCategory,
    Education,
    Health,
    LabourCapacity,
    MemberStatus,
    Relation,
    SchoolStatus,
    Sex,
)
from field_app.core.i18n import Message
from field_app.core.models.base import Name, Record, Text, new_id, today_from
from field_app.core.validation import consistency_warnings, parse_id_number, require_not_future


class Member(Record):
    id: str = Field(default_factory=new_id)
    household_id: str
    name: Name
    sex: Sex
    # Optional: a newborn may not have a number yet. Checked (GB 11643) when present.
    id_number: str | None = None
    birth_date: date
    relation: Relation
    ethnicity: str = "汉族"
    education: Education | None = None
    school_status: SchoolStatus | None = None  # None: not recorded, not "out of school"
    dropout_reason: Text | None = None
    home_teaching: bool = False  # 送教上门, for children who cannot attend school
    health: Health = Health.HEALTHY
    illness: Text | None = None
    disability_category: DisabilityCategory | None = None
    disability_grade: Annotated[int, Field(ge=1, le=4)] | None = None
    labour: LabourCapacity = LabourCapacity.NORMAL
    work_place: Text | None = None
    work_months: Annotated[int, Field(ge=0, le=12)] | None = None
    # None means "not recorded", which the rules report differently from "no".
    medical_insurance: bool | None = None  # 城乡居民基本医疗保险
    serious_illness_insurance: bool | None = None  # 大病保险
    pension_insurance: bool | None = None  # 城乡居民基本养老保险
    family_doctor: bool | None = None  # 家庭医生签约
    min_living_guarantee: bool = False
    disability_allowance: bool = False
    status: MemberStatus = MemberStatus.PRESENT
    status_date: date | None = None

    @field_validator("id_number")
    @classmethod
    def _check_id_number(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value == "":
            return None
        return parse_id_number(value, today=today_from(info)).number

    @field_validator("birth_date", "status_date")
    @classmethod
    def _not_future(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is None:
            return None
        return require_not_future(value, today=today_from(info), field=info.field_name or "date")

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def warnings(self, *, today: date) -> list[Message]:
        """Non-blocking findings: entered sex or birth date disagreeing with the ID number."""
        if not self.id_number:
            return []
        resident = parse_id_number(self.id_number, today=today)
        return resident.warnings() + consistency_warnings(
            resident, name=self.name, sex=self.sex, birth_date=self.birth_date
        )


__all__ = ["Member"]
