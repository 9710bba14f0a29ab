"""The blind index: keyed hashes of exact-match values (household numbers, ID numbers) ->
record ids, in a clear table. Without the key a token says nothing: it cannot be recomputed
from a guessed ID number, so the table cannot be used to confirm who is in the registry.
The tokens come from :meth:`DataKey.index_token`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def replace_tokens(
    conn: sqlite3.Connection, kind: str, record_id: str, tokens: Iterable[tuple[str, str]]
) -> None:
    """Make ``tokens`` ((purpose, token) pairs) the record's only entries."""
    conn.execute("DELETE FROM blind_index WHERE kind = ? AND id = ?", (kind, record_id))
    conn.executemany(
        "INSERT OR IGNORE INTO blind_index (purpose, token, kind, id) VALUES (?, ?, ?, ?)",
        [(purpose, token, kind, record_id) for purpose, token in tokens],
    )


def lookup(conn: sqlite3.Connection, purpose: str, token: str) -> list[tuple[str, str]]:
    """(kind, id) of every record indexed under ``token``."""
    rows = conn.execute("SELECT kind, id FROM blind_index WHERE purpose = ? AND token = ?", (purpose, token))
    return [(kind, record_id) for kind, record_id in rows]


__all__ = ["lookup", "replace_tokens"]
