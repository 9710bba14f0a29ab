"""Kill the server in the middle of pushes: nothing lost, nothing doubled.

The real server (``python -m sync_server serve``: uvicorn) runs on 127.0.0.1 on a SQLite file.
Two tablets push their outboxes over HTTP (oldest pending first, plus some mutations already
acknowledged, sent again) while a timer SIGKILLs the server at a random moment; the test
restarts it and the tablets carry on, resending whatever was not acknowledged. At the end
every mutation is in the log exactly once, and its effect is in the registry exactly once
(one audit entry per change, one change per effect, the last value of every field).

10 kills in the normal suite, 50 with ``BIANFANG_SLOW=1``.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from field_app.core.codes import Role
from field_app.core.models import County, Township, Village
from sync_server import audit
from sync_server.db import open_database, write_transaction
from sync_server.enrolment import enrol_device, issue_code
from sync_server.places import save_places
from sync_server.prepare import prepare_database
from sync_server.settings import Settings
from sync_server.users import create_user

from .conftest import COUNTY, TEST_KDF, TOWNSHIP, VILLAGE_A
from .tablet import H, M, Tablet, V, household, member, visit

ROOT = Path(__file__).resolve().parents[2]
SLOW = bool(os.environ.get("BIANFANG_SLOW"))
KILLS = 50 if SLOW else 10
HOUSEHOLDS_PER_TABLET = 120 if SLOW else 60
BATCH = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, database: Path, log: Path) -> None:
        self.database = database
        self.log = log
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "BIANFANG_SCRYPT_N": str(TEST_KDF.n), "PYTHONPATH": str(ROOT)}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sync_server", "--database", str(self.database), "serve",
                 "--port", str(self.port)],
                env=env, stdout=log, stderr=log,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.02)
        raise AssertionError("the server did not start: " + self.log.read_text(errors="replace")[-2000:])

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Outbox:
    """A tablet's mutations and which of them the server has answered."""

    def __init__(self, tablet: Tablet, households: int) -> None:
        self.tablet = tablet
        self.mutations: list[dict] = []
        self.last_phone: dict[str, str] = {}
        for number in range(households):
            hid = f"{tablet.device_id[:8]}-h{number}"
            record = household(hid)
            phone = f"138{number:08d}"
            self.mutations += [
                tablet.create(H, record),
                tablet.create(M, member(f"{hid}-m", hid)),
                tablet.update(H, record, phone=phone),
                tablet.create(V, visit(f"{hid}-v", hid)),
            ]
            self.last_phone[hid] = phone
        self.answered: dict[int, dict] = {}

    def batch(self, rng: random.Random) -> list[dict]:
        pending = [m for m in self.mutations if m["device_seq"] not in self.answered]
        chosen = pending[:BATCH]
        if self.answered and rng.random() < 0.5:  # some already acknowledged, sent again
            chosen += rng.sample([m for m in self.mutations if m["device_seq"] in self.answered],
                                 k=min(3, len(self.answered)))
        return chosen

    def push(self, client: httpx.Client, url: str, batch: list[dict]) -> None:
        response = client.post(url + "/api/v1/sync/push", json={"mutations": batch}, headers=self.tablet.headers)
        assert response.status_code == 200, response.text
        for sent, result in zip(batch, response.json()["results"], strict=True):
            assert result["device_seq"] == sent["device_seq"]
            assert result["outcome"] == "applied", result
            if sent["device_seq"] in self.answered:
                assert result["duplicate"] is True, result  # a second send has no second effect
            self.answered[sent["device_seq"]] = result

    @property
    def done(self) -> bool:
        return len(self.answered) == len(self.mutations)


