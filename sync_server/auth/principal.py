"""The principal: who is asking (a user, their role and scope) and through what (a device
or a console session), resolved from the bearer token of a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from field_app.core.codes import Role
from field_app.core.models import Scope, User
from sync_server.audit import Actor
from sync_server.auth.tokens import DEVICE_PREFIX, SESSION_PREFIX, token_hash
from sync_server.clock import iso, parse_iso
from sync_server.db import write_transaction
from sync_server.errors import AuthError
from sync_server.users import USER_COLUMNS, user_from_row


@dataclass(frozen=True)
class Principal:
    user: User
    device_id: str | None = None
    session_id: str | None = None

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def scope(self) -> Scope:
        return self.user.scope

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user.id, device_id=self.device_id)


def authenticate(
    db: Database, token: str | None, *, now: datetime, last_seen_resolution: timedelta
) -> Principal:
    """The principal of ``token``, or an :class:`AuthError`: ``auth.required`` (no token),
    ``auth.token_invalid`` (unknown or expired), ``auth.device_revoked`` (with
    ``details.wipe``: the tablet must erase its data), ``auth.user_inactive``."""
    if not token:
        raise AuthError("auth.required")
    if token.startswith(DEVICE_PREFIX):
        return _device_principal(db, token, now, last_seen_resolution)
    if token.startswith(SESSION_PREFIX):
        return _session_principal(db, token, now)
    raise AuthError("auth.token_invalid")


def _device_principal(db: Database, token: str, now: datetime, resolution: timedelta) -> Principal:
    row = db.conn.execute(
        f"""SELECT d.id, d.revoked_at, d.last_seen, {USER_COLUMNS}
            FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = ?""",
        (token_hash(token),),
    ).fetchone()
    if row is None:
        raise AuthError("auth.token_invalid")
    device_id, revoked_at, last_seen, *user_row = row
    if revoked_at is not None:
        raise AuthError("auth.device_revoked", details={"wipe": True, "device_id": device_id})
    user = _active(user_from_row(user_row))
    if last_seen is None or now - parse_iso(last_seen) >= resolution:
        with write_transaction(db):
            db.conn.execute("UPDATE devices SET last_seen = ? WHERE id = ?", (iso(now), device_id))
    return Principal(user=user, device_id=device_id)


def _session_principal(db: Database, token: str, now: datetime) -> Principal:
    row = db.conn.execute(
        f"""SELECT s.id, s.expires_at, s.revoked_at, {USER_COLUMNS}
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?""",
        (token_hash(token),),
    ).fetchone()
    if row is None:
        raise AuthError("auth.token_invalid")
    session_id, expires_at, revoked_at, *user_row = row
    if revoked_at is not None or parse_iso(expires_at) <= now:
        raise AuthError("auth.token_invalid")
    return Principal(user=_active(user_from_row(user_row)), session_id=session_id)


def _active(user: User) -> User:
    if not user.active:
        raise AuthError("auth.user_inactive", username=user.username)
    return user


__all__ = ["Principal", "authenticate"]
