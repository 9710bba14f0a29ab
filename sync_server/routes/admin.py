"""Administration: users, enrolment codes, devices, the audit log. Admin role only (see
``auth/roles.py``); the services also keep every action inside the admin's own scope."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from field_app.core.codes import Role
from sync_server import audit
from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.dependencies import ContextDep, DatabaseDep, allowed
from sync_server.enrolment import Device, issue_code, list_devices, revoke_device
from sync_server.routes.wire import SQL_INT_MAX, ScopeWire, UserWire, WireModel
from sync_server.users import create_user, list_users

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])

UserManager = Annotated[Principal, Depends(allowed(Action.MANAGE_USERS))]
DeviceEnroller = Annotated[Principal, Depends(allowed(Action.ENROL_DEVICES))]
DeviceManager = Annotated[Principal, Depends(allowed(Action.MANAGE_DEVICES))]
AuditReader = Annotated[Principal, Depends(allowed(Action.READ_AUDIT))]


class NewUser(WireModel):
    username: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1, max_length=50)
    role: Role
    scope: ScopeWire = Field(default_factory=ScopeWire)
    phone: str | None = Field(default=None, max_length=30)
    password: str | None = Field(default=None, max_length=200, description="None: cannot sign in yet")


class NewEnrolmentCode(WireModel):
    user_id: str = Field(min_length=1, max_length=100)


class IssuedCodeWire(WireModel):
    code: str = Field(description="Shown once: give it to the user with their tablet")
    user_id: str
    username: str
    expires_at: datetime
    qr_payload: str = Field(description="Text for a QR code: JSON with the server address and the code")


class DeviceWire(WireModel):
    id: str
    user_id: str
    username: str
    name: str
    enrolled_at: str
    revoked_at: str | None
    last_seen: str | None

    @classmethod
    def of(cls, device: Device) -> DeviceWire:
        return cls(**vars(device))


class AuditEntryWire(WireModel):
    seq: int
    at: str
    user_id: str | None
    device_id: str | None
    action: str
    entity: str
    entity_id: str | None
    village_code: str | None
    before: Any
    after: Any


class AuditPage(WireModel):
    entries: list[AuditEntryWire]
    next_after_seq: int = Field(description="Pass as after_seq for the next page")


@router.post("/users", status_code=201)
def add_user(request: NewUser, who: UserManager, context: ContextDep, db: DatabaseDep) -> UserWire:
    settings = context.settings
    user = create_user(
        db,
        user=request.model_dump(exclude={"password"}),
        password=request.password,
        kdf=settings.password_kdf,
        min_password_length=settings.min_password_length,
        actor=who.actor,
        granted_by=who.scope,
        now=settings.now(),
    )
    return UserWire.of(user)


@router.get("/users")
def get_users(who: UserManager, db: DatabaseDep) -> list[UserWire]:
    return [UserWire.of(user) for user in list_users(db, within=who.scope)]


@router.post("/enrolment-codes", status_code=201)
def add_enrolment_code(
    request: NewEnrolmentCode, who: DeviceEnroller, context: ContextDep, db: DatabaseDep
) -> IssuedCodeWire:
    settings = context.settings
    issued = issue_code(
        db,
        user_id=request.user_id,
        actor=who.actor,
        granted_by=who.scope,
        public_url=settings.public_url,
        lifetime=settings.enrolment_code_lifetime,
        now=settings.now(),
    )
    return IssuedCodeWire(
        code=issued.code,
        user_id=issued.user.id,
        username=issued.user.username,
        expires_at=issued.expires_at,
        qr_payload=issued.qr_payload,
    )


@router.get("/devices")
def get_devices(_: DeviceManager, db: DatabaseDep, user_id: str | None = None) -> list[DeviceWire]:
    return [DeviceWire.of(device) for device in list_devices(db, user_id=user_id)]


@router.post("/devices/{device_id}/revoke")
def revoke(device_id: str, who: DeviceManager, context: ContextDep, db: DatabaseDep) -> DeviceWire:
    device = revoke_device(
        db, device_id=device_id, actor=who.actor, granted_by=who.scope, now=context.settings.now()
    )
    return DeviceWire.of(device)


@router.get("/audit")
def read_audit(
    _: AuditReader,
    db: DatabaseDep,
    after_seq: Annotated[int, Query(ge=0, le=SQL_INT_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
) -> AuditPage:
    entries = audit.read(db, after_seq=after_seq, limit=limit, entity=entity, entity_id=entity_id, action=action)
    return AuditPage(
        entries=[AuditEntryWire(**vars(entry)) for entry in entries],
        next_after_seq=entries[-1].seq if entries else after_seq,
    )
