"""API fuzzing: schemathesis generates requests from the OpenAPI schema for every route, signed
in as a scoped user with a device token, over a registry holding a little data. No request,
however odd, may get a 500.

A modest number of examples per route keeps this quick; ``BIANFANG_SLOW=1`` runs more.
"""

from __future__ import annotations

import hashlib
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from field_app.core.codes import Role

from .conftest import TOWNSHIP, VILLAGE_A
from .tablet import WALL_MS, H, M, V, household, member, visit

EXAMPLES = 100 if os.environ.get("BIANFANG_SLOW") else 12
PHOTO = b"\xff\xd8 fuzz"


@pytest.fixture
def fuzz_target(app, tablets, client):
    """A township station's tablet over a village with records, a photo and an open dispute."""
    station = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    other = tablets("worker1", villages=(VILLAGE_A,))
    sha = hashlib.sha256(PHOTO).hexdigest()
    client.put(f"/api/v1/photos/{sha}", content=PHOTO, headers=station.headers)
    h = household()
    station.push(station.create(H, h), station.create(M, member()),
                 station.create(V, visit(photos=[{"sha256": sha}])))
    station.pull(), other.pull()
    station.push(station.update(H, h, head_name="李四", at=WALL_MS + 10_000))
    other.push(other.update(H, h, head_name="王五", at=WALL_MS + 20_000))
    return app, station.headers


def test_no_request_gets_a_500(fuzz_target):
    app, headers = fuzz_target
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    # One Hypothesis run per operation (schemathesis' lazy pytest loader does not work with
    # this pytest; the strategies it builds per operation do).
    labels = []
    for loaded in schema.get_all_operations():
        operation = loaded.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
    assert "POST /api/v1/sync/push" in labels and "PUT /api/v1/photos/{sha256}" in labels
