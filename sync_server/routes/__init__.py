"""HTTP routes: thin handlers that parse a wire model, call one service, return a wire model."""

from fastapi import APIRouter

from sync_server.routes import access, admin, conflicts, forms, health, photos, sync, villages

ROUTERS: tuple[APIRouter, ...] = (
    health.router, access.router, forms.router, villages.router, admin.router, sync.router, photos.router,
    conflicts.router,
)

__all__ = ["ROUTERS"]
