"""``create_app(settings)``: the one place the server is assembled.

Creating an app prepares its database (migrations, form publication) before it serves
anything, so a server never answers from a half-upgraded file or with a changed form.
"""

from __future__ import annotations

from fastapi import FastAPI

from sync_server.dependencies import AppContext
from sync_server.forms_publish import FormShelf
from sync_server.handlers import install_error_handlers
from sync_server.limits import BodySizeLimit
from sync_server.prepare import prepare_database
from sync_server.routes import ROUTERS
from sync_server.settings import Settings

API_TITLE = "遍访 Bianfang sync server"


def create_app(settings: Settings, forms: FormShelf | None = None) -> FastAPI:
    """The server. ``forms``: the forms to publish, when already loaded (tests share one
    load); by default the forms folder of ``settings`` is read."""
    shelf = prepare_database(settings, forms)
    app = FastAPI(
        title=API_TITLE,
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.context = AppContext(settings=settings, forms=shelf)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    for router in ROUTERS:
        app.include_router(router)
    return app


__all__ = ["API_TITLE", "create_app"]
