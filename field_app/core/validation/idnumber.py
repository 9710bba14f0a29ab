"""Resident ID numbers (居民身份证号码, GB 11643): normalise, check, and read birth date and sex.

The check digit, the birth date and the region look-up come from python-stdnum
(``stdnum.cn.ric``); this module adds what field work needs on top: input as people and
spreadsheets actually type it (full-width digits, spaces, a lowercase ``x``, Excel's
``1.10105E+17``), the legacy 15-digit numbers, and errors in our own error tree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from field_app.core.codes import Sex
from field_app.core.errors import ValidationError
from field_app.core.i18n import Message

# Excel turns an 18-digit number typed into a cell into a float: 1.10105E+17.
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_SEPARATORS = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class ResidentId:
    """A checked 18-character ID number and what it tells about its holder."""

    number: str
    birth_date: date
    sex: Sex
    region_code: str
    region_known: bool
    converted_from_legacy: bool = False

    def warnings(self) -> list[Message]:
        found: list[Message] = []
        if not self.region_known:
            found.append(Message("id_number.unknown_region", {"region": self.region_code}))
        if self.converted_from_legacy:
            found.append(Message("id_number.converted_legacy", {"number": self.number}))
        return found


def clean_id_text(raw: str) -> str:
    """Fold full-width characters, drop spaces and dashes, upper-case a final ``x``."""
    folded = unicodedata.normalize("NFKC", raw)
    return _SEPARATORS.sub("", folded).upper()


def convert_legacy_15(number: str) -> str:
    """Turn a 15-digit first-generation number into its 18-digit form (19xx birth year)."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


@lru_cache(maxsize=65536)
def parse_id_number(raw: str, *, today: date, allow_legacy: bool = False) -> ResidentId:
    """Check an ID number and return what it says, or raise :class:`ValidationError`.

    ``allow_legacy`` converts 15-digit numbers (for registry imports); elsewhere they are
    refused with a message asking for the 18-digit number. Pure, so results are cached: the
    rules re-read every member's number on every assessment.
    """
    text = clean_id_text(raw or "")
    if not text:
        raise ValidationError("id_number.empty")
    if _SCIENTIFIC.match(text):
        raise ValidationError("id_number.scientific_notation", value=raw.strip())
    converted = False
    if len(text) == 15 and text.isdigit():
        if not allow_legacy:
            raise ValidationError("id_number.legacy_15")
        text, converted = convert_legacy_15(text), True
    if len(text) != 18:
        raise ValidationError("id_number.bad_length", length=len(text))
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
        raise ValidationError("id_number.bad_characters")
    expected = ric.calc_check_digit(text)
    if text[17] != expected:
        raise ValidationError("id_number.bad_check_digit", expected=expected, given=text[17])
    birth = _birth_date(text, today)
    region = text[:6]
    if not _province_exists(region):
        raise ValidationError("id_number.bad_region", region=region)
    return ResidentId(
        number=text,
        birth_date=birth,
        sex=Sex.MALE if int(text[16]) % 2 else Sex.FEMALE,
        region_code=region,
        region_known=_region_known(text),
        converted_from_legacy=converted,
    )


def normalize_id_number(raw: str, *, today: date) -> str:
    return parse_id_number(raw, today=today).number


def consistency_warnings(
    resident_id: ResidentId,
    *,
    name: str,
    sex: Sex | None,
    birth_date: date | None,
) -> list[Message]:
    """Warn (not refuse) when the entered sex or birth date disagree with the ID number."""
    found: list[Message] = []
    if sex is not None and sex != resident_id.sex:
        found.append(
            Message(
                "id_number.sex_mismatch",
                {
                    "name": name,
                    "entered": sex.zh,
                    "derived": resident_id.sex.zh,
                    "entered_en": sex.en,
                    "derived_en": resident_id.sex.en,
                },
            )
        )
    if birth_date is not None and birth_date != resident_id.birth_date:
        found.append(
            Message(
                "id_number.birth_mismatch",
                {"name": name, "entered": birth_date.isoformat(), "derived": resident_id.birth_date.isoformat()},
            )
        )
    return found


def _birth_date(number: str, today: date) -> date:
    try:
        birth = ric.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError("id_number.bad_birth_date", birth=number[6:14]) from None
    if birth > today or birth.year < 1890:
        raise ValidationError("id_number.bad_birth_date", birth=birth.isoformat())
    return birth


def _province_exists(region: str) -> bool:
    return any(part == region[:2] and props for part, props in numdb.get("cn/loc").info(region[:2]))


def _region_known(number: str) -> bool:
    # stdnum also checks that the county code was in use in the birth year; a county code
    # missing from its list is worth a warning, not a refusal: lists lag behind reality.
    try:
        ric.get_birth_place(number)
    except InvalidComponent:
        return False
    return True


__all__ = [
    "ResidentId",
    "clean_id_text",
    "consistency_warnings",
    "convert_legacy_15",
    "normalize_id_number",
    "parse_id_number",
]
