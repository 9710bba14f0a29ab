"""How long does unlocking the store take, and what does the KDF add?

Prints the median time of a full ``KeyVault.unlock`` (read the key file, check device and MAC,
count the try, scrypt, AES-GCM unwrap, reset the counter) at the chosen Scrypt parameters,
against a raw AES-256-GCM unwrap of the data key with no KDF, measured in the same run; and,
for choosing the parameters, the KDF alone at neighbouring costs.

    .venv/bin/python benchmarks/bench_unlock.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from field_app.store.keys import DEFAULT_SCRYPT, KeyVault, ScryptParams, derive_pin_kek
from field_app.store.keystore import MemoryKeystore
from field_app.store.recovery import generate_recovery_key

PIN = "385017"
RUNS = 5
RAW_UNWRAPS_PER_RUN = 2000


def median_seconds(action: Callable[[], object], runs: int = RUNS, repeat: int = 1) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            action()
        timings.append((time.perf_counter() - start) / repeat)
    return statistics.median(timings)


def raw_unwrap_action() -> Callable[[], object]:
    kek, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    wrapped = AESGCM(kek).encrypt(nonce, os.urandom(32), b"associated")
    return lambda: AESGCM(kek).decrypt(nonce, wrapped, b"associated")


def kdf_action(params: ScryptParams) -> Callable[[], object]:
    salt, secret = os.urandom(16), os.urandom(32)
    return lambda: derive_pin_kek(PIN, salt, params, secret)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        vault, _ = KeyVault.create(folder, PIN, MemoryKeystore(), generate_recovery_key().public_key())
        clock = iter(range(1_700_000_000, 1_800_000_000))
        unlock = median_seconds(lambda: vault.unlock(PIN, float(next(clock))))
    raw = median_seconds(raw_unwrap_action(), repeat=RAW_UNWRAPS_PER_RUN)

    chosen = DEFAULT_SCRYPT
    print(f"Unlock cost, median of {RUNS} runs (raw unwrap: median of {RUNS} x {RAW_UNWRAPS_PER_RUN})")
    print()
    print(f"{'what':<44} {'time':>12} {'vs raw unwrap':>14}")
    print("-" * 72)
    rows = [("raw AES-256-GCM unwrap, no KDF", raw)]
    rows.append(
        (f"KeyVault.unlock, scrypt n=2**{chosen.n.bit_length() - 1} r={chosen.r} p={chosen.p}", unlock)
    )
    for exponent in (15, 16, 17, 18):
        params = ScryptParams(n=2**exponent, r=chosen.r, p=chosen.p)
        mark = " (chosen)" if params == chosen else ""
        label = f"KDF only, n=2**{exponent} ({params.memory_bytes // 2**20} MiB){mark}"
        rows.append((label, median_seconds(kdf_action(params), runs=3)))
    for label, seconds in rows:
        shown = f"{seconds * 1e6:.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.0f} ms"
        print(f"{label:<44} {shown:>12} {seconds / raw:>13,.0f}x")
    print()
    print(f"target for the chosen parameters: 0.3-1 s here -> measured {unlock:.2f} s")


if __name__ == "__main__":
    main()
