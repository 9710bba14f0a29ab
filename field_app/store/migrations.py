"""Numbered schema migrations of the device store, tracked by ``PRAGMA user_version``.

Each migration runs in its own transaction together with the bump of ``user_version``
(SQLite writes both or neither), so a crash during an upgrade leaves the previous version
intact and the next start resumes. A database made by a *newer* app is refused rather than
half understood. To add a migration: append ``Migration(n + 1, ...)``; never edit one that has
shipped. A migration that must rewrite sealed payloads will need the data key; add a
key-taking step then (none does so far).

What is in clear: opaque ids (UUIDs), kinds, versions, revisions, blind-index tokens (keyed
hashes) and sync bookkeeping. Every payload column (``*_blob``) is sealed with associated
data naming its row (see ``sealing.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from field_app.core.errors import StoreError
from field_app.core.sqlite_migrations import Migration, schema_version
from field_app.core.sqlite_migrations import migrate as run_migrations

# "BFS1": marks the file as a Bianfang store (PRAGMA application_id).
APPLICATION_ID = 0x42465331



_INITIAL_SCHEMA = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    # Clear bookkeeping only: device id, sequence counter, last clock, checkpoint; the canary
    # (a sealed blob) proves the key and the device at unlock.
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID",
    # One row per record: the server's last state (base) and the local view on top of it.
    # view_blob NULL means "the view is the base" (no local change since the last pull).
    """CREATE TABLE records (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        parent_id TEXT,
        village_token TEXT,
        base_version INTEGER,
        base_blob BLOB,
        view_rev INTEGER NOT NULL DEFAULT 0,
        view_blob BLOB,
        deleted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, id)
    )""",
    # Blind index: keyed hashes of household numbers and ID numbers -> record ids.
    """CREATE TABLE blind_index (
        purpose TEXT NOT NULL,
        token TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (purpose, token, kind, id),
        FOREIGN KEY (kind, id) REFERENCES records (kind, id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    """CREATE TABLE outbox (
        device_seq INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked')),
        blob BLOB NOT NULL
    )""",
    "CREATE TABLE drafts (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, blob BLOB NOT NULL)",
    # token = index_token("photo", sha256): dedup without a plain hash anyone could confirm.
    """CREATE TABLE photos (
        token TEXT PRIMARY KEY,
        meta_blob BLOB NOT NULL,
        content_blob BLOB NOT NULL,
        uploaded INTEGER NOT NULL DEFAULT 0
    )""",
    # Downloaded form definitions and settings: sealed documents under keyed names.
    """CREATE TABLE documents (
        namespace TEXT NOT NULL,
        key_token TEXT NOT NULL,
        rev INTEGER NOT NULL,
        blob BLOB NOT NULL,
        PRIMARY KEY (namespace, key_token)
    ) WITHOUT ROWID""",
)

_LOOKUP_INDEXES = (
    "CREATE INDEX records_by_parent ON records (kind, parent_id)",
    "CREATE INDEX records_by_village ON records (kind, village_token)",
    "CREATE INDEX blind_index_by_record ON blind_index (kind, id)",
    "CREATE INDEX outbox_pending_by_entity ON outbox (entity, entity_id) WHERE state = 'pending'",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _INITIAL_SCHEMA),
    Migration(2, "indexes for listing by household, village and pending entity", _LOOKUP_INDEXES),
)


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration] | None = None) -> tuple[int, int]:
    """Bring the store to the last of ``steps`` (all migrations by default); returns the
    versions before and after. ``conn`` must be in autocommit mode (no open transaction)."""
    return run_migrations(
        conn,
        MIGRATIONS if steps is None else steps,
        application_id=APPLICATION_ID,
        refuse_newer=lambda found, supported: StoreError("store.newer_schema", found=found, supported=supported),
        refuse_foreign=lambda file: StoreError("store.not_a_store", path=file),
    )


__all__ = ["APPLICATION_ID", "MIGRATIONS", "Migration", "migrate", "schema_version"]
