"""Enrolling tablets (service): a one-time code plus the user's password buys a device token.

The design, and why. ODK Central enrols with a QR code that *is* the credential; CommCare
asks for the user's password. We take both: an administrator issues a short-lived,
single-use code for one user (typed, or read from a QR code whose text is JSON with the
server address and the code), and the tablet exchanges it **with that user's password** for
a revocable device token. A code photographed and shared in a chat group is useless without
the password; a leaked password cannot enrol a tablet without a fresh code from the office.
Wrong passwords against a code are counted and burn it after ``max_attempts``.

A device token is shown once and stored as a hash. Revoking a device refuses every later
request from it with ``auth.device_revoked`` and ``details.wipe = true``: the app erases
its local data. The server assigns the device id; it is the identity of the device's
mutations (``device_id, device_seq``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from field_app.core.models import Scope, User, new_id
from sync_server import audit
from sync_server.audit import Actor
from sync_server.auth.passwords import ScryptParams, verify_password
from sync_server.auth.scope import require_scope_within
from sync_server.auth.tokens import DEVICE_PREFIX, code_hash, new_enrolment_code, new_token, token_hash
from sync_server.clock import CHINA_TIME, iso, parse_iso
from sync_server.db import write_transaction
from sync_server.errors import AuthError, NotFoundError
from sync_server.users import USER_COLUMNS, find_user_with_password, get_user, user_from_row

QR_PAYLOAD_TYPE = "bianfang-enrol"


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once to the administrator; only its hash is stored
    user: User
    expires_at: datetime
    qr_payload: str  # the text to put into a QR code


@dataclass(frozen=True)
class EnrolledDevice:
    device_id: str
    token: str  # shown once to the device; only its hash is stored
    user: User


@dataclass(frozen=True)
class Device:
    id: str
    user_id: str
    username: str
    name: str
    enrolled_at: str
    revoked_at: str | None
    last_seen: str | None


def issue_code(
    db: Database,
    *,
    user_id: str,
    actor: Actor,
    granted_by: Scope | None,
    public_url: str,
    lifetime: timedelta,
    now: datetime,
) -> IssuedCode:
    """A one-time enrolment code for ``user_id``. ``granted_by``: the issuer's scope (None for
    the command line); nobody enrols tablets for users beyond their own scope."""
    code = new_enrolment_code()
    expires_at = now + lifetime
    with write_transaction(db):
        user = get_user(db, user_id)
        if granted_by is not None:
            require_scope_within(granted_by, user.scope)
        if not user.active:
            raise AuthError("auth.user_inactive", username=user.username)
        code_id = new_id()
        db.conn.execute(
            """INSERT INTO enrolment_codes (id, user_id, code_hash, issued_by, issued_at, expires_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (code_id, user.id, code_hash(code), actor.user_id, iso(now), iso(expires_at)),
        )
        audit.record(db, at=now, actor=actor, action="enrolment_code.issue", entity="enrolment_code",
                     entity_id=code_id, after={"user_id": user.id, "expires_at": iso(expires_at)})
    payload = {"type": QR_PAYLOAD_TYPE, "v": 1, "server": public_url, "code": code, "username": user.username}
    return IssuedCode(code=code, user=user, expires_at=expires_at, qr_payload=json.dumps(payload, ensure_ascii=False))


