"""One error tree for the whole product, with stable string codes.

Every error the product raises on purpose is a :class:`BianfangError` (or a subclass that
says which area it comes from). The ``code`` is stable: clients, logs and tests match on it,
never on the wording. The wording lives in the catalogue of :mod:`field_app.core.i18n`, Chinese first and English
second, with ``{placeholders}`` filled from the error's ``params``.

The server answers every error as ``{code, message, details}`` (see :meth:`to_dict`); the
field app shows ``message("zh")`` to the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from field_app.core.i18n import DEFAULT_LANG, MESSAGES, Lang, render


class BianfangError(Exception):
    """Base of every error the product raises on purpose.

    ``code`` selects the message in :data:`MESSAGES`; ``params`` fill its placeholders;
    ``details`` carry machine-readable context (which field, which position, ...).
    """

    default_code = "internal"

    def __init__(
        self,
        code: str | None = None,
        *,
        details: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.code = code or self.default_code
        if self.code not in MESSAGES:
            raise KeyError(f"unknown error code {self.code!r}: add it to MESSAGES")
        self.params = params
        self.details = dict(details or {})
        super().__init__(self.message("en"))

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        return render(self.code, self.params, lang)

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        details = {**{k: _plain(v) for k, v in self.params.items()}, **self.details}
        return {"code": self.code, "message": self.message(lang), "details": details}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class ValidationError(BianfangError, ValueError):
    """A value entered by a user or read from a file is not acceptable.

    Also a ``ValueError`` so that pydantic validators may raise it and keep the field path.
    """

    default_code = "validation.invalid"


class FormDefinitionError(BianfangError):
    """A form definition (data in ``forms/``) is broken; names the form, the question, the fault."""

    default_code = "form.invalid"


class ExpressionError(FormDefinitionError):
    """An expression of the form language cannot be parsed or evaluated; names the position."""

    default_code = "expr.syntax"


class ConfigError(BianfangError):
    """Policy or product configuration is missing or inconsistent."""

    default_code = "config.invalid"


class StoreError(BianfangError):
    """The device's encrypted store cannot do what was asked (locked, wrong key, damaged record)."""

    default_code = "store.tampered"


__all__ = [
    "BianfangError",
    "ConfigError",
    "ExpressionError",
    "FormDefinitionError",
    "StoreError",
    "ValidationError",
]
