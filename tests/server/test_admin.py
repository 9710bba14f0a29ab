"""Administration routes: admins only, and they do what they say."""

from __future__ import annotations

import pytest

from field_app.core.codes import Role

from .conftest import COUNTY, VILLAGE_A

# Every admin route: (method, path, JSON body). Add new ones here.
ADMIN_ROUTES: list[tuple[str, str, dict | None]] = [
    ("POST", "/api/v1/admin/users", {"username": "someone", "name": "某人", "role": "field_worker"}),
    ("GET", "/api/v1/admin/users", None),
    ("POST", "/api/v1/admin/enrolment-codes", {"user_id": "x"}),
    ("GET", "/api/v1/admin/devices", None),
    ("POST", "/api/v1/admin/devices/x/revoke", None),
    ("GET", "/api/v1/admin/audit", None),
]

NON_ADMIN_ROLES = [role for role in Role if role is not Role.ADMIN]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_admin_routes_refuse_other_roles(kit, client, method, path, body):
    for role in NON_ADMIN_ROLES:
        kit.user(f"not_admin_{role.value}", role, counties=(COUNTY,))  # even with the whole county in scope
        response = client.request(method, path, json=body, headers=kit.login(f"not_admin_{role.value}"))
        assert response.status_code == 403, (role, response.text)
        assert response.json()["code"] == "auth.role_forbidden"
        assert response.json()["details"]["action"]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_admin_routes_need_a_token(client, method, path, body):
    response = client.request(method, path, json=body)
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_the_role_table_covers_every_action():
    from sync_server.auth.roles import ALLOWED_ROLES, Action

    assert set(ALLOWED_ROLES) == set(Action)


@pytest.fixture
def admin_headers(kit):
    kit.admin()
    return kit.login("admin1")


def test_create_user_then_sign_in(client, kit, admin_headers):
    response = client.post("/api/v1/admin/users", headers=admin_headers, json={
        "username": "clerk1", "name": "黄伟剑", "role": "village_clerk",
        "scope": {"village_codes": [VILLAGE_A]}, "password": "long enough",
    })
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["role"] == "village_clerk" and created["scope"]["village_codes"] == [VILLAGE_A]
    assert "password" not in created and "password_hash" not in created
    me = client.get("/api/v1/me", headers=kit.login("clerk1", "long enough")).json()
    assert me["user"]["id"] == created["id"] and me["device_id"] is None
    listed = client.get("/api/v1/admin/users", headers=admin_headers).json()
    assert {"admin1", "clerk1"} <= {user["username"] for user in listed}


def test_usernames_are_unique_whatever_the_case(client, kit, admin_headers):
    kit.user("worker1")
    response = client.post("/api/v1/admin/users", headers=admin_headers,
                           json={"username": "Worker1", "name": "重名", "role": "field_worker"})
    assert response.status_code == 409 and response.json()["code"] == "user.username_taken"


def test_short_passwords_are_refused(client, admin_headers):
    response = client.post("/api/v1/admin/users", headers=admin_headers,
                           json={"username": "worker2", "name": "工作员", "role": "field_worker", "password": "short"})
    assert response.status_code == 422 and response.json()["code"] == "auth.weak_password"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "king"}, "role"),
        ({"username": "有中文"}, "username"),
        ({"scope": {"village_codes": ["12345"]}}, "scope.village_codes"),
        ({"scope": {"village_codes": ["360731108000"]}}, "scope.village_codes"),  # a township's code
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_user_fields_are_422_naming_the_field(client, admin_headers, change, field):
    body = {"username": "worker3", "name": "工作员", "role": "field_worker"} | change
    response = client.post("/api/v1/admin/users", headers=admin_headers, json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["details"]["errors"]
    assert any(error["field"].startswith(field) for error in errors), errors


def test_devices_are_listed_for_admins(client, kit, admin_headers):
    worker = kit.user("worker1", villages=(VILLAGE_A,))
    device = kit.enrol(admin_headers, worker)
    listed = client.get("/api/v1/admin/devices", headers=admin_headers, params={"user_id": worker.id}).json()
    assert [(d["id"], d["username"], d["name"], d["revoked_at"]) for d in listed] == [
        (device["device_id"], "worker1", "平板1", None)
    ]
