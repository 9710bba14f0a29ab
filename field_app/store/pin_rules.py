"""What a worker's PIN or passphrase must be: at least 6 digits or 8 characters, not a trivial one.

Full-width digits typed with a Chinese input method count as plain digits (NFKC).
"""

from __future__ import annotations

import unicodedata

from field_app.core.errors import StoreError

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



__all__ = ["MIN_PASSPHRASE_CHARS", "MIN_PIN_DIGITS", "check_pin_strength", "normalize_pin"]
