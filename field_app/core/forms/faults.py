"""How a broken form definition is reported: ``form.invalid`` naming the form, the place, the fault.

The catalogue's ``form.invalid`` has one ``{reason}``; here the reason is itself a catalogue
message, so the error reads wholly in Chinese or wholly in English. ``params["reason"]``
holds the Chinese text (what the server logs and ``to_dict()`` show by default),
``details["reason_code"]`` the stable code of the fault, for tests and tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from field_app.core.errors import ExpressionError, FormDefinitionError
from field_app.core.i18n import DEFAULT_LANG, Lang, Message, render


class FormInvalid(FormDefinitionError):
    """``form.invalid`` whose reason is a :class:`Message` rendered in the reader's language."""

    def __init__(
        self, form: str, where: str, reason: Message, *, details: Mapping[str, Any] | None = None
    ) -> None:
        self.reason = reason  # set first: the base class renders the message while initialising
        super().__init__(
            "form.invalid",
            form=form,
            where=where or "—",
            reason=reason.text("zh"),
            details={"reason_code": reason.code, **(details or {})},
        )

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        return render(self.code, {**self.params, "reason": self.reason.text(lang)}, lang)


def invalid(
    form: str, where: str, code: str, *, details: Mapping[str, Any] | None = None, **params: Any
) -> FormInvalid:
    return FormInvalid(form, where, Message(code, params), details=details)


def expression_invalid(form: str, where: str, attribute: str, error: ExpressionError) -> FormInvalid:
    """An expression of ``attribute`` (relevant, constraint, ...) at ``where`` is broken."""
    return invalid(
        form,
        where,
        "form.def.bad_expression",
        attribute=attribute,
        error=error.message("zh"),
        error_en=error.message("en"),
        details={
            "attribute": attribute,
            "expression_code": error.code,
            "expression": error.params.get("expression"),
            "position": error.params.get("position"),
            "offset": error.details.get("offset"),
        },
    )


__all__ = ["FormInvalid", "expression_invalid", "invalid"]
