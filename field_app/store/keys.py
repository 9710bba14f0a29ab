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

The key file's format and wraps are in ``key_file.py``, the PIN rules in ``pin_rules.py``;
this module is the vault that uses them.
"""

from __future__ import annotations

import hmac
import math
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from field_app.core.errors import StoreError
from field_app.store.crypto import Algorithm, DataKey
from field_app.store.key_file import (
    DEFAULT_SCRYPT,
    KEY_FILE_NAME,
    STORE_ID_PATTERN,
    KeyFile,
    PinWrap,
    ScryptParams,
    derive_pin_kek,
    device_check,
    device_secret_name,
    open_recovery_wrap,
    read_key_file,
    recover_data_key,
    unwrap_with_pin,
    wrap_associated_data,
    wrap_with_pin,
    write_atomically,
    write_key_file,
)
from field_app.store.keystore import DeviceKeystore, FileKeystore
from field_app.store.lock import AttemptPolicy
from field_app.store.pin_rules import check_pin_strength, normalize_pin
from field_app.store.recovery import wrap_for_recovery

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
        if not STORE_ID_PATTERN.fullmatch(store_id):
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
