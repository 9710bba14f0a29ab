"""Refuse request bodies above a limit with 413 ``request.too_large``.

Two checks, because a client need not say how much it sends: a declared ``Content-Length``
above the limit is refused before anything is read; a body sent without one (chunked) is
counted as it streams, and the moment it passes the limit reading stops and whatever the
application was about to answer is replaced by the 413.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from field_app.core.errors import BianfangError
from sync_server.errors import negotiate_language
from sync_server.handlers import error_response


class _BodyTooLarge(Exception):
    """Raised inside the application's ``receive`` to stop it reading; never leaves here."""


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        tripped = False
        answered = False

        async def counting_receive() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    tripped = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if tripped:
                return  # the application's answer to a body it could not finish is replaced
            if message["type"] == "http.response.start":
                answered = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            # Frameworks may wrap our signal in their own error; if the limit tripped, that
            # error is ours to answer. Anything else goes on to the error handlers.
            if not tripped:
                raise
        if tripped and not answered:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        lang = negotiate_language(headers.get(b"accept-language", b"").decode("latin-1"))
        response = error_response(BianfangError("request.too_large", limit=self.max_bytes), lang)
        # The unread body stays on the wire: tell the client the connection ends here.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


__all__ = ["BodySizeLimit"]
