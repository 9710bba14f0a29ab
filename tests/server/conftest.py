"""Fixtures of the server tests: a real SQLite file in ``tmp_path``, the real app through
FastAPI's TestClient, a clock the test moves, and a kit to make users and sign them in."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlite_utils import Database

from field_app.core.codes import Role
from field_app.core.models import County, Township, User, Village
from sync_server import Settings, audit, create_app
from sync_server.auth.passwords import ScryptParams
from sync_server.db import open_database, write_transaction
from sync_server.forms_publish import FormShelf, load_shelf
from sync_server.places import save_places
from sync_server.settings import DEFAULT_FORMS_FOLDER
from sync_server.users import create_user

with warnings.catch_warnings():  # starlette suggests httpx2 for its test client; httpx works
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

# Cheap hashing for tests: the cost is a parameter, and the scheme is the same.
TEST_KDF = ScryptParams(n=2**10, r=8, p=1)
PASSWORD = "correct horse 1"

COUNTY = "360731000000"
TOWNSHIP = "360731108000"
OTHER_TOWNSHIP = "360731109000"
VILLAGE_A = "360731108201"
VILLAGE_B = "360731108202"
VILLAGE_C = "360731109201"  # in the other township


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 5, 20, 1, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path, clock) -> Settings:
    return Settings(
        database_path=tmp_path / "registry.sqlite3",
        password_kdf=TEST_KDF,
        max_body_bytes=64 * 1024,
        public_url="https://station.example",
        clock=clock,
    )


@pytest.fixture(scope="session")
def standard_forms() -> FormShelf:
    """The project's forms, compiled once for the whole session (they do not change)."""
    return load_shelf(DEFAULT_FORMS_FOLDER)


@pytest.fixture
def app(settings, standard_forms):
    return create_app(settings, standard_forms)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def db(app, settings) -> Iterator[Database]:
    """A second connection to the app's database (the app migrated it)."""
    database = open_database(settings.database_path)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def places(db, clock) -> None:
    with write_transaction(db):
        save_places(
            db,
            [County(code=COUNTY, name="于都县", province="江西省")],
            [Township(code=TOWNSHIP, name="梓山镇", county_code=COUNTY),
             Township(code=OTHER_TOWNSHIP, name="银坑镇", county_code=COUNTY)],
            [Village(code=VILLAGE_A, name="潭头村", township_code=TOWNSHIP),
             Village(code=VILLAGE_B, name="山峰村", township_code=TOWNSHIP, poor_village=True),
             Village(code=VILLAGE_C, name="窑前村", township_code=OTHER_TOWNSHIP)],
        )


class Kit:
    """Make users, sign them in, enrol their tablets: the steps most tests start with."""

    def __init__(self, client: TestClient, db: Database, settings: Settings) -> None:
        self.client = client
        self.db = db
        self.settings = settings

    def user(self, username: str, role: Role = Role.FIELD_WORKER, *, villages: tuple[str, ...] = (),
             townships: tuple[str, ...] = (), counties: tuple[str, ...] = (), password: str | None = PASSWORD) -> User:
        return create_user(
            self.db,
            user={"username": username, "name": "测试" + username[:6], "role": role,
                  "scope": {"village_codes": villages, "township_codes": townships, "county_codes": counties}},
            password=password,
            kdf=self.settings.password_kdf,
            min_password_length=self.settings.min_password_length,
            actor=audit.SYSTEM,
            granted_by=None,
            now=self.settings.now(),
        )

    def admin(self, username: str = "admin1") -> User:
        return self.user(username, Role.ADMIN, counties=(COUNTY,))

    def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/v1/sessions", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def issue_code(self, admin_headers: dict[str, str], user: User) -> dict[str, Any]:
        response = self.client.post("/api/v1/admin/enrolment-codes", json={"user_id": user.id}, headers=admin_headers)
        assert response.status_code == 201, response.text
        return response.json()

    def enrol(self, admin_headers: dict[str, str], user: User, password: str = PASSWORD) -> dict[str, Any]:
        code = self.issue_code(admin_headers, user)["code"]
        response = self.client.post(
            "/api/v1/enrol", json={"code": code, "password": password, "device_name": "平板1"}
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def kit(client, db, settings, places) -> Kit:
    return Kit(client, db, settings)


@pytest.fixture
def tablets(kit):
    """``tablets("worker1", villages=(VILLAGE_A,))``: a user with an enrolled tablet (one admin
    enrols them all)."""
    from .tablet import Tablet

    kit.admin("tablet_admin")
    admin_headers = kit.login("tablet_admin")

    def make(username: str, role: Role = Role.FIELD_WORKER, **scope: tuple[str, ...]) -> Tablet:
        user = kit.user(username, role, **scope)
        enrolled = kit.enrol(admin_headers, user)
        return Tablet(kit.client, enrolled["token"], enrolled["device_id"], user.id, role.value)

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
