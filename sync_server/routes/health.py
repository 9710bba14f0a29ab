"""``GET /api/v1/health``: is the server up, which schema, how many forms. No sign-in."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from sync_server.dependencies import ContextDep, DatabaseDep
from sync_server.migrations import schema_version
from sync_server.routes.wire import WireModel

router = APIRouter(tags=["health"])


class Health(WireModel):
    status: str
    schema_version: int
    forms: int
    server_time: datetime


@router.get("/api/v1/health")
def health(context: ContextDep, db: DatabaseDep) -> Health:
    return Health(
        status="ok",
        schema_version=schema_version(db.conn),
        forms=len(context.forms),
        server_time=context.settings.now(),
    )
