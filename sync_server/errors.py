"""The server's errors and what HTTP status each gets; pure (no web framework).

Every error leaves the server as JSON ``{code, message, details}`` (see ``handlers.py``).
Here: the server's branches of the one error tree, the single table from code to HTTP
status (:func:`http_status`), the choice of message language from ``Accept-Language``, and
the translation of a request's validation faults into one ``request.invalid`` that names
every bad field in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from field_app.core.errors import BianfangError, ValidationError
from field_app.core.i18n import DEFAULT_LANG, Lang, render
from field_app.core.i18n.fields import FIELD_LABELS, PYDANTIC_REASONS


class AuthError(BianfangError):
    """Who is asking, or what they may do: 401 (not signed in) or 403 (refused)."""

    default_code = "auth.required"


class NotFoundError(BianfangError):
    default_code = "user.not_found"


class ConflictError(BianfangError):
    default_code = "user.username_taken"


class RequestInvalid(BianfangError):
    """The request does not fit its wire model; ``details.errors`` names each bad field."""

    default_code = "request.invalid"

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        # The first fault fills the message; the details carry the list, not the fragments.
        return {"code": self.code, "message": self.message(lang), "details": dict(self.details)}


# Status by code where the code alone decides it; otherwise by the error's class (below).
_STATUS_BY_CODE: Mapping[str, int] = {
    "auth.required": 401,
    "auth.token_invalid": 401,
    "auth.bad_credentials": 401,
    "enrol.code_invalid": 401,
    "enrol.code_used": 401,
    "enrol.code_expired": 401,
    "enrol.code_blocked": 401,
    "auth.device_revoked": 403,
    "auth.user_inactive": 403,
    "auth.out_of_scope": 403,
    "auth.role_forbidden": 403,
    "auth.scope_too_wide": 403,
    "auth.weak_password": 422,
    "request.invalid": 422,
    "request.too_large": 413,
    "request.route_not_found": 404,
    "request.method_not_allowed": 405,
    "sync.device_required": 403,
    "sync.device_mismatch": 403,
    "sync.batch_too_large": 413,
    "photo.too_large": 413,
    "photo.range_invalid": 422,
    "photo.size_mismatch": 409,
    "photo.offset_mismatch": 409,
    "photo.hash_mismatch": 422,
    "conflict.already_resolved": 409,
    "conflict.resolution_invalid": 422,
    "internal": 500,
}


def http_status(error: BianfangError) -> int:
    if error.code in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[error.code]
    if error.code.endswith(".not_found") or isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, AuthError):
        return 403
    if isinstance(error, ValidationError):
        return 422
    return 400


def negotiate_language(accept_language: str | None) -> Lang:
    """``zh`` unless the client prefers English (``Accept-Language: en``, ``en-GB,en;q=0.9``)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANG


# pydantic error types the core's reason table does not cover -> our message codes
_REQUEST_REASONS: Mapping[str, str] = {
    "model_attributes_type": "request.reason.object_expected",
    "model_type": "request.reason.object_expected",
    "dict_type": "request.reason.object_expected",
    "extra_forbidden": "request.reason.unknown_field",
}


def validation_error(errors: Iterable[Mapping[str, Any]], lang: Lang) -> RequestInvalid:
    """A request's validation faults (pydantic's list, locations starting with ``body``,
    ``query``, ``path``) as one ``request.invalid`` naming each field."""
    entries = [field_entry(error) for error in errors]
    first = entries[0] if entries else {"message": "", "message_en": ""}
    message_key = "message_en" if lang == "en" else "message"
    return RequestInvalid(
        first=first["message"],
        first_en=first["message_en"],
        details={"errors": [{"field": e["field"], "message": e[message_key]} for e in entries]},
    )


def field_entry(error: Mapping[str, Any], *, skip: int = 1) -> dict[str, str]:
    """One validation fault as ``{field, message, message_en}``. ``skip``: leading parts of the
    location that name where the value came from (``body``, ``query``), not the field: 1 for a
    request, 0 for a value validated on its own (one mutation of a push)."""
    location = [str(part) for part in error.get("loc", ())]
    # ("body", "username") -> "username"; ("query", "limit") -> "limit"; a bad body -> "body"
    if len(location) > skip:
        field = ".".join(location[skip:])
    else:
        field = location[0] if location else ("body" if skip else "mutation")
    kind = str(error.get("type", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if kind == "json_invalid":
        params = {"position": location[1] if len(location) > 1 else "?", "reason": context.get("error", "")}
        return {
            "field": "body",
            "message": render("request.json_invalid", params, "zh"),
            "message_en": render("request.json_invalid", params, "en"),
        }
    names = [part for part in location[skip:] if not part.isdigit()]
    label_zh, label_en = FIELD_LABELS.get(names[-1], (field, field)) if names else (field, field)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, BianfangError):  # a core validator's own words (an ID number, a code)
        reason_zh, reason_en = cause.message("zh"), cause.message("en")
    elif kind in _REQUEST_REASONS:
        reason_zh, reason_en = render(_REQUEST_REASONS[kind], {}, "zh"), render(_REQUEST_REASONS[kind], {}, "en")
    else:
        reason_zh, reason_en = PYDANTIC_REASONS.get(kind, (str(error.get("msg", kind)),) * 2)
    params = {
        "field": label_zh,
        "field_en": label_en,
        "reason": _fill(reason_zh, context),
        "reason_en": _fill(reason_en, context),
    }
    return {
        "field": field,
        "message": render("request.field", params, "zh"),
        "message_en": render("request.field", params, "en"),
    }


def _fill(template: str, context: Mapping[str, str]) -> str:
    try:
        return template.format_map(context)
    except (KeyError, ValueError, IndexError):
        return template


__all__ = [
    "AuthError",
    "ConflictError",
    "NotFoundError",
    "RequestInvalid",
    "field_entry",
    "http_status",
    "negotiate_language",
    "validation_error",
]
