"""The ``records`` table: per record, the server's last state (base) and the local view.

A local change writes a new view (revision + 1); a pull writes a new base (the server's
version) and, when local changes are still pending, the view re-computed on top of it. When
nothing is pending the view blob is NULL: the view *is* the base, and is not stored twice.

Both blobs are sealed with associated data ``(kind, id, slot, version)``: a blob copied onto
another row, moved between the base and view slots, or an older revision put back, does not
open. A deletion is a sealed tombstone (JSON ``null``) in the view slot, so the clear
``deleted`` column is only a hint for listing, never the truth. Clear columns beside the
blobs: opaque ids, the village as a keyed token, numbers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from pydantic import ValidationError as PydanticValidationError

from field_app.core.errors import StoreError
from field_app.core.models import Record
from field_app.store import blind_index
from field_app.store.kinds import VILLAGE, KindSpec
from field_app.store.sealing import Sealer, associated_data

BASE = "base"
VIEW = "view"
_TOMBSTONE = b"null"
# Stored records were checked when they were saved; reading must not judge them again against
# today's date (a tablet whose clock was set back would see its own visits as "in the future").
_READ_CONTEXT = {"today": date.max}

_COLUMNS = "kind, id, parent_id, village_token, base_version, base_blob, view_rev, view_blob, deleted"


class Entry(NamedTuple):
    """A record of the local view, and whether local changes to it are still waiting to sync."""

    record: Any
    pending: bool


@dataclass(frozen=True)
class RecordRow:
    kind: str
    id: str
    parent_id: str | None
    village_token: str | None
    base_version: int | None
    base_blob: bytes | None
    view_rev: int
    view_blob: bytes | None
    deleted: bool

    @property
    def name(self) -> str:
        return record_name(self.kind, self.id)


def record_name(kind: str, record_id: str) -> str:
    """How errors name a record: its kind and opaque id (never its content)."""
    return f"{kind}/{record_id}"


def read_row(conn: sqlite3.Connection, kind: str, record_id: str) -> RecordRow | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM records WHERE kind = ? AND id = ?", (kind, record_id)
    ).fetchone()
    return None if row is None else RecordRow(*row)


def select_rows(
    conn: sqlite3.Connection, kind: str, *, parent_id: str | None = None, village_token: str | None = None
) -> list[RecordRow]:
    """Rows of ``kind`` not marked deleted, optionally of one parent or village (clear columns)."""
    sql = f"SELECT {_COLUMNS} FROM records WHERE kind = ? AND deleted = 0"
    params: list[Any] = [kind]
    if parent_id is not None:
        sql += " AND parent_id = ?"
        params.append(parent_id)
    if village_token is not None:
        sql += " AND village_token = ?"
        params.append(village_token)
    return [RecordRow(*row) for row in conn.execute(sql + " ORDER BY rowid", params)]


def decode_view(row: RecordRow, sealer: Sealer, spec: KindSpec) -> Record | None:
    """The record as the device shows it; None for a tombstone. Raises ``store.tampered``
    (naming the record) when a blob does not open, ``store.unreadable`` when it opens but is
    not a valid record."""
    if row.view_blob is not None:
        plaintext = sealer.open(
            row.view_blob, associated_data(row.kind, row.id, VIEW, row.view_rev), record=row.name
        )
    elif row.base_blob is not None:
        plaintext = sealer.open(
            row.base_blob, associated_data(row.kind, row.id, BASE, row.base_version or 0), record=row.name
        )
    else:
        raise StoreError("store.tampered", record=row.name)
    if plaintext == _TOMBSTONE:
        return None
    return _parse(spec, plaintext, row)


def _parse(spec: KindSpec, plaintext: bytes, row: RecordRow) -> Record:
    try:
        record = spec.model.model_validate_json(plaintext, context=_READ_CONTEXT)
    except (PydanticValidationError, ValueError):
        raise StoreError("store.unreadable", record=row.name) from None
    if getattr(record, "id", None) != row.id:
        raise StoreError("store.tampered", record=row.name)
    return record


class _Unread:
    """Marker: the caller has not read the current row."""


_UNREAD = _Unread()


def save_local(
    conn: sqlite3.Connection,
    sealer: Sealer,
    spec: KindSpec,
    record_id: str,
    view: Record | None,
    *,
    current: RecordRow | None | _Unread = _UNREAD,
) -> None:
    """Write a new local view of the record (None: a tombstone), creating the row if new.
    ``current``: the row as the caller just read it (None: there is none), saving a read."""
    if isinstance(current, _Unread):
        current = read_row(conn, spec.kind, record_id)
    rev = (current.view_rev if current else 0) + 1
    blob = _seal_view(sealer, spec, record_id, rev, view)
    parent, village = _clear_columns(sealer, spec, view, current)
    conn.execute(
        "INSERT INTO records (kind, id, parent_id, village_token, view_rev, view_blob, deleted)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (kind, id) DO UPDATE SET parent_id = excluded.parent_id,"
        " village_token = excluded.village_token, view_rev = excluded.view_rev,"
        " view_blob = excluded.view_blob, deleted = excluded.deleted",
        (spec.kind, record_id, parent, village, rev, blob, view is None),
    )
    blind_index.replace_tokens(conn, spec.kind, record_id, blind_tokens(sealer, spec, view))


class _SameAsBase:
    """Marker: no local change pending, the view is the base."""


SAME_AS_BASE = _SameAsBase()


def save_pulled(
    conn: sqlite3.Connection,
    sealer: Sealer,
    spec: KindSpec,
    record: Record,
    version: int,
    view: Record | None | _SameAsBase = SAME_AS_BASE,
) -> None:
    """Write the server's state of ``record`` at ``version`` as the new base, with ``view``
    (pending local changes re-applied on it) or none when nothing is pending."""
    record_id = record.id  # type: ignore[attr-defined]
    current = read_row(conn, spec.kind, record_id)
    base_blob = sealer.seal(
        record.model_dump_json().encode(), associated_data(spec.kind, record_id, BASE, version)
    )
    rev = (current.view_rev if current else 0) + 1
    effective = record if isinstance(view, _SameAsBase) else view
    view_blob = None if isinstance(view, _SameAsBase) else _seal_view(sealer, spec, record_id, rev, view)
    parent, village = _clear_columns(sealer, spec, effective, current)
    conn.execute(
        "INSERT INTO records (kind, id, parent_id, village_token, base_version, base_blob, view_rev, view_blob,"
        " deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (kind, id) DO UPDATE SET parent_id = excluded.parent_id,"
        " village_token = excluded.village_token, base_version = excluded.base_version,"
        " base_blob = excluded.base_blob, view_rev = excluded.view_rev, view_blob = excluded.view_blob,"
        " deleted = excluded.deleted",
        (spec.kind, record_id, parent, village, version, base_blob, rev, view_blob, effective is None),
    )
    blind_index.replace_tokens(conn, spec.kind, record_id, blind_tokens(sealer, spec, effective))


def _seal_view(sealer: Sealer, spec: KindSpec, record_id: str, rev: int, view: Record | None) -> bytes:
    plaintext = _TOMBSTONE if view is None else view.model_dump_json().encode()
    return sealer.seal(plaintext, associated_data(spec.kind, record_id, VIEW, rev))


def _clear_columns(
    sealer: Sealer, spec: KindSpec, view: Record | None, current: RecordRow | None
) -> tuple[str | None, str | None]:
    if view is None:  # a tombstone keeps where it was
        return (current.parent_id, current.village_token) if current else (None, None)
    parent = getattr(view, spec.parent_field) if spec.parent_field else None
    village = getattr(view, spec.village_field) if spec.village_field else None
    return parent, village_token(sealer, village) if village else None


def village_token(sealer: Sealer, village_code: str) -> str:
    return sealer.index_token(VILLAGE, village_code)


def blind_tokens(sealer: Sealer, spec: KindSpec, view: Record | None) -> list[tuple[str, str]]:
    if view is None:
        return []
    values = ((purpose, getattr(view, field)) for purpose, field in spec.blind_fields)
    return [(purpose, sealer.index_token(purpose, value)) for purpose, value in values if value]


__all__ = [
    "SAME_AS_BASE",
    "Entry",
    "RecordRow",
    "blind_tokens",
    "decode_view",
    "read_row",
    "record_name",
    "save_local",
    "save_pulled",
    "select_rows",
    "village_token",
]
