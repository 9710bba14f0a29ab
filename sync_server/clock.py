"""Time on the server: one injectable clock, UTC in the database, China time for "today".

Every service takes ``now`` (or a clock) as a parameter, so tests pin time instead of
sleeping. Timestamps are stored as ISO 8601 text in UTC (``2026-05-20T01:02:03.000004+00:00``):
they sort as text and SQLite's date functions read them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

Clock = Callable[[], datetime]

# China has one time zone and no daylight saving: a fixed offset needs no tz database
# (which a minimal server image may lack).
CHINA_TIME = timezone(timedelta(hours=8), "CST")


def system_clock() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """``moment`` as stored: ISO 8601 in UTC. A naive datetime is a programming error."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one (the clock returns UTC)")
    return moment.astimezone(UTC).isoformat()


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def china_date(moment: datetime) -> date:
    """The calendar day in the counties (what "today" means for visits and due dates)."""
    return moment.astimezone(CHINA_TIME).date()


__all__ = ["CHINA_TIME", "Clock", "china_date", "iso", "parse_iso", "system_clock"]
