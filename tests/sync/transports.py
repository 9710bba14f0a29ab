"""Test doubles for the sync client's network seam.

* :class:`AppTransport` — the real server app in-process (Starlette's TestClient), so the
  real client talks to the real app through the real HTTP stack, minus the socket. The app
  can be swapped (a "restarted" server on the same database file).
* :class:`FlakyTransport` — wraps another transport and breaks it on purpose: drop a request
  before the server sees it, lose the answer after the server processed it, send a request
  twice, or restart the server just before a request. Faults are planned by rule (method, path, n-th match) or chosen by a
  function (Hypothesis draws them). Every request is logged.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from field_app.sync.errors import TransportError
from field_app.sync.transport import DEFAULT_TIMEOUT, Response, Timeout, Transport, lower_headers

with warnings.catch_warnings():  # starlette suggests httpx2 for its test client; httpx works
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient


class AppTransport:
    """The ASGI app behind the transport seam, in-process."""

    def __init__(self, app: Any) -> None:
        self._client = TestClient(app, base_url="http://station.test")
        self.requests = 0

    def replace_app(self, app: Any) -> None:
        """The server restarted: the next requests reach ``app``."""
        self._client.close()
        self._client = TestClient(app, base_url="http://station.test")

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
        self.requests += 1
        answer = self._client.request(
            method, path, json=json, params=dict(params) if params else None,
            headers=dict(headers) if headers else None, content=content,
        )
        return Response(answer.status_code, lower_headers(answer.headers), answer.content)

    def close(self) -> None:
        self._client.close()


class Fault(StrEnum):
    DROP = "drop"  # the request never reaches the server
    LOSE = "lose"  # the server processes it; the answer is lost
    DUPLICATE = "duplicate"  # the request arrives twice; the client sees the second answer
    RESTART = "restart"  # the server restarts just before the request reaches it


@dataclass
class Rule:
    fault: Fault
    method: str | None = None
    path: str | None = None  # a prefix
    nth: int = 1  # break the n-th matching request (1: the first)
    seen: int = 0
    fired: bool = False

    def matches(self, method: str, path: str) -> bool:
        if self.fired or (self.method and self.method != method) or (self.path and not path.startswith(self.path)):
            return False
        self.seen += 1
        if self.seen == self.nth:
            self.fired = True
            return True
        return False


@dataclass
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]
    fault: Fault | None
    status: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


class FlakyTransport:
    def __init__(
        self,
        inner: Transport,
        *,
        chooser: Callable[[str, str], Fault | None] | None = None,
        restart: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.restart = restart
        self.rules: list[Rule] = []
        self.chooser = chooser
        self.log: list[LoggedRequest] = []
        self.faults_fired = 0

    def fail(self, fault: Fault, *, method: str | None = None, path: str | None = None, nth: int = 1) -> Rule:
        rule = Rule(Fault(fault), method, path, nth)
        self.rules.append(rule)
        return rule

    def _fault(self, method: str, path: str) -> Fault | None:
        for rule in self.rules:
            if rule.matches(method, path):
                return rule.fault
        return self.chooser(method, path) if self.chooser else None

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
        fault = self._fault(method, path)
        entry = LoggedRequest(method, path, dict(headers or {}), fault, params=dict(params or {}))
        self.log.append(entry)
        if fault is not None:
            self.faults_fired += 1
        if fault is Fault.DROP:
            raise TransportError("dropped by the test")
        if fault is Fault.RESTART and self.restart is not None:
            self.restart()

        def send() -> Response:
            return self.inner.request(
                method, path, json=json, params=params, headers=headers, content=content, timeout=timeout
            )

        response = send()
        if fault is Fault.DUPLICATE:
            response = send()
        entry.status = response.status
        if fault is Fault.LOSE:
            raise TransportError("answer lost by the test")
        return response

    def sent(self, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        return [
            entry for entry in self.log
            if (method is None or entry.method == method) and (path is None or entry.path.startswith(path))
        ]


__all__ = ["AppTransport", "Fault", "FlakyTransport", "LoggedRequest", "Rule"]
