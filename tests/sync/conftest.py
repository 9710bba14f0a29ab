"""Fixtures of the sync client's tests: the real server app on a SQLite file in ``tmp_path``
with a small demo county loaded, and tablets — each a real encrypted store and a real
``SyncClient`` talking to that app in-process through a transport the test can break."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from field_app.core.codes import Role
from field_app.core.demo import DemoCounty, generate_county
from field_app.core.sync.mutation import EntityKind
from field_app.store.clock import ManualClock
from field_app.store.crypto import DataKey
from field_app.store.store import EncryptedStore
from field_app.sync import SyncClient, enrol
from field_app.sync.client import Enrolment, Progress
from sync_server import Settings, audit, create_app
from sync_server.auth.passwords import ScryptParams, hash_password
from sync_server.db import open_database
from sync_server.demo_load import load_demo
from sync_server.enrolment import issue_code, revoke_device
from sync_server.forms_publish import FormShelf, load_shelf
from sync_server.settings import DEFAULT_FORMS_FOLDER
from sync_server.users import create_user

from .transports import AppTransport, FlakyTransport

TEST_KDF = ScryptParams(n=2**10, r=8, p=1)  # cheap hashing for tests; the same scheme
PASSWORD = "correct horse 1"
TODAY = date(2026, 5, 20)
SERVER_START = datetime(2026, 5, 20, 1, 0, tzinfo=UTC)
# The tablets' clocks agree with the server's (a wrong clock has tests of its own on the server).
DEVICE_START_MS = int(SERVER_START.timestamp() * 1000)
DEMO_SEED = 11


@dataclass
class ServerClock:
    now: datetime = SERVER_START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(scope="session")
def standard_forms() -> FormShelf:
    return load_shelf(DEFAULT_FORMS_FOLDER)


@pytest.fixture(scope="session")
def demo_county() -> DemoCounty:
    """Two small villages: the worker's, and one outside the worker's scope."""
    return generate_county(DEMO_SEED, today=TODAY, villages=2, households_per_village=4, months=1)


class Station:
    """The township station's server: the real app over one SQLite file, restartable."""

    def __init__(self, folder: Path, forms: FormShelf, county: DemoCounty, *, max_body_bytes: int = 10 * 1024 * 1024):
        folder.mkdir(parents=True, exist_ok=True)
        self.clock = ServerClock()
        self.county = county
        self.forms = forms
        self.settings = Settings(
            database_path=folder / "registry.sqlite3",
            password_kdf=TEST_KDF,
            max_body_bytes=max_body_bytes,
            public_url="https://station.example",
            clock=self.clock,
        )
        self.app = create_app(self.settings, forms)
        self.transport = AppTransport(self.app)
        self.db: Database = open_database(self.settings.database_path)
        load_demo(self.db, county, password_hash=hash_password(PASSWORD, TEST_KDF), now=self.clock.now)
        self._users = 0

    @property
    def village(self) -> str:
        return self.county.villages[0].code

    @property
    def other_village(self) -> str:
        return self.county.villages[1].code

    def restart(self) -> None:
        """A new app on the same database file (as after a crash or an upgrade)."""
        self.app = create_app(self.settings, self.forms)
        self.transport.replace_app(self.app)

    def worker(self, villages: tuple[str, ...] | None = None) -> str:
        """A new field worker with ``villages`` (the first demo village by default); their id."""
        self._users += 1
        user = create_user(
            self.db,
            user={"username": f"worker{self._users:02d}", "name": f"测试员{self._users}", "role": Role.FIELD_WORKER,
                  "scope": {"village_codes": villages or (self.village,), "township_codes": (), "county_codes": ()}},
            password=PASSWORD, kdf=TEST_KDF, min_password_length=8, actor=audit.SYSTEM, granted_by=None,
            now=self.clock.now,
        )
        return user.id

    def enrolment_code(self, user_id: str) -> str:
        return issue_code(
            self.db, user_id=user_id, actor=audit.SYSTEM, granted_by=None, public_url=self.settings.public_url,
            lifetime=timedelta(days=3), now=self.clock.now,
        ).code

    def revoke(self, device_id: str) -> None:
        revoke_device(self.db, device_id=device_id, actor=audit.SYSTEM, granted_by=None, now=self.clock.now)

    def entities(self, kind: EntityKind, *, villages: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
        """The registry's current, not deleted records of ``kind`` (in ``villages``), by id."""
        rows = self.db.conn.execute(
            "SELECT id, village_code, state, deleted FROM entities WHERE kind = ?", (kind.value,)
        ).fetchall()
        found = {}
        for record_id, village, state, deleted in rows:
            if deleted or (villages is not None and village not in villages):
                continue
            found[record_id] = json.loads(state)
        return found

    def close(self) -> None:
        self.transport.close()
        self.db.close()


@dataclass
class Tablet:
    """One enrolled tablet: its store, its clock, and a sync client over a breakable network."""

    name: str
    enrolment: Enrolment
    store: EncryptedStore
    clock: ManualClock
    network: FlakyTransport
    progress_events: list[tuple[Any, ...]] = field(default_factory=list)
    client_options: dict[str, Any] = field(default_factory=dict)

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    def client(self, progress: Progress | None = None, **options: Any) -> SyncClient:
        return SyncClient(
            self.network, self.store, token=self.enrolment.token, clock=self.clock,
            progress=progress or (lambda *event: self.progress_events.append(event)),
            **{**self.client_options, **options},
        )

    def sync(self, **options: Any):
        self.clock.advance(1000)
        return self.client(**options).sync()


class Fleet:
    """Makes tablets enrolled at one station."""

    def __init__(self, station: Station, folder: Path) -> None:
        self.station = station
        self.folder = folder
        self.tablets: list[Tablet] = []

    def tablet(self, name: str, *, user_id: str | None = None, villages: tuple[str, ...] | None = None) -> Tablet:
        user_id = user_id or self.station.worker(villages)
        network = FlakyTransport(self.station.transport, restart=self.station.restart)
        enrolment = enrol(network, self.station.enrolment_code(user_id), PASSWORD, f"平板{name}")
        clock = ManualClock(DEVICE_START_MS + 1000 * len(self.tablets), boot_id=f"boot-{name}")
        store = EncryptedStore.open(
            self.folder / name / "store", DataKey.generate(), device_id=enrolment.device_id, clock=clock,
            sequence_folder=self.folder / name / "sequence",
        )
        tablet = Tablet(name, enrolment, store, clock, network)
        self.tablets.append(tablet)
        return tablet

    def close(self) -> None:
        for tablet in self.tablets:
            tablet.store.close()


@pytest.fixture
def station(tmp_path, standard_forms, demo_county) -> Iterator[Station]:
    server = Station(tmp_path / "server", standard_forms, demo_county)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def fleet(station, tmp_path) -> Iterator[Fleet]:
    made = Fleet(station, tmp_path / "tablets")
    try:
        yield made
    finally:
        made.close()


def photo_bytes(size: int, seed: int = 0) -> bytes:
    """Deterministic bytes that do not compress: a stand-in for a JPEG."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}-{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])
