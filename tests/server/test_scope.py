"""Scope: a user sees and changes only their villages.

**Every route that names a village goes into ``VILLAGE_ROUTES``**: the test below then proves
that a user of one village (or township) is refused another's with 403 ``auth.out_of_scope``
and is let through on their own.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from field_app.core.codes import Role
from field_app.core.models import Scope
from field_app.core.sync.mutation import EntityKind
from sync_server.auth.scope import require_scope_within, scope_filter
from sync_server.db import write_transaction
from sync_server.errors import AuthError
from sync_server.registry import entities_since, get_entity, last_seq, put_entity

from .conftest import COUNTY, OTHER_TOWNSHIP, TOWNSHIP, VILLAGE_A, VILLAGE_B, VILLAGE_C

# (method, path with {village}, JSON body or None)
VILLAGE_ROUTES: list[tuple[str, str, dict | None]] = [
    ("GET", "/api/v1/villages/{village}", None),
    ("GET", "/api/v1/villages/{village}/statuses", None),
    ("GET", "/api/v1/conflicts?village={village}", None),
]

# Routes that reach village data without naming a village in their address: the scope is in
# their queries and checks. Each is exercised against another village's data in
# test_a_worker_of_one_village_reaches_nothing_of_another (test_sync_scope.py).
SCOPED_BY_CONTENT = {
    ("POST", "/api/v1/sync/push"),
    ("GET", "/api/v1/sync/pull"),
    ("GET", "/api/v1/sync/status"),
    ("GET", "/api/v1/conflicts/{conflict_id}"),
    ("POST", "/api/v1/conflicts/{conflict_id}/resolve"),
    ("GET", "/api/v1/photos/{sha256}"),
    ("HEAD", "/api/v1/photos/{sha256}"),
    ("PUT", "/api/v1/photos/{sha256}"),
    ("GET", "/api/v1/villages"),
}
# Routes with no village data at all (or admin routes, see test_admin.py's ADMIN_ROUTES).
NOT_VILLAGE_DATA = {
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/enrol"),
    ("POST", "/api/v1/sessions"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/forms"),
    ("GET", "/api/v1/forms/{form_id}/{version}"),
}

# (how the user is scoped, their own village, a village outside their scope)
SCOPES = [
    pytest.param({"villages": (VILLAGE_A,)}, VILLAGE_A, VILLAGE_B, id="village"),
    pytest.param({"townships": (TOWNSHIP,)}, VILLAGE_B, VILLAGE_C, id="township"),
    pytest.param({"townships": (OTHER_TOWNSHIP,)}, VILLAGE_C, VILLAGE_A, id="other-township"),
]


def assert_village_scoped(client, headers, method, template, body, own, other):
    """The helper every village-scoped route goes through."""
    mine = client.request(method, template.format(village=own), headers=headers, json=body)
    assert mine.status_code != 403, (template, mine.text)
    theirs = client.request(method, template.format(village=other), headers=headers, json=body)
    assert theirs.status_code == 403, (template, theirs.text)
    assert theirs.json()["code"] == "auth.out_of_scope"
    assert theirs.json()["details"]["village"] == other


@pytest.mark.parametrize(("method", "template", "body"), VILLAGE_ROUTES)
@pytest.mark.parametrize(("scope", "own", "other"), SCOPES)
def test_village_routes_refuse_other_villages(kit, client, method, template, body, scope, own, other):
    kit.user("scoped1", Role.TOWNSHIP_STATION if "townships" in scope else Role.FIELD_WORKER, **scope)
    assert_village_scoped(client, kit.login("scoped1"), method, template, body, own, other)


def test_every_route_is_accounted_for(app):
    """A new route must join one of the lists above (or ADMIN_ROUTES) to be merged."""
    from .test_admin import ADMIN_ROUTES

    listed = {(method, template.split("?")[0].replace("{village}", "{village_code}"))
              for method, template, _ in VILLAGE_ROUTES}
    listed |= SCOPED_BY_CONTENT | NOT_VILLAGE_DATA
    listed |= {(method, path.replace("/x/", "/{device_id}/")) for method, path, _ in ADMIN_ROUTES}
    served = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
              for method in operations}
    assert served - listed == set()
    assert ("GET", "/api/v1/sync/pull") in served


def test_an_unknown_village_outside_the_scope_is_403_not_404(kit, client):
    kit.user("worker1", villages=(VILLAGE_A,))
    response = client.get("/api/v1/villages/999999999999", headers=kit.login("worker1"))
    assert response.status_code == 403  # out-of-scope callers learn nothing, not even existence


def test_village_list_holds_only_the_scope(kit, client):
    kit.user("worker1", villages=(VILLAGE_A,))
    kit.user("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    kit.user("county1", Role.SUPERVISOR, counties=(COUNTY,))
    kit.user("nobody1")

    def codes(username):
        return [v["code"] for v in kit.client.get("/api/v1/villages", headers=kit.login(username)).json()]

    assert codes("worker1") == [VILLAGE_A]
    assert codes("station1") == [VILLAGE_A, VILLAGE_B]
    assert codes("county1") == [VILLAGE_A, VILLAGE_B, VILLAGE_C]
    assert codes("nobody1") == []


def test_village_summary_counts_live_households(kit, client, db, clock):
    with write_transaction(db):
        for number, deleted in ((1, False), (2, False), (3, True)):
            put_entity(db, kind=EntityKind.HOUSEHOLD, entity_id=f"h{number}", village_code=VILLAGE_A,
                       state={"number": number}, deleted=deleted, now=clock())
    kit.user("worker1", villages=(VILLAGE_A,))
    village = client.get(f"/api/v1/villages/{VILLAGE_A}", headers=kit.login("worker1")).json()
    assert village == {"code": VILLAGE_A, "name": "潭头村", "township_code": TOWNSHIP, "township_name": "梓山镇",
                       "poor_village": False, "households": 2}


def test_nobody_grants_a_scope_beyond_their_own(kit, client):
    kit.user("station_admin", Role.ADMIN, townships=(TOWNSHIP,))
    headers = kit.login("station_admin")
    for scope in ({"village_codes": [VILLAGE_C]}, {"township_codes": [OTHER_TOWNSHIP]}, {"county_codes": [COUNTY]}):
        response = client.post("/api/v1/admin/users", headers=headers,
                               json={"username": "new_user", "name": "新用户", "role": "field_worker", "scope": scope})
        assert response.status_code == 403 and response.json()["code"] == "auth.scope_too_wide", scope
    inside = client.post("/api/v1/admin/users", headers=headers,
                         json={"username": "new_user", "name": "新用户", "role": "field_worker",
                               "scope": {"village_codes": [VILLAGE_B]}})
    assert inside.status_code == 201


def test_nobody_enrols_or_revokes_tablets_beyond_their_scope(kit, client):
    kit.user("station_admin", Role.ADMIN, townships=(TOWNSHIP,))
    outsider = kit.user("far_worker", villages=(VILLAGE_C,))
    headers = kit.login("station_admin")
    response = client.post("/api/v1/admin/enrolment-codes", json={"user_id": outsider.id}, headers=headers)
    assert response.status_code == 403 and response.json()["code"] == "auth.scope_too_wide"


@pytest.mark.parametrize(
    ("outer", "inner", "allowed"),
    [
        (Scope(county_codes={COUNTY}), Scope(township_codes={TOWNSHIP}, village_codes={VILLAGE_C}), True),
        (Scope(township_codes={TOWNSHIP}), Scope(village_codes={VILLAGE_A, VILLAGE_B}), True),
        (Scope(township_codes={TOWNSHIP}), Scope(village_codes={VILLAGE_C}), False),
        (Scope(township_codes={TOWNSHIP}), Scope(county_codes={COUNTY}), False),
        (Scope(village_codes={VILLAGE_A}), Scope(township_codes={TOWNSHIP}), False),
        (Scope(), Scope(), True),
    ],
)
def test_scope_containment(outer, inner, allowed):
    if allowed:
        require_scope_within(outer, inner)
    else:
        with pytest.raises(AuthError):
            require_scope_within(outer, inner)


def test_pull_feed_is_filtered_by_scope_in_the_query(db):
    now = datetime(2026, 5, 20, tzinfo=UTC)
    with write_transaction(db):
        for village, entity_id in ((VILLAGE_A, "a1"), (VILLAGE_B, "b1"), (VILLAGE_C, "c1"), (VILLAGE_A, "a2")):
            put_entity(db, kind=EntityKind.HOUSEHOLD, entity_id=entity_id, village_code=village,
                       state={"id": entity_id, "head_name": "张三"}, now=now)
        put_entity(db, kind=EntityKind.HOUSEHOLD, entity_id="a1", village_code=VILLAGE_A,
                   state={"id": "a1", "head_name": "张三丰"}, now=now)
    assert last_seq(db) == 5
    village_a = entities_since(db, Scope(village_codes={VILLAGE_A}), checkpoint=0)
    assert [(e.id, e.seq) for e in village_a] == [("a2", 4), ("a1", 5)]
    assert [e.id for e in entities_since(db, Scope(township_codes={TOWNSHIP}), checkpoint=2)] == ["a2", "a1"]
    assert entities_since(db, Scope(), checkpoint=0) == []
    assert get_entity(db, EntityKind.HOUSEHOLD, "a1").state["head_name"] == "张三丰"


def test_scope_filter_is_parameterised():
    condition, params = scope_filter(Scope(village_codes={VILLAGE_A}, county_codes={COUNTY}), "v.code")
    assert condition == "(v.code IN (?) OR substr(v.code, 1, 6) || '000000' IN (?))"
    assert params == [VILLAGE_A, COUNTY]
    assert scope_filter(Scope()) == ("0", [])
