"""The data key's protection: wrapped under the worker's PIN and this device, and for the county.

The random data key (:class:`~field_app.store.crypto.DataKey`) is stored only wrapped, twice,
in the key file ``keys.json`` of the store's folder:

* the **PIN wrap** — AES-256-GCM under ``KEK = HKDF(scrypt(PIN) || device secret)``. Scrypt makes
  each guess slow; the device secret (kept by a :class:`DeviceKeystore`, outside the folder)
  makes guessing impossible for whoever copied the folder alone, since 6 digits fall to an
  offline search in hours whatever the KDF. Scrypt's ``n, r, p`` and salt are stored with the
  wrap, so the configured cost can be raised later: the next unlock re-wraps.
* the **recovery wrap** — for the county's recovery public key (``recovery.py``), so an
  administrator can recover the unsynced work of a worker who left, or of a locked device.

Both wraps carry associated data naming the store and the wrap's purpose, so a wrap cannot be
moved to another store or serve the other purpose.

Wrong PINs are counted in the key file, and a MAC keyed from the device secret covers the whole
file, so the counter cannot be reset by editing the file without that secret (and a tampered
file is told apart from a wrong PIN). Waits grow after repeated failures (:class:`AttemptPolicy`,
checked against the ``now`` passed in, never by sleeping); after ``max_failures`` the PIN wrap
is destroyed together with the device secret, so even an old copy of the key file left on the
flash memory is useless, and only the recovery key (or a fresh sync) gives the data back.
The waits trust the device's clock; what bounds a guesser who moves the clock forward is the
wipe after ``max_failures``.

Layout: PIN rules, KDF, key-file format (pure) first; file I/O and :class:`KeyVault` last.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import math
import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from field_app.core.errors import StoreError
from field_app.store.crypto import KEY_BYTES, NONCE_BYTES, Algorithm, DataKey, derive_subkey
from field_app.store.keystore import DeviceKeystore, FileKeystore, fsync_folder
from field_app.store.lock import AttemptPolicy
from field_app.store.recovery import RecoveryWrap, unwrap_with_recovery_key, wrap_for_recovery

KEY_FILE_NAME = "keys.json"
KEY_FILE_FORMAT = "bianfang-keys"
KEY_FILE_VERSION = 1
SALT_BYTES = 16

# -- PIN rules -------------------------------------------------------------------------------

MIN_PIN_DIGITS = 6
MIN_PASSPHRASE_CHARS = 8

# Well-known PINs that no rule below catches (keypad patterns, 我爱你-style numbers).
_COMMON_PINS = frozenset(
    {"147258", "159357", "159753", "258369", "789456", "456123", "123321", "112233", "520131"}
)
_COMMON_PASSPHRASES = frozenset({"password", "passw0rd", "qwertyui", "qwerty123", "iloveyou", "abc12345"})


def normalize_pin(pin: str) -> str:
    """NFKC, so full-width digits typed through a Chinese input method equal plain ones."""
    return unicodedata.normalize("NFKC", pin)


def check_pin_strength(pin: str) -> None:
    """Raise ``store.weak_pin`` unless ``pin`` is ≥ 6 non-trivial digits or a passphrase ≥ 8 chars."""
    pin = normalize_pin(pin)
    if pin.isascii() and pin.isdigit():
        weak = len(pin) < MIN_PIN_DIGITS or _is_trivial_digits(pin) or pin in _COMMON_PINS
    else:
        folded = pin.casefold()
        weak = (
            len(pin) < MIN_PASSPHRASE_CHARS or _repeats_a_short_block(folded) or folded in _COMMON_PASSPHRASES
        )
    if weak:
        raise StoreError("store.weak_pin")


def _is_trivial_digits(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {9}) or _repeats_a_short_block(pin)  # 123456, 987654, 890123; 000000, 121212


def _repeats_a_short_block(text: str) -> bool:
    return any(text == (text[:size] * len(text))[: len(text)] for size in range(1, len(text) // 2 + 1))


# -- the key-encryption key ------------------------------------------------------------------


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

_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


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
        if not _STORE_ID.fullmatch(str(data["store_id"])):
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


# -- the vault -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VaultStatus:
    """What the lock screen shows before the worker types anything."""

    wiped: bool
    failures: int
    remaining: int
    wait_seconds: int


class KeyVault:
    """The key file of one store, and what may be done with it.

    Holds no key in memory: every operation reads the file, checks it, and writes it back
    atomically. ``kdf_params`` are the configured Scrypt parameters, used for new wraps and for
    upgrading weaker stored ones; an existing wrap is always opened with its own stored ones.
    """

    def __init__(
        self,
        folder: str | os.PathLike[str],
        keystore: DeviceKeystore,
        *,
        kdf_params: ScryptParams = DEFAULT_SCRYPT,
        policy: AttemptPolicy | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.path = self.folder / KEY_FILE_NAME
        self.keystore = keystore
        self.kdf_params = kdf_params
        self.policy = policy or AttemptPolicy()

    # -- creating and opening

    @classmethod
    def create(
        cls,
        folder: str | os.PathLike[str],
        pin: str,
        keystore: DeviceKeystore,
        recovery_public_key: X25519PublicKey,
        algorithm: Algorithm = Algorithm.AES_256_GCM,
        kdf_params: ScryptParams = DEFAULT_SCRYPT,
        store_id: str | None = None,
        *,
        policy: AttemptPolicy | None = None,
    ) -> tuple[KeyVault, DataKey]:
        """A new random data key, wrapped for ``pin`` on this device and for the county.

        Returns the vault and the data key (so the new store can be written without a second,
        slow unlock). Refuses a weak PIN, an existing key file, and a :class:`FileKeystore`
        inside the store's folder (a copy of the folder would carry the secret along).
        """
        check_pin_strength(pin)
        vault = cls(folder, keystore, kdf_params=kdf_params, policy=policy)
        vault._refuse_keystore_inside_folder()
        store_id = store_id or uuid.uuid4().hex
        if not _STORE_ID.fullmatch(store_id):
            raise ValueError(f"not a valid store id: {store_id!r}")
        vault.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if vault.path.exists():
            raise StoreError("store.key_file_exists", path=str(vault.path))

        data_key = DataKey.generate(algorithm)
        secret = keystore.get_or_create_secret(device_secret_name(store_id))
        key_file = KeyFile(
            store_id=store_id,
            algorithm=algorithm,
            pin_wrap=wrap_with_pin(
                data_key.material, pin, secret, kdf_params, wrap_associated_data(store_id, "pin", algorithm)
            ),
            recovery_wrap=wrap_for_recovery(
                data_key.material, recovery_public_key, wrap_associated_data(store_id, "recovery", algorithm)
            ),
            device_check=device_check(secret),
        )
        write_key_file(vault.path, key_file, secret)
        return vault, data_key

    @classmethod
    def open(
        cls,
        folder: str | os.PathLike[str],
        keystore: DeviceKeystore,
        *,
        store_id: str | None = None,
        kdf_params: ScryptParams = DEFAULT_SCRYPT,
        policy: AttemptPolicy | None = None,
    ) -> KeyVault:
        """The vault of an existing key file. With ``store_id`` (from the store's database), a
        key file of another store is refused (``store.wrong_store``)."""
        vault = cls(folder, keystore, kdf_params=kdf_params, policy=policy)
        key_file = vault._read()
        if store_id is not None and key_file.store_id != store_id:
            raise StoreError("store.wrong_store", expected=store_id, found=key_file.store_id)
        return vault

    @property
    def store_id(self) -> str:
        return self._read().store_id

    def status(self, now: float) -> VaultStatus:
        key_file = self._read()
        return VaultStatus(
            wiped=key_file.wiped,
            failures=key_file.failures,
            remaining=self.policy.remaining(key_file.failures),
            wait_seconds=max(math.ceil(key_file.locked_until - now), 0),
        )

    # -- the worker's operations

    def unlock(self, pin: str, now: float) -> DataKey:
        """The data key, if ``pin`` is right. Raises ``StoreError``: ``store.wrong_pin`` /
        ``store.wrong_pin_last_tries`` (with ``remaining``), ``store.locked_out`` (with
        ``seconds``), ``store.wiped``, ``store.wrong_device``, ``store.key_file_tampered``.

        Also re-wraps under the configured Scrypt parameters when they are stronger.
        """
        material, key_file, secret = self._check_pin(pin, now)
        assert key_file.pin_wrap is not None
        stored = key_file.pin_wrap.params
        if stored.at_least(self.kdf_params) != stored:
            key_file = replace(key_file, pin_wrap=self._wrap_pin(key_file, material, pin, secret))
        write_key_file(self.path, key_file, secret)
        return DataKey(material, key_file.algorithm)

    def change_pin(self, old_pin: str, new_pin: str, now: float) -> None:
        """Re-wrap the data key under ``new_pin``; the data itself is not re-encrypted.

        A wrong ``old_pin`` counts as a failed unlock. A weak ``new_pin`` is refused first, and
        costs no try.
        """
        check_pin_strength(new_pin)
        material, key_file, secret = self._check_pin(old_pin, now)
        key_file = replace(key_file, pin_wrap=self._wrap_pin(key_file, material, new_pin, secret))
        write_key_file(self.path, key_file, secret)

    def recover(self, private_key: X25519PrivateKey, new_pin: str) -> DataKey:
        """Open with the county's recovery key and wrap again for ``new_pin`` on THIS device.

        Works on a wiped key file, a foreign device (the admin's computer: its keystore gets a
        secret for this store) or a forgotten PIN. Resets the failure counter.
        """
        check_pin_strength(new_pin)
        self._refuse_keystore_inside_folder()
        key_file = self._read()
        data_key = open_recovery_wrap(key_file, private_key)
        secret = self.keystore.get_or_create_secret(device_secret_name(key_file.store_id))
        key_file = replace(
            key_file,
            pin_wrap=self._wrap_pin(key_file, data_key.material, new_pin, secret),
            device_check=device_check(secret),
            failures=0,
            locked_until=0.0,
        )
        write_key_file(self.path, key_file, secret)
        return data_key

    # -- internals

    def _refuse_keystore_inside_folder(self) -> None:
        """A device secret inside the store's folder would travel with every copy of it."""
        if isinstance(self.keystore, FileKeystore) and _is_inside(self.keystore.folder, self.folder):
            raise ValueError("the FileKeystore's folder must be outside the store's folder")

    def _read(self) -> KeyFile:
        return read_key_file(self.path)[0]

    def _check_pin(self, pin: str, now: float) -> tuple[bytes, KeyFile, bytes]:
        """The data key's bytes, the key file with its counter reset (not yet written), and the
        device secret; or the right ``StoreError``, after counting the failure."""
        key_file, stored_mac = read_key_file(self.path)
        if key_file.pin_wrap is None:
            raise StoreError("store.wiped")
        secret = self._device_secret(key_file)
        if stored_mac is None or not hmac.compare_digest(stored_mac, key_file.mac(secret)):
            raise StoreError("store.key_file_tampered")
        if self.policy.exhausted(key_file.failures):  # the last wipe was interrupted
            raise self._wipe(key_file)
        if now < key_file.locked_until:
            raise StoreError("store.locked_out", seconds=math.ceil(key_file.locked_until - now))

        # Count the try before checking the PIN: cutting the power during the check then costs
        # a try instead of giving a free one.
        attempt = key_file.failures + 1
        delay = self.policy.delay_after(attempt)
        write_key_file(self.path, replace(key_file, failures=attempt, locked_until=now + delay), secret)
        associated = wrap_associated_data(key_file.store_id, "pin", key_file.algorithm)
        try:
            material = unwrap_with_pin(key_file.pin_wrap, pin, secret, associated)
        except InvalidTag:
            if self.policy.exhausted(attempt):
                raise self._wipe(key_file) from None
            code = "store.wrong_pin_last_tries" if self.policy.warn(attempt) else "store.wrong_pin"
            raise StoreError(
                code, remaining=self.policy.remaining(attempt), details={"wait_seconds": math.ceil(delay)}
            ) from None
        return material, replace(key_file, failures=0, locked_until=0.0), secret

    def _device_secret(self, key_file: KeyFile) -> bytes:
        secret = self.keystore.get_or_create_secret(device_secret_name(key_file.store_id))
        if key_file.device_check is None or not hmac.compare_digest(
            device_check(secret), key_file.device_check
        ):
            raise StoreError("store.wrong_device")
        return secret

    def _wrap_pin(self, key_file: KeyFile, material: bytes, pin: str, secret: bytes) -> PinWrap:
        params = key_file.pin_wrap.params.at_least(self.kdf_params) if key_file.pin_wrap else self.kdf_params
        associated = wrap_associated_data(key_file.store_id, "pin", key_file.algorithm)
        return wrap_with_pin(material, pin, secret, params, associated)

    def _wipe(self, key_file: KeyFile) -> StoreError:
        """Destroy the PIN wrap, then the device secret (see the module's docstring); return
        the ``store.wiped`` error to raise. The recovery wrap stays."""
        wiped = replace(key_file, pin_wrap=None, device_check=None, locked_until=0.0)
        write_key_file(self.path, wiped, None)
        self.keystore.delete(device_secret_name(key_file.store_id))
        return StoreError("store.wiped")


def _is_inside(inner: Path, outer: Path) -> bool:
    inner, outer = inner.resolve(), outer.resolve()
    return inner == outer or outer in inner.parents


__all__ = [
    "DEFAULT_SCRYPT",
    "KEY_FILE_NAME",
    "KeyFile",
    "KeyVault",
    "PinWrap",
    "ScryptParams",
    "VaultStatus",
    "check_pin_strength",
    "derive_pin_kek",
    "device_check",
    "device_secret_name",
    "normalize_pin",
    "open_recovery_wrap",
    "read_key_file",
    "recover_data_key",
    "unwrap_with_pin",
    "wrap_associated_data",
    "wrap_with_pin",
    "write_atomically",
    "write_key_file",
]
