"""Counties, townships and villages of the registry (service): loaded by administrators,
listed by scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from field_app.core.models import County, Scope, Township, Village
from sync_server.auth.principal import Principal
from sync_server.auth.scope import require_village, scope_filter
from sync_server.errors import NotFoundError


@dataclass(frozen=True)
class VillageSummary:
    village: Village
    township_name: str
    households: int  # live household records in the registry


def save_places(
    db: Database, counties: Iterable[County], townships: Iterable[Township], villages: Iterable[Village]
) -> tuple[int, int, int]:
    """Insert or update places (a later load may rename a village); call inside the caller's
    transaction, which also audits the load. Returns how many of each were written."""
    county_rows = [(c.code, c.name, c.province) for c in counties]
    township_rows = [(t.code, t.name, t.county_code) for t in townships]
    village_rows = [(v.code, v.name, v.township_code, int(v.poor_village)) for v in villages]
    db.conn.executemany(
        """INSERT INTO counties (code, name, province) VALUES (?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, province = excluded.province""",
        county_rows,
    )
    db.conn.executemany(
        """INSERT INTO townships (code, name, county_code) VALUES (?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, county_code = excluded.county_code""",
        township_rows,
    )
    db.conn.executemany(
        """INSERT INTO villages (code, name, township_code, poor_village) VALUES (?, ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, township_code = excluded.township_code,
                                            poor_village = excluded.poor_village""",
        village_rows,
    )
    return len(county_rows), len(township_rows), len(village_rows)


_SUMMARY = """
    SELECT v.code, v.name, v.township_code, v.poor_village, t.name,
           (SELECT count(*) FROM entities e
             WHERE e.village_code = v.code AND e.kind = 'household' AND NOT e.deleted)
    FROM villages v JOIN townships t ON t.code = v.township_code
"""


def villages_in_scope(db: Database, scope: Scope) -> list[VillageSummary]:
    """The villages ``scope`` covers, by code; the scope is part of the query."""
    condition, params = scope_filter(scope, "v.code")
    rows = db.conn.execute(f"{_SUMMARY} WHERE {condition} ORDER BY v.code", params).fetchall()
    return [_summary(row) for row in rows]


def village_summary(db: Database, principal: Principal, village_code: str) -> VillageSummary:
    """One village of the principal's scope. The scope is checked before the look-up, so an
    out-of-scope caller learns nothing, not even whether the code exists."""
    require_village(principal, village_code)
    row = db.conn.execute(f"{_SUMMARY} WHERE v.code = ?", (village_code,)).fetchone()
    if row is None:
        raise NotFoundError("village.not_found", village=village_code)
    return _summary(row)


def _summary(row: Sequence[Any]) -> VillageSummary:
    code, name, township_code, poor, township_name, households = row
    village = Village(code=code, name=name, township_code=township_code, poor_village=bool(poor))
    return VillageSummary(village=village, township_name=township_name, households=households)


__all__ = ["VillageSummary", "save_places", "village_summary", "villages_in_scope"]
