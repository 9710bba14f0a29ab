"""One device, several workers: where each piece lives, and the two ways in — set up and unlock.

A tablet may be shared (a village clerk and a helper cadre); each enrolled user has a store of
their own. Layout of the app's data folder::

    users/<username>/      the user's encrypted store (SQLite) and its key file (wrapped keys only)
    sequence/              device-sequence high-water marks, shared by all users of the device,
                           outside every store so that restoring a store's backup cannot rewind it
    keystore/              the file-based device secrets (only where no platform keystore exists)

The data key is unlocked by :class:`~field_app.store.keys.KeyVault` (PIN + device secret) and
handed to :class:`~field_app.store.store.EncryptedStore`; neither knows of the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from field_app.core.errors import ValidationError
from field_app.store.clock import DeviceClock
from field_app.store.crypto import Algorithm
from field_app.store.keys import DEFAULT_SCRYPT, KeyVault, ScryptParams
from field_app.store.keystore import DeviceKeystore
from field_app.store.store import EncryptedStore

_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")


@dataclass(frozen=True)
class DeviceLayout:
    root: Path

    def user_folder(self, username: str) -> Path:
        if not _USERNAME.match(username):
            raise ValidationError("validation.invalid", field="用户名", field_en="Username", reason=username)
        return self.root / "users" / username

    @property
    def sequence_folder(self) -> Path:
        return self.root / "sequence"

    @property
    def keystore_folder(self) -> Path:
        return self.root / "keystore"

    def enrolled_users(self) -> list[str]:
        users = self.root / "users"
        return sorted(p.name for p in users.iterdir() if (p / "keys.json").exists()) if users.exists() else []


def store_id(device_id: str, username: str) -> str:
    """Binds a key file to its store: a key file copied beside another user's store is refused."""
    return f"{device_id}.{username}"


def set_up_store(
    layout: DeviceLayout,
    username: str,
    pin: str,
    *,
    keystore: DeviceKeystore,
    recovery_public_key: X25519PublicKey,
    device_id: str,
    clock: DeviceClock,
    algorithm: Algorithm = Algorithm.AES_256_GCM,
    kdf_params: ScryptParams = DEFAULT_SCRYPT,
) -> EncryptedStore:
    """First use by an enrolled user: a new data key under their PIN, and an empty store."""
    folder = layout.user_folder(username)
    folder.mkdir(parents=True, exist_ok=True)
    _vault, data_key = KeyVault.create(
        folder,
        pin,
        keystore,
        recovery_public_key,
        algorithm,
        kdf_params,
        store_id(device_id, username),
    )
    return EncryptedStore.open(
        folder, data_key, device_id=device_id, clock=clock, sequence_folder=layout.sequence_folder
    )


def unlock_store(
    layout: DeviceLayout,
    username: str,
    pin: str,
    *,
    keystore: DeviceKeystore,
    device_id: str,
    clock: DeviceClock,
    now: float,
    kdf_params: ScryptParams = DEFAULT_SCRYPT,
) -> EncryptedStore:
    """Open a user's store with their PIN. Wrong PIN, lock-out, wipe and a foreign device are
    ``StoreError``s from the vault, each with its Chinese message; nothing is opened then."""
    folder = layout.user_folder(username)
    vault = KeyVault.open(folder, keystore, store_id=store_id(device_id, username), kdf_params=kdf_params)
    data_key = vault.unlock(pin, now)
    return EncryptedStore.open(
        folder, data_key, device_id=device_id, clock=clock, sequence_folder=layout.sequence_folder
    )


__all__ = ["DeviceLayout", "set_up_store", "store_id", "unlock_store"]
