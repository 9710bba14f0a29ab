"""The key file ``keys.json``: its format, the KDF and the wraps it holds, and atomic writes.

Pure functions of bytes and parameters, plus reading and writing the one file; the rules of
use (wrong-PIN counting, waits, wipe) are :class:`~field_app.store.keys.KeyVault`'s.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from field_app.core.errors import StoreError
from field_app.store.crypto import KEY_BYTES, NONCE_BYTES, Algorithm, DataKey, derive_subkey
from field_app.store.keystore import fsync_folder
from field_app.store.pin_rules import normalize_pin
from field_app.store.recovery import RecoveryWrap, unwrap_with_recovery_key

KEY_FILE_NAME = "keys.json"
KEY_FILE_FORMAT = "bianfang-keys"
KEY_FILE_VERSION = 1
SALT_BYTES = 16

# -- PIN rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScryptParams:
    """Scrypt's cost: ``n`` (CPU and memory, a power of two), ``r`` (block size), ``p`` (parallel).

    Memory used is ``128 * n * r`` bytes: 128 MiB by default, within what a current tablet gives
    an app (n = 2**18 would need 256 MiB). The default takes about 0.4 s on one server core
    (measured with ``benchmarks/bench_unlock.py``), so roughly a second on a mid-range tablet.
    """

    n: int = 2**17
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1) or self.r < 1 or self.p < 1:
            raise ValueError(f"not valid scrypt parameters: n={self.n} r={self.r} p={self.p}")

    @property
    def memory_bytes(self) -> int:
        return 128 * self.n * self.r

    def at_least(self, other: ScryptParams) -> ScryptParams:
        """Each parameter at least as strong as in ``other``: an upgrade never weakens any."""
        return ScryptParams(max(self.n, other.n), max(self.r, other.r), max(self.p, other.p))


DEFAULT_SCRYPT = ScryptParams()

_PIN_KEK_INFO = "bianfang/pin-kek/v1"
_DEVICE_CHECK_INFO = "bianfang/device-check/v1"
_KEY_FILE_MAC_INFO = "bianfang/key-file-mac/v1"


def derive_pin_kek(pin: str, salt: bytes, params: ScryptParams, device_secret: bytes) -> bytes:
    """``HKDF(scrypt(PIN) || device secret)``: neither the PIN nor the device alone gives it."""
    stretched = Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p).derive(
        normalize_pin(pin).encode("utf-8")
    )
    return derive_subkey(stretched + device_secret, _PIN_KEK_INFO)


def device_check(device_secret: bytes) -> bytes:
    """A one-way tag of the device secret, stored so a missing or foreign secret is recognised
    as such (``store.wrong_device``) instead of being counted as a wrong PIN."""
    return derive_subkey(device_secret, _DEVICE_CHECK_INFO, 16)


def wrap_associated_data(store_id: str, purpose: str, algorithm: Algorithm) -> bytes:
    return f"bianfang/key-wrap/v1\x00{purpose}\x00{store_id}\x00{algorithm.value}".encode()


def device_secret_name(store_id: str) -> str:
    """One device secret per store, so wiping one store leaves the others alone."""
    return f"bianfang-store-{store_id}"


# -- the key file (pure: to and from JSON) ---------------------------------------------------

STORE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


@dataclass(frozen=True)
class PinWrap:
    """The data key under the PIN's KEK, with what is needed to derive that KEK again."""

    params: ScryptParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "kdf": "scrypt",
            "n": self.params.n,
            "r": self.params.r,
            "p": self.params.p,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> PinWrap:
        if data["kdf"] != "scrypt":
            raise ValueError(f"unknown KDF {data['kdf']!r}")
        return cls(
            params=ScryptParams(int(data["n"]), int(data["r"]), int(data["p"])),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            ciphertext=_unb64(data["ciphertext"]),
        )


