"""How fast is sync over real HTTP? The server runs as it does in production (``python -m
sync_server serve``: uvicorn on 127.0.0.1, a SQLite file); the client is httpx.

1. **Ingest**: 2,000 mutations (500 households: create, a member, an edit, a visit) pushed in
   batches of 500 with the full merge (idempotency log, scope, merge, registry, audit, derived
   statuses), against the same rows written by raw ``sqlite3`` ``executemany`` UPSERTs into a
   table of the registry's shape, committed per 500 like the pushes, in the same run. The
   ratio is the merge's price per row (target ≥ 0.25).
2. **Nightly sync of a village**: 200 households on the server, a month of visits (about one
   per household, from the demo generator) and 50 household edits made on one tablet, pushed
   and then the day's changes pulled (target < 2 s).
3. **Initial pull** of a 500-household village with a year of visits, page by page of 2,000
   (target < 3 s).
4. **One village inside a 50,000-household county**: the county (``generate_county(...,
   months=0)``) loaded through the bulk import (``registry_import``), then a village worker's
   initial pull (target < 1 s).

    .venv/bin/python benchmarks/bench_sync.py            # BIANFANG_BENCH_COUNTY=5000 for a quick run
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from field_app.core.codes import Role
from field_app.core.demo.county import DemoCounty, generate_county
from field_app.core.policy import default_config
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.mutation import EntityKind, Mutation, MutationOp, creation_fields, diff_fields
from sync_server import audit
from sync_server.auth.passwords import ScryptParams
from sync_server.db import open_database, write_transaction
from sync_server.enrolment import enrol_device, issue_code
from sync_server.places import save_places
from sync_server.prepare import prepare_database
from sync_server.registry_import import import_records
from sync_server.settings import Settings
from sync_server.users import create_user

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 5, 20)
KDF = ScryptParams(n=2**10)
PASSWORD = "benchmark password"
BATCH = 500
INGEST_HOUSEHOLDS = 500
COUNTY_HOUSEHOLDS = int(os.environ.get("BIANFANG_BENCH_COUNTY", "50000"))
TARGETS = {"ratio": 0.25, "nightly": 2.0, "initial": 3.0, "county": 1.0}


# -- a server on loopback -----------------------------------------------------------------------


class Server:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.settings = Settings(database_path=folder / "registry.sqlite3", password_kdf=KDF)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        prepare_database(self.settings)

    @contextmanager
    def running(self) -> Iterator[str]:
        env = {**os.environ, "BIANFANG_SCRYPT_N": str(KDF.n), "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            [sys.executable, "-m", "sync_server", "--database", str(self.settings.database_path), "serve",
             "--port", str(self.port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(1500):
                try:
                    if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.02)
            yield self.url
        finally:
            process.terminate()
            process.wait()

    def load(self, county: DemoCounty, *, records: bool = True) -> None:
        db = open_database(self.settings.database_path)
        try:
            with write_transaction(db):
                save_places(db, [county.county], county.townships, county.villages)
                if records:
                    import_records(db, households=county.households, members=county.members, visits=county.visits,
                                   problems=county.problems, events=county.problem_events, now=datetime.now(UTC),
                                   today=TODAY, policy=default_config())
        finally:
            db.close()

    def device(self, username: str, village: str) -> Tablet:
        db = open_database(self.settings.database_path)
        try:
            now = datetime.now(UTC)
            user = create_user(db, user={"username": username, "name": "基准", "role": Role.FIELD_WORKER,
                                         "scope": {"village_codes": [village]}},
                               password=PASSWORD, kdf=KDF, min_password_length=8, actor=audit.SYSTEM,
                               granted_by=None, now=now)
            code = issue_code(db, user_id=user.id, actor=audit.SYSTEM, granted_by=None, public_url=self.url,
                              lifetime=self.settings.enrolment_code_lifetime, now=now)
            enrolled = enrol_device(db, code=code.code, password=PASSWORD, device_name=username, kdf=KDF,
                                    max_attempts=5, now=now)
        finally:
            db.close()
        return Tablet(enrolled.device_id, enrolled.token)


# -- a tablet -------------------------------------------------------------------------------------


@dataclass
class Tablet:
    device_id: str
    token: str
    seq: int = 0
    checkpoint: int | None = None
    clock: int = int(datetime(2026, 5, 19, tzinfo=UTC).timestamp() * 1000)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def mutation(self, kind: EntityKind, entity_id: str, op: MutationOp, fields: dict) -> dict[str, Any]:
        self.seq += 1
        self.clock += 1
        return Mutation(device_id=self.device_id, device_seq=self.seq, entity=kind, entity_id=entity_id, op=op,
                        fields=fields, checkpoint=self.checkpoint,
                        hlc=str(HlcTimestamp(self.clock, 0, self.device_id)), wall_time=self.clock,
                        monotonic_ns=self.seq, boot_id="bench").model_dump(mode="json")

    def create(self, kind: EntityKind, values: dict[str, Any]) -> dict[str, Any]:
        op = MutationOp.APPEND if kind in (EntityKind.VISIT, EntityKind.PROBLEM_EVENT) else MutationOp.CREATE
        return self.mutation(kind, values["id"], op, creation_fields(values))

    def update(self, kind: EntityKind, seen: dict[str, Any], **changes: Any) -> dict[str, Any]:
        return self.mutation(kind, seen["id"], MutationOp.UPDATE, diff_fields(seen, {**seen, **changes}))

    def push(self, client: httpx.Client, url: str, mutations: list[dict]) -> None:
        for start in range(0, len(mutations), BATCH):
            response = client.post(url + "/api/v1/sync/push", json={"mutations": mutations[start : start + BATCH]},
                                   headers=self.headers)
            response.raise_for_status()
            refused = [r for r in response.json()["results"] if r["outcome"] in ("rejected", "deferred")]
            assert not refused, refused[:3]

    def pull(self, client: httpx.Client, url: str) -> int:
        count = 0
        while True:
            response = client.get(url + "/api/v1/sync/pull", params={"after": self.checkpoint or 0, "limit": 2000},
                                  headers=self.headers)
            response.raise_for_status()
            page = response.json()
            count += len(page["changes"])
            self.checkpoint = page["next_checkpoint"]
            if not page["more"]:
                return count


# -- the scenarios --------------------------------------------------------------------------------


def ingest(folder: Path) -> tuple[float, float, int]:
    county = generate_county(11, today=TODAY, villages=1, households_per_village=INGEST_HOUSEHOLDS, months=1)
    server = Server(folder / "ingest")
    server.load(county, records=False)
    village = county.villages[0].code
    tablet = server.device("ingest1", village)
    mutations, rows = [], []
    visits = {visit.household_id: visit for visit in county.visits}
    for household in county.households:
        record = household.model_dump(mode="json")
        member = county.members_of(household.id)[0].model_dump(mode="json")
        edited = {**record, "phone": "13800138000"}
        mutations += [tablet.create(EntityKind.HOUSEHOLD, record), tablet.create(EntityKind.MEMBER, member),
                      tablet.update(EntityKind.HOUSEHOLD, record, phone="13800138000")]
        rows += [("household", household.id, village, None, record), ("member", member["id"], village,
                                                                      household.id, member),
                 ("household", household.id, village, None, edited)]
        visit = visits.get(household.id)
        if visit is not None:
            data = visit.model_dump(mode="json")
            mutations.append(tablet.create(EntityKind.VISIT, data))
            rows.append(("visit", visit.id, village, household.id, data))
    with server.running() as url, httpx.Client(timeout=120) as client:
        started = time.perf_counter()
        tablet.push(client, url, mutations)
        http_rate = len(mutations) / (time.perf_counter() - started)
    raw_rate = raw_upserts(folder / "raw.sqlite3", rows)
    return http_rate, raw_rate, len(mutations)


def raw_upserts(path: Path, rows: list[tuple[str, str, str, str | None, dict]]) -> float:
    """The baseline: the same rows, UPSERTed with executemany, committed per batch."""
    import json

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("""CREATE TABLE entities (kind TEXT NOT NULL, id TEXT NOT NULL, village_code TEXT NOT NULL,
                    parent_id TEXT, state TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID""")
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        chunk = [(kind, entity_id, village, parent, json.dumps(state, ensure_ascii=False), start + n)
                 for n, (kind, entity_id, village, parent, state) in enumerate(rows[start : start + BATCH])]
        conn.execute("BEGIN")
        conn.executemany(
            """INSERT INTO entities (kind, id, village_code, parent_id, state, seq) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state, seq = excluded.seq""",
            chunk,
        )
        conn.execute("COMMIT")
    rate = len(rows) / (time.perf_counter() - started)
    conn.close()
    return rate


def nightly(folder: Path) -> tuple[float, int, int]:
    county = generate_county(12, today=TODAY, villages=1, households_per_village=200, months=1)
    month = [visit for visit in county.visits if visit.started_at.date() >= date(2026, 4, 20)]
    registry = DemoCounty(  # the registry without this month's visits: those are on the tablet
        county.seed, county.today, county.county, county.townships, county.villages, county.users,
        county.households, county.members, (), county.problems, county.problem_events,
    )
    server = Server(folder / "nightly")
    server.load(registry)
    tablet = server.device("night1", county.villages[0].code)
    with server.running() as url, httpx.Client(timeout=120) as client:
        tablet.pull(client, url)  # yesterday's state: not measured
        made = [tablet.create(EntityKind.VISIT, visit.model_dump(mode="json")) for visit in month]
        made += [tablet.update(EntityKind.HOUSEHOLD, household.model_dump(mode="json"), food_secure=True)
                 for household in county.households[:50]]
        started = time.perf_counter()
        tablet.push(client, url, made)
        pulled = tablet.pull(client, url)
        return time.perf_counter() - started, len(made), pulled


def initial_pull(folder: Path) -> tuple[float, int]:
    county = generate_county(13, today=TODAY, villages=1, households_per_village=500, months=12)
    server = Server(folder / "initial")
    server.load(county)
    tablet = server.device("first1", county.villages[0].code)
    with server.running() as url, httpx.Client(timeout=120) as client:
        started = time.perf_counter()
        pulled = tablet.pull(client, url)
        return time.perf_counter() - started, pulled


def county_pull(folder: Path) -> tuple[float, int, float, int]:
    per_village = 200
    started = time.perf_counter()
    county = generate_county(14, today=TODAY, villages=max(1, COUNTY_HOUSEHOLDS // per_village),
                             households_per_village=per_village, months=0)
    server = Server(folder / "county")
    server.load(county)
    load_seconds = time.perf_counter() - started
    tablet = server.device("county1", county.villages[len(county.villages) // 2].code)
    with server.running() as url, httpx.Client(timeout=120) as client:
        started = time.perf_counter()
        pulled = tablet.pull(client, url)
        return time.perf_counter() - started, pulled, load_seconds, len(county.households)


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        http_rate, raw_rate, mutations = ingest(folder)
        night_seconds, night_pushed, night_pulled = nightly(folder)
        initial_seconds, initial_pulled = initial_pull(folder)
        county_seconds, county_pulled, county_load, county_size = county_pull(folder)
    ratio = http_rate / raw_rate
    rows = [
        ("ingest over HTTP, full merge", f"{http_rate:,.0f} mutations/s", f"{mutations} mutations", ""),
        ("raw sqlite3 executemany UPSERT", f"{raw_rate:,.0f} rows/s", f"{mutations} rows", ""),
        ("ratio merge / raw", f"{ratio:.3f}", "", _verdict(ratio >= TARGETS["ratio"], f"≥ {TARGETS['ratio']}")),
        ("nightly sync, 200 households", f"{night_seconds:.2f} s",
         f"push {night_pushed}, pull {night_pulled}", _verdict(night_seconds < TARGETS["nightly"], "< 2 s")),
        ("initial pull, 500 households", f"{initial_seconds:.2f} s", f"{initial_pulled} records",
         _verdict(initial_seconds < TARGETS["initial"], "< 3 s")),
        (f"one village in a {county_size:,}-household county", f"{county_seconds:.2f} s",
         f"{county_pulled} records (county generated + loaded in {county_load:.0f} s)",
         _verdict(county_seconds < TARGETS["county"], "< 1 s")),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _verdict(ok: bool, target: str) -> str:
    return f"{'ok' if ok else 'MISSED'} (target {target})"


if __name__ == "__main__":
    main()
