"""What a request handler may ask for: the app's context, a database connection, the
principal behind the bearer token, a principal allowed to do an action.

No module globals: ``create_app`` puts one :class:`AppContext` on ``app.state`` and these
functions read it from the request, so two apps (two tests) never share anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlite_utils import Database

from field_app.core.i18n import Lang
from sync_server.auth.principal import Principal, authenticate
from sync_server.auth.roles import Action, require_action
from sync_server.db import open_database
from sync_server.forms_publish import FormShelf
from sync_server.handlers import request_lang
from sync_server.settings import Settings


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    forms: FormShelf


def app_context(request: Request) -> AppContext:
    return request.app.state.context


def database(context: Annotated[AppContext, Depends(app_context)]) -> Iterator[Database]:
    """One connection per request, closed when the request ends."""
    db = open_database(context.settings.database_path)
    try:
        yield db
    finally:
        db.close()


_bearer = HTTPBearer(
    auto_error=False,  # a missing token becomes our own auth.required, in the common shape
    description="A device token (from POST /api/v1/enrol) or a session token (from POST /api/v1/sessions).",
)


def principal(
    context: Annotated[AppContext, Depends(app_context)],
    db: Annotated[Database, Depends(database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    settings = context.settings
    return authenticate(
        db,
        credentials.credentials if credentials else None,
        now=settings.now(),
        last_seen_resolution=settings.last_seen_resolution,
    )


def allowed(action: Action) -> Callable[[Principal], Principal]:
    """A dependency: the principal, if their role may do ``action`` (403 otherwise)."""

    def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        return require_action(who, action)

    check.__name__ = f"allowed_{action.name.lower()}"
    return check


ContextDep = Annotated[AppContext, Depends(app_context)]
DatabaseDep = Annotated[Database, Depends(database)]
PrincipalDep = Annotated[Principal, Depends(principal)]
LangDep = Annotated[Lang, Depends(request_lang)]

__all__ = [
    "AppContext",
    "ContextDep",
    "DatabaseDep",
    "LangDep",
    "PrincipalDep",
    "allowed",
    "app_context",
    "database",
    "principal",
]
