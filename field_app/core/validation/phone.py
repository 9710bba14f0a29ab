"""Chinese phone numbers as cadres type them: mobiles (11 digits from 1) and landlines."""

from __future__ import annotations

import re
import unicodedata

from field_app.core.errors import ValidationError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0 + 2-3 digits, then a 7-8 digit local number; an extension after '-' or '转'.
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_NOISE = re.compile(r"[\s\-()（）]")


def normalize_phone(raw: str) -> str:
    """Return the digits of a valid number (a ``+86``/``0086`` prefix dropped), or raise."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    digits = _NOISE.sub("", text)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    raise ValidationError("phone.invalid", value=raw)


__all__ = ["normalize_phone"]
