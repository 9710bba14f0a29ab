"""The data key's protection: PIN + device secret wrap, attempt limits, wipe, change, upgrade."""

import base64
import json
import os
import stat

import pytest

from field_app.core.errors import StoreError
from field_app.store import keys
from field_app.store.crypto import Algorithm
from field_app.store.keys import KEY_FILE_NAME, KeyVault, ScryptParams, check_pin_strength
from field_app.store.keystore import FileKeystore, MemoryKeystore
from field_app.store.lock import AttemptPolicy
from field_app.store.recovery import generate_recovery_key

FAST = ScryptParams(n=2**10, r=8, p=1)  # tests only: real stores use DEFAULT_SCRYPT
PIN = "385017"
NEW_PIN = "902614"
T0 = 1_700_000_000.0
RECOVERY = generate_recovery_key()


@pytest.fixture
def keystore():
    return MemoryKeystore()


def make_vault(folder, keystore, algorithm=Algorithm.AES_256_GCM, **options):
    return KeyVault.create(
        folder, PIN, keystore, RECOVERY.public_key(), algorithm, FAST, store_id="store-1", **options
    )


def fail(vault, now, pin="111000"):
    with pytest.raises(StoreError) as caught:
        vault.unlock(pin, now)
    return caught.value


def edit_key_file(folder, change):
    path = folder / KEY_FILE_NAME
    content = json.loads(path.read_text())
    change(content)
    path.write_text(json.dumps(content))


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_create_then_unlock_gives_the_same_data_key(tmp_path, keystore, algorithm):
    vault, data_key = make_vault(tmp_path, keystore, algorithm)
    blob = data_key.seal(b"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e", b"member:1:1")
    unlocked = vault.unlock(PIN, T0)
    assert unlocked.algorithm is algorithm
    assert unlocked.material == data_key.material
    assert unlocked.open(blob, b"member:1:1") == "王小明".encode()
    assert sorted(os.listdir(tmp_path)) == [KEY_FILE_NAME]  # no temp file left behind


def test_wrong_pin_says_how_many_tries_remain_and_success_resets(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)
    error = fail(vault, T0)
    assert error.code == "store.wrong_pin"
    assert error.params == {"remaining": 9}
    assert error.message("zh") == "PIN 码错误，还可以再试 9 次"
    assert vault.status(T0).failures == 1
    vault.unlock(PIN, T0)
    assert vault.status(T0).failures == 0


def test_delay_grows_and_a_try_during_lockout_is_refused_without_counting(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)
    fail(vault, T0)
    fail(vault, T0 + 1)  # two free mistakes
    third = fail(vault, T0 + 2)
    assert third.details == {"wait_seconds": 30}

    locked = fail(vault, T0 + 12, pin=PIN)  # even the right PIN must wait
    assert locked.code == "store.locked_out"
    assert locked.params == {"seconds": 20}
    assert "20 秒后再试" in locked.message("zh")
    assert vault.status(T0 + 12).failures == 3

    fourth = fail(vault, T0 + 32)
    assert fourth.details == {"wait_seconds": 60}
    assert fail(vault, T0 + 32 + 59).code == "store.locked_out"
    assert vault.unlock(PIN, T0 + 32 + 60)


def test_warning_before_the_last_tries(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)
    codes = [fail(vault, T0 + 10_000 * i) for i in range(9)]
    assert [e.code for e in codes[:6]] == ["store.wrong_pin"] * 6
    assert [e.code for e in codes[6:]] == ["store.wrong_pin_last_tries"] * 3
    assert codes[6].message("zh") == "PIN 码错误。再输错 3 次，本机数据将被锁定，只能由县管理员恢复"
    assert codes[8].params == {"remaining": 1}


def test_wipe_after_max_failures_then_only_recovery_works(tmp_path, keystore):
    vault, data_key = make_vault(tmp_path, keystore, policy=AttemptPolicy(max_failures=4))
    errors = [fail(vault, T0 + 10_000 * i) for i in range(4)]
    assert errors[-1].code == "store.wiped"
    assert "县管理员" in errors[-1].message("zh")
    assert keystore.secrets == {}  # the device secret went with the PIN wrap
    assert json.loads((tmp_path / KEY_FILE_NAME).read_text())["pin_wrap"] is None
    assert fail(vault, T0 + 100_000, pin=PIN).code == "store.wiped"
    assert vault.status(T0).wiped

    recovered = vault.recover(RECOVERY, NEW_PIN)
    assert recovered.material == data_key.material
    assert vault.unlock(NEW_PIN, T0 + 200_000).material == data_key.material
    assert vault.status(T0).failures == 0


