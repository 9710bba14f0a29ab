"""Settings are read from the environment in one place, and only there."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pydantic
import pytest

from sync_server import Settings
from sync_server.settings import DEFAULT_FORMS_FOLDER


def test_from_env_reads_bianfang_variables_and_overrides_win():
    settings = Settings.from_env(
        {"BIANFANG_DATABASE": "a.sqlite3", "BIANFANG_PUBLIC_URL": "https://x.example", "BIANFANG_SCRYPT_N": "2048",
         "BIANFANG_MAX_BODY_BYTES": "4096", "UNRELATED": "1"},
        database_path=Path("b.sqlite3"),
        forms_folder=None,  # None: not given on the command line
    )
    assert settings.database_path == Path("b.sqlite3")
    assert settings.public_url == "https://x.example"
    assert settings.password_kdf.n == 2048
    assert settings.max_body_bytes == 4096
    assert settings.forms_folder == DEFAULT_FORMS_FOLDER


def test_defaults_do_not_depend_on_the_environment(monkeypatch):
    monkeypatch.setenv("BIANFANG_DATABASE", "elsewhere.sqlite3")
    assert Settings().database_path == Path("bianfang-server.sqlite3")
    assert Settings.from_env({}).password_kdf.n == 2**17


def test_today_is_the_date_in_china():
    late_evening_utc = datetime(2026, 5, 20, 17, 0, tzinfo=UTC)  # 01:00 on the 21st in Beijing
    assert Settings(clock=lambda: late_evening_utc).today() == date(2026, 5, 21)


def test_settings_are_frozen_and_strict():
    with pytest.raises(pydantic.ValidationError):
        Settings(unknown_setting=1)
    with pytest.raises(pydantic.ValidationError):
        Settings().max_body_bytes = 5  # type: ignore[misc]


def test_the_command_line_does_not_load_the_web_framework():
    probe = "import sys, sync_server.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
