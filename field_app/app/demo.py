"""A pre-loaded demo village, for development and the end-to-end tests (until sync lands).

``python -m field_app.main --demo-village`` seeds the user's store, right after the PIN is
set, with one village of the demo county (``field_app.core.demo``) as if pulled from the
server: its households, members, visits, problems and problem events, each at version 1.

The demo's recovery key is derived from a published seed, so anyone can recover a demo store:
never use it for real data (the set-PIN screen says so).
"""

from __future__ import annotations

import hashlib
from datetime import date

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from field_app.core.demo import DemoCounty, generate_county
from field_app.core.models import Role, User
from field_app.store.store import EncryptedStore

DEMO_SEED = 7
DEMO_HOUSEHOLDS = (100, 160)
DEMO_MONTHS = 3
_DEMO_RECOVERY_SEED = b"bianfang demo recovery key: public, never for real data"


def demo_county(today: date) -> DemoCounty:
    """The demo village (one village of the demo county) as of ``today``; deterministic."""
    return generate_county(
        DEMO_SEED, today=today, villages=1, households_per_village=DEMO_HOUSEHOLDS, months=DEMO_MONTHS
    )


def demo_field_worker(county: DemoCounty) -> User:
    """The village's field worker: whom the demo app signs in as by default."""
    return next(user for user in county.users if user.role is Role.FIELD_WORKER)


def demo_recovery_key() -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(hashlib.sha256(_DEMO_RECOVERY_SEED).digest())


def load_demo_village(store: EncryptedStore, today: date) -> int:
    """Load the village into ``store`` as server records (version 1); returns the households."""
    county = demo_county(today)
    records = (*county.households, *county.members, *county.visits, *county.problems, *county.problem_events)
    store.load_server_records((record, 1) for record in records)
    return len(county.households)


__all__ = [
    "DEMO_SEED",
    "demo_county",
    "demo_field_worker",
    "demo_recovery_key",
    "load_demo_village",
]
