"""Photos: resumable chunked uploads by hash, cut-offs, hash mismatches, dedup, scoped downloads."""

from __future__ import annotations

import hashlib
import os

import pytest

from sync_server.photos import PhotoFolder

from .conftest import VILLAGE_A, VILLAGE_B
from .tablet import H, V, household, visit

PHOTO = b"\xff\xd8\xff\xe0" + os.urandom(10_000)
SHA = hashlib.sha256(PHOTO).hexdigest()
URL = f"/api/v1/photos/{SHA}"


def put(client, headers, start: int, end: int, data: bytes = PHOTO, url: str = URL):
    return client.put(url, content=data[start : end + 1], headers={
        **headers, "Content-Range": f"bytes {start}-{end}/{len(data)}", "Content-Type": "application/octet-stream"})


def head(client, headers, url: str = URL):
    return client.head(url, headers=headers)


@pytest.fixture
def worker(tablets):
    return tablets("worker_a", villages=(VILLAGE_A,))


def test_a_photo_uploads_in_chunks_and_resumes_from_the_stored_offset(worker, client, settings):
    assert head(client, worker.headers).status_code == 404
    first = put(client, worker.headers, 0, 3999)
    assert first.status_code == 200 and first.json() == {"sha256": SHA, "size": len(PHOTO), "offset": 4000,
                                                         "complete": False}
    assert first.headers["Upload-Offset"] == "4000" and first.headers["Upload-Complete"] == "?0"
    # the connection drops: the client asks where to go on
    offset = head(client, worker.headers)
    assert (offset.headers["Upload-Offset"], offset.headers["Upload-Complete"]) == ("4000", "?0")
    wrong = put(client, worker.headers, 0, 3999)  # sent again from the start: refused with the offset
    assert wrong.status_code == 409 and wrong.json()["code"] == "photo.offset_mismatch"
    assert wrong.json()["details"]["offset"] == 4000
    assert put(client, worker.headers, 4000, 7999).json()["offset"] == 8000
    last = put(client, worker.headers, 8000, len(PHOTO) - 1)
    assert last.json()["complete"] is True and last.headers["Upload-Complete"] == "?1"
    stored = PhotoFolder(settings.data_path).final(SHA)
    assert stored.read_bytes() == PHOTO and not PhotoFolder(settings.data_path).part(SHA).exists()


def test_a_chunk_cut_mid_way_is_continued_from_what_was_committed(worker, client, settings):
    put(client, worker.headers, 0, 2999)
    # the server died after writing part of a chunk to disk but before committing its offset
    with open(PhotoFolder(settings.data_path).part(SHA), "ab") as part:
        part.write(PHOTO[3000:3500])
    assert head(client, worker.headers).headers["Upload-Offset"] == "3000"
    assert put(client, worker.headers, 3000, len(PHOTO) - 1).json()["complete"] is True
    assert PhotoFolder(settings.data_path).final(SHA).read_bytes() == PHOTO


def test_lost_bytes_on_disk_lower_the_offset(worker, client, settings):
    put(client, worker.headers, 0, 5999)
    with open(PhotoFolder(settings.data_path).part(SHA), "r+b") as part:
        part.truncate(5000)  # a power cut took the last unsynced bytes
    assert head(client, worker.headers).headers["Upload-Offset"] == "5000"
    assert put(client, worker.headers, 5000, len(PHOTO) - 1).json()["complete"] is True


def test_a_hash_mismatch_discards_the_upload(worker, client, settings):
    forged = PHOTO[:-1] + b"\x00"
    put(client, worker.headers, 0, 4999, data=forged)
    response = put(client, worker.headers, 5000, len(forged) - 1, data=forged)
    assert response.status_code == 422 and response.json()["code"] == "photo.hash_mismatch"
    assert head(client, worker.headers).status_code == 404
    assert not PhotoFolder(settings.data_path).part(SHA).exists()
    assert put(client, worker.headers, 0, len(PHOTO) - 1).json()["complete"] is True  # the real one goes in


def test_a_complete_photo_is_deduplicated(worker, tablets, client):
    assert client.put(URL, content=PHOTO, headers=worker.headers).json()["complete"] is True  # one request
    other = tablets("worker_b", villages=(VILLAGE_B,))
    again = put(client, other.headers, 0, 99)
    assert again.status_code == 200 and again.json()["offset"] == len(PHOTO) and again.json()["complete"]


def test_an_empty_chunk_asks_for_the_offset(worker, client):
    put(client, worker.headers, 0, 999)
    probe = client.put(URL, content=b"", headers={**worker.headers, "Content-Range": f"bytes */{len(PHOTO)}"})
    assert probe.status_code == 200 and probe.json()["offset"] == 1000 and not probe.json()["complete"]


@pytest.mark.parametrize(
    ("content_range", "length"),
    [("bytes 0-9/5", 10), ("bytes 5-2/10", 4), ("items 0-9/10", 10), ("bytes 0-9/10", 9)],
)
def test_bad_ranges_are_422(worker, client, content_range, length):
    response = client.put(URL, content=b"x" * length, headers={**worker.headers, "Content-Range": content_range})
    assert response.status_code == 422 and response.json()["code"] == "photo.range_invalid"


def test_photos_are_read_by_the_scope_of_a_visit_referencing_them(worker, tablets, client):
    client.put(URL, content=PHOTO, headers=worker.headers)
    outsider = tablets("worker_b", villages=(VILLAGE_B,))
    assert client.get(URL, headers=worker.headers).status_code == 404  # no visit references it yet
    worker.push(worker.create(H, household()), worker.create(V, visit(photos=[{"sha256": SHA}])))
    download = client.get(URL, headers=worker.headers)
    assert download.status_code == 200 and download.content == PHOTO
    assert download.headers["content-type"] == "image/jpeg"
    refused = client.get(URL, headers=outsider.headers)
    assert refused.status_code == 404 and refused.json()["code"] == "photo.not_found"
