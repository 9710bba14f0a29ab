"""Messages of the device's encrypted store (code -> Chinese, English)."""

STORE_MESSAGES: dict[str, tuple[str, str]] = {
    "store.tampered": (
        "记录 {record} 已损坏或被篡改，无法解密",
        "Record {record} is damaged or was tampered with and cannot be decrypted",
    ),
}