def _tablet(db, settings: Settings, username: str) -> Tablet:
    user = create_user(
        db, user={"username": username, "name": "测试", "role": Role.FIELD_WORKER,
                  "scope": {"village_codes": [VILLAGE_A]}},
        password="correct horse 1", kdf=settings.password_kdf, min_password_length=8, actor=audit.SYSTEM,
        granted_by=None, now=settings.now(),
    )
    code = issue_code(db, user_id=user.id, actor=audit.SYSTEM, granted_by=None, public_url="http://test",
                      lifetime=settings.enrolment_code_lifetime, now=settings.now())
    enrolled = enrol_device(db, code=code.code, password="correct horse 1", device_name=username,
                            kdf=settings.password_kdf, max_attempts=5, now=settings.now())
    return Tablet(None, enrolled.token, enrolled.device_id, user.id, "field_worker")


@pytest.fixture
def prepared(tmp_path):
    settings = Settings(database_path=tmp_path / "registry.sqlite3", password_kdf=TEST_KDF)
    prepare_database(settings)
    db = open_database(settings.database_path)
    with write_transaction(db):
        save_places(db, [County(code=COUNTY, name="于都县", province="江西省")],
                    [Township(code=TOWNSHIP, name="梓山镇", county_code=COUNTY)],
                    [Village(code=VILLAGE_A, name="潭头村", township_code=TOWNSHIP)])
    tablets = [_tablet(db, settings, name) for name in ("killer_a", "killer_b")]
    db.close()
    return settings, tablets


def test_killing_the_server_mid_push_loses_and_doubles_nothing(prepared, tmp_path):
    settings, tablets = prepared
    rng = random.Random(20260520)
    outboxes = [Outbox(tablet, HOUSEHOLDS_PER_TABLET) for tablet in tablets]
    server = Server(settings.database_path, tmp_path / "server.log")
    kills = 0
    started = time.monotonic()
    with httpx.Client(timeout=10) as client:
        while kills < KILLS:
            server.start()
            # the first rounds kill early (mid-push); the moment is random within each round
            timer = threading.Timer(rng.uniform(0.02, 0.4), server.kill)
            timer.start()
            try:
                while True:
                    outbox = rng.choice(outboxes)
                    outbox.push(client, server.url, outbox.batch(rng))
            except httpx.TransportError:
                pass  # killed while we pushed: whatever was not answered goes again
            timer.join()
            server.kill()
            kills += 1
        server.start()
        try:
            for outbox in outboxes:
                while not outbox.done:
                    outbox.push(client, server.url, outbox.batch(rng))
        finally:
            server.kill()
    elapsed = time.monotonic() - started
    _assert_exactly_once(settings.database_path, outboxes)
    assert SLOW or elapsed < 60, f"{KILLS} kills took {elapsed:.0f} s"


def _assert_exactly_once(database: Path, outboxes: list[Outbox]) -> None:
    conn = sqlite3.connect(database)
    sent = {(o.tablet.device_id, m["device_seq"]) for o in outboxes for m in o.mutations}
    logged = conn.execute("SELECT device_id, device_seq, outcome FROM mutation_log").fetchall()
    assert len(logged) == len(sent) and {(d, s) for d, s, _ in logged} == sent  # each once, none lost
    assert {outcome for *_, outcome in logged} == {"applied"}
    households = sum(len(o.last_phone) for o in outboxes)
    kinds = dict(conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
    assert kinds == {"household": households, "member": households, "visit": households}
    actions = dict(conn.execute("SELECT action, count(*) FROM audit_log WHERE entity IN ('household', 'member', "
                                "'visit') GROUP BY action").fetchall())
    assert actions == {"household.create": households, "household.update": households,
                       "member.create": households, "visit.append": households}
    # one registry change per effect, and every effect's last value
    assert conn.execute("SELECT count(*) FROM changes").fetchone()[0] == 4 * households
    for outbox in outboxes:
        for hid, phone in outbox.last_phone.items():
            state = conn.execute("SELECT state FROM entities WHERE kind = 'household' AND id = ?", (hid,)).fetchone()
            assert f'"phone":"{phone}"' in state[0]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