def enrol_device(
    db: Database,
    *,
    code: str,
    password: str,
    device_name: str,
    kdf: ScryptParams,
    max_attempts: int,
    now: datetime,
) -> EnrolledDevice:
    """Exchange a code and its user's password for a device token."""
    row = _code_row(db, code)
    code_id, user, used_at, expires_at, failed_attempts = row
    if used_at is not None:
        raise AuthError("enrol.code_used")
    if failed_attempts >= max_attempts:
        raise AuthError("enrol.code_blocked")
    if parse_iso(expires_at) <= now:
        raise AuthError("enrol.code_expired", expired_at=_local_minute(expires_at))
    if not user.active:
        raise AuthError("auth.user_inactive", username=user.username)
    found = find_user_with_password(db, user.username)
    # Slow on purpose (scrypt), so it runs before the write lock is taken.
    if not verify_password(password, found[1] if found else None, kdf):
        with write_transaction(db):
            db.conn.execute(
                "UPDATE enrolment_codes SET failed_attempts = failed_attempts + 1 WHERE id = ?", (code_id,)
            )
        raise AuthError("auth.bad_credentials")

    token = new_token(DEVICE_PREFIX)
    device_id = new_id()
    with write_transaction(db):
        # Re-check under the write lock: two tablets racing with one code, only one wins.
        claimed = db.conn.execute(
            "UPDATE enrolment_codes SET used_at = ? WHERE id = ? AND used_at IS NULL", (iso(now), code_id)
        ).rowcount
        if claimed != 1:
            raise AuthError("enrol.code_used")
        db.conn.execute(
            "INSERT INTO devices (id, user_id, name, token_hash, enrolled_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
            (device_id, user.id, device_name, token_hash(token), iso(now), iso(now)),
        )
        db.conn.execute("UPDATE enrolment_codes SET device_id = ? WHERE id = ?", (device_id, code_id))
        audit.record(db, at=now, actor=Actor(user_id=user.id, device_id=device_id), action="device.enrol",
                     entity="device", entity_id=device_id, after=_device_view(device_id, user, device_name, now))
    return EnrolledDevice(device_id=device_id, token=token, user=user)


def revoke_device(
    db: Database, *, device_id: str, actor: Actor, granted_by: Scope | None, now: datetime
) -> Device:
    """Revoke a device: its token stops working and the tablet is told to wipe. Revoking a
    revoked device changes nothing and writes no second audit entry."""
    with write_transaction(db):
        device = get_device(db, device_id)
        if granted_by is not None:
            require_scope_within(granted_by, get_user(db, device.user_id).scope)
        if device.revoked_at is None:
            db.conn.execute(
                "UPDATE devices SET revoked_at = ?, revoked_by = ? WHERE id = ?", (iso(now), actor.user_id, device_id)
            )
            audit.record(db, at=now, actor=actor, action="device.revoke", entity="device", entity_id=device_id,
                         before={"revoked_at": None}, after={"revoked_at": iso(now)})
            device = get_device(db, device_id)
    return device


def get_device(db: Database, device_id: str) -> Device:
    row = db.conn.execute(f"{_DEVICES} WHERE d.id = ?", (device_id,)).fetchone()
    if row is None:
        raise NotFoundError("device.not_found", device=device_id)
    return Device(*row)


def list_devices(db: Database, *, user_id: str | None = None) -> list[Device]:
    if user_id is None:
        rows = db.conn.execute(f"{_DEVICES} ORDER BY d.enrolled_at, d.id").fetchall()
    else:
        rows = db.conn.execute(f"{_DEVICES} WHERE d.user_id = ? ORDER BY d.enrolled_at, d.id", (user_id,)).fetchall()
    return [Device(*row) for row in rows]


_DEVICES = """SELECT d.id, d.user_id, u.username, d.name, d.enrolled_at, d.revoked_at, d.last_seen
              FROM devices d JOIN users u ON u.id = d.user_id"""


def _code_row(db: Database, code: str) -> tuple[str, User, str | None, str, int]:
    row = db.conn.execute(
        f"""SELECT c.id, c.used_at, c.expires_at, c.failed_attempts, {USER_COLUMNS}
            FROM enrolment_codes c JOIN users u ON u.id = c.user_id WHERE c.code_hash = ?""",
        (code_hash(code),),
    ).fetchone()
    if row is None:
        raise AuthError("enrol.code_invalid")
    code_id, used_at, expires_at, failed_attempts, *user_row = row
    return code_id, user_from_row(user_row), used_at, expires_at, failed_attempts


def _device_view(device_id: str, user: User, name: str, now: datetime) -> dict[str, Any]:
    return {"id": device_id, "user_id": user.id, "name": name, "enrolled_at": iso(now)}


def _local_minute(stored: str) -> str:
    return parse_iso(stored).astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


__all__ = [
    "QR_PAYLOAD_TYPE",
    "Device",
    "EnrolledDevice",
    "IssuedCode",
    "enrol_device",
    "get_device",
    "issue_code",
    "list_devices",
    "revoke_device",
]