def test_change_pin_keeps_the_data_key(tmp_path, keystore):
    vault, data_key = make_vault(tmp_path, keystore)
    blob = data_key.seal(b"answer", b"visit:7:1")
    vault.change_pin(PIN, NEW_PIN, T0)
    assert vault.unlock(NEW_PIN, T0).open(blob, b"visit:7:1") == b"answer"
    assert fail(vault, T0, pin=PIN).code == "store.wrong_pin"


def test_change_pin_with_wrong_old_pin_counts_and_weak_new_pin_costs_nothing(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)
    with pytest.raises(StoreError) as weak:
        vault.change_pin(PIN, "123456", T0)
    assert weak.value.code == "store.weak_pin"
    assert vault.status(T0).failures == 0
    with pytest.raises(StoreError) as wrong:
        vault.change_pin("111000", NEW_PIN, T0)
    assert wrong.value.code == "store.wrong_pin"
    assert vault.status(T0).failures == 1


def test_stronger_configured_kdf_params_rewrap_on_unlock(tmp_path, keystore):
    _, data_key = make_vault(tmp_path, keystore)
    stronger = ScryptParams(n=2**11, r=8, p=1)
    vault = KeyVault.open(tmp_path, keystore, kdf_params=stronger)
    assert vault.unlock(PIN, T0).material == data_key.material
    stored = json.loads((tmp_path / KEY_FILE_NAME).read_text())["pin_wrap"]
    assert (stored["n"], stored["r"], stored["p"]) == (2**11, 8, 1)
    assert vault.unlock(PIN, T0).material == data_key.material

    weaker = KeyVault.open(tmp_path, keystore, kdf_params=FAST)
    weaker.unlock(PIN, T0)  # never downgrades
    assert json.loads((tmp_path / KEY_FILE_NAME).read_text())["pin_wrap"]["n"] == 2**11


def test_missing_or_foreign_device_secret_is_not_a_pin_failure(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)
    other_device = KeyVault.open(tmp_path, MemoryKeystore())
    assert fail(other_device, T0, pin=PIN).code == "store.wrong_device"
    keystore.secrets.clear()  # keystore wiped
    error = fail(vault, T0, pin=PIN)
    assert error.code == "store.wrong_device"
    assert "另一台设备" in error.message("zh")
    assert vault.status(T0).failures == 0


def test_key_file_of_another_store_is_refused(tmp_path, keystore):
    make_vault(tmp_path, keystore)
    with pytest.raises(StoreError) as caught:
        KeyVault.open(tmp_path, keystore, store_id="store-2")
    assert caught.value.code == "store.wrong_store"
    assert KeyVault.open(tmp_path, keystore, store_id="store-1").store_id == "store-1"


def test_flipped_byte_in_the_wrapped_key_is_tampering_not_a_wrong_pin(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)

    def flip(content):
        wrapped = bytearray(base64.b64decode(content["pin_wrap"]["ciphertext"]))
        wrapped[3] ^= 0x01
        content["pin_wrap"]["ciphertext"] = base64.b64encode(bytes(wrapped)).decode()

    edit_key_file(tmp_path, flip)
    error = fail(vault, T0, pin=PIN)
    assert error.code == "store.key_file_tampered"
    assert "篡改" in error.message("zh")


def test_resetting_the_failure_counter_by_hand_is_detected(tmp_path, keystore):
    vault, _ = make_vault(tmp_path, keystore)
    fail(vault, T0)
    edit_key_file(tmp_path, lambda content: content.update(failures=0))
    assert fail(vault, T0, pin=PIN).code == "store.key_file_tampered"


def test_unreadable_or_missing_key_file(tmp_path, keystore):
    with pytest.raises(StoreError) as missing:
        KeyVault.open(tmp_path, keystore)
    assert missing.value.code == "store.key_file_missing"
    (tmp_path / KEY_FILE_NAME).write_text("{not json")
    with pytest.raises(StoreError) as unreadable:
        KeyVault.open(tmp_path, keystore)
    assert unreadable.value.code == "store.key_file_unreadable"


