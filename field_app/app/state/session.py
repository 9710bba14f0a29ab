"""The app's session state: which door is open (set PIN, locked, open), the language, and the
one store handle. Screens read it and call its methods; only state objects touch the store.

One ``AppState`` per Flet session (a tablet has one; the web server one per browser tab).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

import flet as ft

from field_app.app.device import Device
from field_app.core.errors import BianfangError, StoreError
from field_app.core.i18n import DEFAULT_LANG, LANGS, Lang, Message, render
from field_app.store.lock import IdleLock
from field_app.store.store import EncryptedStore

T = TypeVar("T")
LanguageSaver = Callable[[Lang], Awaitable[None]]


class Phase(StrEnum):
    SET_PIN = "set_pin"  # first use on this device: no store yet
    LOCKED = "locked"  # a store exists; the PIN opens it
    OPEN = "open"


async def _forget(_lang: Lang) -> None:
    return None


@ft.observable
@dataclass
class AppState:
    device: Device
    lang: Lang = DEFAULT_LANG
    phase: Phase = Phase.LOCKED
    busy: bool = False
    error: Message | None = None  # shown on the current screen, rendered in the current language
    notice: Message | None = None  # e.g. "locked after 5 minutes without use"
    # Private (a leading underscore: Flet's observable does not notify on these).
    _store: EncryptedStore | None = field(default=None, repr=False)
    _idle: IdleLock | None = field(default=None, repr=False)
    _save_language: LanguageSaver = field(default=_forget, repr=False)

    def __post_init__(self) -> None:
        self.phase = Phase.LOCKED if self.device.is_set_up() else Phase.SET_PIN
        self._idle = IdleLock(self.device.config.idle_lock_seconds, clock=time.monotonic)

    # -- words ------------------------------------------------------------------------------

    def t(self, code: str, **params: Any) -> str:
        """A catalogue text in the current language."""
        return render(code, params, self.lang)

    def say(self, message: Message | None) -> str:
        return "" if message is None else message.text(self.lang)

    @property
    def other_lang(self) -> Lang:
        return LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]

    async def switch_language(self) -> None:
        self.lang = self.other_lang
        self.touch()
        await self._save_language(self.lang)

    def remember_language_with(self, saver: LanguageSaver) -> None:
        self._save_language = saver

    # -- who is this ------------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        return self.device.config.display_name

    @property
    def demo_recovery_key(self) -> bool:
        return self.device.config.demo_recovery_key

    # -- the doors --------------------------------------------------------------------------

    async def set_pin(self, pin: str, again: str) -> None:
        if self.busy:
            return
        if pin != again:
            self.error = Message("app.set_pin.mismatch")
            return
        store = await self._working(self.device.set_up, pin)
        if store is not None:
            self._opened(store)

    async def unlock(self, pin: str) -> None:
        if self.busy:
            return
        store = await self._working(self.device.unlock, pin)
        if store is not None:
            self._opened(store)

    def lock(self, notice: Message | None = None) -> None:
        """Close the store (the data key goes with it) and show the PIN screen."""
        store, self._store = self._store, None
        if store is not None:
            self.device.close(store)
        if self._idle is not None:
            self._idle.lock()
        if self.phase is Phase.OPEN:
            self.phase = Phase.LOCKED
            self.notice = notice
            self.error = None

    def touch(self) -> None:
        """The worker did something: restart the idle countdown."""
        if self.phase is Phase.OPEN and self._idle is not None:
            self._idle.touch()

    def lock_if_idle(self) -> bool:
        if self.phase is Phase.OPEN and self._idle is not None and self._idle.is_locked():
            minutes = max(1, round(self.device.config.idle_lock_seconds / 60))
            self.lock(Message("app.unlock.idle", {"minutes": minutes}))
            return True
        return False

    async def watch_idle(self) -> None:
        """Run for the session's life: lock when the idle time has passed."""
        every_seconds = min(5.0, self.device.config.idle_lock_seconds / 4)
        while True:
            await asyncio.sleep(every_seconds)
            self.lock_if_idle()

    # -- the store, for the other state objects ----------------------------------------------

    def read(self, action: Callable[[EncryptedStore], T], default: T) -> T:
        """Run ``action`` on the open store. A store closed under us (another session opened
        it, or it was locked) locks this session and gives ``default``; other store errors
        are the caller's to show."""
        store = self._store
        if store is None or not store.is_open:
            self.lock()
            return default
        self.touch()
        try:
            return action(store)
        except StoreError as error:
            if error.code != "store.closed":
                raise
            self.lock()
            return default

    # -- helpers ----------------------------------------------------------------------------

    async def _working(self, action: Callable[[str], EncryptedStore], pin: str) -> EncryptedStore | None:
        """Run a slow key operation (scrypt) off the event loop; its error becomes ``error``."""
        self.busy, self.error, self.notice = True, None, None
        try:
            return await asyncio.to_thread(action, pin)
        except BianfangError as error:
            self.error = Message(error.code, error.params)
        except OSError as error:
            self.error = Message("app.unexpected", {"error": f"{type(error).__name__}: {error}"})
        finally:
            self.busy = False
        return None

    def _opened(self, store: EncryptedStore) -> None:
        self._store = store
        if self._idle is not None:
            self._idle.unlock()
        self.error = self.notice = None
        self.phase = Phase.OPEN


__all__ = ["AppState", "Phase"]