@dataclass(frozen=True)
class KeyFile:
    """Everything ``keys.json`` holds: wrapped keys and bookkeeping, never a key in clear.

    ``pin_wrap`` is ``None`` once wiped; ``device_check`` is ``None`` then too, since the device
    secret is gone. ``locked_until`` is in the clock's seconds (the epoch in the app).
    """

    store_id: str
    algorithm: Algorithm
    pin_wrap: PinWrap | None
    recovery_wrap: RecoveryWrap
    device_check: bytes | None
    failures: int = 0
    locked_until: float = 0.0

    @property
    def wiped(self) -> bool:
        return self.pin_wrap is None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": KEY_FILE_FORMAT,
            "version": KEY_FILE_VERSION,
            "store_id": self.store_id,
            "algorithm": self.algorithm.value,
            "pin_wrap": self.pin_wrap.to_json_dict() if self.pin_wrap else None,
            "recovery_wrap": self.recovery_wrap.to_json_dict(),
            "device_check": _b64(self.device_check) if self.device_check else None,
            "failures": self.failures,
            "locked_until": self.locked_until,
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> KeyFile:
        """Raises ``ValueError``/``KeyError``/``TypeError`` on a malformed file."""
        if data.get("format") != KEY_FILE_FORMAT or data.get("version") != KEY_FILE_VERSION:
            raise ValueError(f"not a {KEY_FILE_FORMAT} v{KEY_FILE_VERSION} file")
        if not STORE_ID_PATTERN.fullmatch(str(data["store_id"])):
            raise ValueError("not a valid store id")
        return cls(
            store_id=str(data["store_id"]),
            algorithm=Algorithm(data["algorithm"]),
            pin_wrap=PinWrap.from_json_dict(data["pin_wrap"]) if data["pin_wrap"] else None,
            recovery_wrap=RecoveryWrap.from_json_dict(data["recovery_wrap"]),
            device_check=_unb64(data["device_check"]) if data["device_check"] else None,
            failures=int(data["failures"]),
            locked_until=float(data["locked_until"]),
        )

    def mac(self, device_secret: bytes) -> str:
        """HMAC of the file's content (canonical JSON) under a key derived from the device secret."""
        canonical = json.dumps(self.to_json_dict(), sort_keys=True, separators=(",", ":")).encode()
        key = derive_subkey(device_secret, _KEY_FILE_MAC_INFO)
        return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def wrap_with_pin(
    material: bytes, pin: str, device_secret: bytes, params: ScryptParams, associated: bytes
) -> PinWrap:
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    kek = derive_pin_kek(pin, salt, params, device_secret)
    return PinWrap(params, salt, nonce, AESGCM(kek).encrypt(nonce, material, associated))


def unwrap_with_pin(wrap: PinWrap, pin: str, device_secret: bytes, associated: bytes) -> bytes:
    """The data key's bytes; ``InvalidTag`` for a wrong PIN (the caller counts it)."""
    kek = derive_pin_kek(pin, wrap.salt, wrap.params, device_secret)
    return AESGCM(kek).decrypt(wrap.nonce, wrap.ciphertext, associated)


# -- file I/O --------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file + fsync + ``os.replace`` + fsync of the folder: after a crash the file is
    either the old one or the new one, never half of each (a torn key file loses the data)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_folder(path.parent)


def write_key_file(path: Path, key_file: KeyFile, device_secret: bytes | None) -> None:
    content = key_file.to_json_dict()
    content["mac"] = key_file.mac(device_secret) if device_secret is not None else None
    write_atomically(path, (json.dumps(content, indent=2) + "\n").encode("utf-8"))


def read_key_file(path: Path) -> tuple[KeyFile, str | None]:
    """The key file and its stored MAC; ``store.key_file_missing`` / ``store.key_file_unreadable``."""
    try:
        content = json.loads(path.read_bytes())
        mac = content.pop("mac", None)
        return KeyFile.from_json_dict(content), mac if isinstance(mac, str) else None
    except FileNotFoundError:
        raise StoreError("store.key_file_missing", path=str(path)) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StoreError("store.key_file_unreadable", reason=f"{type(error).__name__}: {error}") from None


def open_recovery_wrap(key_file: KeyFile, private_key: X25519PrivateKey) -> DataKey:
    """The data key, opened with the county's recovery private key: no PIN, no device secret."""
    associated = wrap_associated_data(key_file.store_id, "recovery", key_file.algorithm)
    return DataKey(
        unwrap_with_recovery_key(key_file.recovery_wrap, private_key, associated), key_file.algorithm
    )


def recover_data_key(folder: str | os.PathLike[str], private_key: X25519PrivateKey) -> DataKey:
    """The data key of the store in ``folder``: how an administrator reaches a worker's data."""
    return open_recovery_wrap(read_key_file(Path(folder) / KEY_FILE_NAME)[0], private_key)




__all__ = [
    "DEFAULT_SCRYPT",
    "KEY_FILE_NAME",
    "KeyFile",
    "PinWrap",
    "STORE_ID_PATTERN",
    "ScryptParams",
    "derive_pin_kek",
    "device_check",
    "device_secret_name",
    "open_recovery_wrap",
    "read_key_file",
    "recover_data_key",
    "unwrap_with_pin",
    "wrap_associated_data",
    "wrap_with_pin",
    "write_atomically",
    "write_key_file",
]
