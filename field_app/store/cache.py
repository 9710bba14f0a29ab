"""The decrypted registry in memory: households and members, opened once at unlock.

Search scans names and numbers of the whole village, so they are decrypted once rather than
at every keystroke (a village has a few hundred households, so this costs little memory);
visits and the other kinds are opened when read. The cache holds only the local view and is
updated by the store after each commit. Damaged records found while building it are reported,
not fatal: one bad row must not lock a worker out of the rest of the village.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from field_app.core.errors import StoreError
from field_app.core.models import Record
from field_app.core.sync.mutation import EntityKind
from field_app.store import records
from field_app.store.kinds import KINDS
from field_app.store.sealing import Sealer

CACHED_KINDS = tuple(kind for kind, spec in KINDS.items() if spec.cached)


class RegistryCache:
    def __init__(self) -> None:
        self._records: dict[EntityKind, dict[str, Record]] = {kind: {} for kind in CACHED_KINDS}
        # (kind, parent id) -> ids of its records, in insertion order: a household's members
        # without scanning every member of the village.
        self._children: dict[tuple[EntityKind, str], dict[str, None]] = {}

    def get(self, kind: EntityKind, record_id: str) -> Record | None:
        return self._records[kind].get(record_id)

    def of_kind(self, kind: EntityKind) -> Mapping[str, Record]:
        return self._records[kind]

    def children(self, kind: EntityKind, parent_id: str) -> list[Record]:
        records = self._records[kind]
        return [records[record_id] for record_id in self._children.get((kind, parent_id), ())]

    def put(self, kind: EntityKind, record_id: str, record: Record | None) -> None:
        """Keep the new view of a record; None (a tombstone) removes it."""
        parent_field = KINDS[kind].parent_field
        previous = (
            self._records[kind].pop(record_id, None) if record is None else self._records[kind].get(record_id)
        )
        if previous is not None and parent_field:
            self._children.get((kind, getattr(previous, parent_field)), {}).pop(record_id, None)
        if record is not None:
            self._records[kind][record_id] = record
            if parent_field:
                self._children.setdefault((kind, getattr(record, parent_field)), {})[record_id] = None


def build(conn: sqlite3.Connection, sealer: Sealer) -> tuple[RegistryCache, dict[str, StoreError]]:
    """Open every cached record; returns the cache and the damaged records by name."""
    cache = RegistryCache()
    damaged: dict[str, StoreError] = {}
    for kind in CACHED_KINDS:
        spec = KINDS[kind]
        for row in records.select_rows(conn, kind):
            try:
                record = records.decode_view(row, sealer, spec)
            except StoreError as error:
                damaged[row.name] = error
                continue
            cache.put(kind, row.id, record)
    return cache, damaged


__all__ = ["CACHED_KINDS", "RegistryCache", "build"]
