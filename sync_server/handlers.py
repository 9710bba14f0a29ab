"""One set of exception handlers gives every error the shape ``{code, message, details}``.

:class:`BianfangError` (status from :func:`~sync_server.errors.http_status`), FastAPI's
request validation errors (422 ``request.invalid`` naming each field), Starlette's HTTP
errors (unknown route, wrong method) and any unexpected exception. The message language
follows ``Accept-Language``. An unexpected exception is logged with its traceback and
answered as a bare ``internal`` error: no exception text, SQL or path reaches the client.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from field_app.core.errors import BianfangError
from field_app.core.i18n import Lang
from sync_server.errors import http_status, negotiate_language, validation_error

logger = logging.getLogger("sync_server")


def error_response(error: BianfangError, lang: Lang) -> JSONResponse:
    status = http_status(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error.to_dict(lang), status_code=status, headers=headers)


def request_lang(request: Request) -> Lang:
    return negotiate_language(request.headers.get("accept-language"))


async def _on_bianfang_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, BianfangError)
    return error_response(error, request_lang(request))


async def _on_request_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    lang = request_lang(request)
    return error_response(validation_error(error.errors(), lang), lang)


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 404:
        problem = BianfangError("request.route_not_found", path=request.url.path)
    elif error.status_code == 405:
        problem = BianfangError("request.method_not_allowed", method=request.method)
    else:
        problem = BianfangError("request.http_error", status=error.status_code)
    response = JSONResponse(problem.to_dict(request_lang(request)), status_code=error.status_code)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(BianfangError("internal"), request_lang(request))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BianfangError, _on_bianfang_error)
    app.add_exception_handler(RequestValidationError, _on_request_invalid)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)


__all__ = ["error_response", "install_error_handlers", "request_lang"]
