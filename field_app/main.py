"""Start the field app.

    python -m field_app.main --web --port 8550 --data var/tablet --demo-village

``--web`` serves it to a browser on ``--host``:``--port`` (always without a CDN: CanvasKit and
the fonts come from this machine); without it, Flet opens its desktop window. ``--data`` is
the app's data folder (one store per user, see ``field_app.store.device``); the device secrets
go to ``--keystore`` (default: ``keystore/`` in the data folder, beside the stores).

Until enrolment lands, the user is given here: ``--user`` and ``--name``. With
``--demo-village`` the user is the demo village's field worker and, once the PIN is set, the
store is loaded with that village (``field_app.app.demo``). The county's recovery public key
comes from ``--recovery-key`` (PEM or base64 file); without it the public demo key is used,
and the set-PIN screen says so.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD (date as YYYY-MM-DD): {text!r}") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m field_app.main", description="遍访 Bianfang field app")
    parser.add_argument("--web", action="store_true", help="serve to a browser instead of a desktop window")
    parser.add_argument("--open-browser", action="store_true", help="with --web: also open a browser tab")
    parser.add_argument("--host", default="127.0.0.1", help="with --web: address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8550, help="with --web: port (default 8550)")
    parser.add_argument("--data", type=Path, default=Path("var/tablet"), help="the app's data folder")
    parser.add_argument("--keystore", type=Path, default=None, help="device secrets folder (default DATA/keystore)")
    parser.add_argument("--user", default=None, help="username (default: the demo village's field worker)")
    parser.add_argument("--name", default=None, help="the user's name as shown (default: the username)")
    parser.add_argument("--recovery-key", type=Path, default=None, help="county recovery public key (PEM/base64)")
    parser.add_argument("--demo-village", action="store_true", help="load the demo village after the PIN is set")
    parser.add_argument("--demo-today", type=_day, default=None, help="the demo's today, YYYY-MM-DD (default: today)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="language (default: last chosen, else zh)")
    parser.add_argument("--idle-minutes", type=float, default=5.0, help="lock after this long without use (default 5)")
    parser.add_argument("--assets", type=Path, default=ASSETS_DIR, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Imported here so that --help works without the app's dependencies.
    from field_app.app.demo import demo_county, demo_field_worker, demo_recovery_key
    from field_app.app.device import Device, DeviceConfig
    from field_app.app.main import run
    from field_app.store.recovery import load_public_key

    today = args.demo_today or date.today()
    username, name = args.user, args.name
    if args.demo_village and username is None:
        worker = demo_field_worker(demo_county(today))
        username, name = worker.username, name or worker.name
    if username is None:
        print("--user is required (or --demo-village)", file=sys.stderr)
        return 2
    if args.recovery_key is not None:
        recovery, demo_key = load_public_key(args.recovery_key.read_bytes()), False
    else:
        recovery, demo_key = demo_recovery_key().public_key(), True
    device = Device(
        DeviceConfig(
            data_dir=args.data.resolve(),
            keystore_dir=args.keystore.resolve() if args.keystore else None,
            username=username,
            display_name=name or username,
            recovery_public_key=recovery,
            demo_recovery_key=demo_key,
            demo_village_today=today if args.demo_village else None,
            idle_lock_seconds=args.idle_minutes * 60,
        )
    )
    if args.web:
        print(f"遍访 Bianfang: http://{args.host}:{args.port}/  (data: {device.config.data_dir})", flush=True)
        if not args.open_browser:
            os.environ["FLET_FORCE_WEB_SERVER"] = "true"  # Flet's switch for "serve, open no browser"
    run(device, web=args.web, host=args.host, port=args.port, assets_dir=args.assets.resolve(), lang=args.lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
