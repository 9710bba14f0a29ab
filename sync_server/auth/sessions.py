"""Console sessions: a username and password exchanged for a short-lived bearer token.

For now the console and admin tools send it as ``Authorization: Bearer``, like devices; the
console's cookie sessions (with CSRF protection) come later and can reuse this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from field_app.core.models import User, new_id
from sync_server.auth.passwords import ScryptParams, hash_password, needs_rehash, verify_password
from sync_server.auth.tokens import SESSION_PREFIX, new_token, token_hash
from sync_server.clock import iso
from sync_server.db import write_transaction
from sync_server.errors import AuthError
from sync_server.users import find_user_with_password


@dataclass(frozen=True)
class Session:
    id: str
    token: str  # shown once; only its hash is stored
    expires_at: datetime
    user: User


def check_password(db: Database, username: str, password: str, kdf: ScryptParams) -> User:
    """The user whose ``password`` this is, or ``auth.bad_credentials`` (the same for an
    unknown username, after the same amount of work). Upgrades an old hash on success."""
    found = find_user_with_password(db, username)
    stored = found[1] if found else None
    if not verify_password(password, stored, kdf) or found is None:
        raise AuthError("auth.bad_credentials")
    user = found[0]
    if not user.active:
        raise AuthError("auth.user_inactive", username=user.username)
    if stored and needs_rehash(stored, kdf):
        with write_transaction(db):
            db.conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hash_password(password, kdf), user.id))
    return user


def open_session(
    db: Database, *, username: str, password: str, kdf: ScryptParams, lifetime: timedelta, now: datetime
) -> Session:
    user = check_password(db, username, password, kdf)
    token = new_token(SESSION_PREFIX)
    session = Session(id=new_id(), token=token, expires_at=now + lifetime, user=user)
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (session.id, user.id, token_hash(token), iso(now), iso(session.expires_at)),
        )
    return session


__all__ = ["Session", "check_password", "open_session"]
