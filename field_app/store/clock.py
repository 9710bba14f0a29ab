"""The device clock as the store sees it: wall time, monotonic time, and which boot it is.

Injected into the store so tests control time. Wall time is untrusted (dead batteries, dates
set by hand): it feeds the hybrid logical clock and is kept on each mutation only so the server
can re-anchor times, using the monotonic clock and the boot id (monotonic time is comparable
only within one boot).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Protocol

_LINUX_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


class DeviceClock(Protocol):
    def wall_ms(self) -> int: ...

    def monotonic_ns(self) -> int: ...

    def boot_id(self) -> str: ...


class SystemClock:
    """The real clocks. The boot id comes from the kernel where it says (Linux, Android);
    elsewhere a random id per process stands in: monotonic times of two processes are then
    treated as incomparable, which is the safe reading."""

    def __init__(self) -> None:
        self._boot_id = _read_boot_id() or f"process-{uuid.uuid4()}"

    def wall_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def monotonic_ns(self) -> int:
        return time.monotonic_ns()

    def boot_id(self) -> str:
        return self._boot_id


class ManualClock:
    """A clock that moves only when told: for tests and for replaying a day's work."""

    def __init__(self, wall_ms: int, *, boot_id: str = "boot-1") -> None:
        self.now_ms = wall_ms
        self.now_monotonic_ns = 0
        self.current_boot_id = boot_id

    def wall_ms(self) -> int:
        return self.now_ms

    def monotonic_ns(self) -> int:
        return self.now_monotonic_ns

    def boot_id(self) -> str:
        return self.current_boot_id

    def advance(self, ms: int) -> None:
        """Time passes (monotonic time too); a negative ``ms`` sets the wall clock back only."""
        self.now_ms += ms
        self.now_monotonic_ns += max(ms, 0) * 1_000_000


def _read_boot_id() -> str | None:
    try:
        return _LINUX_BOOT_ID.read_text().strip() or None
    except OSError:
        return None


__all__ = ["DeviceClock", "ManualClock", "SystemClock"]
