"""The county's recovery key: so a worker's unsynced work survives the worker leaving.

Every store's data key is also wrapped for the county's recovery *public* key; only the
administrator holds the private key (offline, never on a tablet). The wrap is ECIES-like:
X25519 between a fresh ephemeral key and the county's static key, HKDF-SHA256 over the shared
secret (salted with both public keys, so the derived key belongs to this exchange only), then
AES-256-GCM with associated data naming the store and the purpose of the wrap.

Keys travel as PEM (PKCS#8 / SubjectPublicKeyInfo; the private key optionally encrypted with
a passphrase) or as the raw 32 bytes in base64, which fits in a configuration file or a QR code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from field_app.core.errors import StoreError

SCHEME = "x25519-hkdf-sha256-aes-256-gcm"
_HKDF_INFO = b"bianfang/recovery-wrap/v1"
_NONCE_BYTES = 12
_RAW_KEY_BYTES = 32


def generate_recovery_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def fingerprint(public_key: X25519PublicKey) -> str:
    """Short name of a public key, to tell which key a store was wrapped for."""
    return hashlib.sha256(_raw_public(public_key)).hexdigest()[:16]


# -- serialisation ---------------------------------------------------------------------------


def private_key_to_pem(private_key: X25519PrivateKey, passphrase: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def public_key_to_pem(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_key_to_base64(private_key: X25519PrivateKey) -> str:
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode("ascii")


def public_key_to_base64(public_key: X25519PublicKey) -> str:
    return base64.b64encode(_raw_public(public_key)).decode("ascii")


def load_private_key(data: bytes | str, passphrase: bytes | None = None) -> X25519PrivateKey:
    """A recovery private key from PEM or raw base64; ``store.recovery_key_invalid`` otherwise."""
    data = data.encode("ascii", "replace") if isinstance(data, str) else data
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=passphrase)
            if not isinstance(key, X25519PrivateKey):
                raise ValueError(f"an X25519 key is needed, not {type(key).__name__}")
            return key
        return X25519PrivateKey.from_private_bytes(_raw_from_base64(data))
    except (ValueError, TypeError) as error:
        raise StoreError("store.recovery_key_invalid", reason=str(error)) from None


def load_public_key(data: bytes | str) -> X25519PublicKey:
    """A recovery public key from PEM or raw base64; ``store.recovery_key_invalid`` otherwise."""
    data = data.encode("ascii", "replace") if isinstance(data, str) else data
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
            if not isinstance(key, X25519PublicKey):
                raise ValueError(f"an X25519 key is needed, not {type(key).__name__}")
            return key
        return X25519PublicKey.from_public_bytes(_raw_from_base64(data))
    except ValueError as error:
        raise StoreError("store.recovery_key_invalid", reason=str(error)) from None


def _raw_from_base64(data: bytes) -> bytes:
    try:
        raw = base64.b64decode(data.strip(), validate=True)
    except binascii.Error:
        raise ValueError("neither PEM nor base64") from None
    if len(raw) != _RAW_KEY_BYTES:
        raise ValueError(f"a raw X25519 key has 32 bytes, not {len(raw)}")
    return raw


def _raw_public(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# -- wrapping --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryWrap:
    """A secret sealed for one recovery public key (named by its ``recipient`` fingerprint)."""

    recipient: str
    ephemeral_public_key: bytes
    nonce: bytes
    ciphertext: bytes

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "scheme": SCHEME,
            "recipient": self.recipient,
            "ephemeral_public_key": base64.b64encode(self.ephemeral_public_key).decode("ascii"),
            "nonce": base64.b64encode(self.nonce).decode("ascii"),
            "ciphertext": base64.b64encode(self.ciphertext).decode("ascii"),
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> RecoveryWrap:
        """Raises ``ValueError``/``KeyError``/``TypeError`` on a malformed entry."""
        if data["scheme"] != SCHEME:
            raise ValueError(f"unknown recovery scheme {data['scheme']!r}")
        return cls(
            recipient=str(data["recipient"]),
            ephemeral_public_key=base64.b64decode(data["ephemeral_public_key"], validate=True),
            nonce=base64.b64decode(data["nonce"], validate=True),
            ciphertext=base64.b64decode(data["ciphertext"], validate=True),
        )


def _wrapping_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public, info=_HKDF_INFO
    ).derive(shared)


def wrap_for_recovery(secret: bytes, public_key: X25519PublicKey, associated: bytes) -> RecoveryWrap:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    key = _wrapping_key(ephemeral.exchange(public_key), ephemeral_public, _raw_public(public_key))
    nonce = os.urandom(_NONCE_BYTES)
    return RecoveryWrap(
        recipient=fingerprint(public_key),
        ephemeral_public_key=ephemeral_public,
        nonce=nonce,
        ciphertext=AESGCM(key).encrypt(nonce, secret, associated),
    )


def unwrap_with_recovery_key(wrap: RecoveryWrap, private_key: X25519PrivateKey, associated: bytes) -> bytes:
    """The secret, or ``store.wrong_recovery_key`` for another county's key or a damaged wrap."""
    public_key = private_key.public_key()
    if fingerprint(public_key) != wrap.recipient:
        raise StoreError("store.wrong_recovery_key", expected=wrap.recipient, given=fingerprint(public_key))
    try:
        ephemeral_public = X25519PublicKey.from_public_bytes(wrap.ephemeral_public_key)
        key = _wrapping_key(
            private_key.exchange(ephemeral_public), wrap.ephemeral_public_key, _raw_public(public_key)
        )
        return AESGCM(key).decrypt(wrap.nonce, wrap.ciphertext, associated)
    except (InvalidTag, ValueError):  # ValueError: a low-order (all-zero) ephemeral key, planted
        raise StoreError("store.recovery_wrap_damaged") from None


__all__ = [
    "SCHEME",
    "RecoveryWrap",
    "fingerprint",
    "generate_recovery_key",
    "load_private_key",
    "load_public_key",
    "private_key_to_base64",
    "private_key_to_pem",
    "public_key_to_base64",
    "public_key_to_pem",
    "unwrap_with_recovery_key",
    "wrap_for_recovery",
]
