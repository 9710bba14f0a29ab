"""The demo county goes in through the registry's own writer: pulls serve it, its households
have derived statuses, devices edit it like anything else, and a second load adds nothing."""

from __future__ import annotations

from datetime import date

import pytest

from field_app.core.demo.county import generate_county
from sync_server.demo_load import load_demo

from .tablet import H


@pytest.fixture(scope="module")
def county():
    return generate_county(5, today=date(2026, 5, 20), villages=2, households_per_village=6, months=2)


def test_the_demo_county_is_pulled_edited_and_loaded_once(county, db, kit, tablets, clock):
    report = load_demo(db, county, password_hash="x", now=clock())
    village = county.villages[0].code
    households = county.households_in(village)
    worker = tablets("demo_worker", villages=(village,))
    changes = worker.pull()
    kinds = {kind: sum(1 for c in changes if c["kind"] == kind) for kind in ("household", "member", "visit")}
    assert kinds["household"] == len(households)
    assert kinds["member"] == sum(len(county.members_of(h.id)) for h in households)
    assert kinds["visit"] == sum(len(county.visits_of(h.id)) for h in households)
    statuses = kit.client.get(f"/api/v1/villages/{village}/statuses", headers=worker.headers).json()
    assert {s["household_id"] for s in statuses} == {h.id for h in households}

    first = households[0].model_dump(mode="json")
    assert worker.outcomes(worker.update(H, first, phone="13800138000")) == ["applied"]
    worker.pull()
    assert worker.records[("household", first["id"])]["phone"] == "13800138000"

    again = load_demo(db, county, password_hash="x", now=clock())
    assert again.records == 0 and report.records > 0
    assert db.conn.execute("SELECT state FROM entities WHERE id = ?", (first["id"],)).fetchone()[0].count(
        "13800138000") == 1  # the device's edit survives a second load
