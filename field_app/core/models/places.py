"""Counties, townships and villages, named by 12-digit administrative codes (GB/T 2260 style).

A 12-digit code reads province (2) city (2) county (2) township (3) village (3); a township's
code ends in 000, a county's in 000000.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from field_app.core.errors import ValidationError
from field_app.core.models.base import Name, Record


def _twelve_digits(value: str) -> str:
    if len(value) != 12 or not value.isdigit():
        raise ValidationError("admin_code.invalid", value=value)
    return value


def _village_code(value: str) -> str:
    _twelve_digits(value)
    if value[6:9] == "000" or value[9:] == "000":
        raise ValidationError("admin_code.not_village", value=value)
    return value


AdminCode = Annotated[str, AfterValidator(_twelve_digits)]
VillageCode = Annotated[str, AfterValidator(_village_code)]


def county_of(code: str) -> str:
    return code[:6] + "000000"


def township_of(code: str) -> str:
    return code[:9] + "000"


class County(Record):
    code: AdminCode
    name: Name
    province: Name


class Township(Record):
    code: AdminCode
    name: Name
    county_code: AdminCode


class Village(Record):
    code: VillageCode
    name: Name
    township_code: AdminCode
    poor_village: bool = False  # 贫困村 (its exit, 出列, is measured by the incidence rate)

    @property
    def county_code(self) -> str:
        return county_of(self.code)


__all__ = ["AdminCode", "County", "Township", "Village", "VillageCode", "county_of", "township_of"]
