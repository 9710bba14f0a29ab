"""The server's API as the tablet calls it: one method per endpoint, typed answers.

Each method sends one request through the :class:`~field_app.sync.transport.Transport`, turns
a refusal into the matching :class:`~field_app.sync.errors.SyncError` and an answer that does
not have the contract's shape into ``sync.client.bad_response``. It counts the bytes both
ways for the report. No retries here: every request of the protocol is safe to send again,
and the client decides when to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from field_app.core.sync.mutation import Mutation
from field_app.sync.errors import SyncError
from field_app.sync.report import ItemResult
from field_app.sync.transport import DEFAULT_TIMEOUT, Response, Timeout, Transport

API = "/api/v1"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class PushAnswer:
    results: list[ItemResult]
    checkpoint: int | None
    server_hlc: str | None


@dataclass(frozen=True)
class Change:
    """One record of a pull page: its current server state (``record``, the core model's
    JSON), or that it was deleted, or that it left this user's scope (``gone``)."""

    seq: int
    kind: str
    id: str
    village_code: str | None
    deleted: bool
    record: Mapping[str, Any] | None
    disputed: Mapping[str, Any]
    gone: bool


@dataclass(frozen=True)
class PullPage:
    changes: list[Change]
    next_checkpoint: int
    more: bool
    server_hlc: str | None


@dataclass(frozen=True)
class PhotoStatus:
    offset: int
    complete: bool


@dataclass(frozen=True)
class FormListing:
    id: str
    version: int
    sha256: str | None
    size: int | None
    media_type: str
    url: str


class OffsetMismatch(SyncError):
    """409 on a photo chunk: the server holds ``offset`` bytes, not what the chunk assumed."""

    def __init__(self, offset: int) -> None:
        super().__init__("sync.client.server_error", status=409, details={"offset": offset})
        self.offset = offset


class SyncApi:
    def __init__(
        self,
        transport: Transport,
        *,
        token: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.transport = transport
        self.token = token
        self.timeout = timeout
        self.bytes_sent = 0
        self.bytes_received = 0

    # -- the endpoints -----------------------------------------------------------------------

    def enrol(self, code: str, password: str, device_name: str) -> dict[str, Any]:
        body = {"code": code, "password": password, "device_name": device_name}
        answer = self._json(self._call("POST", f"{API}/enrol", body=body, auth=False), "enrol")
        if not isinstance(answer.get("device_id"), str) or not isinstance(answer.get("token"), str):
            raise _bad("enrol: device_id/token")
        return answer

    def push(self, mutations: Sequence[Mutation], device_headers: Mapping[str, str]) -> PushAnswer:
        body = {"mutations": [mutation.model_dump(mode="json") for mutation in mutations]}
        answer = self._json(self._call("POST", f"{API}/sync/push", body=body, headers=device_headers), "push")
        items = answer.get("results")
        if not isinstance(items, list):
            raise _bad("push: results")
        return PushAnswer(
            results=[_item_result(item) for item in items],
            checkpoint=_optional_int(answer.get("checkpoint"), "push: checkpoint"),
            server_hlc=_optional_str(answer.get("server_hlc"), "push: server_hlc"),
        )

    def pull(self, after: int, limit: int) -> PullPage:
        params = {"after": after, "limit": limit}
        answer = self._json(self._call("GET", f"{API}/sync/pull", params=params), "pull")
        changes = answer.get("changes")
        next_checkpoint = answer.get("next_checkpoint")
        if not isinstance(changes, list) or not _is_int(next_checkpoint):
            raise _bad("pull: changes/next_checkpoint")
        return PullPage(
            changes=[_change(item) for item in changes],
            next_checkpoint=int(next_checkpoint),
            more=bool(answer.get("more", False)),
            server_hlc=_optional_str(answer.get("server_hlc"), "pull: server_hlc"),
        )

    def photo_status(self, sha256: str) -> PhotoStatus | None:
        """How much of the photo the server holds; None when it has none of it."""
        response = self._call("HEAD", f"{API}/photos/{sha256}", accept=(200, 404))
        if response.status == 404:
            return None
        offset = response.header("upload-offset")
        if offset is None or not offset.strip().isdigit():
            raise _bad("photo HEAD: Upload-Offset")
        return PhotoStatus(int(offset), _complete_flag(response.header("upload-complete")))

    def put_photo_chunk(self, sha256: str, chunk: bytes, start: int, total: int) -> PhotoStatus:
        """Send bytes ``start .. start+len(chunk)-1`` of a ``total``-byte photo. Raises
        :class:`OffsetMismatch` when the server holds another offset."""
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{total}" if chunk else f"bytes */{total}",
        }
        response = self._call(
            "PUT", f"{API}/photos/{sha256}", content=chunk, headers=headers, accept=(200, 201, 204, 409)
        )
        if response.status == 409:
            offset = _offset_of(response)
            if offset is None:
                raise SyncError.from_response(response.status, response.json())
            raise OffsetMismatch(offset)
        end = start + len(chunk)
        offset = _offset_of(response)
        complete_header = response.header("upload-complete")
        body = response.json()
        if complete_header is not None:
            complete = _complete_flag(complete_header)
        elif isinstance(body, Mapping) and isinstance(body.get("complete"), bool):
            complete = body["complete"]
        else:
            complete = (offset if offset is not None else end) >= total
        return PhotoStatus(offset if offset is not None else end, complete)

    def forms(self) -> list[FormListing]:
        answer = self._call("GET", f"{API}/forms").json()
        if not isinstance(answer, list):
            raise _bad("forms: list")
        listings = []
        for item in answer:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or not _is_int(item.get("version")):
                raise _bad("forms: id/version")
            listings.append(
                FormListing(
                    id=item["id"],
                    version=int(item["version"]),
                    sha256=item.get("sha256") if isinstance(item.get("sha256"), str) else None,
                    size=int(item["size"]) if _is_int(item.get("size")) else None,
                    media_type=str(item.get("media_type") or ""),
                    url=str(item.get("url") or f"{API}/forms/{item['id']}/{item['version']}"),
                )
            )
        return listings

    def form_file(self, listing: FormListing) -> Response:
        return self._call("GET", listing.url)

    # -- plumbing ----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        auth: bool = True,
        accept: tuple[int, ...] = (200, 201),
    ) -> Response:
        sent_headers = {"Accept": JSON_TYPE, "Accept-Language": "zh-CN", **(headers or {})}
        if auth and self.token:
            sent_headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            sent_headers["Content-Type"] = JSON_TYPE
        self.bytes_sent += len(content or b"")
        response = self.transport.request(
            method, path, params=params, headers=sent_headers, content=content, timeout=self.timeout
        )
        self.bytes_received += len(response.body)
        if response.status not in accept:
            raise SyncError.from_response(response.status, response.json())
        return response

    @staticmethod
    def _json(response: Response, what: str) -> dict[str, Any]:
        answer = response.json()
        if not isinstance(answer, dict):
            raise _bad(what)
        return answer


