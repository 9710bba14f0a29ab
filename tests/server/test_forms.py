"""Publishing forms: every version of the forms folder, as the file itself, with its hash."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from field_app.core.errors import BianfangError, FormDefinitionError
from field_app.core.forms import read_form_text
from sync_server import create_app
from sync_server.settings import DEFAULT_FORMS_FOLDER

from .conftest import VILLAGE_A


@pytest.fixture
def headers(kit):
    kit.user("worker1", villages=(VILLAGE_A,))
    return kit.login("worker1")


def test_list_names_every_form_with_its_file_hash(client, headers):
    response = client.get("/api/v1/forms", headers=headers)
    assert response.status_code == 200
    listed = {(form["id"], form["version"]): form for form in response.json()}
    files = sorted(DEFAULT_FORMS_FOLDER.glob("*.yaml"))
    assert len(listed) == len(files) >= 3
    visit = listed[("household_visit", 1)]
    raw = (DEFAULT_FORMS_FOLDER / "household_visit.v1.yaml").read_bytes()
    assert visit["sha256"] == hashlib.sha256(raw).hexdigest()
    assert visit["title"] == {"zh": "入户走访（遍访）", "en": "Household visit"}
    assert visit["url"] == "/api/v1/forms/household_visit/1"


def test_download_returns_the_file_a_device_compiles(client, headers):
    response = client.get("/api/v1/forms/household_visit/1", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    raw = (DEFAULT_FORMS_FOLDER / "household_visit.v1.yaml").read_bytes()
    assert response.content == raw
    assert response.headers["x-form-sha256"] == hashlib.sha256(response.content).hexdigest()
    assert response.headers["etag"] == f'"{response.headers["x-form-sha256"]}"'
    assert read_form_text(response.text).key == ("household_visit", 1)


def test_unknown_form_or_version_is_404(client, headers):
    for path in ("/api/v1/forms/household_visit/99", "/api/v1/forms/nothing/1"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.json()["code"] == "form.not_found"
    assert client.get("/api/v1/forms/household_visit/one", headers=headers).status_code == 422


def test_forms_need_a_token(client):
    assert client.get("/api/v1/forms").status_code == 401
    assert client.get("/api/v1/forms/household_visit/1").status_code == 401


def test_a_published_version_cannot_change(tmp_path, settings):
    forms = tmp_path / "forms"
    shutil.copytree(DEFAULT_FORMS_FOLDER, forms)
    moved = settings.model_copy(update={"forms_folder": forms})
    create_app(moved)
    visit = forms / "household_visit.v1.yaml"
    visit.write_text(visit.read_text(encoding="utf-8").replace("入户走访（遍访）", "入户走访", 1), encoding="utf-8")
    with pytest.raises(BianfangError) as refused:
        create_app(moved)
    assert refused.value.code == "server.form_version_changed"
    assert refused.value.params == {"form": "household_visit", "version": 1}


def test_a_broken_form_stops_the_server_from_starting(tmp_path, settings):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "broken.yaml").write_text("id: broken\nversion: [", encoding="utf-8")
    with pytest.raises(FormDefinitionError):
        create_app(settings.model_copy(update={"forms_folder": forms}))


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    for path in ("/api/v1/enrol", "/api/v1/me", "/api/v1/forms", "/api/v1/forms/{form_id}/{version}",
                 "/api/v1/admin/users", "/api/v1/admin/enrolment-codes", "/api/v1/admin/devices/{device_id}/revoke",
                 "/api/v1/admin/audit", "/api/v1/health", "/api/v1/villages/{village_code}"):
        assert path in spec["paths"], path
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_health_needs_no_token(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["schema_version"] == 3 and body["forms"] >= 3
