"""The county's recovery key: wrap/unwrap, key formats, KeyVault.recover, and the CLI end to end."""

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from field_app.core.errors import StoreError
from field_app.store.keys import KEY_FILE_NAME, KeyVault, ScryptParams, recover_data_key
from field_app.store.keystore import FileKeystore, MemoryKeystore
from field_app.store.recovery import (
    fingerprint,
    generate_recovery_key,
    load_private_key,
    load_public_key,
    private_key_to_base64,
    private_key_to_pem,
    public_key_to_base64,
    public_key_to_pem,
    unwrap_with_recovery_key,
    wrap_for_recovery,
)

FAST = ScryptParams(n=2**10, r=8, p=1)
PIN = "385017"
T0 = 1_700_000_000.0
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def county_key():
    return generate_recovery_key()


def test_wrap_round_trip_and_refusal_with_another_key(county_key):
    secret = bytes(range(32))
    wrap = wrap_for_recovery(secret, county_key.public_key(), b"store-1/recovery")
    assert secret not in wrap.ciphertext
    assert unwrap_with_recovery_key(wrap, county_key, b"store-1/recovery") == secret
    with pytest.raises(StoreError) as other:
        unwrap_with_recovery_key(wrap, generate_recovery_key(), b"store-1/recovery")
    assert other.value.code == "store.wrong_recovery_key"
    assert wrap.recipient in other.value.message("zh")


def test_wrap_bound_to_its_associated_data_and_integrity(county_key):
    wrap = wrap_for_recovery(bytes(32), county_key.public_key(), b"store-1/recovery")
    with pytest.raises(StoreError) as moved:
        unwrap_with_recovery_key(wrap, county_key, b"store-2/recovery")
    assert moved.value.code == "store.recovery_wrap_damaged"
    damaged = type(wrap)(
        wrap.recipient,
        wrap.ephemeral_public_key,
        wrap.nonce,
        bytes([wrap.ciphertext[0] ^ 1]) + wrap.ciphertext[1:],
    )
    with pytest.raises(StoreError):
        unwrap_with_recovery_key(damaged, county_key, b"store-1/recovery")


def test_key_formats_round_trip(county_key):
    public = county_key.public_key()
    for loaded in (load_public_key(public_key_to_pem(public)), load_public_key(public_key_to_base64(public))):
        assert fingerprint(loaded) == fingerprint(public)
    for loaded in (
        load_private_key(private_key_to_pem(county_key)),
        load_private_key(private_key_to_base64(county_key)),
        load_private_key(private_key_to_pem(county_key, b"county secret"), b"county secret"),
    ):
        assert fingerprint(loaded.public_key()) == fingerprint(public)


@pytest.mark.parametrize(
    "junk", [b"", b"not a key", b"AAAA", b"-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----"]
)
def test_unreadable_keys_are_refused_clearly(junk):
    with pytest.raises(StoreError) as private:
        load_private_key(junk)
    assert private.value.code == "store.recovery_key_invalid"
    with pytest.raises(StoreError):
        load_public_key(junk)


def test_encrypted_private_key_needs_its_passphrase(county_key):
    pem = private_key_to_pem(county_key, b"county secret")
    for wrong in (None, b"guess"):
        with pytest.raises(StoreError) as caught:
            load_private_key(pem, wrong)
        assert caught.value.code == "store.recovery_key_invalid"


def test_vault_recover_with_the_right_key_only(tmp_path, county_key):
    keystore = MemoryKeystore()
    vault, data_key = KeyVault.create(tmp_path, PIN, keystore, county_key.public_key(), kdf_params=FAST)
    before = (tmp_path / KEY_FILE_NAME).read_bytes()
    with pytest.raises(StoreError) as refused:
        vault.recover(generate_recovery_key(), "902614")
    assert refused.value.code == "store.wrong_recovery_key"
    assert (tmp_path / KEY_FILE_NAME).read_bytes() == before

    assert recover_data_key(tmp_path, county_key).material == data_key.material
    # the admin's computer: another keystore, a forgotten PIN
    admin = KeyVault.open(tmp_path, MemoryKeystore(), kdf_params=FAST)
    assert admin.recover(county_key, "902614").material == data_key.material
    assert admin.unlock("902614", T0).material == data_key.material


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "field_app.store.recover_cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_cli_end_to_end(tmp_path):
    keys_dir, store, device, admin = (tmp_path / name for name in ("county", "store", "device", "admin"))
    generated = run_cli("generate-keypair", "--out", keys_dir)
    assert generated.returncode == 0, generated.stderr
    first_line = generated.stdout.splitlines()[0]
    assert first_line.startswith("已生成恢复密钥对")
    assert sorted(p.name for p in keys_dir.iterdir()) == ["recovery_private.pem", "recovery_public.pem"]
    assert (keys_dir / "recovery_private.pem").stat().st_mode & 0o077 == 0

    public_key = load_public_key((keys_dir / "recovery_public.pem").read_bytes())
    _, data_key = KeyVault.create(store, PIN, FileKeystore(device), public_key, kdf_params=FAST)

    recovered = run_cli(
        "recover", "--store", store, "--private-key", keys_dir / "recovery_private.pem",
        "--keystore", admin, "--new-pin", "902614",
    )  # fmt: skip
    assert recovered.returncode == 0, recovered.stderr
    assert recovered.stdout.startswith("已恢复数据")
    assert KeyVault.open(store, FileKeystore(admin)).unlock("902614", T0).material == data_key.material

    exported = run_cli(
        "export-key", "--store", store, "--private-key", keys_dir / "recovery_private.pem",
        "--out", tmp_path / "data_key.json",
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    content = json.loads((tmp_path / "data_key.json").read_text())
    assert content["algorithm"] == "aes-256-gcm"
    assert content["data_key"] == base64.b64encode(data_key.material).decode()


def test_cli_refuses_another_countys_key(tmp_path, county_key):
    store = tmp_path / "store"
    KeyVault.create(store, PIN, MemoryKeystore(), county_key.public_key(), kdf_params=FAST)
    other = tmp_path / "other.b64"
    other.write_text(private_key_to_base64(generate_recovery_key()))
    result = run_cli(
        "recover",
        "--store",
        store,
        "--private-key",
        other,
        "--keystore",
        tmp_path / "ks",
        "--new-pin",
        "902614",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("恢复私钥不对")
