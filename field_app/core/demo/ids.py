"""Deterministic identifiers: record ids, resident ID numbers, phone numbers, photo hashes.

Resident ID numbers (GB 11643) of 于都县 people: the region code is the one in force in the
holder's birth year — ``362132`` (赣州地区 于都县) for births before 1998, ``360731`` (赣州市
于都县) from 1998 — then the birth date, a 3-digit order number (odd for men, even for
women) and the check digit. python-stdnum knows both codes with their years, so every number
made here passes :func:`field_app.core.validation.parse_id_number` with ``region_known``.
"""

from __future__ import annotations

import hashlib
from datetime import date
from random import Random

from stdnum.cn import ric

from field_app.core.codes import Sex

OLD_REGION = "362132"  # 于都县 before the 1998 re-coding of 赣州
NEW_REGION = "360731"
RECODING_YEAR = 1998

# Mobile prefixes in use by the three carriers.
_MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "178", "182", "183", "184", "187", "188", "198", "130", "131", "132", "155", "156", "166",
    "175", "176", "185", "186", "133", "153", "173", "177", "180", "181", "189", "199",
)


_VERSION_4 = (1 << 128) - 1 & ~(0xC000 << 48) & ~(0xF000 << 64)


def record_id(rng: Random) -> str:
    """A UUID4 drawn from ``rng`` (``new_id`` would use the system's randomness).

    The same string as ``str(uuid.UUID(int=bits, version=4))``, a few times faster.
    """
    h = f"{rng.getrandbits(128) & _VERSION_4 | 0x8000 << 48 | 0x4000 << 64:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def region_code_for(birth: date) -> str:
    return OLD_REGION if birth.year < RECODING_YEAR else NEW_REGION


class IdNumbers:
    """Hands out unique ID numbers for one county."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def make(self, rng: Random, birth: date, sex: Sex) -> str:
        stem = f"{region_code_for(birth)}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        odd = sex is Sex.MALE
        while True:
            order = rng.randrange(1, 500) * 2 - (1 if odd else 0)  # 1..997 odd, 2..998 even
            body = f"{stem}{order:03d}"
            if body not in self._used:
                self._used.add(body)
                return body + ric.calc_check_digit(body + "0")


class Phones:
    """Unique valid mobile numbers (11 digits, 1[3-9]…)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def make(self, rng: Random) -> str:
        while True:
            number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
            if number not in self._used:
                self._used.add(number)
                return number


def photo_hash(seed: int, *parts: object) -> str:
    """The sha256 of deterministic bytes standing in for a photo."""
    text = ":".join(["bianfang-demo-photo", str(seed), *map(str, parts)])
    return hashlib.sha256(text.encode()).hexdigest()


__all__ = ["NEW_REGION", "OLD_REGION", "IdNumbers", "Phones", "photo_hash", "record_id", "region_code_for"]
