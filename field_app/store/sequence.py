"""Device sequence numbers: increasing, never handed out twice, even after a crash or after
the store folder was put back from an old backup.

Two records of the numbers used:

- in the database, the next number, written in the same transaction as the mutation that
  takes it (a crash cannot separate them);
- outside the database, in a small sidecar file in a folder the caller gives (not the store
  folder: a backup of the store must not carry it back), a high-water mark *reserved ahead*
  in blocks and fsynced before any number of the block is handed out.

At every open the sequence resumes above both: ``max(next in database, mark in sidecar)``.
A database restored from an old backup therefore resumes above every number it may have
given before the restore. The price is a gap after each restart (the unused rest of the last
block): numbers are unique and increasing, not contiguous, and the server must not expect
them to be. One sidecar per device id, shared by the stores of all users on the device, since
``(device_id, device_seq)`` is the mutation's identity whoever is logged in.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from field_app.core.errors import StoreError
from field_app.store import meta

DEFAULT_BLOCK = 64
FIRST_SEQ = 1

try:  # POSIX (Linux, Android, macOS): serialise reservations of several processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows desktop builds: one app process at a time
    fcntl = None  # type: ignore[assignment]


class SequenceSidecar:
    """The high-water mark file: every number below ``reserved_below`` may have been used."""

    def __init__(self, folder: Path, device_id: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(device_id.encode()).hexdigest()[:16]
        self.path = folder / f"device-seq-{digest}.json"
        self._device_id = device_id

    def reserved_below(self) -> int:
        try:
            content = json.loads(self.path.read_text())
        except FileNotFoundError:
            return 0
        except (OSError, ValueError):
            raise StoreError("store.sequence_unreadable", path=self.path.name) from None
        if not isinstance(content, dict) or content.get("device_id") != self._device_id:
            raise StoreError("store.sequence_unreadable", path=self.path.name)
        mark = content.get("reserved_below")
        if not isinstance(mark, int) or mark < 0:
            raise StoreError("store.sequence_unreadable", path=self.path.name)
        return mark

    def reserve(self, start: int, block: int) -> tuple[int, int]:
        """Reserve ``block`` numbers from ``start`` or above the mark on disk, whichever is
        higher; returns (first number, new mark). Durable before it returns."""
        with self._locked():
            first = max(start, self.reserved_below())
            mark = first + block
            self._write(mark)
        return first, mark

    def _write(self, mark: int) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"device_id": self._device_id, "reserved_below": mark}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        _fsync_folder(self.path.parent)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is synced (POSIX); Windows cannot open folders.
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class DeviceSequence:
    def __init__(self, sidecar: SequenceSidecar, block: int = DEFAULT_BLOCK) -> None:
        self._sidecar = sidecar
        self._block = block
        self._floor = FIRST_SEQ
        self._reserved_below = FIRST_SEQ

    def resume(self, conn: sqlite3.Connection) -> None:
        """At open: start above everything the database or the sidecar says may be used.
        Nothing is reserved yet by this session, so the first allocation reserves a block."""
        self._floor = max(
            int(meta.read(conn, meta.NEXT_DEVICE_SEQ, FIRST_SEQ)), self._sidecar.reserved_below()
        )
        self._reserved_below = self._floor

    def allocate(self, conn: sqlite3.Connection) -> int:
        """The next number, inside the caller's transaction (its commit makes it used)."""
        seq = max(int(meta.read(conn, meta.NEXT_DEVICE_SEQ, FIRST_SEQ)), self._floor)
        if seq >= self._reserved_below:
            seq, self._reserved_below = self._sidecar.reserve(seq, self._block)
        meta.write(conn, meta.NEXT_DEVICE_SEQ, seq + 1)
        return seq


__all__ = ["DEFAULT_BLOCK", "FIRST_SEQ", "DeviceSequence", "SequenceSidecar"]
