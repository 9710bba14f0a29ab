"""Who is asking and what they may do: passwords, tokens, sessions, roles, scope."""

from sync_server.auth.passwords import ScryptParams, hash_password, needs_rehash, verify_password
from sync_server.auth.principal import Principal, authenticate
from sync_server.auth.roles import ALLOWED_ROLES, Action, may, require_action
from sync_server.auth.scope import require_scope_within, require_village, scope_filter
from sync_server.auth.sessions import Session, check_password, open_session

__all__ = [
    "ALLOWED_ROLES",
    "Action",
    "Principal",
    "ScryptParams",
    "Session",
    "authenticate",
    "check_password",
    "hash_password",
    "may",
    "needs_rehash",
    "open_session",
    "require_action",
    "require_scope_within",
    "require_village",
    "scope_filter",
    "verify_password",
]
