"""This tablet as the app sees it: who uses it, where its data lives, and the one open store.

No Flet here: the screens' state objects call :class:`Device`, and tests can too. A web server
may hold several sessions (browser tabs) at once, but a store is opened by one owner at a time
(``EncryptedStore``'s contract), so the device keeps at most one store open: opening it again
closes the previous handle, whose holder then finds it closed (``store.closed``) and locks.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from field_app.store.clock import DeviceClock, SystemClock
from field_app.store.device import DeviceLayout, set_up_store, unlock_store
from field_app.store.keys import DEFAULT_SCRYPT, ScryptParams, check_pin_strength
from field_app.store.keystore import DeviceKeystore, FileKeystore
from field_app.store.store import EncryptedStore

DEVICE_FILE = "device.json"


@dataclass(frozen=True)
class DeviceConfig:
    """What the app needs to know before anyone signs in.

    ``username`` and ``display_name`` will come from enrolment (a later issue); until then
    they are given on the command line. ``keystore_dir`` holds the device secrets
    (:class:`FileKeystore`: the web and desktop fallback); it must lie outside every store
    folder, and by default is the layout's ``keystore/`` beside ``users/``.
    """

    data_dir: Path
    username: str
    display_name: str
    recovery_public_key: X25519PublicKey
    keystore_dir: Path | None = None
    demo_recovery_key: bool = False  # the public demo key: say so on the set-PIN screen
    demo_village_today: date | None = None  # seed the demo village at set-up, as of this day
    kdf_params: ScryptParams = DEFAULT_SCRYPT
    idle_lock_seconds: float = 5 * 60


@dataclass
class Device:
    config: DeviceConfig
    clock: DeviceClock = field(default_factory=SystemClock)
    keystore: DeviceKeystore | None = None
    _open: EncryptedStore | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.layout = DeviceLayout(self.config.data_dir)
        self.layout.user_folder(self.config.username)  # refuse a bad username now, not at set-up
        if self.keystore is None:
            self.keystore = FileKeystore(self.config.keystore_dir or self.layout.keystore_folder)
        self.device_id = _device_id(self.config.data_dir)

    @property
    def username(self) -> str:
        return self.config.username

    def is_set_up(self) -> bool:
        return self.config.username in self.layout.enrolled_users()

    def set_up(self, pin: str) -> EncryptedStore:
        """First use: check the PIN's strength, make the store, and (demo) load the village."""
        check_pin_strength(pin)  # before any file is written
        assert self.keystore is not None
        with self._lock:
            self._close_open()
            store = set_up_store(
                self.layout,
                self.config.username,
                pin,
                keystore=self.keystore,
                recovery_public_key=self.config.recovery_public_key,
                device_id=self.device_id,
                clock=self.clock,
                kdf_params=self.config.kdf_params,
            )
            if self.config.demo_village_today is not None:
                from field_app.app.demo import load_demo_village

                load_demo_village(store, self.config.demo_village_today)
            self._open = store
            return store

    def unlock(self, pin: str) -> EncryptedStore:
        """Raises the vault's ``StoreError`` (wrong PIN with tries left, locked out, wiped, ...)."""
        assert self.keystore is not None
        with self._lock:
            self._close_open()
            store = unlock_store(
                self.layout,
                self.config.username,
                pin,
                keystore=self.keystore,
                device_id=self.device_id,
                clock=self.clock,
                now=time.time(),
                kdf_params=self.config.kdf_params,
            )
            self._open = store
            return store

    def close(self, store: EncryptedStore | None = None) -> None:
        """Close ``store`` (if it is the open one), or whatever is open."""
        with self._lock:
            if store is None or store is self._open:
                self._close_open()
            elif store.is_open:
                store.close()

    def _close_open(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


def _device_id(data_dir: Path) -> str:
    """This installation's id, made once. Enrolment will replace it by the server's."""
    path = data_dir / DEVICE_FILE
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["device_id"])
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    device_id = f"dev-{uuid.uuid4().hex[:12]}"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"device_id": device_id}), encoding="utf-8")
    temporary.replace(path)
    return device_id


__all__ = ["DEVICE_FILE", "Device", "DeviceConfig"]
