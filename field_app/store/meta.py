"""The ``meta`` table: the store's clear bookkeeping (device id, sequence counter, last hybrid
logical clock, last pulled checkpoint, the sealed canary). Nothing personal goes here."""

from __future__ import annotations

import sqlite3
from typing import Any

DEVICE_ID = "device_id"
NEXT_DEVICE_SEQ = "next_device_seq"
LAST_HLC = "last_hlc"
CHECKPOINT = "checkpoint"
CANARY = "canary"


def read(conn: sqlite3.Connection, name: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return default if row is None else row[0]


def write(conn: sqlite3.Connection, name: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


__all__ = ["CANARY", "CHECKPOINT", "DEVICE_ID", "LAST_HLC", "NEXT_DEVICE_SEQ", "read", "write"]
