"""What every record model shares: strict parsing, immutability, and the clock as context.

Records are frozen: a change is a new record (``record.model_copy(update=...)``), which keeps
merge and rule code pure. Checks that need today's date ("not in the future") read it from
the validation context, ``Model.model_validate(data, context={"today": day})``; the system
date is only the fallback for interactive use.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic import ValidationError as PydanticValidationError

from field_app.core.errors import BianfangError, ValidationError
from field_app.core.i18n.fields import FIELD_LABELS, PYDANTIC_REASONS
from field_app.core.validation import require_money

Model = TypeVar("Model", bound=BaseModel)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def new_id() -> str:
    """Opaque record ids are random UUIDs: devices create records offline without a server."""
    return str(uuid.uuid4())


def today_from(info: ValidationInfo) -> date:
    context = info.context or {}
    return context.get("today") or date.today()


def _money(value: float) -> float:
    return require_money(value, field="amount")


Money = Annotated[float, AfterValidator(_money)]
NonNegativeInt = Annotated[int, Field(ge=0)]
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=50)]


def parse_record(model: type[Model], data: Any, *, today: date | None = None) -> Model:
    """Validate ``data`` as ``model``; any fault becomes one :class:`ValidationError`.

    Its ``details["errors"]`` lists every faulty field with its path, code and messages, so
    a form or an import report can show them all at once.
    """
    try:
        return model.model_validate(data, context={"today": today} if today else None)
    except PydanticValidationError as exc:
        errors = [_field_error(error) for error in exc.errors()]
        raise ValidationError(
            "validation.record",
            first=errors[0]["message"],
            first_en=errors[0]["message_en"],
            count=len(errors),
            details={"errors": errors},
        ) from None


def _field_error(error: Any) -> dict[str, Any]:
    path = ".".join(str(part) for part in error["loc"])
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, BianfangError):
        return {"field": path, "code": cause.code, "message": cause.message("zh"),
                "message_en": cause.message("en")}
    label = _label(error["loc"])
    zh, en = PYDANTIC_REASONS.get(error["type"], (error["msg"], error["msg"]))
    ctx = _KeepUnknown({k: str(v) for k, v in (error.get("ctx") or {}).items()})
    return {
        "field": path,
        "code": f"validation.{error['type']}",
        "message": f"{label[0]}：{zh.format_map(ctx)}",
        "message_en": f"{label[1]} {en.format_map(ctx)}",
    }


def _label(loc: tuple[Any, ...]) -> tuple[str, str]:
    names = [part for part in loc if isinstance(part, str)]
    key = names[-1] if names else ""
    return FIELD_LABELS.get(key, (key, key))


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


__all__ = ["Money", "Name", "NonNegativeInt", "Record", "Text", "new_id", "parse_record", "today_from"]
