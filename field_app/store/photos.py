"""Photos: encrypted blobs, deduplicated by a KEYED content hash.

The table is keyed by ``index_token("photo", sha256)``, not by the plain SHA-256: a plain hash
would let whoever holds the tablet confirm that a known photo is on it. Visits keep the plain
hash (inside their sealed payload) because the server stores photos by content. Kept in the
database rather than as files so a photo and the visit that names it commit together; a few
hundred KB per blob is well within what SQLite handles well.
"""

from __future__ import annotations

import hashlib
import sqlite3

from field_app.core.errors import StoreError
from field_app.store.sealing import Sealer, associated_data, open_json, seal_json

PHOTO = "photo"


def token_of(sealer: Sealer, sha256: str) -> str:
    return sealer.index_token(PHOTO, sha256)


def put(conn: sqlite3.Connection, sealer: Sealer, content: bytes, *, media_type: str) -> str:
    """Store ``content`` once; returns its plain SHA-256 (what a visit's PhotoRef holds)."""
    sha256 = hashlib.sha256(content).hexdigest()
    token = token_of(sealer, sha256)
    if conn.execute("SELECT 1 FROM photos WHERE token = ?", (token,)).fetchone():
        return sha256
    info = {"sha256": sha256, "size": len(content), "media_type": media_type}
    conn.execute(
        "INSERT INTO photos (token, meta_blob, content_blob) VALUES (?, ?, ?)",
        (
            token,
            seal_json(sealer, info, "photo-meta", token),
            sealer.seal(content, associated_data(PHOTO, token)),
        ),
    )
    return sha256


def get(conn: sqlite3.Connection, sealer: Sealer, sha256: str) -> bytes:
    token = token_of(sealer, sha256)
    row = conn.execute("SELECT content_blob FROM photos WHERE token = ?", (token,)).fetchone()
    if row is None:
        raise StoreError("store.photo_not_found", sha256=sha256)
    name = f"photo/{token}"
    content = sealer.open(row[0], associated_data(PHOTO, token), record=name)
    if hashlib.sha256(content).hexdigest() != sha256:
        raise StoreError("store.tampered", record=name)
    return content


def exists(conn: sqlite3.Connection, sealer: Sealer, sha256: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM photos WHERE token = ?", (token_of(sealer, sha256),)).fetchone()
        is not None
    )


def waiting_for_upload(conn: sqlite3.Connection, sealer: Sealer) -> list[str]:
    """Plain hashes of the photos the server does not have yet (opens only the small metadata)."""
    rows = conn.execute("SELECT token, meta_blob FROM photos WHERE uploaded = 0 ORDER BY rowid")
    return [
        open_json(sealer, blob, "photo-meta", token, record=f"photo/{token}")["sha256"]
        for token, blob in rows
    ]


def mark_uploaded(conn: sqlite3.Connection, sealer: Sealer, sha256: str) -> None:
    conn.execute("UPDATE photos SET uploaded = 1 WHERE token = ?", (token_of(sealer, sha256),))


__all__ = ["exists", "get", "mark_uploaded", "put", "token_of", "waiting_for_upload"]
