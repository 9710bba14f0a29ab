"""Password hashing with a slow, memory-hard KDF (scrypt from the standard library).

A stored hash carries its own parameters and salt::

    scrypt$n=131072,r=8,p=1$<salt, base64>$<key, base64>

so raising the cost later does not lock anyone out: old hashes still verify with their own
parameters, and :func:`needs_rehash` says when to store a new one at the next login.
Comparison is constant-time. Verifying against no hash at all (an unknown user) still spends
one KDF run, so a login does not reveal which usernames exist by how fast it fails.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEME = "scrypt"


class ScryptParams(BaseModel):
    """scrypt cost. The default follows OWASP's Password Storage Cheat Sheet (N=2^17, r=8,
    p=1: 128 MiB and a few hundred milliseconds per hash on a township PC)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    n: int = Field(default=2**17, ge=2, le=2**22)
    r: int = Field(default=8, ge=1, le=32)
    p: int = Field(default=1, ge=1, le=16)
    salt_bytes: int = Field(default=16, ge=16, le=64)
    key_bytes: int = Field(default=32, ge=16, le=64)

    @field_validator("n")
    @classmethod
    def _power_of_two(cls, n: int) -> int:
        if n & (n - 1):
            raise ValueError(f"scrypt n must be a power of two, not {n}")
        return n

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * self.n


def hash_password(password: str, params: ScryptParams) -> str:
    salt = secrets.token_bytes(params.salt_bytes)
    key = _derive(password, salt, params.n, params.r, params.p, params.key_bytes)
    return f"{SCHEME}$n={params.n},r={params.r},p={params.p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None, params: ScryptParams) -> bool:
    """True when ``password`` matches ``stored``. With no stored hash (unknown user, no
    password set) a decoy hash is computed with ``params`` and False returned."""
    parsed = _parse(stored) if stored else None
    if parsed is None:
        _derive(password, b"\0" * params.salt_bytes, params.n, params.r, params.p, params.key_bytes)
        return False
    n, r, p, salt, expected = parsed
    key = _derive(password, salt, n, r, p, len(expected))
    return hmac.compare_digest(key, expected)


def needs_rehash(stored: str, params: ScryptParams) -> bool:
    parsed = _parse(stored)
    return parsed is None or parsed[:3] != (params.n, params.r, params.p)


def stored_params(stored: str) -> tuple[int, int, int] | None:
    """(n, r, p) of a stored hash, or None if it is not one of ours."""
    parsed = _parse(stored)
    return parsed[:3] if parsed else None


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # maxmem: hashlib refuses anything above 32 MiB unless told; allow the cost plus slack.
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2 * 128 * r * n + 2**20
    )


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        scheme, cost, salt, key = stored.split("$")
        settings = dict(part.split("=", 1) for part in cost.split(","))
        n, r, p = int(settings["n"]), int(settings["r"]), int(settings["p"])
        if scheme != SCHEME or n > 2**22 or r > 32 or p > 16:
            return None
        return n, r, p, base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except (ValueError, KeyError):
        return None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


__all__ = ["ScryptParams", "hash_password", "needs_rehash", "stored_params", "verify_password"]
