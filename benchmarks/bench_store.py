"""What does encryption cost the store, and is search fast enough?

A 1,000-household village of the demo county (members, and 12 visits per household) is
written and read through ``EncryptedStore`` twice in the same run: once sealed with a real
``DataKey`` (AES-256-GCM, HMAC blind index), once with a do-nothing sealer that stores the same
JSON in clear in the same schema, through the same code. The ratio is the cost of crypto alone.
After one warm-up round of each, each phase is measured ``RUNS`` times, the two variants
interleaved in alternating order, and the median kept.

Phases: the registry pulled from the server (households and members, one transaction); the
visits recorded on the device (one ``create`` each, with its outbox mutation, batched in one
transaction); unlock (open the file, check the canary, decrypt households and members into the
cache); reading every household with its members and visits.

Then search latency over the encrypted village: by pinyin initials and by ID number, and the
cost of one draft save (one transaction with a durable commit).

    .venv/bin/python benchmarks/bench_store.py
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin

from field_app.core.models import Household, Member, Record, Visit, new_id
from field_app.store.clock import SystemClock
from field_app.store.crypto import DataKey
from field_app.store.store import EncryptedStore

HOUSEHOLDS = 1000
VISITS_PER_HOUSEHOLD = 12
RUNS = 5
SEARCHES = 40
DRAFT_SAVES = 50
TODAY = date(2026, 5, 20)
RATIO_TARGET = 1.25
SEARCH_TARGET_MS = 50.0


class PlaintextSealer:
    """The baseline: the same bytes stored unsealed, look-ups by the plain value."""

    def seal(self, plaintext: bytes, associated: bytes) -> bytes:
        return plaintext

    def open(self, blob: bytes, associated: bytes, *, record: str = "?") -> bytes:
        return blob

    def index_token(self, purpose: str, value: str) -> str:
        return f"{purpose}:{value}"


def generate_village() -> tuple[list[Household], list[Member], list[Visit]]:
    try:
        from field_app.core.demo import generate_county
    except ImportError:  # the demo package does not re-export it (yet)
        from field_app.core.demo.county import generate_county
    county = generate_county(7, today=TODAY, villages=1, households_per_village=HOUSEHOLDS, months=12)
    visits: list[Visit] = []
    for home in county.households:
        own = list(county.visits_of(home.id))
        while len(own) < VISITS_PER_HOUSEHOLD:  # a few households have fewer: repeat theirs
            source = own[len(own) % max(len(own), 1)] if own else county.visits[0]
            own.append(source.model_copy(update={"id": new_id(), "household_id": home.id}))
        visits += own[:VISITS_PER_HOUSEHOLD]
    return list(county.households), list(county.members), visits


def open_store(folder: Path, sealer: Any) -> EncryptedStore:
    # The plaintext sealer is not a DataKey; the store only needs seal/open/index_token.
    return EncryptedStore.open(
        folder / "store",
        sealer,
        device_id="bench-device",
        clock=SystemClock(),
        sequence_folder=folder / "seq",
    )


def timed(action: Callable[[], object]) -> float:
    """Seconds taken by ``action``, with the garbage collector held off as timeit does: with
    a whole village of objects alive, a collection landing in one variant's phase and not in
    the other's would swamp the cost of crypto."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start
    finally:
        gc.enable()


def measure_variant(
    sealer: Any, households: list[Household], members: list[Member], visits: list[Visit]
) -> dict[str, float]:
    registry: list[tuple[Record, int]] = [(record, 1) for record in (*households, *members)]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = open_store(folder, sealer)
        pull = timed(lambda: store.load_server_records(registry))

        def record_visits() -> None:
            with store.batch():
                for seen in visits:
                    store.create(seen)

        local = timed(record_visits)
        store.close()
        holder: list[EncryptedStore] = []
        unlock = timed(lambda: holder.append(open_store(folder, sealer)))
        store = holder[0]

        def read_everything() -> None:
            for home in households:
                store.get("household", home.id)
                store.list("member", household_id=home.id)
                assert len(store.list("visit", household_id=home.id)) == VISITS_PER_HOUSEHOLD

        read = timed(read_everything)
        store.close()
    return {
        "write: registry pulled (1 tx)": pull,
        "write: visits + outbox (1 tx)": local,
        "unlock: decrypt registry": unlock,
        "read: every household": read,
    }


