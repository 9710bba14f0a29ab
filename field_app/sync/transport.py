"""The seam between the sync client and the network.

The client speaks to a :class:`Transport`: one method, ``request``, answering a plain
:class:`Response`. :class:`RequestsTransport` is the real one (HTTP through ``requests``);
tests put the real server app behind the same seam in-process (``tests/sync/transports.py``)
and wrap it to cut the network where they like.

Every network fault — no route, refused connection, time-out, a connection cut while the
answer was on its way — is one :class:`~field_app.sync.errors.TransportError`
(``sync.network``): the caller cannot know whether the server got the request, so it must
only ever send requests that are safe to send again (the sync protocol's are).
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from field_app.sync.errors import TransportError

# (connect, read) seconds. A township station's network is slow rather than fast: a read may
# wait while the server merges a batch of 500 mutations.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)

Timeout = float | tuple[float, float] | None


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        """The body as JSON; ``None`` for an empty or non-JSON body (an error page)."""
        if not self.body:
            return None
        try:
            return jsonlib.loads(self.body)
        except ValueError:
            return None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def lower_headers(headers: Mapping[str, str] | Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in headers.items()}


class Transport(Protocol):
    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
    ) -> Response:
        """Send one request to ``path`` (e.g. ``/api/v1/sync/pull``) and answer whatever the
        server said, errors included; raise ``TransportError`` only when the network failed."""
        ...


class RequestsTransport:
    """HTTP(S) to the township station's server through a ``requests`` session."""

    def __init__(self, base_url: str, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
    ) -> Response:
        try:
            answer = self.session.request(
                method,
                self.base_url + path,
                json=json,
                params=dict(params) if params else None,
                headers=dict(headers) if headers else None,
                data=content,
                timeout=timeout,
                allow_redirects=False,
            )
            body = answer.content  # read it all here: a cut while reading is a network fault too
        except requests.RequestException as error:
            raise TransportError(type(error).__name__) from error
        return Response(answer.status_code, lower_headers(answer.headers), body)

    def close(self) -> None:
        self.session.close()


__all__ = ["DEFAULT_TIMEOUT", "RequestsTransport", "Response", "Timeout", "Transport", "lower_headers"]
