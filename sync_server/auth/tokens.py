"""Bearer tokens and one-time codes: random, shown once, stored only as a hash.

Tokens carry 256 random bits, so a fast hash (SHA-256) is enough to store them: there is
nothing to brute-force, unlike a password, and every request must look its token up quickly.
The prefix says what a token is (``bfd_`` a device, ``bfs_`` a console session), so the
server knows where to look and a leaked token is recognisable in logs and by secret scanners.

Enrolment codes are typed by hand from a screen or read from a QR code: 12 characters from
an alphabet without look-alikes (no 0/O, 1/I/L, U), shown as ``XXXX-XXXX-XXXX``, about 59
bits; they are short-lived, single-use, and useless without the user's password.
"""

from __future__ import annotations

import hashlib
import secrets

DEVICE_PREFIX = "bfd_"
SESSION_PREFIX = "bfs_"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(code: str) -> str:
    """What the user typed, as hashed: upper case, without spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def code_hash(code: str) -> str:
    return token_hash("enrolment:" + normalise_code(code))


__all__ = [
    "DEVICE_PREFIX",
    "SESSION_PREFIX",
    "code_hash",
    "new_enrolment_code",
    "new_token",
    "normalise_code",
    "token_hash",
]
