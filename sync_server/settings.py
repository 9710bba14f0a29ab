"""The server's configuration: one frozen object, built once at the edge and passed down.

Nothing below :func:`Settings.from_env` reads the environment: ``create_app(settings)`` and the
services receive what they need. Tests build ``Settings(...)`` directly, with a fixed clock and
cheap password hashing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from field_app.core.policy import PolicyConfig, default_config
from sync_server.auth.passwords import ScryptParams
from sync_server.clock import Clock, china_date, system_clock

# The standard form definitions shipped with the project (``forms/`` beside the packages).
DEFAULT_FORMS_FOLDER = Path(__file__).resolve().parent.parent / "forms"
DEFAULT_DATABASE = Path("bianfang-server.sqlite3")

ENV_PREFIX = "BIANFANG_"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    database_path: Path = DEFAULT_DATABASE
    forms_folder: Path = DEFAULT_FORMS_FOLDER
    # Put into enrolment QR codes: the address a tablet at the township station reaches.
    public_url: str = "http://127.0.0.1:8000"
    # Requests above this are refused with 413 before the body is read (photos come later,
    # through their own resumable upload, not through one giant request).
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # A console/admin session (bearer token from POST /api/v1/sessions).
    session_lifetime: timedelta = timedelta(hours=12)
    # Enrolment codes are handed out at a training day; three days covers a late tablet.
    enrolment_code_lifetime: timedelta = timedelta(days=3)
    # Wrong passwords tried against one enrolment code before it is burnt.
    enrolment_max_attempts: int = Field(default=5, ge=1)
    password_kdf: ScryptParams = ScryptParams()
    min_password_length: int = Field(default=8, ge=4)
    # last_seen of a device is written at most this often (a write per request would make
    # every read a write and contend for SQLite's single writer).
    last_seen_resolution: timedelta = timedelta(minutes=1)
    clock: Clock = system_clock
    # Files that do not belong in SQLite (photo blobs). None: a folder beside the database,
    # ``<database name>-data``.
    data_folder: Path | None = None
    # The thresholds of the derived statuses (两不愁三保障, exit, risk, visit duties).
    policy: PolicyConfig = Field(default_factory=default_config)
    # Mutations in one push: a night's work of one tablet fits; a bigger outbox pushes in parts.
    max_push_mutations: int = Field(default=500, ge=1)
    max_pull_changes: int = Field(default=2000, ge=1)
    # A photo's size at most (a phone camera's JPEG, with room to spare).
    max_photo_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # A device clock further than this from the server's at sync is wrong: visit times made
    # since its last boot are re-anchored from its monotonic clock (see sync/reanchor.py).
    clock_tolerance: timedelta = timedelta(minutes=5)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return china_date(self.clock())

    @property
    def data_path(self) -> Path:
        if self.data_folder is not None:
            return self.data_folder
        return self.database_path.parent / f"{self.database_path.stem}-data"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``BIANFANG_*`` variables; keyword ``overrides`` (e.g. from the command
        line) win. The only place the server reads its environment."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if database := env.get(ENV_PREFIX + "DATABASE"):
            values["database_path"] = Path(database)
        if data := env.get(ENV_PREFIX + "DATA"):
            values["data_folder"] = Path(data)
        if forms := env.get(ENV_PREFIX + "FORMS"):
            values["forms_folder"] = Path(forms)
        if public_url := env.get(ENV_PREFIX + "PUBLIC_URL"):
            values["public_url"] = public_url
        if max_body := env.get(ENV_PREFIX + "MAX_BODY_BYTES"):
            values["max_body_bytes"] = int(max_body)
        if scrypt_n := env.get(ENV_PREFIX + "SCRYPT_N"):
            # Lowered only by tests and demos, which hash many passwords in a short time.
            values["password_kdf"] = ScryptParams(n=int(scrypt_n))
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls.model_validate(values)


__all__ = ["DEFAULT_DATABASE", "DEFAULT_FORMS_FOLDER", "Settings"]