def _bad(what: str) -> SyncError:
    return SyncError("sync.client.bad_response", what=what)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_int(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if not _is_int(value):
        raise _bad(what)
    return int(value)


def _optional_str(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(what)
    return value


def _complete_flag(value: str | None) -> bool:
    # A structured-field boolean (RFC 8941): ?1 or ?0.
    return (value or "").strip().lower() in ("?1", "1", "true")


def _offset_of(response: Response) -> int | None:
    header = response.header("upload-offset")
    if header is not None and header.strip().isdigit():
        return int(header)
    body = response.json()
    if isinstance(body, Mapping):
        for container in (body, body.get("details")):
            if isinstance(container, Mapping):
                for key in ("offset", "upload_offset", "current_offset"):
                    if _is_int(container.get(key)):
                        return int(container[key])
    return None


def _item_result(item: Any) -> ItemResult:
    if not isinstance(item, Mapping) or not isinstance(item.get("outcome"), str):
        raise _bad("push: result")
    device_seq = item.get("device_seq")
    if device_seq is not None and not _is_int(device_seq):
        raise _bad("push: result")
    reason = item.get("reason")
    reason = reason if isinstance(reason, Mapping) else {}
    return ItemResult(
        device_seq=-1 if device_seq is None else int(device_seq),  # -1: said by position (client)
        entity=str(item.get("entity") or ""),
        entity_id=str(item.get("entity_id") or ""),
        outcome=item["outcome"],
        duplicate=bool(item.get("duplicate", False)),
        reason_code=_str_or_none(reason.get("code")),
        reason_zh=_str_or_none(reason.get("message")),
        reason_en=_str_or_none(reason.get("message_en")),
        conflict_ids=tuple(str(conflict) for conflict in item.get("conflict_ids") or ()),
    )


def _change(item: Any) -> Change:
    if not isinstance(item, Mapping) or not isinstance(item.get("kind"), str) or not isinstance(item.get("id"), str):
        raise _bad("pull: change")
    record = item.get("record")
    if record is not None and not isinstance(record, Mapping):
        raise _bad("pull: record")
    disputed = item.get("disputed")
    return Change(
        seq=int(item["seq"]) if _is_int(item.get("seq")) else 0,
        kind=item["kind"],
        id=item["id"],
        village_code=_str_or_none(item.get("village_code")),
        deleted=bool(item.get("deleted", False)),
        record=record,
        disputed=disputed if isinstance(disputed, Mapping) else {},
        gone=bool(item.get("gone", False)),
    )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


__all__ = ["Change", "FormListing", "OffsetMismatch", "PhotoStatus", "PullPage", "PushAnswer", "SyncApi"]
