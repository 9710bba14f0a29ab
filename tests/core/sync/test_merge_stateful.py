"""Several tablets, an unreliable network and the pure merge: a Hypothesis state machine.

Three devices keep local replicas of a small village (households, members, problems with
their event logs, visits). At random they edit (same and different fields, nested sub-fields,
multi-selects, income lines, deletes, members moved between households, problem transitions,
visits), send their outbox, pull, and the network drops, duplicates, reorders and delays
batches and loses answers; the server may "restart" (every state through JSON and back) and a
supervisor resolves queued conflicts. The server is an in-memory stand-in for the sync
service: dedup by mutation key, backlog for deferred mutations (FIFO per record), the merge.

The devices keep the protocol (``field_app/core/sync/state.py``): a push sends the outbox from
its oldest pending mutation; the checkpoint a device stamps on its mutations moves only when
its outbox is empty; pulls fetch the records changed after that checkpoint.

At the end every device pushes all it has and pulls, and:

* every replica equals the server (records and tombstones), no mutation is waiting or refused;
* the heads of every leaf are exactly the *maximal* writes among all merged mutations under
  "had seen" (the write's checkpoint covered the other's seq, or same device, later), computed
  here from the log, not from the merge's bookkeeping. So every merged write is either shown,
  a candidate of a conflict on its leaf, or **superseded**: another merged write to the same
  leaf had seen it (its device had pulled the state containing it, or it was the same device's
  later edit) — and nothing else is dropped. The shown value is the head with the greatest
  clock; every problem event merged is in its log, in (clock, id) order;
* the same merged mutations, merged again in a shuffled order on a fresh server (each at the
  seq it had: the seq records what devices had seen, the order is what varies), give the same
  records and the same conflicts.

Edits stay within values that keep every merge of valid records valid (at most two optional
poverty causes from a pool of two, ...): validation refusals are the one order-dependent
outcome and are covered by the table tests.
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from stdnum.cn import ric

from field_app.core.errors import ValidationError
from field_app.core.models import ProblemEvent, fold_problem, parse_record
from field_app.core.sync.conflicts import ConflictKind, conflicts_of, resolve
from field_app.core.sync.field_policy import TOMBSTONE, Shape, Storage, policy_for
from field_app.core.sync.hlc import HlcTimestamp, receive, tick
from field_app.core.sync.leaves import canonical, leaf_changes
from field_app.core.sync.merge import EntityRef, merge_mutation, problem_status, requirements, target_of
from field_app.core.sync.mutation import (
    EntityKind,
    Mutation,
    MutationOp,
    apply_fields,
    creation_fields,
    diff_fields,
)
from field_app.core.sync.outcome import Outcome
from field_app.core.sync.state import EntityState

H, M, V, P, E = (
    EntityKind.HOUSEHOLD,
    EntityKind.MEMBER,
    EntityKind.VISIT,
    EntityKind.PROBLEM,
    EntityKind.PROBLEM_EVENT,
)
DEVICES = ("a", "b", "c")
VILLAGE = "360781102201"
MERGED = (Outcome.APPLIED, Outcome.MERGED, Outcome.CONFLICT)
SLOW = bool(os.environ.get("BIANFANG_SLOW"))


def _id_number(birth: str, sequence: int) -> str:
    body = f"360121{birth.replace('-', '')}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


# -- the value pools: every combination validates ---------------------------------------------

HOUSEHOLD_EDITS: dict[str, list[Any]] = {
    "head_name": ["张三", "李四", "王五"],
    "phone": [None, "13800138000", "13900139000"],
    "address": [None, "村东", "村西"],
    "status": ["not_exited", "exited", "monitored"],
    "food_secure": [None, True, False],
    "location": [None, {"latitude": 25.9, "longitude": 116.0}, {"latitude": 26.0, "longitude": 116.1}],
    "housing.grade": [None, "A", "C"],
    "housing.area_m2": [None, 60.0, 80.0],
    "water.source": [None, "tap_treated"],
    "water.quality_ok": [None, True, False],
    "other_causes": [[], ["lack_land"], ["lack_water"], ["lack_land", "lack_water"]],
    "fuels": [[], ["firewood"], ["gas", "coal"], ["firewood", "gas", "coal"], ["coal"]],
    "helper_ids": [[], ["u1"], ["u2", "u3"], ["u1", "u3"]],
}
MEMBER_EDITS: dict[str, list[Any]] = {
    "name": ["张三", "李四", "王五"],
    "sex": ["male", "female"],
    "birth_date": ["1970-03-01", "1980-05-05"],
    "id_number": [None, _id_number("1970-03-01", 1), _id_number("1980-05-05", 2)],
    "relation": ["head", "spouse", "son"],
    "education": [None, "primary", "junior"],
    "health": ["healthy", "chronic"],
}
PROBLEM_EDITS: dict[str, list[Any]] = {"severity": ["low", "medium", "high"], "description": ["漏雨", "无水"]}
ACTIONS = ["assign", "rectify", "verify", "reopen", "comment"]
ROLES = ["field_worker", "village_clerk", "township_station", "supervisor"]


def household(hid: str, head: str = "张三") -> dict[str, Any]:
    return {
        "id": hid,
        "number": f"3607811022010{len(hid):04d}",
        "village_code": VILLAGE,
        "head_name": head,
        "category": "ordinary",
        "status": "not_exited",
        "identified_year": 2016,
        "main_cause": "illness",
        "incomes": [{"year": 2023, "wages": 1000.0}],
    }


def member(mid: str, hid: str, name: str = "张三") -> dict[str, Any]:
    return {
        "id": mid,
        "household_id": hid,
        "name": name,
        "sex": "male",
        "birth_date": "1970-03-01",
        "relation": "spouse",
    }


def problem(pid: str, hid: str) -> dict[str, Any]:
    return {
        "id": pid,
        "household_id": hid,
        "village_code": VILLAGE,
        "category": "housing",
        "description": "漏雨",
        "created_by": "u1",
        "created_at": "2024-05-01T09:00:00Z",
    }


MODELS = {kind: policy_for(kind).model for kind in EntityKind}


def valid_json(kind: EntityKind, values: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return parse_record(MODELS[kind], values).model_dump(mode="json")
    except ValidationError:
        return None


# -- the server: dedup, backlog, merge ---------------------------------------------------------

Snapshot = tuple[dict[str, Any], bool, tuple[str, ...]]  # (record values, deleted, problem event ids)


class SimServer:
    def __init__(self) -> None:
        self.states: dict[EntityRef, EntityState] = {}
        self.seq = 0
        self.backlog: list[tuple[Mutation, int | None]] = []
        self.answered: dict[tuple[str, int], tuple[Mutation, Outcome]] = {}
        self.merged: list[tuple[Mutation, int]] = []  # with the seq each was merged at
        self.refused: list[tuple[Mutation, Any]] = []
        self.newest_hlc: HlcTimestamp | None = None
        self.deferrals = 0

    def receive(self, mutation: Mutation, *, fixed_seq: int | None = None) -> Outcome:
        known = self.answered.get(mutation.key)
        if known is not None:
            assert known[0] == mutation, "same key, other content: a cloned tablet"
            return known[1]
        if self._behind(mutation):
            outcome = Outcome.DEFERRED  # behind its device's earlier deferred mutation on the record
        else:
            outcome = self._merge(mutation, fixed_seq)
        if outcome is Outcome.DEFERRED:
            self.backlog.append((mutation, fixed_seq))
        self.answered[mutation.key] = (mutation, outcome)
        self._drain()
        return outcome

    def _behind(self, mutation: Mutation) -> bool:
        ref = target_of(mutation)
        return any(
            waiting.device_id == mutation.device_id
            and waiting.device_seq < mutation.device_seq
            and target_of(waiting) == ref
            for waiting, _ in self.backlog
        )

    def _merge(self, mutation: Mutation, fixed_seq: int | None) -> Outcome:
        ref = target_of(mutation)
        missing = [need for need in requirements(mutation) if need not in self.states]
        seq = fixed_seq if fixed_seq is not None else self.seq + 1
        result = merge_mutation(self.states.get(ref), mutation, seq=seq, missing=missing)
        if result.outcome is Outcome.DEFERRED:
            self.deferrals += 1
            return result.outcome
        if result.outcome is Outcome.REJECTED:
            self.refused.append((mutation, result.reason))
            return result.outcome
        if result.changed:
            assert result.state is not None
            self.states[ref] = result.state
        if not result.duplicate:
            self.seq = max(self.seq, seq)  # every merged mutation gets its own seq
            self.merged.append((mutation, seq))
            stamp = mutation.timestamp
            self.newest_hlc = stamp if self.newest_hlc is None else max(self.newest_hlc, stamp)
        return result.outcome

    def _drain(self) -> None:
        progress = True
        while progress:
            progress = False
            for item in list(self.backlog):
                mutation, fixed_seq = item
                if self._behind(mutation):
                    continue
                outcome = self._merge(mutation, fixed_seq)
                if outcome is Outcome.DEFERRED:
                    continue
                self.backlog.remove(item)
                self.answered[mutation.key] = (mutation, outcome)
                progress = True

    def changes_after(self, checkpoint: int) -> dict[EntityRef, Snapshot]:
        return {
            ref: snapshot(state)
            for ref, state in self.states.items()
            if state.seq > checkpoint and ref.kind in (H, M, P)
        }

    def snapshot(self) -> dict[EntityRef, Snapshot]:
        return {ref: snapshot(state) for ref, state in self.states.items() if ref.kind in (H, M, P)}

    def restart(self) -> None:
        self.states = {
            ref: EntityState.from_json(json.loads(json.dumps(state.to_json())))
            for ref, state in self.states.items()
        }


def snapshot(state: EntityState) -> Snapshot:
    return (state.values(), state.deleted, tuple(event.event_id for event in state.events))


# -- a tablet ---------------------------------------------------------------------------------


class Replica:
    def __init__(self, name: str, clock_offset: int) -> None:
        self.name = name
        self.clock_offset = clock_offset
        self.next_seq = 1
        self.checkpoint: int | None = None
        self.hlc: HlcTimestamp | None = None
        self.base: dict[EntityRef, Snapshot] = {}
        self.view: dict[EntityRef, Snapshot] = {}
        self.pending: list[Mutation] = []
        self.made = 0

    def new_id(self, prefix: str) -> str:
        self.made += 1
        return f"{prefix}-{self.name}-{self.made}"

    def record(self, now: int, entity: EntityKind, eid: str, op: MutationOp, fields: dict) -> Mutation:
        self.hlc = tick(self.hlc, now_ms=now + self.clock_offset, node=self.name)
        mutation = Mutation(
            device_id=self.name,
            device_seq=self.next_seq,
            entity=entity,
            entity_id=eid,
            op=op,
            fields=fields,
            checkpoint=self.checkpoint,
            hlc=str(self.hlc),
            wall_time=now + self.clock_offset,
            monotonic_ns=now,
            boot_id="boot",
        )
        self.next_seq += 3  # device seqs are increasing, not contiguous
        self.pending.append(mutation)
        return mutation

    def live(self, kind: EntityKind) -> list[EntityRef]:
        return sorted(ref for ref, (_, deleted, _) in self.view.items() if ref.kind is kind and not deleted)

    def acknowledge(self, keys: set[tuple[str, int]]) -> None:
        self.pending = [mutation for mutation in self.pending if mutation.key not in keys]

    def pull(self, server: SimServer, now: int) -> None:
        self.base.update(server.changes_after(self.checkpoint or 0))
        self.view = dict(self.base)
        for mutation in self.pending:  # the store's re-application of pending local changes
            ref = EntityRef(mutation.entity, mutation.entity_id)
            if mutation.entity in (V, E):
                continue
            if mutation.op is MutationOp.DELETE:
                values, _, events = self.view[ref]
                self.view[ref] = (values, True, events)
            elif mutation.op is MutationOp.CREATE:
                self.view[ref] = ({name: change.value for name, change in mutation.fields.items()}, False, ())
            else:
                values, deleted, events = self.view[ref]
                self.view[ref] = (apply_fields(values, mutation.fields), deleted, events)
        if not self.pending:
            self.checkpoint = server.seq
        if server.newest_hlc is not None:
            self.hlc = receive(self.hlc, server.newest_hlc, now_ms=now + self.clock_offset, node=self.name)


def with_edit(values: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    if "." in name:
        top, sub = name.split(".")
        return {**values, top: {**values[top], sub: value}}
    return {**values, name: value}


# -- the machine ------------------------------------------------------------------------------


class Village(RuleBasedStateMachine):
    @initialize(
        offsets=st.lists(st.integers(-5_000, 5_000), min_size=3, max_size=3), seed=st.integers(0, 2**32)
    )
    def start(self, offsets: list[int], seed: int) -> None:
        self.now = 1_000_000
        self.seed = seed
        self.server = SimServer()
        self.in_flight: list[tuple[str, tuple[Mutation, ...]]] = []
        self.office_seq = 1
        self.office_hlc: HlcTimestamp | None = None
        office = Replica("office", 0)
        for hid in ("h1", "h2"):
            office.record(self.now, H, hid, MutationOp.CREATE, creation_fields(valid_json(H, household(hid))))
        for mid, hid in (("m1", "h1"), ("m2", "h1"), ("m3", "h2")):
            office.record(
                self.now, M, mid, MutationOp.CREATE, creation_fields(valid_json(M, member(mid, hid)))
            )
        office.record(
            self.now, P, "p1", MutationOp.CREATE, creation_fields(valid_json(P, problem("p1", "h1")))
        )
        for mutation in office.pending:
            assert self.server.receive(mutation) is Outcome.APPLIED
        self.devices = {name: Replica(name, offset) for name, offset in zip(DEVICES, offsets, strict=True)}
        for device in self.devices.values():
            device.pull(self.server, self.now)

    def _tick(self) -> int:
        self.now += 1_000
        return self.now

    # -- local work on a tablet --

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def edit_household(self, device: str, data: st.DataObject) -> None:
        self._edit(device, H, HOUSEHOLD_EDITS, data)

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def edit_member(self, device: str, data: st.DataObject) -> None:
        self._edit(device, M, MEMBER_EDITS, data)

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def edit_problem(self, device: str, data: st.DataObject) -> None:
        self._edit(device, P, PROBLEM_EDITS, data)

    def _edit(self, name: str, kind: EntityKind, pool: dict[str, list[Any]], data: st.DataObject) -> None:
        replica = self.devices[name]
        refs = replica.live(kind)
        if not refs:
            return
        ref = data.draw(st.sampled_from(refs))
        values = replica.view[ref][0]
        changes = data.draw(st.lists(st.sampled_from(sorted(pool)), min_size=1, max_size=3, unique=True))
        new = values
        for field in changes:
            new = with_edit(new, field, data.draw(st.sampled_from(pool[field])))
        self._save(replica, ref, values, new)

    @rule(devices=st.permutations(DEVICES), kind=st.sampled_from([H, M]), data=st.data())
    def race(self, devices: list[str], kind: EntityKind, data: st.DataObject) -> None:
        """Two tablets change the same field of the same record before either syncs."""
        first, second = (self.devices[name] for name in devices[:2])
        shared = sorted(set(first.live(kind)) & set(second.live(kind)))
        if not shared:
            return
        ref = data.draw(st.sampled_from(shared))
        pool = HOUSEHOLD_EDITS if kind is H else MEMBER_EDITS
        field = data.draw(st.sampled_from(sorted(pool)))
        for replica in (first, second):
            values = replica.view[ref][0]
            self._save(
                replica, ref, values, with_edit(values, field, data.draw(st.sampled_from(pool[field])))
            )

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def edit_income_lines(self, device: str, data: st.DataObject) -> None:
        replica = self.devices[device]
        refs = replica.live(H)
        if not refs:
            return
        ref = data.draw(st.sampled_from(refs))
        values = replica.view[ref][0]
        incomes = {entry["year"]: entry for entry in values.get("incomes", [])}
        year = data.draw(st.sampled_from([2022, 2023]))
        choice = data.draw(st.sampled_from(["remove", 0.0, 1000.0, 2000.0]))
        if choice == "remove":
            incomes.pop(year, None)
        else:
            incomes[year] = {**incomes.get(year, {"year": year}), "wages": choice}
        assistance = list(values.get("assistance", []))
        if data.draw(st.booleans()):
            if assistance and data.draw(st.booleans()):
                assistance.pop(0)
            else:
                assistance.append(
                    {"id": replica.new_id("as"), "kind": "industry", "year": 2020, "amount": 100.0}
                )
        new = {**values, "incomes": list(incomes.values()), "assistance": assistance}
        self._save(replica, ref, values, new)

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def move_member(self, device: str, data: st.DataObject) -> None:
        replica = self.devices[device]
        members, households = replica.live(M), replica.live(H)
        if not members or not households:
            return
        ref = data.draw(st.sampled_from(members))
        values = replica.view[ref][0]
        target = data.draw(st.sampled_from(households))
        self._save(replica, ref, values, {**values, "household_id": target.id})

    def _save(self, replica: Replica, ref: EntityRef, seen: dict, new: dict) -> None:
        checked = valid_json(ref.kind, new)
        assert checked is not None, new
        fields = diff_fields(seen, checked)
        if not fields:
            return
        replica.record(self._tick(), ref.kind, ref.id, MutationOp.UPDATE, fields)
        _, deleted, events = replica.view[ref]
        replica.view[ref] = (checked, deleted, events)

    @rule(device=st.sampled_from(DEVICES), head=st.sampled_from(HOUSEHOLD_EDITS["head_name"]))
    def create_household(self, device: str, head: str) -> None:
        replica = self.devices[device]
        hid = replica.new_id("h")
        values = valid_json(H, household(hid, head))
        replica.record(self._tick(), H, hid, MutationOp.CREATE, creation_fields(values))
        replica.view[EntityRef(H, hid)] = (values, False, ())

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def create_member_or_problem(self, device: str, data: st.DataObject) -> None:
        replica = self.devices[device]
        households = replica.live(H)
        if not households:
            return
        hid = data.draw(st.sampled_from(households)).id
        kind = data.draw(st.sampled_from([M, P]))
        eid = replica.new_id(kind.value)
        values = valid_json(kind, member(eid, hid) if kind is M else problem(eid, hid))
        replica.record(self._tick(), kind, eid, MutationOp.CREATE, creation_fields(values))
        replica.view[EntityRef(kind, eid)] = (values, False, ())

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def delete(self, device: str, data: st.DataObject) -> None:
        replica = self.devices[device]
        refs = replica.live(H) + replica.live(M) + replica.live(P)
        if not refs:
            return
        ref = data.draw(st.sampled_from(refs))
        replica.record(self._tick(), ref.kind, ref.id, MutationOp.DELETE, {})
        values, _, events = replica.view[ref]
        replica.view[ref] = ({**values, TOMBSTONE: True} if ref.kind is H else values, True, events)

    @rule(
        device=st.sampled_from(DEVICES),
        data=st.data(),
        action=st.sampled_from(ACTIONS),
        role=st.sampled_from(ROLES),
        actor=st.sampled_from(["u1", "u2"]),
    )
    def problem_event(self, device: str, data: st.DataObject, action: str, role: str, actor: str) -> None:
        replica = self.devices[device]
        problems = sorted(ref for ref in replica.view if ref.kind is P)  # events go to deleted ones too
        if not problems:
            return
        pid = data.draw(st.sampled_from(problems)).id
        eid = replica.new_id("e")
        values = valid_json(
            E,
            {
                "id": eid,
                "problem_id": pid,
                "action": action,
                "actor_id": actor,
                "actor_role": role,
                "at": "2024-05-02T10:00:00Z",
            },
        )
        replica.record(self._tick(), E, eid, MutationOp.APPEND, creation_fields(values))

    @rule(device=st.sampled_from(DEVICES), data=st.data())
    def visit(self, device: str, data: st.DataObject) -> None:
        replica = self.devices[device]
        households = replica.live(H)
        if not households:
            return
        hid = data.draw(st.sampled_from(households)).id
        vid = replica.new_id("v")
        values = valid_json(
            V,
            {
                "id": vid,
                "household_id": hid,
                "village_code": VILLAGE,
                "form_id": "routine",
                "form_version": 1,
                "visitor_id": f"u-{device}",
                "visitor_role": "field_worker",
                "started_at": "2024-05-02T09:00:00Z",
                "ended_at": "2024-05-02T09:30:00Z",
            },
        )
        replica.record(self._tick(), V, vid, MutationOp.APPEND, creation_fields(values))

    # -- the network --

    @rule(device=st.sampled_from(DEVICES))
    def send(self, device: str) -> None:
        replica = self.devices[device]
        if replica.pending:
            self.in_flight.append((device, tuple(replica.pending)))

    @precondition(lambda self: self.in_flight)
    @rule(index=st.integers(0, 50), keep_copy=st.booleans(), answer_lost=st.booleans())
    def deliver(self, index: int, keep_copy: bool, answer_lost: bool) -> None:
        """Deliver any batch in flight (reordered, delayed); maybe keep a copy to deliver again
        (duplicated); maybe lose the answer (the device will send the same mutations again)."""
        position = index % len(self.in_flight)
        device, batch = self.in_flight[position] if keep_copy else self.in_flight.pop(position)
        for mutation in batch:
            self.server.receive(mutation)
        if not answer_lost:
            self.devices[device].acknowledge({mutation.key for mutation in batch})

    @precondition(lambda self: self.in_flight)
    @rule(index=st.integers(0, 50))
    def drop(self, index: int) -> None:
        self.in_flight.pop(index % len(self.in_flight))

    @rule(device=st.sampled_from(DEVICES))
    def pull(self, device: str) -> None:
        self.devices[device].pull(self.server, self._tick())

    @rule()
    def restart_server(self) -> None:
        self.server.restart()

    @rule(data=st.data())
    def supervisor_resolves(self, data: st.DataObject) -> None:
        queued = [
            (ref, conflict)
            for ref, state in sorted(self.server.states.items())
            for conflict in conflicts_of(state)
            if conflict.queued
        ]
        if not queued:
            return
        ref, conflict = data.draw(st.sampled_from(queued))
        if conflict.kind is ConflictKind.DELETE_VS_EDIT:
            value = data.draw(st.booleans())
        else:
            value = data.draw(st.sampled_from(conflict.choices))
        self.office_hlc = tick(self.office_hlc, now_ms=self._tick(), node="server")
        fix = resolve(
            self.server.states[ref],
            conflict,
            value,
            device_id="server",
            device_seq=self.office_seq,
            checkpoint=self.server.seq,
            hlc=str(self.office_hlc),
        )
        self.office_seq += 1
        assert self.server.receive(fix) in MERGED

    # -- checks along the way --

    @invariant()
    def nothing_refused_and_states_valid(self) -> None:
        assert self.server.refused == []
        for state in self.server.states.values():
            for heads in state.registers.values():
                # heads are an antichain: none had seen another
                assert all(a.concurrent(b) for a in heads for b in heads if a is not b)

    # -- the end: full sync, then the invariants --

    def teardown(self) -> None:
        if not hasattr(self, "server"):
            return
        for _device, batch in self.in_flight:  # late arrivals
            for mutation in batch:
                self.server.receive(mutation)
        for _ in range(2):
            for replica in self.devices.values():
                for mutation in list(replica.pending):
                    self.server.receive(mutation)
                replica.acknowledge({mutation.key for mutation in replica.pending})
            for replica in self.devices.values():
                replica.pull(self.server, self._tick())
        server = self.server
        assert server.backlog == []
        assert server.refused == []
        # every replica equals the server
        expected = server.snapshot()
        for replica in self.devices.values():
            assert replica.pending == []
            assert replica.checkpoint == server.seq
            assert replica.view == expected
        check_against_the_log(server)
        replay = check_order_independence(server, random.Random(self.seed))
        kinds = sorted({c.kind.value for state in server.states.values() for c in conflicts_of(state)})
        event(f"conflicts at the end: {kinds}")
        event(f"outcomes seen: {sorted({o.value for _, o in server.answered.values()})}")
        event(
            f"some mutation deferred: {server.deferrals > 0}, in the shuffled replay: {replay.deferrals > 0}"
        )


def _saw(later: tuple[Mutation, int], earlier: tuple[Mutation, int]) -> bool:
    """The specification of "had seen", from the log (not the merge's own Write.saw)."""
    (m2, _), (m1, seq1) = later, earlier
    if m1.device_id == m2.device_id:
        return m1.device_seq < m2.device_seq
    return seq1 <= (m2.checkpoint or 0)


def check_against_the_log(server: SimServer) -> None:
    writes: dict[tuple[EntityRef, tuple], list[tuple[Mutation, int, Any]]] = {}
    events: dict[EntityRef, list[Mutation]] = {}
    for mutation, seq in server.merged:
        ref = target_of(mutation)
        policy = policy_for(mutation.entity)
        if policy.storage is Storage.EVENT:
            events.setdefault(ref, []).append(mutation)
            continue
        if policy.storage is Storage.APPEND:
            assert ref in server.states
            continue
        if mutation.op is MutationOp.DELETE:
            leaves = [((TOMBSTONE,), True)]
        else:
            changes = leaf_changes(policy, mutation.fields, create=mutation.op is MutationOp.CREATE)
            leaves = [(change.path, change.value) for change in changes]
        for path, value in leaves:
            writes.setdefault((ref, path), []).append((mutation, seq, value))
    for (ref, path), candidates in writes.items():
        maximal = [
            w
            for w in candidates
            if not any(_saw((o[0], o[1]), (w[0], w[1])) for o in candidates if o is not w)
        ]
        heads = server.states[ref].heads(path)
        assert {h.key for h in heads} == {w[0].key for w in maximal}, (ref, path)
        shown = max(maximal, key=lambda w: (w[0].hlc, w[0].device_id, w[0].device_seq))
        assert canonical(heads[-1].value) == canonical(shown[2])
        assert_shown(server.states[ref], path, shown[2])
        conflicted = {c.path for c in conflicts_of(server.states[ref])}
        if len({canonical(w[2]) for w in maximal}) > 1:
            assert path in conflicted
    for ref, merged in events.items():
        state = server.states[ref]
        order = sorted(merged, key=lambda m: (m.hlc, m.entity_id))
        assert [e.event_id for e in state.events] == [m.entity_id for m in order]
        problem = parse_record(policy_for(P).model, state.values())
        folded = fold_problem(problem, [ProblemEvent.model_validate(e.content) for e in state.events])
        assert problem_status(state) == folded


def assert_shown(state: EntityState, path: tuple, value: Any) -> None:
    """The record the server shows has ``value`` at ``path`` (read back from its JSON values)."""
    rule = policy_for(state.kind).field(path[0])
    values = state.values()
    if path == (TOMBSTONE,):
        assert state.deleted is (value is True)
    elif rule.shape is Shape.SCALAR:
        assert canonical(values.get(path[0])) == canonical(value)
    elif rule.shape is Shape.RECORD:
        assert canonical(values[path[0]][path[1]]) == canonical(value)
    elif rule.shape is Shape.SET:
        assert (path[1] in values[path[0]]) is value
    else:
        entry = next((e for e in values.get(path[0], []) if e[rule.key] == path[1]), None)
        if len(path) == 2:
            assert (entry is not None) is value
        elif entry is not None:
            assert canonical(entry[path[2]]) == canonical(value)


def check_order_independence(server: SimServer, shuffle: random.Random) -> SimServer:
    again = SimServer()
    log = list(server.merged)
    shuffle.shuffle(log)
    for mutation, seq in log:
        again.receive(mutation, fixed_seq=seq)
    assert again.backlog == [] and again.refused == []
    assert set(again.states) == set(server.states)
    for ref, state in server.states.items():
        other = again.states[ref]
        assert other.values() == state.values(), ref
        assert other.deleted == state.deleted
        assert conflicts_of(other) == conflicts_of(state), ref
        assert [e.event_id for e in other.events] == [e.event_id for e in state.events]
    return again


Village.TestCase.settings = settings(
    max_examples=2000 if SLOW else 200,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestVillage = Village.TestCase
