"""When the store stays locked: after a spell of idleness, and after wrong PINs.

Both rules are pure: they take the time as an argument (seconds) and never sleep or read a
clock deep inside, so the app, the key vault and the tests drive them with any clock they like.

* :class:`IdleLock` — the app locks itself after ``timeout_seconds`` without a touch, so a
  tablet left on a village bench does not stay open.
* :class:`AttemptPolicy` — how many wrong PINs are allowed, how long to wait after each, when
  to warn, and when the local PIN wrap is destroyed (see ``keys.py``, which stores the counter).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

DEFAULT_IDLE_SECONDS = 5 * 60


class IdleLock:
    """Locks after ``timeout_seconds`` of inactivity; starts locked.

    ``now`` may be passed to each method (tests, or an app that already read the time);
    otherwise ``clock`` is asked. Use a monotonic clock: a worker changing the tablet's date
    must not keep the app open. Once locked it stays locked until :meth:`unlock` (called after
    the PIN was checked): a touch on a locked screen does not reopen it.
    """

    def __init__(self, timeout_seconds: float = DEFAULT_IDLE_SECONDS, clock: Clock = time.monotonic) -> None:
        if timeout_seconds <= 0:
            raise ValueError("the idle timeout must be positive")
        self.timeout_seconds = float(timeout_seconds)
        self._clock = clock
        self._last_activity: float | None = None  # None: locked

    def _now(self, now: float | None) -> float:
        return self._clock() if now is None else now

    def unlock(self, now: float | None = None) -> None:
        """The PIN was accepted: open, and count idleness from now."""
        self._last_activity = self._now(now)

    def touch(self, now: float | None = None) -> bool:
        """The user did something. Returns False (and changes nothing) if already locked."""
        now = self._now(now)
        if self.is_locked(now):
            return False
        assert self._last_activity is not None
        self._last_activity = max(self._last_activity, now)  # a late-arriving event must not rewind
        return True

    def is_locked(self, now: float | None = None) -> bool:
        if self._last_activity is None:
            return True
        if self._now(now) - self._last_activity >= self.timeout_seconds:
            self._last_activity = None  # latch: idleness seen once keeps the app locked
            return True
        return False

    def seconds_left(self, now: float | None = None) -> float:
        """Seconds until the app locks by itself (0 when locked), e.g. for a warning banner."""
        if self.is_locked(now):
            return 0.0
        assert self._last_activity is not None
        return self.timeout_seconds - (self._now(now) - self._last_activity)

    def lock(self) -> None:
        """Lock now (the worker pressed "lock", or the app went to the background)."""
        self._last_activity = None


@dataclass(frozen=True)
class AttemptPolicy:
    """Limits on wrong PINs.

    The first ``free_failures - 1`` mistakes cost nothing (typos happen); from the
    ``free_failures``-th on, each failure imposes a wait of ``first_delay_seconds``, doubling
    every time, so guessing through the UI takes days instead of minutes. After ``max_failures``
    the PIN wrap is destroyed. The worker is warned while ``warn_when_remaining`` or fewer
    tries remain.
    """

    max_failures: int = 10
    free_failures: int = 3
    first_delay_seconds: float = 30.0
    warn_when_remaining: int = 3

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.free_failures < 1:
            raise ValueError("max_failures and free_failures must be at least 1")

    def remaining(self, failures: int) -> int:
        """Tries left before the PIN wrap is destroyed."""
        return max(self.max_failures - failures, 0)

    def exhausted(self, failures: int) -> bool:
        return failures >= self.max_failures

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure."""
        if failures < self.free_failures:
            return 0.0
        return self.first_delay_seconds * 2 ** (failures - self.free_failures)

    def warn(self, failures: int) -> bool:
        """True when the worker must be told that the device is close to being locked for good."""
        return 0 < self.remaining(failures) <= self.warn_when_remaining


__all__ = ["DEFAULT_IDLE_SECONDS", "AttemptPolicy", "Clock", "IdleLock"]
