"""Messages of the device's encrypted store (code -> Chinese, English)."""

STORE_MESSAGES: dict[str, tuple[str, str]] = {
    "store.tampered": (
        "记录 {record} 已损坏或被篡改，无法解密",
        "Record {record} is damaged or was tampered with and cannot be decrypted",
    ),
    # the encrypted records (store.py, records.py, migrations.py, sequence.py, ...)
    "store.wrong_key": (
        "这份数据无法用此密钥打开（密钥不对，或数据属于另一台设备）",
        "This store cannot be opened with this key (wrong key, or the store belongs to another device)",
    ),
    "store.other_device": (
        "这份数据属于另一台设备，不能在本机打开",
        "This store belongs to another device and cannot be opened on this one",
    ),
    "store.not_a_store": (
        "{path} 不是遍访的数据文件",
        "{path} is not a Bianfang data file",
    ),
    "store.newer_schema": (
        "这份数据由更新版本的应用创建（结构版本 {found}，本应用支持到 {supported}），请先升级应用",
        "This store was made by a newer version of the app (schema {found}; this app supports up "
        "to {supported}); update the app first",
    ),
    "store.unreadable": (
        "记录 {record} 能解密，但内容无法识别",
        "Record {record} decrypts but its content cannot be read",
    ),
    "store.not_found": (
        "找不到记录 {record}",
        "Record {record} not found",
    ),
    "store.already_exists": (
        "记录 {record} 已存在",
        "Record {record} exists already",
    ),
    "store.append_only": (
        "{kind}只能追加，不能修改或删除；更正请新建一条记录",
        "{kind_en} records are append-only: they cannot be changed or deleted; record a correction instead",
    ),
    "store.sequence_unreadable": (
        "设备序号文件 {path} 无法读取；为避免重复编号，数据暂不能打开，请联系管理员",
        "The device sequence file {path} cannot be read; the store stays closed so that no number "
        "is used twice; contact the administrator",
    ),
    "store.photo_not_found": (
        "找不到照片 {sha256}",
        "Photo {sha256} not found",
    ),
    "store.closed": (
        "数据已锁定，请先解锁",
        "The store is locked; unlock it first",
    ),
    # the data key's protection (keys.py, recovery.py, recover_cli.py)
    "store.weak_pin": (
        "PIN 码太简单：请使用至少 6 位数字（不能是 000000、123456 这类简单数字），或至少 8 个字符的密码",
        "The PIN is too weak: use at least 6 digits (not a trivial one like 000000 or 123456) "
        "or a passphrase of at least 8 characters",
    ),
    "store.wrong_pin": (
        "PIN 码错误，还可以再试 {remaining} 次",
        "Wrong PIN; {remaining} tries left",
    ),
    "store.wrong_pin_last_tries": (
        "PIN 码错误。再输错 {remaining} 次，本机数据将被锁定，只能由县管理员恢复",
        "Wrong PIN. After {remaining} more wrong tries the data on this device will be locked "
        "and only the county administrator can recover it",
    ),
    "store.locked_out": (
        "PIN 码错误次数过多，请 {seconds} 秒后再试",
        "Too many wrong PINs; try again in {seconds} seconds",
    ),
    "store.wiped": (
        "PIN 码错误次数过多，本机数据已锁定：只能由县管理员用恢复密钥恢复，或重新同步",
        "Too many wrong PINs: the data on this device is locked; only the county administrator "
        "can recover it with the recovery key, or sync it again",
    ),
    "store.wrong_device": (
        "本机找不到这份数据的设备密钥（密钥已被清除，或数据是从另一台设备复制来的），无法用 PIN 码解锁；"
        "请联系县管理员恢复，或重新同步",
        "This device does not hold the device secret of this data (it was erased, or the data "
        "was copied from another device), so the PIN cannot unlock it; ask the county "
        "administrator to recover it, or sync again",
    ),
    "store.wrong_store": (
        "密钥文件属于另一份数据（{found}），不是这份数据（{expected}）",
        "The key file belongs to another store ({found}), not to this one ({expected})",
    ),
    "store.key_file_missing": (
        "找不到密钥文件 {path}",
        "Key file {path} not found",
    ),
    "store.key_file_exists": (
        "{path} 已存在，不能覆盖已有的密钥文件",
        "{path} exists already; an existing key file is never overwritten",
    ),
    "store.key_file_unreadable": (
        "密钥文件无法读取：{reason}",
        "The key file cannot be read: {reason}",
    ),
    "store.key_file_tampered": (
        "密钥文件已损坏或被篡改，无法解锁；请联系县管理员恢复，或重新同步",
        "The key file is damaged or was tampered with and cannot unlock the data; ask the county "
        "administrator to recover it, or sync again",
    ),
    "store.recovery_key_invalid": (
        "无法读取恢复密钥：{reason}",
        "Cannot read the recovery key: {reason}",
    ),
    "store.wrong_recovery_key": (
        "恢复私钥不对：这份数据要用指纹为 {expected} 的密钥恢复，提供的是 {given}",
        "Wrong recovery key: this store needs the key with fingerprint {expected}, not {given}",
    ),
    "store.recovery_wrap_damaged": (
        "密钥文件中的恢复数据已损坏或被篡改，无法恢复",
        "The recovery entry of the key file is damaged or was tampered with; recovery is not possible",
    ),
    "store.cli.keypair_written": (
        "已生成恢复密钥对（指纹 {fingerprint}）：私钥 {private}（请离线妥善保管），公钥 {public}",
        "Recovery key pair generated (fingerprint {fingerprint}): private key {private} (keep it "
        "offline and safe), public key {public}",
    ),
    "store.cli.recovered": (
        "已恢复数据 {store_id}：现在可以用新的 PIN 码解锁",
        "Store {store_id} recovered: it now unlocks with the new PIN",
    ),
    "store.cli.key_exported": (
        "已导出数据 {store_id} 的数据密钥到 {path}（请妥善保管，用后删除）",
        "The data key of store {store_id} was exported to {path} (keep it safe; delete it after use)",
    ),
    "store.cli.pins_differ": (
        "两次输入的 PIN 码不一致",
        "The two PINs differ",
    ),
}
