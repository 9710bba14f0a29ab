"""The outbox: local mutations waiting for the server, in device-sequence order.

The mutation itself (values, base values, clock readings) is sealed; the clear columns are its
sequence number, which record it touches (kind and opaque id) and whether the server has
acknowledged it. A damaged mutation is an error, never skipped: skipping would silently drop
a worker's change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from pydantic import ValidationError as PydanticValidationError

from field_app.core.errors import StoreError
from field_app.core.sync.mutation import Mutation
from field_app.store.sealing import Sealer, associated_data

PENDING = "pending"
ACKED = "acked"
# Queries spell the state as a literal, not a bound parameter: only then can SQLite use the
# partial index on pending mutations (migration 2) instead of reading every sealed blob.
_IS_PENDING = "state = 'pending'"


def _associated(device_id: str, device_seq: int) -> bytes:
    return associated_data("mutation", device_id, device_seq)


def append(conn: sqlite3.Connection, sealer: Sealer, mutation: Mutation) -> None:
    blob = sealer.seal(
        mutation.model_dump_json().encode(), _associated(mutation.device_id, mutation.device_seq)
    )
    conn.execute(
        "INSERT INTO outbox (device_seq, entity, entity_id, state, blob) VALUES (?, ?, ?, ?, ?)",
        (mutation.device_seq, mutation.entity.value, mutation.entity_id, PENDING, blob),
    )


def pending(
    conn: sqlite3.Connection, sealer: Sealer, device_id: str, *, limit: int | None = None
) -> list[Mutation]:
    sql = f"SELECT device_seq, entity, entity_id, blob FROM outbox WHERE {_IS_PENDING} ORDER BY device_seq"
    rows = conn.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
    return [_decode(sealer, device_id, *row) for row in rows]


def pending_for(
    conn: sqlite3.Connection, sealer: Sealer, device_id: str, entity: str, entity_id: str
) -> list[Mutation]:
    rows = conn.execute(
        "SELECT device_seq, entity, entity_id, blob FROM outbox"
        f" WHERE entity = ? AND entity_id = ? AND {_IS_PENDING} ORDER BY device_seq",
        (entity, entity_id),
    )
    return [_decode(sealer, device_id, *row) for row in rows]


def pending_entities(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = conn.execute(f"SELECT DISTINCT entity, entity_id FROM outbox WHERE {_IS_PENDING}")
    return {(entity, entity_id) for entity, entity_id in rows}


def acknowledge(conn: sqlite3.Connection, device_seqs: Iterable[int]) -> None:
    """Mark mutations the server has answered for. They stay (a re-push after a lost answer
    must carry the same content) until pruned by a later clean-up."""
    conn.executemany(
        "UPDATE outbox SET state = ? WHERE device_seq = ?", [(ACKED, seq) for seq in device_seqs]
    )


def _decode(
    sealer: Sealer, device_id: str, device_seq: int, entity: str, entity_id: str, blob: bytes
) -> Mutation:
    name = f"outbox/{device_seq}"
    plaintext = sealer.open(blob, _associated(device_id, device_seq), record=name)
    try:
        mutation = Mutation.model_validate_json(plaintext)
    except PydanticValidationError:
        raise StoreError("store.unreadable", record=name) from None
    if (mutation.device_seq, mutation.entity.value, mutation.entity_id) != (device_seq, entity, entity_id):
        raise StoreError("store.tampered", record=name)
    return mutation


__all__ = ["ACKED", "PENDING", "acknowledge", "append", "pending", "pending_entities", "pending_for"]
