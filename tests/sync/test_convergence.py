"""The whole system converges: a Hypothesis state machine over real tablets and the real server.

Three tablets — each a real encrypted store and a real ``SyncClient`` — talk to one real server
app on one SQLite file through a network that drops requests, loses answers after the server
processed them, sends requests twice, and restarts the server just before a request (a new
app on the same database file: between two push batches, two pull pages, two photo chunks).
At random the workers edit households and members (the same and different fields, identity
fields, deletes, members moved between households), record visits, report problems and move
them along; tablets sync in any order; the server also restarts between syncs.

At the end every tablet syncs twice on a clean network, and then:

* every tablet's outbox is empty and the server's mutation log holds every mutation any
  tablet made, once (nothing lost, nothing doubled);
* every tablet's view of its village equals the server's registry (households, members,
  visits, problems, problem events), so all tablets are equal too;
* every mutation the server took (applied, merged) shows in the registry: each field it
  wrote holds a value some accepted write gave it, exactly its own when nobody else wrote
  that field, unless the record holds a conflict (a ``conflict`` outcome is in the queue).

``max_examples`` is small in the normal suite (each example builds a server and three
tablets); ``BIANFANG_SLOW=1`` runs many more, longer ones.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from field_app.core.demo import DemoCounty, generate_county
from field_app.core.models import Problem, ProblemEvent, parse_record
from field_app.core.sync.mutation import EntityKind, Mutation, MutationOp
from field_app.sync import ItemResult, SyncError
from field_app.sync.report import SyncReport
from sync_server.forms_publish import FormShelf, load_shelf
from sync_server.settings import DEFAULT_FORMS_FOLDER

from .conftest import DEMO_SEED, TODAY, Fleet, Station, Tablet
from .helpers import SCOPED_KINDS, new_visit, view
from .transports import Fault, Rule

SLOW = os.environ.get("BIANFANG_SLOW") == "1"
TABLETS = 3

ADDRESSES = ("一组", "二组", "三组")
PHONES = ("13800138000", "13912345678")
HEAD_NAMES = ("王建国", "王建华", "李桂英")
WORK_PLACES = ("本村", "县城", "广东东莞")
HEALTH = ("healthy", "chronic")
ACTIONS = ("assign", "rectify", "comment")


@cache
def _forms() -> FormShelf:
    return load_shelf(DEFAULT_FORMS_FOLDER)


@cache
def _county() -> DemoCounty:
    return generate_county(DEMO_SEED, today=TODAY, villages=1, households_per_village=3, months=0)


faults = st.lists(
    st.tuples(st.integers(min_value=1, max_value=8), st.sampled_from(list(Fault))), max_size=2
)


class SystemConvergence(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="bianfang-convergence-"))
        self.station = Station(self.folder / "server", _forms(), _county())
        self.fleet = Fleet(self.station, self.folder / "tablets")
        self.tablets: list[Tablet] = [self.fleet.tablet(f"t{index}") for index in range(TABLETS)]
        for tablet in self.tablets:  # several push batches and pull pages per sync
            tablet.client_options = {"push_batch": 3, "pull_limit": 8}
        self.made: dict[tuple[str, int], Mutation] = {}  # every mutation any tablet made
        self.answers: dict[tuple[str, int], ItemResult] = {}
        self.problems_made = 0
        for tablet in self.tablets:
            self._sync(tablet)

    # -- helpers -----------------------------------------------------------------------------

    def _keep(self, mutation: Mutation | None) -> None:
        if mutation is not None:
            self.made[mutation.key] = mutation

    def _pick(self, tablet: Tablet, kind: EntityKind, index: int) -> dict[str, Any] | None:
        records = view(tablet.store, kind)
        if not records:
            return None
        return records[sorted(records)[index % len(records)]]

    def _sync(self, tablet: Tablet, plan: list[tuple[int, Fault]] = ()) -> None:
        tablet.network.rules = [Rule(fault, nth=nth) for nth, fault in plan]
        before = tablet.store.checkpoint() or 0
        report: SyncReport | None
        try:
            report = tablet.sync()
        except SyncError as error:
            assert error.code == "sync.network", error  # only the network may fail here
            report = error.report
            event("sync interrupted")
        finally:
            tablet.network.rules = []
        assert report is not None
        assert (tablet.store.checkpoint() or 0) >= before, "the checkpoint went back"
        if not report.interrupted:  # nobody edits during a sync here: all was sent
            assert tablet.store.pending_mutations(limit=1) == [] and not report.checkpoint_held
        for result in report.results:
            self.answers[(tablet.device_id, result.device_seq)] = result
            event(f"outcome {result.outcome}{' (duplicate)' if result.duplicate else ''}")
        if report.removed:
            event("records removed by a pull")

    # -- what workers do ---------------------------------------------------------------------

    @rule(t=st.integers(0, TABLETS - 1), h=st.integers(0, 10), field=st.sampled_from(["address", "phone", "electricity"]),
          v=st.integers(0, 2))
    def edit_household(self, t: int, h: int, field: str, v: int) -> None:
        tablet = self.tablets[t]
        household = self._pick(tablet, EntityKind.HOUSEHOLD, h)
        if household is None:
            return
        value = {"address": ADDRESSES[v], "phone": PHONES[v % 2], "electricity": bool(v % 2)}[field]
        self._keep(tablet.store.edit(EntityKind.HOUSEHOLD, household["id"], {field: value}))

    @rule(t=st.integers(0, TABLETS - 1), h=st.integers(0, 10), v=st.integers(0, 2))
    def rename_head(self, t: int, h: int, v: int) -> None:
        tablet = self.tablets[t]
        household = self._pick(tablet, EntityKind.HOUSEHOLD, h)
        if household is not None:
            self._keep(tablet.store.edit(EntityKind.HOUSEHOLD, household["id"], {"head_name": HEAD_NAMES[v]}))

    @rule(t=st.integers(0, TABLETS - 1), m=st.integers(0, 20), field=st.sampled_from(["work_place", "health"]),
          v=st.integers(0, 2))
    def edit_member(self, t: int, m: int, field: str, v: int) -> None:
        tablet = self.tablets[t]
        member = self._pick(tablet, EntityKind.MEMBER, m)
        if member is not None:
            value = WORK_PLACES[v] if field == "work_place" else HEALTH[v % 2]
            self._keep(tablet.store.edit(EntityKind.MEMBER, member["id"], {field: value}))

    @rule(t=st.integers(0, TABLETS - 1), m=st.integers(0, 20), h=st.integers(0, 10))
    def move_member(self, t: int, m: int, h: int) -> None:
        tablet = self.tablets[t]
        member = self._pick(tablet, EntityKind.MEMBER, m)
        household = self._pick(tablet, EntityKind.HOUSEHOLD, h)
        if member is None or household is None or member["relation"] == "head":
            return
        self._keep(tablet.store.edit(EntityKind.MEMBER, member["id"], {"household_id": household["id"]}))

    @rule(t=st.integers(0, TABLETS - 1), m=st.integers(0, 20))
    def delete_member(self, t: int, m: int) -> None:
        tablet = self.tablets[t]
        member = self._pick(tablet, EntityKind.MEMBER, m)
        if member is not None and member["relation"] != "head":
            self._keep(tablet.store.delete(EntityKind.MEMBER, member["id"]))

    @rule(t=st.integers(0, TABLETS - 1), h=st.integers(0, 10), minute=st.integers(0, 20))
    def record_visit(self, t: int, h: int, minute: int) -> None:
        tablet = self.tablets[t]
        household = self._pick(tablet, EntityKind.HOUSEHOLD, h)
        if household is not None:
            self._keep(tablet.store.create(new_visit(household, tablet.enrolment.user["id"], minute=minute)))

    @rule(t=st.integers(0, TABLETS - 1), h=st.integers(0, 10))
    def report_problem(self, t: int, h: int) -> None:
        tablet = self.tablets[t]
        household = self._pick(tablet, EntityKind.HOUSEHOLD, h)
        if household is None:
            return
        self.problems_made += 1
        problem = parse_record(Problem, {
            "household_id": household["id"], "village_code": household["village_code"], "category": "housing",
            "description": f"房屋漏雨（{self.problems_made}）", "created_by": tablet.enrolment.user["id"],
            "created_at": datetime(2026, 5, 19, 9, 0, tzinfo=UTC).isoformat(),
        }, today=TODAY)
        self._keep(tablet.store.create(problem))

    @rule(t=st.integers(0, TABLETS - 1), p=st.integers(0, 10), action=st.sampled_from(ACTIONS))
    def move_problem_along(self, t: int, p: int, action: str) -> None:
        tablet = self.tablets[t]
        problem = self._pick(tablet, EntityKind.PROBLEM, p)
        if problem is None:
            return
        user_id = tablet.enrolment.user["id"]
        event = parse_record(ProblemEvent, {
            "problem_id": problem["id"], "action": action, "actor_id": user_id, "actor_role": "field_worker",
            "at": datetime(2026, 5, 19, 10, 0, tzinfo=UTC).isoformat(), "note": "已联系施工队",
            "assignee_id": user_id if action == "assign" else None,
        }, today=TODAY)
        self._keep(tablet.store.create(event))

    # -- the network and the server ----------------------------------------------------------

    @rule(t=st.integers(0, TABLETS - 1), plan=faults)
    def sync(self, t: int, plan: list[tuple[int, Fault]]) -> None:
        self._sync(self.tablets[t], plan)

    @rule()
    def restart_server(self) -> None:
        self.station.restart()

    # -- the end -----------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            self._check_convergence()
        finally:
            self.fleet.close()
            self.station.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _check_convergence(self) -> None:
        for _ in range(2):
            for tablet in self.tablets:
                self._sync(tablet)
        village = (self.station.village,)

        logged = {
            (device, seq): outcome
            for device, seq, outcome in self.station.db.conn.execute(
                "SELECT device_id, device_seq, outcome FROM mutation_log"
            )
        }
        for tablet in self.tablets:
            assert tablet.store.pending_mutations() == [], tablet.name
        assert set(self.made) <= set(logged), "a mutation never reached the server"
        assert set(self.made) <= set(self.answers), "a mutation was never answered"

        for kind in SCOPED_KINDS:
            server = self.station.entities(kind, villages=village)
            for tablet in self.tablets:
                assert view(tablet.store, kind) == server, (tablet.name, kind)

        self._check_accepted_writes_show()

    def _check_accepted_writes_show(self) -> None:
        accepted = [
            mutation for key, mutation in self.made.items()
            if self.answers[key].outcome in ("applied", "merged", "conflict")
        ]
        writers: dict[tuple[str, str, str], list[Mutation]] = {}
        for mutation in accepted:
            if mutation.op in (MutationOp.UPDATE, MutationOp.CREATE):
                for field in mutation.fields:
                    writers.setdefault((mutation.entity.value, mutation.entity_id, field), []).append(mutation)
        disputed = {
            (entity, entity_id)
            for entity, entity_id in self.station.db.conn.execute("SELECT entity, entity_id FROM conflicts")
        }
        deleted = {
            (kind, record_id)
            for kind, record_id in self.station.db.conn.execute("SELECT kind, id FROM entities WHERE deleted = 1")
        }
        for mutation in accepted:
            kind = mutation.entity
            record = self.station.entities(kind).get(mutation.entity_id)
            target = (kind.value, mutation.entity_id)
            if target in deleted or target in disputed:
                continue
            assert record is not None, f"{target} accepted but missing from the registry"
            if mutation.op in (MutationOp.APPEND, MutationOp.DELETE):
                continue
            for field, change in mutation.fields.items():
                competing = writers[(kind.value, mutation.entity_id, field)]
                values = [writer.fields[field].value for writer in competing]
                assert record.get(field) in values, (target, field, record.get(field), values)
                if len(competing) == 1:
                    assert record.get(field) == change.value, (target, field)


SystemConvergence.TestCase.settings = settings(
    max_examples=200 if SLOW else 25,
    stateful_step_count=40 if SLOW else 15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestSystemConvergence = SystemConvergence.TestCase
