"""Load the demo county (``field_app.core.demo``) into the registry: places, users, records.

Every demo user gets the same, printed, demo password. They share one stored hash: a
per-user salt protects real passwords from precomputation and from revealing equal
passwords, neither of which matters for a password printed on the screen, and hashing
dozens of users with a slow KDF would make the demo slow to load. A load is one
transaction and one audit entry (``registry.import`` with the counts); later changes are
audited one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from field_app.core.demo.county import DemoCounty
from field_app.core.sync.mutation import EntityKind
from sync_server import audit
from sync_server.clock import iso
from sync_server.db import write_transaction
from sync_server.places import save_places
from sync_server.registry import put_entity
from sync_server.users import scope_to_json


@dataclass(frozen=True)
class DemoLoadReport:
    villages: int
    users_added: int
    users_skipped: tuple[str, ...]  # usernames already present (a second load)
    records: int


def load_demo(db: Database, county: DemoCounty, *, password_hash: str, now: datetime) -> DemoLoadReport:
    with write_transaction(db):
        _, _, villages = save_places(db, [county.county], county.townships, county.villages)
        added, skipped = _add_users(db, county, password_hash, now)
        records = _add_records(db, county, now)
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


def _add_records(db: Database, county: DemoCounty, now: datetime) -> int:
    village_of_household = {household.id: household.village_code for household in county.households}
    village_of_problem = {problem.id: problem.village_code for problem in county.problems}
    count = 0

    def put(kind: EntityKind, record_id: str, village: str, state: dict, parent: str | None) -> None:
        nonlocal count
        put_entity(db, kind=kind, entity_id=record_id, village_code=village, state=state, now=now, parent_id=parent)
        count += 1

    for household in county.households:
        put(EntityKind.HOUSEHOLD, household.id, household.village_code, household.model_dump(mode="json"), None)
    for member in county.members:
        put(EntityKind.MEMBER, member.id, village_of_household[member.household_id], member.model_dump(mode="json"),
            member.household_id)
    for visit in county.visits:
        put(EntityKind.VISIT, visit.id, visit.village_code, visit.model_dump(mode="json"), visit.household_id)
    for problem in county.problems:
        put(EntityKind.PROBLEM, problem.id, problem.village_code, problem.model_dump(mode="json"),
            problem.household_id)
    for event in county.problem_events:
        put(EntityKind.PROBLEM_EVENT, event.id, village_of_problem[event.problem_id], event.model_dump(mode="json"),
            event.problem_id)
    return count


__all__ = ["DemoLoadReport", "load_demo"]
