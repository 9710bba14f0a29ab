"""Scope checks: a user sees and changes only the villages of their scope.

Three tools, for three places: :func:`require_village` guards one village named in a request
(403 ``auth.out_of_scope``); :func:`require_scope_within` stops a user granting more than
they hold; :func:`scope_filter` puts the scope into a registry query's WHERE clause, so a
listing cannot return another village's rows even by mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from field_app.core.models import Scope, county_of
from sync_server.errors import AuthError

if TYPE_CHECKING:  # principal.py imports the user service, which uses this module
    from sync_server.auth.principal import Principal


def require_village(principal: Principal, village_code: str) -> None:
    if not principal.scope.covers(village_code):
        raise AuthError("auth.out_of_scope", village=village_code)


def covers_township(scope: Scope, township_code: str) -> bool:
    return township_code in scope.township_codes or county_of(township_code) in scope.county_codes


def require_scope_within(outer: Scope, inner: Scope) -> None:
    """Every village, township and county of ``inner`` lies inside ``outer``."""
    for village in sorted(inner.village_codes):
        if not outer.covers(village):
            raise AuthError("auth.scope_too_wide", place=village)
    for township in sorted(inner.township_codes):
        if not covers_township(outer, township):
            raise AuthError("auth.scope_too_wide", place=township)
    for county in sorted(inner.county_codes):
        if county not in outer.county_codes:
            raise AuthError("auth.scope_too_wide", place=county)


def scope_filter(scope: Scope, column: str = "village_code") -> tuple[str, list[Any]]:
    """SQL condition and parameters: ``column`` (a village code) lies in ``scope``.
    ``column`` is a trusted column name, never user input. An empty scope matches nothing."""
    parts: list[str] = []
    params: list[Any] = []
    for codes, expression in (
        (scope.village_codes, column),
        (scope.township_codes, f"substr({column}, 1, 9) || '000'"),
        (scope.county_codes, f"substr({column}, 1, 6) || '000000'"),
    ):
        if codes:
            parts.append(f"{expression} IN ({', '.join('?' for _ in codes)})")
            params.extend(sorted(codes))
    return ("(" + " OR ".join(parts) + ")" if parts else "0"), params


__all__ = ["covers_township", "require_scope_within", "require_village", "scope_filter"]
