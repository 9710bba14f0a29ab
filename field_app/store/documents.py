"""Sealed documents under keyed names: downloaded form definitions and the user's settings.

Even the names are not in clear (a form id or a setting name can say what a survey is about):
each row is found by ``index_token("doc:<namespace>", name)``; the name itself is inside the
sealed payload, so listing a namespace opens its few rows.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from field_app.store.sealing import Sealer, open_json, seal_json

FORMS = "form"
SETTINGS = "setting"


def _token(sealer: Sealer, namespace: str, name: str) -> str:
    return sealer.index_token(f"doc:{namespace}", name)


def put(conn: sqlite3.Connection, sealer: Sealer, namespace: str, name: str, value: Any) -> None:
    token = _token(sealer, namespace, name)
    row = conn.execute(
        "SELECT rev FROM documents WHERE namespace = ? AND key_token = ?", (namespace, token)
    ).fetchone()
    rev = (row[0] if row else 0) + 1
    blob = seal_json(sealer, {"name": name, "value": value}, namespace, token, rev)
    conn.execute(
        "INSERT INTO documents (namespace, key_token, rev, blob) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (namespace, key_token) DO UPDATE SET rev = excluded.rev, blob = excluded.blob",
        (namespace, token, rev, blob),
    )


def get(conn: sqlite3.Connection, sealer: Sealer, namespace: str, name: str, default: Any = None) -> Any:
    token = _token(sealer, namespace, name)
    row = conn.execute(
        "SELECT rev, blob FROM documents WHERE namespace = ? AND key_token = ?", (namespace, token)
    ).fetchone()
    if row is None:
        return default
    return open_json(sealer, row[1], namespace, token, row[0], record=f"{namespace}/{token}")["value"]


def all_in(conn: sqlite3.Connection, sealer: Sealer, namespace: str) -> dict[str, Any]:
    rows = conn.execute("SELECT key_token, rev, blob FROM documents WHERE namespace = ?", (namespace,))
    contents = (
        open_json(sealer, blob, namespace, token, rev, record=f"{namespace}/{token}")
        for token, rev, blob in rows
    )
    return {content["name"]: content["value"] for content in contents}


__all__ = ["FORMS", "SETTINGS", "all_in", "get", "put"]
