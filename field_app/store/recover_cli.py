"""县管理员的恢复工具 — the county administrator's recovery tool.

    python -m field_app.store.recover_cli generate-keypair --out DIR [--format pem|base64]
    python -m field_app.store.recover_cli recover --store DIR --private-key FILE --keystore DIR [--new-pin PIN]
    python -m field_app.store.recover_cli export-key --store DIR --private-key FILE --out FILE

``generate-keypair`` writes the county's recovery key pair: the public key goes into the app's
configuration; the private key stays offline with the administrator. If the environment
variable ``BIANFANG_RECOVERY_PASSPHRASE`` is set, the PEM private key is encrypted with it (and
read with it later).

``recover`` opens a store (a worker who left, a forgotten PIN, a wiped device) with the
private key and wraps its data key again under a new PIN, bound to the device secret in
``--keystore`` (the folder of a :class:`FileKeystore` on the computer where the store will be
opened; it must be outside the store's folder). Without ``--new-pin`` the PIN is asked for
twice, which keeps it out of the shell's history.

``export-key`` writes the raw data key (base64, in a 0600 file) for offline tooling; handle
that file like the data itself and delete it after use.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from field_app.core.errors import BianfangError, StoreError
from field_app.core.i18n import render
from field_app.store.keys import KEY_FILE_NAME, KeyVault, open_recovery_wrap, read_key_file
from field_app.store.keystore import FileKeystore
from field_app.store.recovery import (
    fingerprint,
    generate_recovery_key,
    load_private_key,
    private_key_to_base64,
    private_key_to_pem,
    public_key_to_base64,
    public_key_to_pem,
)

PASSPHRASE_VARIABLE = "BIANFANG_RECOVERY_PASSPHRASE"
EXIT_FAILURE = 2


def _say(code: str, **params: object) -> None:
    """Chinese first, English on the next line."""
    print(render(code, params, "zh"))
    print(render(code, params, "en"))


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_VARIABLE)
    return value.encode("utf-8") if value else None


def _write_new_private_file(path: Path, data: bytes) -> None:
    """Create ``path`` readable by its owner only; never overwrite a key."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise StoreError("store.key_file_exists", path=str(path)) from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _read_private_key(path: Path) -> X25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StoreError("store.recovery_key_invalid", reason=f"{path}: {error.strerror}") from None
    return load_private_key(data, _passphrase())


def _generate_keypair(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_key = generate_recovery_key()
    public_key = private_key.public_key()
    if args.format == "pem":
        private_path, public_path = out / "recovery_private.pem", out / "recovery_public.pem"
        private_data, public_data = (
            private_key_to_pem(private_key, _passphrase()),
            public_key_to_pem(public_key),
        )
    else:
        private_path, public_path = out / "recovery_private.b64", out / "recovery_public.b64"
        private_data = (private_key_to_base64(private_key) + "\n").encode("ascii")
        public_data = (public_key_to_base64(public_key) + "\n").encode("ascii")
    if public_path.exists():
        raise StoreError("store.key_file_exists", path=str(public_path))
    _write_new_private_file(private_path, private_data)
    public_path.write_bytes(public_data)
    _say(
        "store.cli.keypair_written",
        fingerprint=fingerprint(public_key),
        private=private_path,
        public=public_path,
    )


def _new_pin(args: argparse.Namespace) -> str:
    if args.new_pin is not None:
        return args.new_pin
    first = getpass.getpass("新 PIN 码 / new PIN: ")
    if getpass.getpass("再输一次 / again: ") != first:
        raise StoreError("store.cli.pins_differ")
    return first


def _recover(args: argparse.Namespace) -> None:
    private_key = _read_private_key(Path(args.private_key))
    vault = KeyVault.open(args.store, FileKeystore(args.keystore))
    vault.recover(private_key, _new_pin(args))
    _say("store.cli.recovered", store_id=vault.store_id)


def _export_key(args: argparse.Namespace) -> None:
    private_key = _read_private_key(Path(args.private_key))
    key_file, _ = read_key_file(Path(args.store) / KEY_FILE_NAME)
    data_key = open_recovery_wrap(key_file, private_key)
    exported = {
        "store_id": key_file.store_id,
        "algorithm": data_key.algorithm.value,
        "data_key": base64.b64encode(data_key.material).decode("ascii"),
    }
    _write_new_private_file(Path(args.out), (json.dumps(exported, indent=2) + "\n").encode("utf-8"))
    _say("store.cli.key_exported", store_id=key_file.store_id, path=args.out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m field_app.store.recover_cli",
        description="遍访数据恢复工具（县管理员用） / Bianfang recovery tool for the county administrator",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser(
        "generate-keypair", help="生成县恢复密钥对 / generate the recovery key pair"
    )
    generate.add_argument("--out", required=True, help="输出文件夹 / output folder")
    generate.add_argument("--format", choices=("pem", "base64"), default="pem", help="密钥格式 / key format")
    generate.set_defaults(run=_generate_keypair)

    recover = commands.add_parser(
        "recover", help="用恢复私钥设置新 PIN 码 / set a new PIN with the private key"
    )
    recover.add_argument("--store", required=True, help="数据文件夹（含 keys.json） / store folder")
    recover.add_argument("--private-key", required=True, help="恢复私钥文件 / recovery private key file")
    recover.add_argument(
        "--keystore", required=True, help="本机设备密钥文件夹（不能在数据文件夹内） / device-secret folder"
    )
    recover.add_argument("--new-pin", help="新 PIN 码；不填则提示输入 / new PIN; asked for if omitted")
    recover.set_defaults(run=_recover)

    export = commands.add_parser("export-key", help="导出数据密钥 / export the raw data key")
    export.add_argument("--store", required=True, help="数据文件夹（含 keys.json） / store folder")
    export.add_argument("--private-key", required=True, help="恢复私钥文件 / recovery private key file")
    export.add_argument("--out", required=True, help="输出文件（不会覆盖） / output file (never overwritten)")
    export.set_defaults(run=_export_key)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except BianfangError as error:
        print(error.message("zh"), file=sys.stderr)
        print(error.message("en"), file=sys.stderr)
        return EXIT_FAILURE
    return 0


__all__ = ["PASSPHRASE_VARIABLE", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
