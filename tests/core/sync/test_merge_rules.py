"""The merge, rule by rule: small scenarios with two or three devices and an in-memory server.

Each scenario that involves racing mutations is run in every arrival order, and the final
record and conflicts must be the same in all of them."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from field_app.core.i18n import LANGS, MESSAGES, render
from field_app.core.models import Household, Member, Problem, ProblemEvent, Visit
from field_app.core.sync.conflicts import Conflict, ConflictKind, conflicts_of, resolve
from field_app.core.sync.field_policy import POLICIES, Shape
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.leaves import LeafChange, format_path, leaf_changes
from field_app.core.sync.merge import EntityRef, merge_mutation, problem_status, requirements, target_of
from field_app.core.sync.mutation import (
    EntityKind,
    FieldChange,
    Mutation,
    MutationOp,
    creation_fields,
    diff_fields,
)
from field_app.core.sync.outcome import MergeResult, Outcome
from field_app.core.sync.state import EntityState

H, M, V, P, E = (
    EntityKind.HOUSEHOLD,
    EntityKind.MEMBER,
    EntityKind.VISIT,
    EntityKind.PROBLEM,
    EntityKind.PROBLEM_EVENT,
)
VILLAGE = "360781102201"
T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)


# -- records ---------------------------------------------------------------------------------


def household(hid: str = "h1", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": hid,
        "number": "36078110220100001",
        "village_code": VILLAGE,
        "head_name": "张三",
        "category": "ordinary",
        "status": "not_exited",
        "identified_year": 2016,
        "main_cause": "illness",
        "other_causes": ["lack_land"],
        "fuels": ["firewood"],
        "incomes": [{"year": 2023, "wages": 1000}],
    }
    data.update(changes)
    return Household.model_validate(data).model_dump(mode="json")


def member(mid: str = "m1", hid: str = "h1", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": mid,
        "household_id": hid,
        "name": "张三",
        "sex": "male",
        "birth_date": "1970-03-01",
        "relation": "spouse",
    }
    data.update(changes)
    return Member.model_validate(data).model_dump(mode="json")


def visit(vid: str = "v1", hid: str = "h1", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": vid,
        "household_id": hid,
        "village_code": VILLAGE,
        "form_id": "routine",
        "form_version": 1,
        "visitor_id": "u1",
        "visitor_role": "field_worker",
        "started_at": "2024-05-01T09:00:00Z",
        "ended_at": "2024-05-01T09:30:00Z",
    }
    data.update(changes)
    return Visit.model_validate(data).model_dump(mode="json")


def problem(pid: str = "p1", hid: str = "h1") -> dict[str, Any]:
    return Problem(
        id=pid,
        household_id=hid,
        village_code=VILLAGE,
        category="housing",
        description="屋顶漏雨",
        created_by="u1",
        created_at=T0,
    ).model_dump(mode="json")


def event(eid: str, action: str, role: str, actor: str = "u1", pid: str = "p1") -> dict[str, Any]:
    return ProblemEvent(
        id=eid, problem_id=pid, action=action, actor_id=actor, actor_role=role, at=T0
    ).model_dump(mode="json")


# -- a device and a server, just enough to drive the pure merge ------------------------------


class Device:
    def __init__(self, name: str) -> None:
        self.name = name
        self.next_seq = 1
        self.checkpoint: int | None = None

    def pull(self, server: Server) -> Device:
        self.checkpoint = server.seq
        return self

    def _make(self, entity: EntityKind, eid: str, op: MutationOp, fields: dict, at: int) -> Mutation:
        made = Mutation(
            device_id=self.name,
            device_seq=self.next_seq,
            entity=entity,
            entity_id=eid,
            op=op,
            fields=fields,
            checkpoint=self.checkpoint,
            hlc=str(HlcTimestamp(at, 0, self.name)),
            wall_time=at,
            monotonic_ns=0,
            boot_id="boot",
        )
        self.next_seq += 1
        return made

    def create(self, entity: EntityKind, values: dict[str, Any], *, at: int = 1) -> Mutation:
        op = MutationOp.APPEND if entity in (V, E) else MutationOp.CREATE
        return self._make(entity, values["id"], op, creation_fields(values), at)

    def update(self, entity: EntityKind, seen: dict[str, Any], *, at: int, **changes: Any) -> Mutation:
        return self._make(entity, seen["id"], MutationOp.UPDATE, diff_fields(seen, {**seen, **changes}), at)

    def delete(self, entity: EntityKind, eid: str, *, at: int) -> Mutation:
        return self._make(entity, eid, MutationOp.DELETE, {}, at)


class Server:
    def __init__(self) -> None:
        self.states: dict[EntityRef, EntityState] = {}
        self.seq = 0

    def push(self, mutation: Mutation) -> MergeResult:
        ref = target_of(mutation)
        missing = [need for need in requirements(mutation) if need not in self.states]
        result = merge_mutation(self.states.get(ref), mutation, seq=self.seq + 1, missing=missing)
        if result.changed:
            self.seq += 1
            assert result.state is not None
            self.states[ref] = result.state
        return result

    def values(self, kind: EntityKind, eid: str) -> dict[str, Any]:
        return self.states[EntityRef(kind, eid)].values()

    def conflicts(self, kind: EntityKind, eid: str) -> tuple[Conflict, ...]:
        return conflicts_of(self.states[EntityRef(kind, eid)])


def seeded(*records: tuple[EntityKind, dict[str, Any]]) -> Server:
    server, office = Server(), Device("office")
    for kind, values in records:
        assert server.push(office.create(kind, values)).outcome is Outcome.APPLIED
    return server


def every_order(
    setup: list[tuple[EntityKind, dict]], racing: list[Mutation]
) -> list[tuple[Server, list[MergeResult]]]:
    """Run ``racing`` (made from the seeded state, none seeing another) in every arrival order;
    assert all orders end with the same records and conflicts; return the runs."""
    runs = []
    for order in itertools.permutations(racing):
        server = seeded(*setup)
        results = [server.push(mutation) for mutation in order]
        runs.append((server, results))
    first = runs[0][0]
    for server, _ in runs[1:]:
        assert set(server.states) == set(first.states)
        for ref, state in server.states.items():
            assert state.values() == first.states[ref].values()
            assert conflicts_of(state) == conflicts_of(first.states[ref])
            assert state.events == first.states[ref].events or [e.event_id for e in state.events] == [
                e.event_id for e in first.states[ref].events
            ]
    return runs


# -- households and members: the field-level merge ------------------------------------------

H0 = household()


def test_create_then_disjoint_fields_both_win():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    for server, results in every_order(
        [(H, H0)], [a.update(H, H0, at=10, phone="13800138000"), b.update(H, H0, at=5, address="村东头")]
    ):
        assert [r.outcome for r in results] == [Outcome.APPLIED, Outcome.MERGED]
        shown = server.values(H, "h1")
        assert (shown["phone"], shown["address"]) == ("13800138000", "村东头")
        assert server.conflicts(H, "h1") == ()


def test_same_field_same_value_is_no_conflict():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    for server, results in every_order(
        [(H, H0)], [a.update(H, H0, at=10, head_name="李四"), b.update(H, H0, at=5, head_name="李四")]
    ):
        assert results[1].outcome is Outcome.MERGED
        assert server.values(H, "h1")["head_name"] == "李四"
        assert server.conflicts(H, "h1") == ()


@pytest.mark.parametrize(
    ("field", "mine", "theirs"),
    [
        ("head_name", "李四", "王五"),
        ("number", "36078110220100002", "36078110220100003"),
        ("village_code", "360781102202", "360781102203"),
        ("head_member_id", "m1", "m2"),
    ],
)
def test_identity_field_changed_two_ways_is_disputed(field, mine, theirs):
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    racing = [a.update(H, H0, at=10, **{field: mine}), b.update(H, H0, at=20, **{field: theirs})]
    for server, results in every_order([(H, H0)], racing):
        assert [r.outcome for r in results] == [Outcome.APPLIED, Outcome.CONFLICT]
        (conflict,) = server.conflicts(H, "h1")
        assert conflict.kind is ConflictKind.DISPUTED and conflict.queued
        assert conflict.field == field and conflict.base == H0[field]
        assert [c.value for c in conflict.candidates] == [mine, theirs]  # clock order
        assert [c.key for c in conflict.candidates] == [("a", 1), ("b", 1)]
        # shown meanwhile: the candidate with the greatest clock, whatever arrived last
        assert conflict.displayed == theirs == server.values(H, "h1")[field]


def test_three_devices_on_one_field_make_one_conflict_with_every_candidate():
    devices = [Device(name).pull(seeded((H, H0))) for name in ("a", "b", "c")]
    racing = [
        d.update(H, H0, at=at, head_name=name)
        for d, at, name in zip(devices, (3, 1, 2), ("甲", "乙", "丙"), strict=True)
    ]
    for server, _ in every_order([(H, H0)], racing):
        (conflict,) = server.conflicts(H, "h1")
        assert conflict.choices == ("乙", "丙", "甲")
        assert conflict.displayed == "甲"


@pytest.mark.parametrize(
    ("field", "early", "late"),
    [
        ("phone", "13800138000", "13900139000"),
        ("status", "exited", "monitored"),
        ("food_secure", True, False),
        ("location", {"latitude": 25.9, "longitude": 116.0}, {"latitude": 26.0, "longitude": 116.1}),
    ],
)
def test_low_stakes_field_takes_the_latest_clock_whatever_the_arrival(field, early, late):
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    racing = [a.update(H, H0, at=50, **{field: late}), b.update(H, H0, at=40, **{field: early})]
    for server, results in every_order([(H, H0)], racing):
        assert Outcome.CONFLICT not in [r.outcome for r in results]
        shown = Household.model_validate(server.values(H, "h1"))
        assert (
            shown.model_dump(mode="json")[field]
            == Household.model_validate(household(**{field: late})).model_dump(mode="json")[field]
        )
        (conflict,) = server.conflicts(H, "h1")
        assert conflict.kind is ConflictKind.AUTO_RESOLVED and not conflict.queued
        assert conflict.displayed == conflict.candidates[-1].value  # the loser stays listed
        assert len(conflict.candidates) == 2


@pytest.mark.parametrize(
    ("field", "base", "mine", "theirs", "merged"),
    [
        # theirs ∪ (mine − base) − (base − mine)
        ("other_causes", [], ["lack_water"], ["disability"], ["disability", "lack_water"]),
        (
            "other_causes",
            ["lack_land", "lack_water"],
            ["lack_water"],
            ["lack_land", "lack_water"],
            ["lack_water"],
        ),
        ("other_causes", ["lack_land", "lack_water"], ["lack_land"], ["lack_water"], []),
        ("fuels", ["firewood"], ["firewood", "gas"], ["coal", "firewood"], ["coal", "firewood", "gas"]),
        ("fuels", ["firewood", "gas"], ["gas"], ["firewood", "gas", "coal"], ["coal", "gas"]),
        ("helper_ids", [], ["u1"], ["u2"], ["u1", "u2"]),
        ("helper_ids", ["u1", "u2"], ["u2"], ["u1", "u2", "u3"], ["u2", "u3"]),
    ],
)
def test_multi_selects_merge_as_sets_three_way(field, base, mine, theirs, merged):
    start = household(**{field: base})
    a, b = Device("a").pull(seeded((H, start))), Device("b").pull(seeded((H, start)))
    racing = [a.update(H, start, at=10, **{field: mine}), b.update(H, start, at=20, **{field: theirs})]
    for server, results in every_order([(H, start)], racing):
        assert Outcome.CONFLICT not in [r.outcome for r in results]
        assert server.values(H, "h1")[field] == merged
        assert server.conflicts(H, "h1") == ()


def test_set_elements_touched_by_one_side_only_merge_without_collision():
    start = household(fuels=["firewood"])
    a, b = Device("a").pull(seeded((H, start))), Device("b").pull(seeded((H, start)))
    # a removes firewood; b adds gas: only a touches firewood, so no collision.
    racing = [a.update(H, start, at=30, fuels=[]), b.update(H, start, at=20, fuels=["firewood", "gas"])]
    for server, _ in every_order([(H, start)], racing):
        assert server.values(H, "h1")["fuels"] == ["gas"]
    # three writers, and every one that touched gas removed it: no collision on gas
    start = household(fuels=["gas"])
    a, b = Device("a").pull(seeded((H, start))), Device("b").pull(seeded((H, start)))
    c = Device("c").pull(seeded((H, start)))
    racing = [
        a.update(H, start, at=30, fuels=[]),
        b.update(H, start, at=20, fuels=["coal"]),
        c.update(H, start, at=10, fuels=["gas", "coal"]),
    ]
    for server, _ in every_order([(H, start)], racing):
        assert server.values(H, "h1")["fuels"] == ["coal"]
        assert server.conflicts(H, "h1") == ()


@pytest.mark.parametrize(("at_add", "at_remove", "present"), [(20, 10, True), (10, 20, False)])
def test_set_element_added_and_removed_at_once_takes_the_latest_clock(at_add, at_remove, present):
    """gas is removed (a); b, who saw that, adds it back; c, who had not, removes it: b and c
    race on one element, and the clock decides, in either arrival order."""
    start = household(fuels=["gas"])
    ends = []
    for flip in (False, True):
        server = seeded((H, start))
        a, c = Device("a").pull(server), Device("c").pull(server)
        server.push(a.update(H, start, at=1, fuels=[]))
        b = Device("b").pull(server)
        racing = [
            b.update(H, server.values(H, "h1"), at=at_add, fuels=["gas"]),
            c.update(H, start, at=at_remove, fuels=[]),
        ]
        for mutation in reversed(racing) if flip else racing:
            server.push(mutation)
        ends.append((server.values(H, "h1"), server.conflicts(H, "h1")))
    assert ends[0] == ends[1]
    shown, (conflict,) = ends[0]
    assert ("gas" in shown["fuels"]) is present
    assert conflict.field == "fuels[gas]" and conflict.kind is ConflictKind.AUTO_RESOLVED


def test_nested_record_sub_fields_merge_apart():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    housing, water = H0["housing"], H0["water"]
    racing = [
        a.update(H, H0, at=10, housing={**housing, "grade": "C"}, water={**water, "quality_ok": False}),
        b.update(H, H0, at=5, housing={**housing, "area_m2": 80.0}, water={**water, "source": "tap_treated"}),
    ]
    for server, results in every_order([(H, H0)], racing):
        shown = server.values(H, "h1")
        assert (shown["housing"]["grade"], shown["housing"]["area_m2"]) == ("C", 80.0)
        assert (shown["water"]["quality_ok"], shown["water"]["source"]) == (False, "tap_treated")
        assert server.conflicts(H, "h1") == ()
        assert results[1].outcome is Outcome.MERGED


def test_nested_sub_field_collision_is_reported_on_the_sub_field():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    housing = H0["housing"]
    racing = [
        a.update(H, H0, at=10, housing={**housing, "grade": "C"}),
        b.update(H, H0, at=5, housing={**housing, "grade": "D"}),
    ]
    for server, _ in every_order([(H, H0)], racing):
        (conflict,) = server.conflicts(H, "h1")
        assert (conflict.field, conflict.path, conflict.displayed) == (
            "housing.grade",
            ("housing", "grade"),
            "C",
        )


def test_keyed_lists_merge_per_entry():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    incomes = H0["incomes"]
    racing = [
        a.update(H, H0, at=10, incomes=[{**incomes[0], "wages": 2000.0}]),
        b.update(H, H0, at=5, incomes=[*incomes, {"year": 2022, "wages": 500}]),
    ]
    for server, _ in every_order([(H, H0)], racing):
        shown = Household.model_validate(server.values(H, "h1"))
        assert [(i.year, i.wages) for i in shown.incomes] == [(2022, 500), (2023, 2000)]
        assert server.conflicts(H, "h1") == ()


def test_keyed_entry_removed_while_edited_is_a_visible_collision():
    incomes = H0["incomes"]
    for at_a, at_b, kept in ((10, 5, False), (5, 10, True)):
        a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
        racing = [
            a.update(H, H0, at=at_a, incomes=[]),
            b.update(H, H0, at=at_b, incomes=[{**incomes[0], "wages": 9.0}]),
        ]
        for server, _ in every_order([(H, H0)], racing):
            shown = server.values(H, "h1")["incomes"]
            assert shown == ([{**incomes[0], "wages": 9.0}] if kept else [])
            (conflict,) = server.conflicts(H, "h1")
            assert conflict.field == "incomes[2023]" and conflict.kind is ConflictKind.AUTO_RESOLVED


def test_assistance_entries_keyed_by_id():
    start = household(assistance=[{"id": "x1", "kind": "industry", "year": 2020, "amount": 100}])
    a, b = Device("a").pull(seeded((H, start))), Device("b").pull(seeded((H, start)))
    racing = [
        a.update(H, start, at=10, assistance=[{**start["assistance"][0], "amount": 300.0}]),
        b.update(
            H,
            start,
            at=5,
            assistance=[*start["assistance"], {"id": "x0", "kind": "health", "year": 2019, "amount": 50}],
        ),
    ]
    for server, _ in every_order([(H, start)], racing):
        shown = server.values(H, "h1")["assistance"]
        assert [(e["id"], e["amount"]) for e in shown] == [("x0", 50), ("x1", 300.0)]  # by year, then id


def test_own_successive_edits_build_on_their_own_value():
    server = seeded((H, H0))
    a = Device("a").pull(server)
    first = a.update(H, H0, at=10, head_name="李四")
    second = a.update(H, {**H0, "head_name": "李四"}, at=11, head_name="李小四")
    assert server.push(first).outcome is Outcome.APPLIED
    assert server.push(second).outcome is Outcome.APPLIED  # not a conflict with itself
    assert server.values(H, "h1")["head_name"] == "李小四"
    assert server.conflicts(H, "h1") == ()


def test_own_successive_edits_racing_another_device_keep_only_the_latest_own_value():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    racing = [
        a.update(H, H0, at=10, head_name="李四"),
        a.update(H, {**H0, "head_name": "李四"}, at=11, head_name="李小四"),
        b.update(H, H0, at=5, head_name="王五"),
    ]
    for server, _ in every_order([(H, H0)], racing):
        (conflict,) = server.conflicts(H, "h1")
        assert conflict.choices == ("王五", "李小四")


def test_an_edit_after_pulling_the_other_edit_is_sequential():
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b")
    assert server.push(a.update(H, H0, at=10, head_name="李四")).outcome is Outcome.APPLIED
    b.pull(server)
    result = server.push(
        b.update(H, server.values(H, "h1"), at=5, head_name="王五")
    )  # older clock, but saw it
    assert result.outcome is Outcome.APPLIED
    assert server.values(H, "h1")["head_name"] == "王五" and server.conflicts(H, "h1") == ()


# -- members --------------------------------------------------------------------------------

M0 = member()


@pytest.mark.parametrize(
    ("field", "mine", "theirs"),
    [
        ("name", "李四", "王五"),
        ("id_number", "360121197003010011", None),
        ("birth_date", "1971-01-01", "1972-02-02"),
        ("household_id", "h2", "h3"),
        ("relation", "head", "son"),  # involves the head of household
    ],
)
def test_member_identity_fields_are_disputed(field, mine, theirs):
    setup = [
        (H, H0),
        (H, household("h2")),
        (H, household("h3")),
        (M, member(**{field: "spouse"} if field == "relation" else {})),
    ]
    seen = member()
    if field == "id_number":
        seen = member(id_number="360121197003010038")
        setup[-1] = (M, seen)
    a, b = Device("a").pull(seeded(*setup)), Device("b").pull(seeded(*setup))
    racing = [a.update(M, seen, at=10, **{field: mine}), b.update(M, seen, at=20, **{field: theirs})]
    for server, _ in every_order(setup, racing):
        (conflict,) = server.conflicts(M, "m1")
        assert conflict.kind is ConflictKind.DISPUTED and conflict.field == field


def test_relation_not_involving_the_head_takes_the_latest():
    a, b = Device("a").pull(seeded((H, H0), (M, M0))), Device("b").pull(seeded((H, H0), (M, M0)))
    racing = [a.update(M, M0, at=10, relation="son"), b.update(M, M0, at=20, relation="daughter")]
    for server, _ in every_order([(H, H0), (M, M0)], racing):
        (conflict,) = server.conflicts(M, "m1")
        assert conflict.kind is ConflictKind.AUTO_RESOLVED
        assert server.values(M, "m1")["relation"] == "daughter"


def test_relation_from_head_is_disputed():
    head = member(relation="head")
    a, b = Device("a").pull(seeded((H, H0), (M, head))), Device("b").pull(seeded((H, H0), (M, head)))
    racing = [a.update(M, head, at=10, relation="son"), b.update(M, head, at=20, relation="parent")]
    for server, _ in every_order([(H, H0), (M, head)], racing):
        assert server.conflicts(M, "m1")[0].kind is ConflictKind.DISPUTED


def test_member_identity_policy():
    policy = POLICIES[M]
    assert {name for name, rule in policy.fields.items() if rule.rule == "identity"} >= {
        "name",
        "id_number",
        "sex",
        "birth_date",
        "household_id",
    }


def test_member_moved_between_households():
    server = seeded((H, H0), (H, household("h2")), (M, M0))
    a = Device("a").pull(server)
    assert server.push(a.update(M, M0, at=10, household_id="h2")).outcome is Outcome.APPLIED
    assert server.values(M, "m1")["household_id"] == "h2"


# -- deletes ---------------------------------------------------------------------------------


def test_delete_racing_an_edit_is_a_conflict_in_both_orders():
    a, b = Device("a").pull(seeded((H, H0))), Device("b").pull(seeded((H, H0)))
    racing = [a.delete(H, "h1", at=10), b.update(H, H0, at=20, phone="13800138000")]
    for server, results in every_order([(H, H0)], racing):
        assert [r.outcome for r in results] == [Outcome.APPLIED, Outcome.CONFLICT]
        (conflict,) = server.conflicts(H, "h1")
        assert conflict.kind is ConflictKind.DELETE_VS_EDIT and conflict.queued
        assert [c.value for c in conflict.candidates] == [True, {"phone": "13800138000"}]
        shown = server.values(H, "h1")
        assert shown["deleted"] is True and shown["phone"] == "13800138000"  # tombstone holds, nothing lost


def test_delete_after_seeing_the_edit_is_no_conflict():
    server = seeded((H, H0), (M, M0))
    b = Device("b").pull(server)
    server.push(b.update(M, M0, at=20, name="李四"))
    a = Device("a").pull(server)
    result = server.push(a.delete(M, "m1", at=10))
    assert result.outcome is Outcome.APPLIED and result.state.deleted
    assert server.conflicts(M, "m1") == ()
    assert "deleted" not in server.values(M, "m1")  # members have no such field: a bookkeeping leaf


@pytest.mark.parametrize(("keep", "deleted"), [(True, True), (False, False)])
def test_delete_vs_edit_resolved_by_a_supervisor(keep, deleted):
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.delete(H, "h1", at=10))
    server.push(b.update(H, H0, at=20, phone="13800138000"))
    state = server.states[EntityRef(H, "h1")]
    (conflict,) = conflicts_of(state)
    fix = resolve(
        state,
        conflict,
        keep,
        device_id="server",
        device_seq=1,
        checkpoint=server.seq,
        hlc=str(HlcTimestamp(1, 0, "server")),
    )
    result = server.push(fix)
    assert result.outcome is Outcome.APPLIED
    assert [c.id for c in result.closed] == [conflict.id]
    assert server.conflicts(H, "h1") == ()
    assert server.values(H, "h1")["deleted"] is deleted
    assert server.values(H, "h1")["phone"] == "13800138000"


def test_update_before_create_is_deferred_and_applies_later():
    server = Server()
    a = Device("a")
    create = a.create(H, H0)
    update = a.update(H, H0, at=2, phone="13800138000")
    result = server.push(update)
    assert result.outcome is Outcome.DEFERRED and result.state is None
    assert result.reason.code == "sync.missing_entity" and result.reason.params["id"] == "h1"
    assert server.push(create).outcome is Outcome.APPLIED
    assert server.push(update).outcome is Outcome.APPLIED
    assert server.values(H, "h1")["phone"] == "13800138000"


@pytest.mark.parametrize(
    ("make", "missing"),
    [
        (lambda d: d.create(M, member(hid="h9")), EntityRef(H, "h9")),
        (lambda d: d.update(M, M0, at=3, household_id="h9"), EntityRef(H, "h9")),
        (lambda d: d.create(V, visit(hid="h9")), EntityRef(H, "h9")),
        (lambda d: d.create(V, visit("v2", amends="v0")), EntityRef(V, "v0")),
        (lambda d: d.create(P, problem(hid="h9")), EntityRef(H, "h9")),
        (lambda d: d.create(E, event("e1", "comment", "field_worker", pid="p9")), EntityRef(P, "p9")),
    ],
)
def test_records_wait_for_what_they_belong_to(make, missing):
    server = seeded((H, H0), (M, M0))
    mutation = make(Device("a").pull(server))
    result = server.push(mutation)
    assert result.outcome is Outcome.DEFERRED
    assert result.reason.params["id"] == missing.id
    assert missing in requirements(mutation) or target_of(mutation) == missing


def test_delete_before_create_is_deferred():
    assert Server().push(Device("a").delete(H, "h1", at=1)).outcome is Outcome.DEFERRED


# -- idempotency ----------------------------------------------------------------------------


def test_the_same_mutation_twice_has_no_second_effect():
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    mine = a.update(H, H0, at=10, head_name="李四")
    server.push(mine)
    theirs = b.update(H, H0, at=20, head_name="王五")
    server.push(theirs)
    before = server.states[EntityRef(H, "h1")]
    for again in (mine, theirs, mine):
        result = server.push(again)
        assert result.duplicate and not result.changed and result.outcome is Outcome.APPLIED
    assert server.states[EntityRef(H, "h1")] == before
    # even once superseded by an edit that saw it
    c = Device("c").pull(server)
    server.push(c.update(H, server.values(H, "h1"), at=30, head_name="赵六"))
    assert server.push(mine).duplicate
    assert server.values(H, "h1")["head_name"] == "赵六" and server.conflicts(H, "h1") == ()


def test_an_older_own_mutation_arriving_late_is_superseded_not_reapplied():
    """Out of device order (the protocol avoids it; the merge stays safe): the newer own write wins."""
    a = Device("a").pull(seeded((H, H0)))
    first = a.update(H, H0, at=10, phone="13800138000")
    second = a.update(H, {**H0, "phone": "13800138000"}, at=11, phone="13900139000")
    for server, results in every_order([(H, H0)], [first, second]):
        assert server.values(H, "h1")["phone"] == "13900139000"
        late = results[1]
        if late.superseded:
            assert late.superseded == ("phone",) and late.outcome is Outcome.MERGED


# -- re-validation, refusals ----------------------------------------------------------------


def test_merged_record_that_no_longer_validates_is_rejected_and_state_unchanged():
    start = household(other_causes=[])
    a, b = Device("a").pull(seeded((H, start))), Device("b").pull(seeded((H, start)))
    server = seeded((H, start))
    assert server.push(a.update(H, start, at=10, main_cause="disability")).outcome is Outcome.APPLIED
    before = server.states[EntityRef(H, "h1")]
    result = server.push(b.update(H, start, at=20, other_causes=["disability"]))
    assert result.outcome is Outcome.REJECTED
    assert result.reason.code == "validation.record" and result.reason.params["errors"]
    assert result.state is before and not result.changed


@pytest.mark.parametrize(
    ("mutation", "code"),
    [
        (Device("a").update(V, visit(), at=2, form_version=2), "sync.bad_op"),
        (Device("a").delete(E, "e1", at=2), "sync.bad_op"),
        (
            Device("a")._make(H, "h1", MutationOp.UPDATE, {"id": FieldChange(value="h2", base="h1")}, 2),
            "sync.id_mismatch",
        ),
        (
            Device("a")._make(H, "h1", MutationOp.UPDATE, {"fuels": FieldChange(value="gas", base=[])}, 2),
            "sync.bad_value",
        ),
        (
            Device("a")._make(
                H, "h1", MutationOp.UPDATE, {"no_such_field": FieldChange(value=1, base=None)}, 2
            ),
            "validation.record",
        ),
        (
            Device("a")._make(V, "v9", MutationOp.APPEND, creation_fields({"id": "v9"}), 2),
            "validation.record",
        ),
    ],
)
def test_refusals_name_their_reason(mutation, code):
    server = seeded((H, H0), (V, visit()))
    result = server.push(mutation)
    assert result.outcome is Outcome.REJECTED and result.reason.code == code
    assert result.reason.text("zh") and result.reason.text("en")


# -- visits ---------------------------------------------------------------------------------


def test_visits_insert_if_absent_and_refuse_other_content_loudly():
    server = seeded((H, H0))
    a = Device("a").pull(server)
    first = a.create(V, visit())
    assert server.push(first).outcome is Outcome.APPLIED
    again = server.push(first)
    assert again.outcome is Outcome.APPLIED and again.duplicate and not again.changed
    resent = server.push(Device("b").create(V, visit()))  # same content, another key: a no-op
    assert resent.outcome is Outcome.APPLIED and resent.duplicate
    other = server.push(Device("c").create(V, visit(visitor_id="u2")))
    assert other.outcome is Outcome.REJECTED and other.reason.code == "sync.visit_conflict"
    assert server.values(V, "v1")["visitor_id"] == "u1"
    correction = server.push(a.create(V, visit("v2", amends="v1", visitor_id="u1")))
    assert correction.outcome is Outcome.APPLIED and server.values(V, "v2")["amends"] == "v1"


# -- problems -------------------------------------------------------------------------------


def test_problem_events_are_kept_ordered_by_clock_then_id_and_folded():
    setup = [(H, H0), (P, problem())]
    field, station = Device("field").pull(seeded(*setup)), Device("station").pull(seeded(*setup))
    racing = [
        station.create(E, event("e2", "assign", "township_station", "u_station"), at=10),
        field.create(E, event("e3", "rectify", "village_clerk", "u_clerk"), at=20),
        station.create(E, event("e1", "verify", "supervisor", "u_super"), at=30),
        field.create(E, event("e0", "verify", "field_worker", "u_field"), at=30),  # same ms: the node decides
    ]
    for server, results in every_order(setup, racing):
        assert {r.outcome for r in results} == {Outcome.APPLIED}
        state = server.states[EntityRef(P, "p1")]
        assert [e.event_id for e in state.events] == ["e2", "e3", "e0", "e1"]
        status = problem_status(state)
        assert status.state == "closed"
        assert [r.event.id for r in status.rejected] == ["e0"]  # kept, refused by the fold


def test_events_with_the_same_clock_are_ordered_by_id():
    setup = [(H, H0), (P, problem())]
    station = Device("station").pull(seeded(*setup))
    racing = [
        station.create(E, event("e5", "comment", "township_station"), at=40),
        station.create(E, event("e4", "comment", "township_station"), at=40),
    ]
    assert racing[0].hlc == racing[1].hlc
    for server, _ in every_order(setup, racing):
        assert [e.event_id for e in server.states[EntityRef(P, "p1")].events] == ["e4", "e5"]


def test_an_event_refused_by_the_fold_is_applied_with_the_reason():
    server = seeded((H, H0), (P, problem()))
    result = server.push(Device("a").create(E, event("e1", "verify", "field_worker")))
    assert result.outcome is Outcome.APPLIED and result.changed
    assert result.reason.code == "problem.role_not_allowed"
    assert [e.event_id for e in result.state.events] == ["e1"]
    assert result.status.state == "open"


def test_problem_event_identity():
    server = seeded((H, H0), (P, problem()))
    a = Device("a").pull(server)
    first = a.create(E, event("e1", "comment", "field_worker"))
    server.push(first)
    assert server.push(first).duplicate
    assert server.push(Device("b").create(E, event("e1", "comment", "field_worker"))).duplicate
    other = server.push(Device("b").create(E, event("e1", "assign", "township_station")))
    assert other.outcome is Outcome.REJECTED and other.reason.code == "sync.event_conflict"


def test_problem_record_fields_merge_and_report_status():
    server = seeded((H, H0), (P, problem()))
    a = Device("a").pull(server)
    result = server.push(a.update(P, problem(), at=5, severity="high"))
    assert result.outcome is Outcome.APPLIED and result.status.state == "open"
    assert server.values(P, "p1")["severity"] == "high"


# -- resolutions ----------------------------------------------------------------------------


@pytest.mark.parametrize("pick", ["李四", "王五", "张三丰"])
def test_resolution_settles_a_dispute_with_any_value(pick):
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.update(H, H0, at=10, head_name="李四"))
    server.push(b.update(H, H0, at=20, head_name="王五"))
    state = server.states[EntityRef(H, "h1")]
    (conflict,) = conflicts_of(state)
    fix = resolve(
        state,
        conflict,
        pick,
        device_id="server",
        device_seq=7,
        checkpoint=server.seq,
        hlc=str(HlcTimestamp(1, 0, "server")),
    )
    result = server.push(fix)
    assert result.outcome is Outcome.APPLIED and [c.id for c in result.closed] == ["household/h1/head_name"]
    assert server.values(H, "h1")["head_name"] == pick and server.conflicts(H, "h1") == ()


def test_resolution_of_a_nested_leaf_touches_only_that_leaf():
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.update(H, H0, at=10, housing={**H0["housing"], "grade": "C", "area_m2": 70.0}))
    server.push(b.update(H, H0, at=20, housing={**H0["housing"], "grade": "D"}))
    state = server.states[EntityRef(H, "h1")]
    (conflict,) = conflicts_of(state)
    fix = resolve(
        state,
        conflict,
        "D",
        device_id="server",
        device_seq=1,
        checkpoint=server.seq,
        hlc=str(HlcTimestamp(1, 0, "server")),
    )
    assert server.push(fix).closed
    assert server.values(H, "h1")["housing"]["area_m2"] == 70.0 and server.conflicts(H, "h1") == ()


def test_resolution_must_have_seen_the_state():
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.update(H, H0, at=10, head_name="李四"))
    server.push(b.update(H, H0, at=20, head_name="王五"))
    state = server.states[EntityRef(H, "h1")]
    with pytest.raises(ValueError, match="checkpoint"):
        resolve(
            state,
            conflicts_of(state)[0],
            "李四",
            device_id="s",
            device_seq=1,
            checkpoint=1,
            hlc=str(HlcTimestamp(1, 0, "s")),
        )


def test_a_worker_edit_after_pulling_the_dispute_settles_it_too():
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.update(H, H0, at=10, head_name="李四"))
    server.push(b.update(H, H0, at=20, head_name="王五"))
    c = Device("c").pull(server)
    result = server.push(c.update(H, server.values(H, "h1"), at=5, head_name="李四"))
    assert result.outcome is Outcome.APPLIED and result.closed


# -- leaves, state, policies, messages ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "base", "expected"),
    [
        ("phone", "1", "2", [LeafChange(("phone",), "1", "2")]),
        ("phone", "1", "1", []),
        (
            "housing",
            {"grade": "A", "area_m2": 1},
            {"grade": "B", "area_m2": 1},
            [LeafChange(("housing", "grade"), "A", "B")],
        ),
        (
            "fuels",
            ["gas", "coal"],
            ["coal", "firewood"],
            [LeafChange(("fuels", "gas"), True, False), LeafChange(("fuels", "firewood"), False, True)],
        ),
        (
            "incomes",
            [{"year": 2023, "wages": 2}],
            [{"year": 2023, "wages": 1}, {"year": 2022, "wages": 1}],
            [
                LeafChange(("incomes", 2022), False, True),
                LeafChange(("incomes", 2023), True, True),
                LeafChange(("incomes", 2023, "wages"), 2, 1),
            ],
        ),
    ],
)
def test_leaf_changes(field, value, base, expected):
    policy = POLICIES[H]
    assert leaf_changes(policy, {field: FieldChange(value=value, base=base)}, create=False) == expected


def test_paths_read_like_fields():
    policy = POLICIES[H]
    assert [
        format_path(policy, p)
        for p in [
            ("phone",),
            ("housing", "grade"),
            ("fuels", "gas"),
            ("incomes", 2023),
            ("incomes", 2023, "wages"),
        ]
    ] == ["phone", "housing.grade", "fuels[gas]", "incomes[2023]", "incomes[2023].wages"]


def test_policies_are_data_over_real_model_fields():
    for kind, policy in POLICIES.items():
        for name, rule in policy.fields.items():
            if name != "deleted":
                assert name in policy.model.model_fields, (kind, name)
            if rule.shape is Shape.KEYED:
                assert rule.key and rule.order


def test_state_round_trips_through_json():
    server = seeded((H, H0), (P, problem()), (V, visit()))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.update(H, H0, at=10, head_name="李四", fuels=["gas"]))
    server.push(b.update(H, H0, at=20, head_name="王五", incomes=[]))
    server.push(a.create(E, event("e1", "comment", "field_worker")))
    for state in server.states.values():
        text = json.dumps(state.to_json(), ensure_ascii=False)
        assert EntityState.from_json(json.loads(text)) == state


def test_sync_messages_render_in_both_languages():
    codes = [code for code in MESSAGES if code.startswith("sync.")]
    assert len(codes) >= 10
    for code in codes:
        for lang in LANGS:
            assert render(code, {}, lang)
    server = seeded((H, H0))
    a, b = Device("a").pull(server), Device("b").pull(server)
    server.push(a.update(H, H0, at=10, head_name="李四"))
    server.push(b.update(H, H0, at=20, head_name="王五"))
    assert "head_name" in server.conflicts(H, "h1")[0].message().text("en")


def test_target_and_requirements():
    a = Device("a")
    assert target_of(a.create(E, event("e1", "comment", "field_worker"))) == EntityRef(P, "p1")
    assert target_of(a.create(H, H0)) == EntityRef(H, "h1")
    assert requirements(a.update(M, M0, at=2, name="李四")) == ()
    assert requirements(a.update(M, M0, at=2, household_id="h2")) == (EntityRef(H, "h2"),)
    assert requirements(a.create(V, visit(amends="v0"))) == (EntityRef(H, "h1"), EntityRef(V, "v0"))
    assert requirements(a.delete(M, "m1", at=3)) == ()


def test_merge_refuses_a_state_that_is_not_the_target():
    server = seeded((H, H0))
    with pytest.raises(ValueError):
        merge_mutation(server.states[EntityRef(H, "h1")], Device("a").update(M, M0, at=2, name="x"), seq=9)


def test_today_is_a_parameter_not_the_clock():
    server = seeded((H, H0), (M, M0))
    mutation = Device("a").pull(server).update(M, M0, at=2, status_date="2030-01-01")
    state = server.states[EntityRef(M, "m1")]
    assert merge_mutation(state, mutation, seq=9).outcome is Outcome.APPLIED
    assert merge_mutation(state, mutation, seq=9, today=date(2024, 1, 1)).outcome is Outcome.REJECTED


def test_a_checkpoint_from_the_future_is_refused():
    """A device claiming to have seen changes the server never made (server restored from a
    backup) cannot be placed in "who saw what": refused loudly, state unchanged."""
    server = seeded((H, H0))
    device = Device("a")
    device.checkpoint = 99
    result = server.push(device.update(H, H0, at=2, phone="13800138000"))
    assert result.outcome is Outcome.REJECTED and result.reason.code == "sync.future_checkpoint"
    assert server.values(H, "h1")["phone"] is None


def test_a_create_that_is_not_a_record_is_refused():
    result = Server().push(Device("a")._make(H, "h1", MutationOp.CREATE, creation_fields({"id": "h1"}), 1))
    assert result.outcome is Outcome.REJECTED and result.reason.code == "validation.record"