def test_an_attempt_is_counted_before_the_pin_is_checked(tmp_path, keystore, monkeypatch):
    """Power cut during the check: the try is spent, not free."""
    vault, _ = make_vault(tmp_path, keystore)

    def power_cut(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(keys, "unwrap_with_pin", power_cut)
    with pytest.raises(KeyboardInterrupt):
        vault.unlock(PIN, T0)
    assert vault.status(T0).failures == 1


def test_key_file_holds_no_key_material_in_clear(tmp_path, keystore):
    _, data_key = make_vault(tmp_path, keystore)
    raw = (tmp_path / KEY_FILE_NAME).read_bytes()
    device_secret = next(iter(keystore.secrets.values()))
    for secret in (data_key.material, device_secret):
        for encoded in (
            secret,
            base64.b64encode(secret),
            secret.hex().encode(),
            secret.hex().upper().encode(),
        ):
            assert encoded not in raw
    assert PIN.encode() not in raw
    content = json.loads(raw)
    assert set(content) == {
        "format",
        "version",
        "store_id",
        "algorithm",
        "pin_wrap",
        "recovery_wrap",
        "device_check",
        "failures",
        "locked_until",
        "mac",
    }


def test_existing_key_file_is_never_overwritten(tmp_path, keystore):
    make_vault(tmp_path, keystore)
    with pytest.raises(StoreError) as caught:
        make_vault(tmp_path, keystore)
    assert caught.value.code == "store.key_file_exists"


@pytest.mark.parametrize(
    "pin",
    [
        "000000",
        "123456",
        "654321",
        "890123",
        "121212",
        "123123",
        "147258",
        "12345",
        "abc",
        "aaaaaaaa",
        "abababab",
        "Password",
        "１２３４５６",
    ],
)
def test_weak_pins_are_refused(tmp_path, keystore, pin):
    with pytest.raises(StoreError) as caught:
        check_pin_strength(pin)
    assert caught.value.code == "store.weak_pin"
    assert "至少 6 位数字" in caught.value.message("zh")
    with pytest.raises(StoreError):
        KeyVault.create(tmp_path, pin, keystore, RECOVERY.public_key(), kdf_params=FAST)
    assert not (tmp_path / KEY_FILE_NAME).exists()


@pytest.mark.parametrize("pin", ["385017", "20481977", "correct horse", "山高水长走访到户"])
def test_reasonable_pins_are_accepted(pin):
    check_pin_strength(pin)


def test_full_width_digits_equal_plain_ones(tmp_path, keystore):
    vault, data_key = make_vault(tmp_path, keystore)
    assert vault.unlock("３８５０１７", T0).material == data_key.material


def test_file_keystore_keeps_a_private_secret_outside_the_store(tmp_path):
    keystore = FileKeystore(tmp_path / "keystore")
    first = keystore.get_or_create_secret("bianfang-store-x")
    assert len(first) == 32
    assert keystore.get_or_create_secret("bianfang-store-x") == first
    path = tmp_path / "keystore" / "bianfang-store-x.secret"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path / "keystore") == ["bianfang-store-x.secret"]
    keystore.delete("bianfang-store-x")
    keystore.delete("bianfang-store-x")  # twice is fine
    assert keystore.get_or_create_secret("bianfang-store-x") != first
    with pytest.raises(ValueError):
        keystore.get_or_create_secret("../escape")


def test_file_keystore_inside_the_store_folder_is_refused(tmp_path):
    with pytest.raises(ValueError):
        KeyVault.create(
            tmp_path, PIN, FileKeystore(tmp_path / "secrets"), RECOVERY.public_key(), kdf_params=FAST
        )


def test_vault_works_with_a_file_keystore(tmp_path):
    store, secrets = tmp_path / "store", tmp_path / "secrets"
    _, data_key = KeyVault.create(store, PIN, FileKeystore(secrets), RECOVERY.public_key(), kdf_params=FAST)
    if os.name == "posix":
        assert stat.S_IMODE((store / KEY_FILE_NAME).stat().st_mode) == 0o600
    reopened = KeyVault.open(store, FileKeystore(secrets), kdf_params=FAST)
    assert reopened.unlock(PIN, T0).material == data_key.material
