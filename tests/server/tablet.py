"""A tablet, just enough of one to drive the sync API: it numbers its mutations, ticks a hybrid
logical clock, pushes batches and pulls pages. Records are built as valid core models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from field_app.core.models import Household, Member, Problem, ProblemEvent, Visit
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.mutation import EntityKind, Mutation, MutationOp, creation_fields, diff_fields

from .conftest import VILLAGE_A

H, M, V, P, E = (
    EntityKind.HOUSEHOLD,
    EntityKind.MEMBER,
    EntityKind.VISIT,
    EntityKind.PROBLEM,
    EntityKind.PROBLEM_EVENT,
)
BOOT = "boot-1"
WALL_MS = 1_779_238_800_000  # 2026-05-20 01:00 UTC: the test clock's now


def household(hid: str = "h1", village: str = VILLAGE_A, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": hid,
        "number": f"{village}{abs(hash(hid)) % 10000:04d}",
        "village_code": village,
        "head_name": "张三",
        "category": "ordinary",
        "status": "not_exited",
        "identified_year": 2016,
        "main_cause": "illness",
        "other_causes": ["lack_land"],
        "fuels": ["firewood"],
        "incomes": [{"year": 2025, "wages": 1000}],
    }
    data.update(changes)
    return Household.model_validate(data).model_dump(mode="json")


def member(mid: str = "m1", hid: str = "h1", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": mid, "household_id": hid, "name": "张三", "sex": "male",
                            "birth_date": "1970-03-01", "relation": "head"}
    data.update(changes)
    return Member.model_validate(data).model_dump(mode="json")


def visit(vid: str = "v1", hid: str = "h1", village: str = VILLAGE_A, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": vid, "household_id": hid, "village_code": village, "form_id": "routine", "form_version": 1,
        "visitor_id": "u1", "visitor_role": "field_worker",
        "started_at": "2026-05-19T09:00:00+08:00", "ended_at": "2026-05-19T09:30:00+08:00",
    }
    data.update(changes)
    return Visit.model_validate(data).model_dump(mode="json")


def problem(pid: str = "p1", hid: str = "h1", village: str = VILLAGE_A) -> dict[str, Any]:
    return Problem(id=pid, household_id=hid, village_code=village, category="housing", description="屋顶漏雨",
                   created_by="u1", created_at="2026-05-18T09:00:00+08:00").model_dump(mode="json")


def event(eid: str, action: str, actor_id: str, role: str, pid: str = "p1") -> dict[str, Any]:
    return ProblemEvent(id=eid, problem_id=pid, action=action, actor_id=actor_id, actor_role=role,
                        at="2026-05-19T10:00:00+08:00").model_dump(mode="json")


@dataclass
class Tablet:
    client: Any
    token: str
    device_id: str
    user_id: str
    role: str
    next_seq: int = 1
    checkpoint: int | None = None
    clock_ms: int = WALL_MS
    monotonic_ns: int = 1_000_000_000
    boot_id: str = BOOT
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _make(self, entity: EntityKind, entity_id: str, op: MutationOp, fields: dict, at: int | None) -> dict:
        self.clock_ms += 1000
        self.monotonic_ns += 1_000_000_000
        made = Mutation(
            device_id=self.device_id, device_seq=self.next_seq, entity=entity, entity_id=entity_id, op=op,
            fields=fields, checkpoint=self.checkpoint,
            hlc=str(HlcTimestamp(at if at is not None else self.clock_ms, 0, self.device_id)),
            wall_time=self.clock_ms, monotonic_ns=self.monotonic_ns, boot_id=self.boot_id,
        )
        self.next_seq += 1
        return made.model_dump(mode="json")

    def create(self, entity: EntityKind, values: dict[str, Any], *, at: int | None = None) -> dict:
        op = MutationOp.APPEND if entity in (V, E) else MutationOp.CREATE
        return self._make(entity, values["id"], op, creation_fields(values), at)

    def update(self, entity: EntityKind, seen: dict[str, Any], *, at: int | None = None, **changes: Any) -> dict:
        return self._make(entity, seen["id"], MutationOp.UPDATE, diff_fields(seen, {**seen, **changes}), at)

    def delete(self, entity: EntityKind, entity_id: str, *, at: int | None = None) -> dict:
        return self._make(entity, entity_id, MutationOp.DELETE, {}, at)

    def push(self, *mutations: dict, headers: dict[str, str] | None = None, status: int = 200) -> dict:
        response = self.client.post("/api/v1/sync/push", json={"mutations": list(mutations)},
                                    headers={**self.headers, **(headers or {})})
        assert response.status_code == status, response.text
        body = response.json()
        if "server_hlc" in body:
            self.receive(body["server_hlc"])
        return body

    def receive(self, server_hlc: str) -> None:
        """Move the clock past the server's, as a device's hybrid logical clock does."""
        self.clock_ms = max(self.clock_ms, HlcTimestamp.parse(server_hlc).wall_ms)

    def outcomes(self, *mutations: dict) -> list[str]:
        return [result["outcome"] for result in self.push(*mutations)["results"]]

    def pull(self, *, limit: int = 500) -> list[dict]:
        """Every page after the checkpoint; moves the checkpoint and keeps the records."""
        changes = []
        while True:
            response = self.client.get("/api/v1/sync/pull", params={"after": self.checkpoint or 0, "limit": limit},
                                       headers=self.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            self.receive(page["server_hlc"])
            changes += page["changes"]
            for change in page["changes"]:
                key = (change["kind"], change["id"])
                if change["gone"]:
                    self.records.pop(key, None)
                else:
                    self.records[key] = change["record"]
            self.checkpoint = page["next_checkpoint"]
            if not page["more"]:
                return changes
