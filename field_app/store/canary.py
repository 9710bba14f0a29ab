"""The canary: a sealed record written when the store is created, opened at every unlock.

It proves, before any real record is touched, that the key is this store's key and the store
is this device's store. A store copied from another device is refused by its device id
(``store.other_device``); the canary's associated data names the device too, so editing that
id in ``meta`` does not help: the canary then fails to open, as it does with another key.
"""

from __future__ import annotations

import sqlite3

from field_app.core.errors import StoreError
from field_app.store import meta
from field_app.store.sealing import Sealer, open_json, seal_json

_MAGIC = "bianfang-store-canary"


def initialise(conn: sqlite3.Connection, sealer: Sealer, device_id: str) -> None:
    """Make a new store this device's (inside the caller's transaction)."""
    meta.write(conn, meta.DEVICE_ID, device_id)
    meta.write(
        conn, meta.CANARY, seal_json(sealer, {"magic": _MAGIC, "device_id": device_id}, "canary", device_id)
    )


def is_initialised(conn: sqlite3.Connection) -> bool:
    return meta.read(conn, meta.DEVICE_ID) is not None


def verify(conn: sqlite3.Connection, sealer: Sealer, device_id: str) -> None:
    """Refuse another device's store (``store.other_device``) or another key (``store.wrong_key``)."""
    owner = meta.read(conn, meta.DEVICE_ID)
    if owner != device_id:
        raise StoreError("store.other_device")
    blob = meta.read(conn, meta.CANARY)
    try:
        content = open_json(sealer, blob or b"", "canary", device_id, record="canary")
    except StoreError:
        raise StoreError("store.wrong_key") from None
    if content != {"magic": _MAGIC, "device_id": device_id}:
        raise StoreError("store.wrong_key")


__all__ = ["initialise", "is_initialised", "verify"]
