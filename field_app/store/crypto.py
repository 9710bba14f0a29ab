"""Authenticated encryption of records with the device's data key.

Every record is sealed with AES-256-GCM (or SM4-GCM, the national 国密 algorithm, chosen by
configuration) under a fresh random nonce, with associated data naming the record (kind, id,
version), so a row copied onto another row, or an old version put back, fails to open.

A sealed blob is self-describing: ``format (1) | algorithm (1) | nonce (12) | ciphertext+tag``,
so a store can hold records sealed under either algorithm while a county migrates.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from field_app.core.errors import StoreError

FORMAT = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32


class Algorithm(StrEnum):
    AES_256_GCM = "aes-256-gcm"
    SM4_GCM = "sm4-gcm"


_ALGORITHM_IDS = {Algorithm.AES_256_GCM: 1, Algorithm.SM4_GCM: 2}
_ALGORITHMS_BY_ID = {number: algorithm for algorithm, number in _ALGORITHM_IDS.items()}


def derive_subkey(material: bytes, purpose: str, length: int = KEY_BYTES) -> bytes:
    """One key per purpose (sealing, SM4, blind index) so no key serves two jobs."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(material)


@dataclass(frozen=True)
class DataKey:
    """The device's random data key and the subkeys derived from it.

    ``material`` never touches disk in clear: it is stored only wrapped (see ``keys.py``).
    """

    material: bytes = field(repr=False)
    algorithm: Algorithm = Algorithm.AES_256_GCM
    _aes: AESGCM = field(init=False, repr=False, compare=False)
    _sm4_key: bytes = field(init=False, repr=False, compare=False)
    _index_key: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.material) != KEY_BYTES:
            raise ValueError("a data key has 32 bytes")
        object.__setattr__(self, "_aes", AESGCM(derive_subkey(self.material, "bianfang/seal/aes-256-gcm")))
        object.__setattr__(self, "_sm4_key", derive_subkey(self.material, "bianfang/seal/sm4-gcm", 16))
        object.__setattr__(self, "_index_key", derive_subkey(self.material, "bianfang/blind-index"))

    @classmethod
    def generate(cls, algorithm: Algorithm = Algorithm.AES_256_GCM) -> DataKey:
        return cls(os.urandom(KEY_BYTES), algorithm)

    def seal(self, plaintext: bytes, associated: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        header = bytes([FORMAT, _ALGORITHM_IDS[self.algorithm]])
        if self.algorithm is Algorithm.AES_256_GCM:
            body = self._aes.encrypt(nonce, plaintext, header + associated)
        else:
            encryptor = Cipher(algorithms.SM4(self._sm4_key), modes.GCM(nonce)).encryptor()
            encryptor.authenticate_additional_data(header + associated)
            body = encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag
        return header + nonce + body

    def open(self, blob: bytes, associated: bytes, *, record: str = "?") -> bytes:
        """Decrypt ``blob``; a wrong key, a flipped bit or swapped associated data raise
        :class:`StoreError` ``store.tampered`` naming ``record``."""
        try:
            if len(blob) < 2 + NONCE_BYTES + TAG_BYTES or blob[0] != FORMAT:
                raise InvalidTag
            algorithm = _ALGORITHMS_BY_ID.get(blob[1])
            header, nonce, body = blob[:2], blob[2 : 2 + NONCE_BYTES], blob[2 + NONCE_BYTES :]
            if algorithm is Algorithm.AES_256_GCM:
                return self._aes.decrypt(nonce, body, header + associated)
            if algorithm is Algorithm.SM4_GCM:
                ciphertext, tag = body[:-TAG_BYTES], body[-TAG_BYTES:]
                decryptor = Cipher(algorithms.SM4(self._sm4_key), modes.GCM(nonce, tag)).decryptor()
                decryptor.authenticate_additional_data(header + associated)
                return decryptor.update(ciphertext) + decryptor.finalize()
            raise InvalidTag
        except InvalidTag:
            raise StoreError("store.tampered", record=record) from None

    def index_token(self, purpose: str, value: str) -> str:
        """Keyed hash for look-ups without plaintext (blind index): same value, same token,
        but useless to anyone without the key."""
        mac = hmac.new(self._index_key, f"{purpose}\x00{value}".encode(), hashlib.sha256)
        return mac.hexdigest()


__all__ = ["Algorithm", "DataKey", "derive_subkey"]