def search_latency(households: list[Household], members: list[Member]) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as name:
        store = open_store(Path(name), DataKey.generate())
        store.load_server_records([(record, 1) for record in (*households, *members)])
        people = [person for person in members if person.id_number][:: max(1, len(members) // SEARCHES)][
            :SEARCHES
        ]
        cold = timed(lambda: store.search("zs"))  # computes every name's pinyin once
        results: dict[str, tuple[float, float]] = {
            "first search (pinyin of every name)": (cold * 1000, cold * 1000)
        }
        for label, queries in (
            ("pinyin initials", ["".join(s[0] for s in lazy_pinyin(p.name)) for p in people]),
            ("full pinyin", ["".join(lazy_pinyin(p.name)) for p in people]),
            ("Chinese characters", [p.name for p in people]),
            ("ID number (blind index)", [p.id_number or "" for p in people]),
            ("household number", [home.number for home in households[:: HOUSEHOLDS // SEARCHES]]),
        ):
            timings = [timed(lambda q=query: store.search(q)) * 1000 for query in queries]
            results[label] = (statistics.median(timings), max(timings))
        saves = [
            timed(lambda i=i: store.save_draft("bench-draft", {"household_id": households[0].id}, {"q": i}))
            * 1000
            for i in range(DRAFT_SAVES)
        ]
        results["draft save (durable commit)"] = (statistics.median(saves), max(saves))
        store.close()
    return results


def main() -> None:
    print(f"Generating a {HOUSEHOLDS}-household demo village ...", flush=True)
    households, members, visits = generate_village()
    print(
        f"{len(households)} households, {len(members)} members, {len(visits)} visits; median of {RUNS} runs\n"
    )

    sealers = {"encrypted": DataKey.generate(), "plaintext": PlaintextSealer()}
    runs: dict[str, list[dict[str, float]]] = {"encrypted": [], "plaintext": []}
    for sealer in sealers.values():  # warm-up, not counted: first imports, first parses
        measure_variant(sealer, households, members, visits)
    for run in range(RUNS):
        order = list(sealers) if run % 2 == 0 else list(reversed(sealers))  # neither always goes first
        for variant in order:
            runs[variant].append(measure_variant(sealers[variant], households, members, visits))
    median = {
        variant: {phase: statistics.median(run[phase] for run in results) for phase in results[0]}
        for variant, results in runs.items()
    }

    print(f"{'phase':34} {'encrypted':>11} {'plaintext':>11} {'ratio':>7}")
    for phase in median["encrypted"]:
        sealed, plain = median["encrypted"][phase], median["plaintext"][phase]
        print(f"{phase:34} {sealed * 1000:9.0f}ms {plain * 1000:9.0f}ms {sealed / plain:7.2f}")
    sealed_total, plain_total = (sum(median[variant].values()) for variant in ("encrypted", "plaintext"))
    ratio = sealed_total / plain_total
    verdict = "ok" if ratio <= RATIO_TARGET else "OVER TARGET"
    print(
        f"{'total':34} {sealed_total * 1000:9.0f}ms {plain_total * 1000:9.0f}ms {ratio:7.2f}"
        f"   (target <= {RATIO_TARGET}: {verdict})\n"
    )

    print(f"{'search / save (encrypted store)':40} {'median':>9} {'max':>9}")
    for label, (middle, worst) in search_latency(households, members).items():
        flag = "" if label.startswith(("first", "draft")) or worst < SEARCH_TARGET_MS else "  OVER TARGET"
        print(f"{label:40} {middle:7.1f}ms {worst:7.1f}ms{flag}")
    print(f"(search target: < {SEARCH_TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
