"""Photos: content-addressed blobs, uploaded in resumable chunks, deduplicated by hash.

A photo is named by the SHA-256 of its bytes (the visit keeps only the hash). The bytes live
in files under the server's data folder (``photos/ab/abcd…``), never in SQLite; the
``photos`` table keeps the upload's progress. A tablet on a weak connection sends chunks
with ``Content-Range``; each is appended at the stored offset, so an upload cut off continues
where the server says it stopped (``HEAD`` tells). When the last byte arrives the hash is
checked: a mismatch discards everything (the client starts again), a match makes the photo
complete, and any later upload of the same bytes is answered at once.

Crash safety: a chunk is written and fsynced before its offset is committed, and the file
is renamed into place before "complete" is committed. On the next request the offset is the
smaller of the committed one and the bytes actually on disk, and a finished file found in
place completes the row, so a kill at any moment loses at most the chunk in flight.

Chunks are appended while holding the database's write lock (one ``write_transaction``), so
two tablets uploading the same photo at once take turns instead of interleaving bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from field_app.core.errors import ValidationError
from field_app.core.models import Scope
from sync_server.auth.principal import Principal
from sync_server.auth.scope import scope_filter
from sync_server.clock import iso
from sync_server.db import write_transaction
from sync_server.errors import ConflictError, NotFoundError

SHA256_PATTERN = r"^[0-9a-f]{64}$"
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_PROBE = re.compile(r"^bytes \*/(\d+)$")  # no bytes: "where are we?" (RFC 9110's unsatisfied-range form)


@dataclass(frozen=True)
class PhotoUpload:
    sha256: str
    size: int
    received: int
    complete: bool


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as HTTP writes it
    total: int


class PhotoFolder:
    """Where the bytes live: ``photos/<first two hex digits>/<sha256>``, and ``.part`` files
    for uploads under way."""

    def __init__(self, root: Path) -> None:
        self.root = root / "photos"

    def final(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def part(self, sha256: str) -> Path:
        return self.root / "partial" / f"{sha256}.part"

    def part_size(self, sha256: str) -> int:
        path = self.part(sha256)
        return path.stat().st_size if path.exists() else 0


def parse_range(header: str | None, length: int, *, max_bytes: int) -> ByteRange | None:
    """``Content-Range: bytes start-end/total``; no header means the whole photo at once;
    ``bytes */total`` with no body asks for the offset (None)."""
    probe = _PROBE.match((header or "").strip())
    if probe is not None and length == 0 and int(probe.group(1)) >= 1:
        return None
    if header is None:
        found = ByteRange(0, length - 1, length)
    else:
        match = _RANGE.match(header.strip())
        if match is None:
            raise ValidationError("photo.range_invalid")
        found = ByteRange(*(int(part) for part in match.groups()))
    if found.total < 1 or found.start > found.end or found.end >= found.total or \
            found.end - found.start + 1 != length:
        raise ValidationError("photo.range_invalid")
    if found.total > max_bytes:
        raise ValidationError("photo.too_large", limit=max_bytes)
    return found


def upload_state(db: Database, folder: PhotoFolder, sha256: str) -> PhotoUpload | None:
    row = db.conn.execute("SELECT size, received, complete FROM photos WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return None
    size, received, complete = row
    if complete:
        return PhotoUpload(sha256, size, size, True)
    return PhotoUpload(sha256, size, min(received, folder.part_size(sha256)), False)


def upload_chunk(
    db: Database,
    folder: PhotoFolder,
    principal: Principal,
    sha256: str,
    *,
    content_range: str | None,
    body: bytes,
    max_bytes: int,
    now: datetime,
) -> PhotoUpload:
    """Append one chunk at the stored offset. Raises 409 ``photo.offset_mismatch`` (with the
    offset to continue from) and 422 ``photo.hash_mismatch`` (everything discarded)."""
    with write_transaction(db):
        known = _settle_finished(db, folder, sha256, now)
        if known is not None and known.complete:
            return known  # deduplicated: the bytes are here already
        wanted = parse_range(content_range, len(body), max_bytes=max_bytes)
        if wanted is None:
            return known or PhotoUpload(sha256, 0, 0, False)
        if known is None:
            db.conn.execute(
                """INSERT INTO photos (sha256, size, received, first_user_id, first_device_id, created_at)
                   VALUES (?, ?, 0, ?, ?, ?)""",
                (sha256, wanted.total, principal.user.id, principal.device_id, iso(now)),
            )
            known = PhotoUpload(sha256, wanted.total, 0, False)
        if wanted.total != known.size:
            raise ConflictError("photo.size_mismatch", size=known.size)
        if wanted.start != known.received:
            raise ConflictError("photo.offset_mismatch", offset=known.received)
        received = _append(folder.part(sha256), known.received, body)
        db.conn.execute("UPDATE photos SET received = ? WHERE sha256 = ?", (received, sha256))
        if received < known.size:
            return PhotoUpload(sha256, known.size, received, False)
        if _digest(folder.part(sha256)) == sha256:
            return _complete(db, folder, sha256, known.size, now)
        folder.part(sha256).unlink(missing_ok=True)
        db.conn.execute("DELETE FROM photos WHERE sha256 = ?", (sha256,))
    # raised after the commit: the discarded upload must stay discarded
    raise ValidationError("photo.hash_mismatch")


def _settle_finished(db: Database, folder: PhotoFolder, sha256: str, now: datetime) -> PhotoUpload | None:
    """The upload's state; completes it when a crash came between the rename and the commit."""
    known = upload_state(db, folder, sha256)
    if known is not None and not known.complete and folder.final(sha256).exists() and \
            _digest(folder.final(sha256)) == sha256:
        return _complete(db, folder, sha256, known.size, now, renamed=True)
    return known


def _complete(db: Database, folder: PhotoFolder, sha256: str, size: int, now: datetime, *,
              renamed: bool = False) -> PhotoUpload:
    if not renamed:
        final = folder.final(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder.part(sha256), final)
    db.conn.execute(
        "UPDATE photos SET received = size, complete = 1, completed_at = ? WHERE sha256 = ?", (iso(now), sha256)
    )
    return PhotoUpload(sha256, size, size, True)


def _append(path: Path, offset: int, body: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab+") as file:
        file.truncate(offset)  # bytes past the committed offset are from a chunk never acknowledged
        file.seek(offset)
        file.write(body)
        file.flush()
        os.fsync(file.fileno())
    return offset + len(body)


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def readable_photo(db: Database, folder: PhotoFolder, scope: Scope, sha256: str) -> Path:
    """The file of a complete photo that a visit or problem event in ``scope`` references."""
    condition, params = scope_filter(scope)
    referenced = db.conn.execute(
        f"SELECT 1 FROM photo_refs WHERE sha256 = ? AND {condition} LIMIT 1", (sha256, *params)
    ).fetchone()
    known = upload_state(db, folder, sha256)
    if referenced is None or known is None or not known.complete:
        raise NotFoundError("photo.not_found", sha256=sha256)
    return folder.final(sha256)


__all__ = [
    "SHA256_PATTERN",
    "ByteRange",
    "PhotoFolder",
    "PhotoUpload",
    "parse_range",
    "readable_photo",
    "upload_chunk",
    "upload_state",
]
