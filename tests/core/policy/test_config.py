from __future__ import annotations

import pytest

from field_app.core.errors import ConfigError
from field_app.core.models import HouseholdStatus, Role
from field_app.core.policy import PolicyConfig, PovertyLine, config_from_yaml, default_config, load_config
from tests.core.policy.conftest import make_config


def test_default_config_loads_from_package_yaml() -> None:
    config = default_config()
    assert config is default_config()  # loaded once
    assert config.monitoring_band == 0.5
    assert config.large_expense_yuan == 10000
    assert (config.compulsory_age_min, config.compulsory_age_max) == (6, 15)


@pytest.mark.parametrize("year", range(2016, 2027))
def test_default_config_has_jiangxi_and_hubei_lines_2016_to_2026(year: int) -> None:
    config = default_config()
    for province in ("36", "42"):
        line = config.poverty_line(province, year)
        assert line.year == year  # its own line, not a fallback
        assert line.yuan_per_person > 2000


def test_default_lines_rise_and_match_known_figures() -> None:
    config = default_config()
    jiangxi = [config.poverty_line("36", year).yuan_per_person for year in range(2015, 2027)]
    assert jiangxi == sorted(jiangxi)
    assert config.poverty_line("36", 2020).yuan_per_person == 4000
    assert config.poverty_line("44", 2016).yuan_per_person == 4000  # Guangdong, seeds 002


def test_default_visit_duties() -> None:
    config = default_config()
    by_role = {
        (duty.role, duty.period)
        for duty in config.visit_duties
        if not duty.statuses and not duty.at_risk_only
    }
    assert by_role == {
        (Role.HELPER_CADRE, "month"),
        (Role.VILLAGE_CLERK, "quarter"),
        (Role.FIELD_WORKER, "quarter"),
        (Role.TOWNSHIP_STATION, "year"),
    }
    monitored = [duty for duty in config.visit_duties if duty.statuses]
    assert monitored and all(duty.period == "month" for duty in monitored)
    assert all(HouseholdStatus.MONITORED in duty.statuses for duty in monitored)


@pytest.mark.parametrize(
    ("province", "year", "line_year", "yuan"),
    [
        ("36", 2020, 2020, 4000),  # exact year
        ("36", 2021, 2020, 4000),  # missing year: latest earlier year
        ("36", 2022, 2022, 5000),
        ("36", 2030, 2024, 6000),  # after the last configured year
        ("44", 2019, 2016, 4000),
    ],
)
def test_poverty_line_exact_or_latest_earlier_year(
    province: str, year: int, line_year: int, yuan: int
) -> None:
    line = make_config().poverty_line(province, year)
    assert (line.province_code, line.year, line.yuan_per_person) == (province, line_year, yuan)


@pytest.mark.parametrize(("province", "year"), [("36", 2018), ("11", 2020), ("44", 2015)])
def test_missing_poverty_line_is_a_config_error(province: str, year: int) -> None:
    with pytest.raises(ConfigError) as caught:
        make_config().poverty_line(province, year)
    assert caught.value.code == "config.no_poverty_line"
    assert caught.value.params == {"province": province, "year": year}
    assert caught.value.message("zh") == f"未配置 {province} {year} 年的贫困线"


def test_lines_accept_list_or_table_form() -> None:
    listed = PolicyConfig(poverty_lines=[PovertyLine(province_code="36", year=2020, yuan_per_person=4000)])
    table = load_config({"poverty_lines": {"36": {2020: 4000}}})
    assert listed.poverty_lines == table.poverty_lines


@pytest.mark.parametrize(
    "data",
    [
        {"compulsory_age_min": 16, "compulsory_age_max": 15},
        {"poverty_lines": [{"province_code": "36", "year": 2020, "yuan_per_person": 4000}] * 2},
        {"poverty_lines": [{"province_code": "3", "year": 2020, "yuan_per_person": 4000}]},
        {"poverty_lines": {"36": {2020: -1}}},
        {"monitoring_band": -0.1},
        {"large_expense_yuan": 0},
        {"visit_duties": [{"role": "helper_cadre", "period": "week"}]},
        {"visit_duties": [{"role": "nobody", "period": "month"}]},
        {"unknown_setting": 1},
    ],
)
def test_invalid_config_is_a_config_error(data: dict) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(data)
    assert caught.value.code == "config.invalid"


def test_config_from_yaml() -> None:
    config = config_from_yaml(
        """
poverty_lines:
  "36": {2020: 4000}
monitoring_band: 0.3
visit_duties:
  - {role: helper_cadre, period: month, assigned_only: true}
"""
    )
    assert config.poverty_line("36", 2020).yuan_per_person == 4000
    assert config.monitoring_band == 0.3
    assert config.visit_duties[0].role is Role.HELPER_CADRE
    with pytest.raises(ConfigError):
        config_from_yaml("poverty_lines: [unclosed")


def test_config_is_immutable() -> None:
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        make_config().monitoring_band = 1  # type: ignore[misc]
