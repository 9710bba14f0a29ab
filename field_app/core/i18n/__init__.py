"""Every user-facing text of the core, Chinese first and English second, looked up by stable code.

The catalogue is cut by area (one module each: errors, validation findings, forms, policy
reasons) and merged here; a duplicate code is a programming error caught at import.
:class:`Message` is the one shape for anything the product says to a user: a code plus the
values that fill its ``{placeholders}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from field_app.core.i18n.app import APP_MESSAGES
from field_app.core.i18n.client import CLIENT_MESSAGES
from field_app.core.i18n.errors import ERROR_MESSAGES
from field_app.core.i18n.forms import FORM_MESSAGES
from field_app.core.i18n.policy import POLICY_MESSAGES
from field_app.core.i18n.problems import PROBLEM_MESSAGES
from field_app.core.i18n.server import SERVER_MESSAGES
from field_app.core.i18n.store import STORE_MESSAGES
from field_app.core.i18n.sync import SYNC_MESSAGES
from field_app.core.i18n.validation import VALIDATION_MESSAGES

Lang = str  # "zh" or "en"
DEFAULT_LANG: Lang = "zh"
LANGS: tuple[Lang, ...] = ("zh", "en")


def _merge(*parts: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise RuntimeError(f"message codes defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


MESSAGES: Mapping[str, tuple[str, str]] = _merge(
    ERROR_MESSAGES, VALIDATION_MESSAGES, FORM_MESSAGES, POLICY_MESSAGES, PROBLEM_MESSAGES, STORE_MESSAGES,
    SERVER_MESSAGES, SYNC_MESSAGES, CLIENT_MESSAGES, APP_MESSAGES,
)


class _KeepUnknown(dict):
    """Leave an unknown placeholder visible rather than fail while rendering a message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, params: Mapping[str, Any] | None = None, lang: Lang = DEFAULT_LANG) -> str:
    zh, en = MESSAGES[code]
    template = en if lang == "en" else zh
    return template.format_map(_KeepUnknown(params or {}))


@dataclass(frozen=True)
class Message:
    """Something to tell a user: a stable code and the values for its placeholders."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise KeyError(f"unknown message code {self.code!r}: add it to field_app.core.i18n")

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return render(self.code, self.params, lang)

    def __str__(self) -> str:
        return self.text()


__all__ = ["DEFAULT_LANG", "LANGS", "MESSAGES", "Lang", "Message", "render"]
