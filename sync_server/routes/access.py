"""Getting in: enrol a tablet, open a console session, ask who I am."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import Field

from sync_server.auth.roles import Action, may
from sync_server.auth.sessions import open_session
from sync_server.dependencies import ContextDep, DatabaseDep, PrincipalDep
from sync_server.enrolment import enrol_device
from sync_server.routes.wire import UserWire, WireModel

router = APIRouter(tags=["access"])


class EnrolRequest(WireModel):
    code: str = Field(min_length=1, max_length=40, description="The one-time code, typed or from the QR code")
    password: str = Field(min_length=1, max_length=200, description="The password of the user the code is for")
    device_name: str = Field(min_length=1, max_length=100, description="Shown to administrators, e.g. 潭头村平板1")


class EnrolResponse(WireModel):
    device_id: str = Field(description="The identity of this device's mutations")
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown once")
    user: UserWire
    server_time: datetime


class SessionRequest(WireModel):
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)


class SessionResponse(WireModel):
    token: str
    expires_at: datetime
    user: UserWire


class Me(WireModel):
    user: UserWire
    device_id: str | None
    allowed_actions: list[str]


@router.post("/api/v1/enrol")
def enrol(request: EnrolRequest, context: ContextDep, db: DatabaseDep) -> EnrolResponse:
    settings = context.settings
    now = settings.now()
    enrolled = enrol_device(
        db,
        code=request.code,
        password=request.password,
        device_name=request.device_name,
        kdf=settings.password_kdf,
        max_attempts=settings.enrolment_max_attempts,
        now=now,
    )
    return EnrolResponse(
        device_id=enrolled.device_id, token=enrolled.token, user=UserWire.of(enrolled.user), server_time=now
    )


@router.post("/api/v1/sessions")
def sign_in(request: SessionRequest, context: ContextDep, db: DatabaseDep) -> SessionResponse:
    settings = context.settings
    session = open_session(
        db,
        username=request.username,
        password=request.password,
        kdf=settings.password_kdf,
        lifetime=settings.session_lifetime,
        now=settings.now(),
    )
    return SessionResponse(token=session.token, expires_at=session.expires_at, user=UserWire.of(session.user))


@router.get("/api/v1/me")
def me(who: PrincipalDep) -> Me:
    return Me(
        user=UserWire.of(who.user),
        device_id=who.device_id,
        allowed_actions=[action.value for action in Action if may(who, action)],
    )
