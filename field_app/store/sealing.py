"""How a value becomes a sealed blob, and back: JSON inside, associated data naming the row.

The associated data binds a blob to its place: the kind of row, the record id, which slot
(the server's base or the local view) and the version or revision. A blob copied onto another
row, or an older blob put back, then fails to open (``store.tampered``) even though the key is
right. The parts are opaque ids, fixed names and numbers, so joining them with a separator that
none of them contains is unambiguous.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

_DOMAIN = b"bianfang-store/v1"
_SEPARATOR = "\x1f"


class Sealer(Protocol):
    """What the store needs of a key. :class:`field_app.store.crypto.DataKey` is the product's
    one implementation; the benchmark passes a do-nothing sealer to measure the cost of crypto."""

    def seal(self, plaintext: bytes, associated: bytes) -> bytes: ...

    def open(self, blob: bytes, associated: bytes, *, record: str = "?") -> bytes: ...

    def index_token(self, purpose: str, value: str) -> str: ...


def associated_data(*parts: str | int) -> bytes:
    text = _SEPARATOR.join(str(part) for part in parts)
    if text.count(_SEPARATOR) != len(parts) - 1:
        raise ValueError("associated data parts must not contain the separator")
    return _DOMAIN + _SEPARATOR.encode() + text.encode()


def to_json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def seal_json(sealer: Sealer, value: Any, *parts: str | int) -> bytes:
    return sealer.seal(to_json_bytes(value), associated_data(*parts))


def open_json(sealer: Sealer, blob: bytes, *parts: str | int, record: str) -> Any:
    return json.loads(sealer.open(blob, associated_data(*parts), record=record))


__all__ = ["Sealer", "associated_data", "open_json", "seal_json", "to_json_bytes"]
