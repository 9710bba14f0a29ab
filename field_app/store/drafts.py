"""Drafts: the answers of a visit being filled in, saved on every answer.

One row per draft, replaced whole in one transaction (one small sealed blob, one fsync of the
WAL), so a save is atomic and fast and a crash leaves the previous or the new draft, never a
mix. The revision in the associated data stops an older draft being put back unnoticed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from field_app.core.errors import StoreError
from field_app.store.sealing import Sealer, open_json, seal_json


@dataclass(frozen=True)
class Draft:
    id: str
    meta: dict[str, Any] = field(default_factory=dict)  # which household, form, version, ...
    answers: dict[str, Any] = field(default_factory=dict)
    rev: int = 0
    saved_ms: int = 0


def _name(draft_id: str) -> str:
    return f"draft/{draft_id}"


def save(
    conn: sqlite3.Connection,
    sealer: Sealer,
    draft_id: str,
    meta: Mapping[str, Any],
    answers: Mapping[str, Any],
    *,
    saved_ms: int,
) -> int:
    row = conn.execute("SELECT rev FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    rev = (row[0] if row else 0) + 1
    content = {"meta": dict(meta), "answers": dict(answers), "saved_ms": saved_ms}
    blob = seal_json(sealer, content, "draft", draft_id, rev)
    conn.execute(
        "INSERT INTO drafts (id, rev, blob) VALUES (?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, blob = excluded.blob",
        (draft_id, rev, blob),
    )
    return rev


def load(conn: sqlite3.Connection, sealer: Sealer, draft_id: str) -> Draft | None:
    row = conn.execute("SELECT id, rev, blob FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    return None if row is None else _decode(sealer, *row)


def load_all(conn: sqlite3.Connection, sealer: Sealer) -> tuple[list[Draft], list[StoreError]]:
    """Every draft that opens, and an error for each one that does not."""
    drafts: list[Draft] = []
    damaged: list[StoreError] = []
    for row in conn.execute("SELECT id, rev, blob FROM drafts ORDER BY rowid"):
        try:
            drafts.append(_decode(sealer, *row))
        except StoreError as error:
            damaged.append(error)
    return drafts, damaged


def discard(conn: sqlite3.Connection, draft_id: str) -> None:
    conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))


def _decode(sealer: Sealer, draft_id: str, rev: int, blob: bytes) -> Draft:
    content = open_json(sealer, blob, "draft", draft_id, rev, record=_name(draft_id))
    return Draft(draft_id, content["meta"], content["answers"], rev, content["saved_ms"])


__all__ = ["Draft", "discard", "load", "load_all", "save"]
