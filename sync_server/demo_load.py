"""Load the demo county (``field_app.core.demo``) into the registry: places, users, records.

Every demo user gets the same, printed, demo password. They share one stored hash: a
per-user salt protects real passwords from precomputation and from revealing equal
passwords, neither of which matters for a password printed on the screen, and hashing
dozens of users with a slow KDF would make the demo slow to load. A load is one
transaction and one audit entry (``registry.import`` with the counts); later changes are
audited one by one. The records go in through the registry's bulk writer
(``registry_import.py``): pulls serve them, the derived statuses are computed, and a second
load adds only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from field_app.core.demo.county import DemoCounty
from field_app.core.policy import PolicyConfig, default_config
from sync_server import audit
from sync_server.clock import iso
from sync_server.db import write_transaction
from sync_server.places import save_places
from sync_server.registry_import import import_records
from sync_server.users import scope_to_json


@dataclass(frozen=True)
class DemoLoadReport:
    villages: int
    users_added: int
    users_skipped: tuple[str, ...]  # usernames already present (a second load)
    records: int


def load_demo(db: Database, county: DemoCounty, *, password_hash: str, now: datetime,
              policy: PolicyConfig | None = None) -> DemoLoadReport:
    with write_transaction(db):
        _, _, villages = save_places(db, [county.county], county.townships, county.villages)
        added, skipped = _add_users(db, county, password_hash, now)
        records = import_records(
            db, households=county.households, members=county.members, visits=county.visits,
            problems=county.problems, events=county.problem_events, now=now, today=county.today,
            policy=policy or default_config(),
        ).records
        audit.record(
            db, at=now, actor=audit.SYSTEM, action="registry.import", entity="demo_county",
            entity_id=county.county.code,
            after={"seed": county.seed, "villages": villages, "users": added, "records": records},
        )
    return DemoLoadReport(villages=villages, users_added=added, users_skipped=tuple(skipped), records=records)


def _add_users(db: Database, county: DemoCounty, password_hash: str, now: datetime) -> tuple[int, list[str]]:
    added, skipped = 0, []
    for user in county.users:
        exists = db.conn.execute(
            "SELECT 1 FROM users WHERE id = ? OR username = ?", (user.id, user.username)
        ).fetchone()
        if exists:
            skipped.append(user.username)
            continue
        db.conn.execute(
            """INSERT INTO users (id, username, name, role, scope, phone, active, password_hash,
                                  created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (user.id, user.username, user.name, user.role.value, scope_to_json(user.scope), user.phone,
             int(user.active), password_hash, iso(now), iso(now)),
        )
        added += 1
    return added, skipped


__all__ = ["DemoLoadReport", "load_demo"]
