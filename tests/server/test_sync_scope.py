"""A worker of village A reads, pushes into and resolves nothing of village B — through every
route that reaches village data without naming a village (``SCOPED_BY_CONTENT``)."""

from __future__ import annotations

import hashlib

from field_app.core.codes import Role

from .conftest import TOWNSHIP, VILLAGE_A, VILLAGE_B
from .tablet import WALL_MS, H, M, V, household, member, visit
from .test_scope import SCOPED_BY_CONTENT

PHOTO = b"\xff\xd8" + b"photo of village B" * 100
SHA = hashlib.sha256(PHOTO).hexdigest()


def test_a_worker_of_one_village_reaches_nothing_of_another(tablets, client, kit):
    # Village B: a household, a member, a visit with a photo, and a dispute between two stations.
    s1 = tablets("station1", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    s2 = tablets("station2", Role.TOWNSHIP_STATION, townships=(TOWNSHIP,))
    hb = household("hb", VILLAGE_B)
    assert client.put(f"/api/v1/photos/{SHA}", content=PHOTO, headers=s1.headers).json()["complete"]
    s1.push(s1.create(H, hb), s1.create(M, member("mb", "hb")),
            s1.create(V, visit("vb", "hb", VILLAGE_B, photos=[{"sha256": SHA}])))
    s1.pull(), s2.pull()
    s1.push(s1.update(H, hb, head_name="李四", at=WALL_MS + 10_000))
    conflict_id = s2.push(s2.update(H, hb, head_name="王五", at=WALL_MS + 20_000))["results"][0]["conflict_ids"][0]

    worker = tablets("worker_a", villages=(VILLAGE_A,))
    kit.user("super_a", Role.SUPERVISOR, villages=(VILLAGE_A,))
    reviewer = kit.login("super_a")
    checked = set()

    # push: any mutation touching B is refused, one by one
    pushed = worker.push(worker.update(H, hb, phone="13800138000"), worker.update(M, member("mb", "hb"), name="某"),
                         worker.create(V, visit("va", "hb", VILLAGE_A)), worker.create(H, household("ha")))
    assert [(r["outcome"], (r["reason"] or {}).get("code")) for r in pushed["results"]] == [
        ("rejected", "auth.out_of_scope")] * 3 + [("applied", None)]
    checked.add(("POST", "/api/v1/sync/push"))
    # pull and status: only A
    assert [c["id"] for c in worker.pull()] == ["ha"]
    checked.add(("GET", "/api/v1/sync/pull"))
    status = client.get("/api/v1/sync/status", headers=worker.headers).json()
    assert (status["records"]["household"], status["records"]["member"], status["open_conflicts"]) == (1, 0, 0)
    checked.add(("GET", "/api/v1/sync/status"))
    assert [v["code"] for v in client.get("/api/v1/villages", headers=worker.headers).json()] == [VILLAGE_A]
    checked.add(("GET", "/api/v1/villages"))
    # the conflict of B: not listed, not found, not resolvable
    assert client.get("/api/v1/conflicts", headers=reviewer).json()["conflicts"] == []
    assert client.get(f"/api/v1/conflicts/{conflict_id}", headers=reviewer).status_code == 404
    checked.add(("GET", "/api/v1/conflicts/{conflict_id}"))
    resolve = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"value": "李四"}, headers=reviewer)
    assert resolve.status_code == 404
    checked.add(("POST", "/api/v1/conflicts/{conflict_id}/resolve"))
    # the photo of B's visit: not readable; uploading the same bytes again changes nothing of B's
    assert client.get(f"/api/v1/photos/{SHA}", headers=worker.headers).status_code == 404
    checked.add(("GET", "/api/v1/photos/{sha256}"))
    assert client.head(f"/api/v1/photos/{SHA}", headers=worker.headers).headers["Upload-Complete"] == "?1"
    checked.add(("HEAD", "/api/v1/photos/{sha256}"))  # says only "no need to upload these bytes"
    assert client.put(f"/api/v1/photos/{SHA}", content=b"other", headers=worker.headers).json()["complete"]
    checked.add(("PUT", "/api/v1/photos/{sha256}"))
    assert client.get(f"/api/v1/photos/{SHA}", headers=s1.headers).content == PHOTO

    assert checked == SCOPED_BY_CONTENT
