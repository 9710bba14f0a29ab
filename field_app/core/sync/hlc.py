"""Hybrid logical clocks: an order of events across devices that does not trust their clocks.

A timestamp is ``(wall_ms, counter, node)``. It stays close to physical time when clocks are
right, never goes backwards when they are not, and always moves past every timestamp the node
has seen (so a device that pulled the server's changes orders its next edits after them).
Tablets' clocks are wrong (dead batteries, dates set by hand): we use the clock only as a
tie-breaker for low-stakes fields, never to decide what a device had seen.

Encoded as a fixed-width string that sorts like the tuple: ``"000001732352000000-0000-node"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering

_WALL_DIGITS = 18
_COUNTER_DIGITS = 4
MAX_COUNTER = 10**_COUNTER_DIGITS - 1


@total_ordering
@dataclass(frozen=True)
class HlcTimestamp:
    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall_ms:0{_WALL_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.node}"

    def __lt__(self, other: HlcTimestamp) -> bool:
        return (self.wall_ms, self.counter, self.node) < (other.wall_ms, other.counter, other.node)

    @classmethod
    def parse(cls, text: str) -> HlcTimestamp:
        wall, counter, node = text.split("-", 2)
        if len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS or not node:
            raise ValueError(f"not a hybrid logical clock timestamp: {text!r}")
        return cls(int(wall), int(counter), node)


def tick(last: HlcTimestamp | None, *, now_ms: int, node: str) -> HlcTimestamp:
    """The timestamp of a local event, given the node's last one and its physical clock."""
    if last is None or now_ms > last.wall_ms:
        return HlcTimestamp(now_ms, 0, node)
    return _bump(last.wall_ms, last.counter, node)


def receive(last: HlcTimestamp | None, remote: HlcTimestamp, *, now_ms: int, node: str) -> HlcTimestamp:
    """The node's clock after seeing ``remote`` (e.g. the newest timestamp of a pull)."""
    local_wall = last.wall_ms if last else -1
    wall = max(local_wall, remote.wall_ms, now_ms)
    if wall == now_ms and wall > local_wall and wall > remote.wall_ms:
        return HlcTimestamp(wall, 0, node)
    counters = [c for w, c in ((local_wall, last.counter if last else -1), (remote.wall_ms, remote.counter)) if w == wall]
    return _bump(wall, max(counters, default=-1), node)


def _bump(wall_ms: int, counter: int, node: str) -> HlcTimestamp:
    # A burst of more events in one millisecond than the counter holds borrows the next one.
    if counter >= MAX_COUNTER:
        return HlcTimestamp(wall_ms + 1, 0, node)
    return HlcTimestamp(wall_ms, counter + 1, node)


__all__ = ["HlcTimestamp", "receive", "tick"]
