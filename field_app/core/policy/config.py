"""Policy configuration: poverty lines, the monitoring band, thresholds, visit duties.

Every threshold the rules use lives here and is data (``default_policy.yaml`` for the demo
values; the county office edits its own), never a constant in rule code.

Poverty-line look-up (:meth:`PolicyConfig.poverty_line`): the line of the exact year, else
the latest earlier year configured for that province (a new year's line is often published
months into the year; the rules keep working on last year's line and say so), else
:class:`ConfigError` ``config.no_poverty_line``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from field_app.core.codes import HouseholdCategory, HouseholdStatus, Role
from field_app.core.errors import ConfigError
from field_app.core.models.base import Record, Text
from field_app.core.models.household import Year

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$")]
Period = Literal["month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("month", "quarter", "year")  # shortest first

DEFAULT_POLICY_FILE = "default_policy.yaml"


class PovertyLine(Record):
    """Per-capita net income line (yuan per person per year) of one province for one year."""

    province_code: ProvinceCode
    year: Year
    yuan_per_person: Annotated[float, Field(gt=0, le=1_000_000)]


class VisitDuty(Record):
    """One visiting duty: ``role`` visits every matching household once per ``period``.

    ``statuses`` / ``categories``: the duty covers only households with one of these (None: all).
    ``assigned_only``: only households the visitor is a paired helper of (``Household.helper_ids``).
    ``at_risk_only``: only households with a monitoring risk flag (see ``monitoring.py``).
    When several duties of a role cover a household, the shortest period governs.
    """

    role: Role
    period: Period
    statuses: frozenset[HouseholdStatus] | None = None
    categories: frozenset[HouseholdCategory] | None = None
    assigned_only: bool = False
    at_risk_only: bool = False
    note: Text | None = None


class PolicyConfig(Record):
    poverty_lines: tuple[PovertyLine, ...] = ()
    # Income above the line by up to this fraction of the line is still "near the line":
    # 0.5 flags line < per-capita income <= 1.5 x line.
    monitoring_band: Annotated[float, Field(ge=0, le=10)] = 0.5
    # An unavoidable expense (illness, disaster, accident) of the year at or over this is a risk.
    large_expense_yuan: Annotated[float, Field(gt=0)] = 10_000
    # Compulsory education (义务教育): ages on the day of assessment, both ends included.
    compulsory_age_min: Annotated[int, Field(ge=0, le=30)] = 6
    compulsory_age_max: Annotated[int, Field(ge=0, le=30)] = 15
    visit_duties: tuple[VisitDuty, ...] = ()
    note: Text | None = None

    @field_validator("poverty_lines", mode="before")
    @classmethod
    def _lines_from_table(cls, value: Any) -> Any:
        """Accept the compact form ``{province: {year: yuan}}`` used in the YAML file."""
        if isinstance(value, Mapping):
            return [
                {"province_code": str(province), "year": int(year), "yuan_per_person": yuan}
                for province, years in value.items()
                for year, yuan in (years or {}).items()
            ]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PolicyConfig:
        if self.compulsory_age_min > self.compulsory_age_max:
            raise ValueError("义务教育起始年龄大于结束年龄 (compulsory_age_min > compulsory_age_max)")
        keys = [(line.province_code, line.year) for line in self.poverty_lines]
        if len(set(keys)) != len(keys):
            raise ValueError("同一省份同一年度的贫困线配置了两次 (poverty line defined twice)")
        return self

    def poverty_line(self, province_code: str, year: int) -> PovertyLine:
        """The line for ``year``, else the latest earlier year of the province, else ConfigError."""
        best: PovertyLine | None = None
        for line in self.poverty_lines:
            if line.province_code != province_code or line.year > year:
                continue
            if best is None or line.year > best.year:
                best = line
                if line.year == year:
                    break
        if best is None:
            raise ConfigError("config.no_poverty_line", province=province_code, year=year)
        return best

    def is_compulsory_age(self, age: int) -> bool:
        return self.compulsory_age_min <= age <= self.compulsory_age_max


def load_config(data: Any) -> PolicyConfig:
    """Validate a parsed mapping (e.g. from YAML) as a :class:`PolicyConfig`.

    A fault becomes :class:`ConfigError` ``config.invalid`` naming the first problem.
    """
    try:
        return PolicyConfig.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError("config.invalid", reason=f"{where}: {first['msg']}") from None


def config_from_yaml(text: str) -> PolicyConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError("config.invalid", reason=str(exc)) from None
    return load_config(data or {})


@cache
def default_config() -> PolicyConfig:
    """The demo policy shipped with the package (``default_policy.yaml``).

    Read once and memoised: the file is package data and the config is immutable.
    """
    text = resources.files(__package__).joinpath(DEFAULT_POLICY_FILE).read_text(encoding="utf-8")
    return config_from_yaml(text)


__all__ = [
    "DEFAULT_POLICY_FILE",
    "PERIODS",
    "Period",
    "PolicyConfig",
    "PovertyLine",
    "ProvinceCode",
    "VisitDuty",
    "config_from_yaml",
    "default_config",
    "load_config",
]
