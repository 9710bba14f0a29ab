"""Accounts: users of the registry with a role, a scope and a password (service).

A user row maps to the core :class:`~field_app.core.models.User` (``scope`` as JSON); the
password hash never leaves this module except to :mod:`sync_server.auth.sessions` for
verification, and never goes into the audit log (see :func:`public_view`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from field_app.core.errors import ValidationError
from field_app.core.models import Scope, User, parse_record
from sync_server import audit
from sync_server.audit import Actor
from sync_server.auth.passwords import ScryptParams, hash_password
from sync_server.auth.scope import require_scope_within
from sync_server.clock import iso
from sync_server.db import from_json, to_json, write_transaction
from sync_server.errors import AuthError, ConflictError, NotFoundError

# The columns a User is read from, in user_from_row's order (table alias ``u``).
USER_COLUMNS = "u.id, u.username, u.name, u.role, u.scope, u.phone, u.active"


def user_from_row(row: Sequence[Any]) -> User:
    user_id, username, name, role, scope, phone, active = row
    return User(
        id=user_id,
        username=username,
        name=name,
        role=role,
        scope=scope_from_json(scope),
        phone=phone,
        active=bool(active),
    )


def scope_to_json(scope: Scope) -> str:
    return to_json({key: sorted(value) for key, value in scope.model_dump().items()}) or "{}"


def scope_from_json(text: str | None) -> Scope:
    return Scope.model_validate(from_json(text) or {})


def public_view(user: User) -> dict[str, Any]:
    """What may be shown and audited of a user: everything but credentials."""
    return user.model_dump(mode="json") | {"scope": from_json(scope_to_json(user.scope))}


def check_password_strength(password: str, min_length: int) -> None:
    if len(password) < min_length:
        raise ValidationError("auth.weak_password", minimum=min_length)


def create_user(
    db: Database,
    *,
    user: dict[str, Any] | User,
    password: str | None,
    kdf: ScryptParams,
    min_password_length: int,
    actor: Actor,
    granted_by: Scope | None,
    now: datetime,
) -> User:
    """Add a user. ``granted_by`` is the acting user's scope (None for the command line):
    nobody grants a scope beyond their own. ``password`` None: the user cannot sign in until
    one is set. Refuses a taken username (case-insensitive) with 409."""
    record = user if isinstance(user, User) else parse_record(User, user)
    if granted_by is not None:
        require_scope_within(granted_by, record.scope)
    password_hash = None
    if password is not None:
        check_password_strength(password, min_password_length)
        password_hash = hash_password(password, kdf)  # slow: before taking the write lock
    with write_transaction(db):
        if _username_taken(db, record.username):
            raise ConflictError("user.username_taken", username=record.username)
        db.conn.execute(
            """INSERT INTO users (id, username, name, role, scope, phone, active, password_hash,
                                  created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (record.id, record.username, record.name, record.role.value, scope_to_json(record.scope),
             record.phone, int(record.active), password_hash, iso(now), iso(now)),
        )
        audit.record(db, at=now, actor=actor, action="user.create", entity="user", entity_id=record.id,
                     after=public_view(record))
    return record


def get_user(db: Database, user_id: str) -> User:
    row = db.conn.execute(f"SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?", (user_id,)).fetchone()
    if row is None:
        raise NotFoundError("user.not_found", user=user_id)
    return user_from_row(row)


def find_user(db: Database, username: str) -> User:
    found = find_user_with_password(db, username)
    if found is None:
        raise NotFoundError("user.not_found", user=username)
    return found[0]


def find_user_with_password(db: Database, username: str) -> tuple[User, str | None] | None:
    row = db.conn.execute(
        f"SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = ?", (username,)
    ).fetchone()
    return None if row is None else (user_from_row(row[:-1]), row[-1])


def list_users(db: Database, *, within: Scope | None = None) -> list[User]:
    """Every user, or (``within``) those whose whole scope lies inside it, by username."""
    rows = db.conn.execute(f"SELECT {USER_COLUMNS} FROM users u ORDER BY u.username").fetchall()
    users = [user_from_row(row) for row in rows]
    if within is None:
        return users
    return [user for user in users if _within(within, user.scope)]


def _within(outer: Scope, inner: Scope) -> bool:
    try:
        require_scope_within(outer, inner)
    except AuthError:
        return False
    return True


def _username_taken(db: Database, username: str) -> bool:
    return db.conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone() is not None


__all__ = [
    "USER_COLUMNS",
    "check_password_strength",
    "create_user",
    "find_user",
    "find_user_with_password",
    "get_user",
    "list_users",
    "public_view",
    "scope_from_json",
    "scope_to_json",
    "user_from_row",
]
