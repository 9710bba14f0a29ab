"""The sync client's errors: a branch of the product's one error tree.

* :class:`TransportError` (``sync.network``): the request or its answer was lost (no
  connection, time-out, cut). Nothing is lost on the device; syncing again resumes.
* :class:`DeviceRevoked` (``auth.device_revoked``): the server refused this tablet for good;
  ``wipe`` is true and the app must erase the device's data.
* :class:`SyncError`: any other refusal. A refusal the server explained keeps the server's
  code (``auth.token_invalid``, ``enrol.code_used``, ...) so the app shows the catalogue's
  Chinese text; an unexplained one is ``sync.client.server_error`` with the HTTP status.

When :meth:`SyncClient.sync` stops on one of these, the error carries the partial
:class:`~field_app.sync.report.SyncReport` in ``report``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from field_app.core.errors import BianfangError
from field_app.core.i18n import MESSAGES

if TYPE_CHECKING:
    from field_app.sync.report import SyncReport

# Names BianfangError's constructor takes itself; a server detail of that name cannot be a param.
_RESERVED = frozenset({"code", "details", "self"})


class SyncError(BianfangError):
    default_code = "sync.client.server_error"

    def __init__(
        self,
        code: str | None = None,
        *,
        status: int | None = None,
        details: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> None:
        if status is not None:
            params.setdefault("status", status)  # fills the ``{status}`` of the message
        super().__init__(code, details=details, **params)
        self.status = status
        self.report: SyncReport | None = None

    @property
    def retryable(self) -> bool:
        """Whether syncing again later may succeed without anyone doing anything."""
        return self.code in ("sync.network", "sync.client.server_error") or (self.status or 0) >= 500

    @classmethod
    def from_response(cls, status: int, body: Any) -> SyncError:
        """The error a refused request stands for: the server's ``{code, message, details}``
        when it sent one, else ``sync.client.server_error`` with the status."""
        code = body.get("code") if isinstance(body, Mapping) else None
        details = body.get("details") if isinstance(body, Mapping) else None
        details = dict(details) if isinstance(details, Mapping) else {}
        if code == DeviceRevoked.default_code:
            return DeviceRevoked(status=status, details=details)
        if isinstance(code, str) and code in MESSAGES:
            params = {
                key: value
                for key, value in details.items()
                if isinstance(key, str) and key.isidentifier() and key not in _RESERVED
            }
            return cls(code, status=status, details=details, **params)
        server_message = body.get("message") if isinstance(body, Mapping) else None
        extra = {"server_code": code, "server_message": server_message} if code else {}
        return cls("sync.client.server_error", status=status, details={**details, **extra})


class TransportError(SyncError):
    """The network failed: the request may or may not have reached the server."""

    default_code = "sync.network"

    def __init__(self, reason: str = "", *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(self.default_code, details={**(details or {}), "reason": reason})


class DeviceRevoked(SyncError):
    """This tablet's enrolment was revoked: erase its data (``wipe``), enrol again if needed."""

    default_code = "auth.device_revoked"

    def __init__(self, *, status: int | None = 403, details: Mapping[str, Any] | None = None) -> None:
        merged = {**(details or {}), "wipe": True}
        super().__init__(self.default_code, status=status, details=merged)

    @property
    def wipe(self) -> bool:
        return True


__all__ = ["DeviceRevoked", "SyncError", "TransportError"]
