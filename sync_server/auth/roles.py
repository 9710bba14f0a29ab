"""Which roles may do what: one table, checked at the route (and readable in one place).

Scope (which villages) is a separate question, answered by :mod:`sync_server.auth.scope`
inside the services and the registry queries.
"""

from __future__ import annotations

from enum import StrEnum

from field_app.core.codes import Role
from sync_server.auth.principal import Principal
from sync_server.errors import AuthError


class Action(StrEnum):
    READ_REGISTRY = "registry.read"
    READ_FORMS = "forms.read"
    MANAGE_USERS = "users.manage"
    ENROL_DEVICES = "devices.enrol"
    MANAGE_DEVICES = "devices.manage"
    READ_AUDIT = "audit.read"
    SYNC = "sync.exchange"  # push and pull (a device token is required as well)
    UPLOAD_PHOTOS = "photos.upload"
    READ_PHOTOS = "photos.read"
    READ_CONFLICTS = "conflicts.read"
    RESOLVE_CONFLICTS = "conflicts.resolve"


EVERY_ROLE = frozenset(Role)

ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.READ_REGISTRY: EVERY_ROLE,
    Action.READ_FORMS: EVERY_ROLE,
    # Account and device administration stays with the county office for now; a township
    # station enrolling its own villages' tablets would be one more role here (the services
    # already refuse anything outside the acting user's scope).
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.ENROL_DEVICES: frozenset({Role.ADMIN}),
    Action.MANAGE_DEVICES: frozenset({Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
    # Whoever carries a tablet syncs it; what they may touch is their scope's business.
    Action.SYNC: EVERY_ROLE,
    Action.UPLOAD_PHOTOS: EVERY_ROLE,
    Action.READ_PHOTOS: EVERY_ROLE,
    # Everyone sees the disputes of their villages; deciding one is for reviewers (the same
    # roles that verify a rectified problem).
    Action.READ_CONFLICTS: EVERY_ROLE,
    Action.RESOLVE_CONFLICTS: frozenset({Role.TOWNSHIP_STATION, Role.SUPERVISOR, Role.ADMIN}),
}


def may(principal: Principal, action: Action) -> bool:
    return principal.role in ALLOWED_ROLES[action]


def require_action(principal: Principal, action: Action) -> Principal:
    if not may(principal, action):
        raise AuthError("auth.role_forbidden", role=principal.role.zh, role_en=principal.role.en, action=action.value)
    return principal


__all__ = ["ALLOWED_ROLES", "Action", "may", "require_action"]
