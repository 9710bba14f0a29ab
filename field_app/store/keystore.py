"""Where the device secret lives: a second factor, held apart from the store, for the PIN.

A 6-digit PIN has a million values; whoever copies the store's folder could try them all
offline in hours, however slow the KDF. So the key that wraps the data key is derived from the
PIN *and* a random 32-byte device secret kept somewhere else (see ``keys.py``): a copy of the
store's folder alone is then useless.

Implementations of :class:`DeviceKeystore`:

* :class:`FileKeystore` — the documented fallback for desktops and the web build.
* :class:`MemoryKeystore` — for tests.
* On phones and tablets the app will plug the platform keystore (Android Keystore / iOS
  Keychain, through flet-secure-storage) behind this same interface. It is not imported here:
  the store must not depend on the UI toolkit.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

SECRET_BYTES = 32
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@runtime_checkable
class DeviceKeystore(Protocol):
    """A named-secret box bound to this device."""

    def get_or_create_secret(self, name: str) -> bytes:
        """The secret called ``name``; a new random one (32 bytes) if there is none yet."""
        ...

    def delete(self, name: str) -> None:
        """Forget the secret called ``name``; no error if there is none."""
        ...


def _check_name(name: str) -> str:
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError(f"not a valid secret name: {name!r}")
    return name


class MemoryKeystore:
    """Secrets in a dict, for tests. ``secrets`` is exposed so a test can wipe or swap them."""

    def __init__(self) -> None:
        self.secrets: dict[str, bytes] = {}

    def get_or_create_secret(self, name: str) -> bytes:
        return self.secrets.setdefault(_check_name(name), secrets.token_bytes(SECRET_BYTES))

    def delete(self, name: str) -> None:
        self.secrets.pop(_check_name(name), None)


class FileKeystore:
    """Each secret is a file of 32 random bytes, mode 0600, in ``folder`` (created 0700).

    The app chooses ``folder`` and it must be OUTSIDE the store's folder (``KeyVault.create``
    refuses otherwise), e.g. in the user's configuration directory, while the store lives in
    the data directory.

    Protects against: a copy of the store's folder on its own (a backup, a synced or shared
    folder, a USB stick, a store folder sent to the wrong person) — without the secret its key
    file cannot be attacked by guessing PINs offline; and, once :meth:`delete` ran, against old
    copies of the key file (their PIN wrap needs the deleted secret).

    Does NOT protect against: anyone who can read both folders — another process of the same
    user, an administrator of the machine, a thief with the whole unencrypted disk. Then the PIN
    and the KDF's cost are all that is left. File permissions are no help on file systems that
    ignore them (FAT on a memory card), and deleting a file does not reliably erase it from
    flash memory; a hardware-backed keystore does better on both counts.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        return self.folder / f"{_check_name(name)}.secret"

    def get_or_create_secret(self, name: str) -> bytes:
        path = self._path(name)
        try:
            return self._read(path)
        except FileNotFoundError:
            pass
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._create(path, secrets.token_bytes(SECRET_BYTES))
        return self._read(path)  # whoever created it first wins; everyone uses that one

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    @staticmethod
    def _read(path: Path) -> bytes:
        secret = path.read_bytes()
        if len(secret) != SECRET_BYTES:
            raise OSError(f"device secret {path.name} is damaged ({len(secret)} bytes)")
        return secret

    def _create(self, path: Path, secret: bytes) -> None:
        """Write the whole secret under a temporary name, then link it into place.

        ``os.link`` fails if the name exists, so two processes starting together cannot each
        use a different secret, and a crash never leaves a half-written secret under its name.
        """
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".secret-")  # mode 0600
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secret)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                return
            fsync_folder(self.folder)
        finally:
            os.unlink(temporary)


def fsync_folder(folder: Path) -> None:
    """Make a new or replaced directory entry (``os.link``, ``os.replace``) survive a power cut.

    Not possible, nor needed, on Windows."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


__all__ = ["SECRET_BYTES", "DeviceKeystore", "FileKeystore", "MemoryKeystore", "fsync_folder"]
