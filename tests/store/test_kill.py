"""A crash loses nothing: a writer process saves records, drafts, photos and mutations in a
loop, printing a line after each save returns; it is SIGKILLed at random moments (during a
save, a commit, an fsync of the sequence sidecar, while opening), 50 times, restarted each
time. Then the store must open, every acknowledged save must be there, every record must
decrypt, and the outbox must hold unique, increasing sequence numbers with a clock that never
went back.

The writer is a forked child of the test process (already past its imports), so a restart
costs milliseconds rather than an interpreter start; it is a separate process all the same,
and SIGKILL gives it no chance to clean up. ``BIANFANG_KILLS`` sets the number of kills.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import select
import signal
import sys
import time
import uuid
from datetime import date

import pytest

from field_app.core.models import Household, Visit, parse_record
from field_app.store.clock import SystemClock
from field_app.store.crypto import DataKey
from field_app.store.store import EncryptedStore

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="needs fork and SIGKILL",
)

KILLS = int(os.environ.get("BIANFANG_KILLS", "50"))
DEVICE = "dev-kill"
DRAFT = "draft-under-kill"
TODAY = date(2026, 5, 20)


def new_household(counter: int) -> Household:
    return parse_record(
        Household,
        {
            "id": str(uuid.uuid4()),
            "number": f"K{counter:08d}",
            "village_code": "360731108201",
            "head_name": "邱海水",
            "address": f"潭头村{counter}号",
            "category": "ordinary",
            "status": "not_exited",
            "identified_year": 2015,
            "main_cause": "illness",
        },
        today=TODAY,
    )


def new_visit(household_id: str, counter: int) -> Visit:
    return parse_record(
        Visit,
        {
            "household_id": household_id,
            "village_code": "360731108201",
            "form_id": "household_visit",
            "form_version": 1,
            "visitor_id": "u1",
            "visitor_role": "helper_cadre",
            "started_at": "2026-05-19T08:30:00+08:00",
            "ended_at": "2026-05-19T09:00:00+08:00",
            "answers": {"counter": counter},
        },
        today=TODAY,
    )


def writer(folder: str, sequence_folder: str, key_material: bytes, first_counter: int, ack_fd: int) -> None:
    """Runs in the child until killed. One line per save that has returned:
    ``<what> <counter> <record id or draft> <device_seq or revision>``."""
    acks = os.fdopen(ack_fd, "w", buffering=1)
    try:
        store = EncryptedStore.open(
            folder,
            DataKey(key_material),
            device_id=DEVICE,
            clock=SystemClock(),
            sequence_folder=sequence_folder,
        )
        last_household: str | None = None
        counter = first_counter
        while True:
            step = counter % 5
            if step == 0 or last_household is None:
                home = new_household(counter)
                seq = store.create(home).device_seq
                last_household = home.id
                acks.write(f"create {counter} {home.id} {seq}\n")
            elif step == 1:
                mutation = store.edit("household", last_household, {"address": f"潭头村{counter}号"})
                acks.write(f"edit {counter} {last_household} {mutation.device_seq}\n")
            elif step == 2:
                rev = store.save_draft(DRAFT, {"household_id": last_household}, {"counter": counter})
                acks.write(f"draft {counter} {DRAFT} {rev}\n")
            elif step == 3:
                seen = new_visit(last_household, counter)
                seq = store.create(seen).device_seq
                acks.write(f"visit {counter} {seen.id} {seq}\n")
            else:
                sha = store.put_photo(counter.to_bytes(8, "big") * 512)
                acks.write(f"photo {counter} {sha} 0\n")
            counter += 1
    except BaseException as error:  # an error (not a kill) must fail the test, loudly
        acks.write(f"error {error!r}\n")
        os._exit(1)


def run_and_kill(ctx, tmp_path, key: bytes, first_counter: int, kill_after: float) -> list[list[str]]:
    read_fd, write_fd = os.pipe()
    child = ctx.Process(
        target=writer, args=(str(tmp_path / "store"), str(tmp_path / "seq"), key, first_counter, write_fd)
    )
    child.start()
    os.close(write_fd)
    deadline = time.monotonic() + kill_after
    buffer = b""
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buffer += chunk
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    while chunk := os.read(read_fd, 65536):  # lines written before the kill were acknowledged
        buffer += chunk
    os.close(read_fd)
    lines = [line.split(" ") for line in buffer.decode().splitlines()]
    complete = lines if buffer.endswith(b"\n") else lines[:-1]  # a line cut by the kill is no ack
    errors = [line for line in complete if line[0] == "error"]
    assert not errors, errors
    return complete


def test_killed_writers_lose_no_acknowledged_save(tmp_path):
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20260520)
    key = DataKey.generate().material
    rounds: list[list[list[str]]] = []
    started = time.monotonic()
    for round_number in range(KILLS):
        rounds.append(run_and_kill(ctx, tmp_path, key, round_number * 1_000_000, rng.uniform(0.01, 0.25)))
    duration = time.monotonic() - started
    acks = [line for lines in rounds for line in lines]
    assert len(acks) > 5 * KILLS, "the writers hardly saved anything before being killed"

    with EncryptedStore.open(
        tmp_path / "store",
        DataKey(key),
        device_id=DEVICE,
        clock=SystemClock(),
        sequence_folder=tmp_path / "seq",
    ) as store:
        mutations = store.pending_mutations()  # every one decrypts, or this raises
        households = {entry.record.id: entry.record for entry in store.list("household")}
        visits = {entry.record.id for entry in store.list("visit")}
        assert store.damaged() == []

        latest_edit: dict[str, int] = {}
        for what, counter, record_id, _number in acks:
            if what == "create":
                assert record_id in households
            elif what == "edit":
                latest_edit[record_id] = max(latest_edit.get(record_id, 0), int(counter))
            elif what == "visit":
                assert record_id in visits
            elif what == "photo":
                assert store.get_photo(record_id)
        for household_id, counter in latest_edit.items():
            kept = int(households[household_id].address.removeprefix("潭头村").removesuffix("号"))
            assert kept >= counter  # the acknowledged edit, or a later one that committed unacknowledged

        drafts = [int(counter) for what, counter, _, _ in acks if what == "draft"]
        assert store.load_draft(DRAFT).answers["counter"] >= max(drafts)

        seqs = [mutation.device_seq for mutation in mutations]
        assert seqs == sorted(set(seqs))  # unique and increasing
        acknowledged = [int(number) for what, _, _, number in acks if what in {"create", "edit", "visit"}]
        assert len(set(acknowledged)) == len(acknowledged)  # no number handed out twice
        assert set(acknowledged) <= set(seqs)
        for lines in rounds:  # within one run, numbers follow each other; gaps only between runs
            numbers = [int(number) for what, _, _, number in lines if what in {"create", "edit", "visit"}]
            if numbers:
                assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        stamps = [mutation.timestamp for mutation in mutations]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
        assert {(m.entity, m.entity_id) for m in mutations} <= {("household", h) for h in households} | {
            ("visit", v) for v in visits
        }
    print(f"\n{KILLS} kills, {len(acks)} acknowledged saves, {len(mutations)} mutations in {duration:.1f} s")
