"""The administrator's command line: ``python -m sync_server <command>``.

Commands act as the system (audit entries without a user): whoever runs them already holds
the database file. Settings come from ``BIANFANG_*`` variables, overridden by
``--database`` and ``--forms``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import date

from sqlite_utils import Database

from field_app.core.codes import Role
from field_app.core.errors import BianfangError
from sync_server import audit
from sync_server.auth.passwords import hash_password
from sync_server.db import open_database
from sync_server.demo_load import load_demo
from sync_server.enrolment import issue_code
from sync_server.migrations import schema_version
from sync_server.prepare import prepare_database
from sync_server.settings import Settings
from sync_server.users import create_user, find_user

DEMO_PASSWORD = "bianfang-demo"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env(database_path=args.database, forms_folder=args.forms)
    try:
        return args.run(args, settings)
    except BianfangError as error:
        print(f"{error.code}: {error.message('zh')} / {error.message('en')}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sync_server", description="遍访 Bianfang sync server")
    parser.add_argument("--database", help="the registry's SQLite file (default: $BIANFANG_DATABASE)")
    parser.add_argument("--forms", help="the folder of form definitions (default: $BIANFANG_FORMS)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init-db", help="create or upgrade the database and publish the forms")
    init.set_defaults(run=_init_db)

    admin = commands.add_parser("create-admin", help="add a county administrator")
    _user_arguments(admin)
    admin.add_argument("--county", action="append", default=[],
                       help="county code(s) administered (default: every county in the database)")
    admin.set_defaults(run=_create_admin)

    user = commands.add_parser("create-user", help="add a user with a role and a scope")
    _user_arguments(user)
    user.add_argument("--role", required=True, choices=[role.value for role in Role])
    user.add_argument("--villages", default="", help="village codes, comma-separated")
    user.add_argument("--townships", default="", help="township codes, comma-separated")
    user.add_argument("--county", default="", help="county codes, comma-separated")
    user.set_defaults(run=_create_user)

    code = commands.add_parser("enrolment-code", help="issue a one-time code to enrol a tablet for a user")
    code.add_argument("--username", required=True)
    code.set_defaults(run=_enrolment_code)

    demo = commands.add_parser("load-demo", help="load the demo county: places, users and records")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--villages", type=int, default=5)
    demo.add_argument("--households", type=int, default=None, help="households per village (default 100–160)")
    demo.add_argument("--months", type=int, default=12, help="months of visit history")
    demo.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    demo.add_argument("--password", default=DEMO_PASSWORD, help="the password of every demo user")
    demo.set_defaults(run=_load_demo)

    serve = commands.add_parser("serve", help="run the server (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    return parser


def _user_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--username", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--phone", default=None)
    parser.add_argument("--password", default=None, help="asked for when left out (keeps it out of the shell history)")


def _init_db(args: argparse.Namespace, settings: Settings) -> int:
    shelf = prepare_database(settings)
    db = open_database(settings.database_path)
    try:
        print(f"database {settings.database_path}: schema version {schema_version(db.conn)}, {len(shelf)} forms")
    finally:
        db.close()
    return 0


def _create_admin(args: argparse.Namespace, settings: Settings) -> int:
    prepare_database(settings)
    db = open_database(settings.database_path)
    try:
        counties = args.county or [row[0] for row in db.conn.execute("SELECT code FROM counties ORDER BY code")]
        return _add_user(args, settings, db, Role.ADMIN, {"county_codes": counties})
    finally:
        db.close()


def _create_user(args: argparse.Namespace, settings: Settings) -> int:
    prepare_database(settings)
    # Plain lists: the core's User model validates them (a bad code is a message, not a traceback).
    scope = {
        "village_codes": _codes(args.villages),
        "township_codes": _codes(args.townships),
        "county_codes": _codes(args.county),
    }
    db = open_database(settings.database_path)
    try:
        return _add_user(args, settings, db, Role(args.role), scope)
    finally:
        db.close()


def _add_user(args: argparse.Namespace, settings: Settings, db: Database, role: Role, scope: dict[str, list[str]]
) -> int:
    password = args.password if args.password is not None else getpass.getpass("password: ")
    user = create_user(
        db,
        user={"username": args.username, "name": args.name, "role": role, "scope": scope, "phone": args.phone},
        password=password,
        kdf=settings.password_kdf,
        min_password_length=settings.min_password_length,
        actor=audit.SYSTEM,
        granted_by=None,
        now=settings.now(),
    )
    print(f"created {user.role.value} {user.username} ({user.name}) id={user.id}")
    return 0


def _enrolment_code(args: argparse.Namespace, settings: Settings) -> int:
    prepare_database(settings)
    db = open_database(settings.database_path)
    try:
        user = find_user(db, args.username)
        issued = issue_code(
            db, user_id=user.id, actor=audit.SYSTEM, granted_by=None, public_url=settings.public_url,
            lifetime=settings.enrolment_code_lifetime, now=settings.now(),
        )
    finally:
        db.close()
    print(f"enrolment code for {user.username}: {issued.code} (valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC)")
    print(f"QR payload: {issued.qr_payload}")
    return 0


def _load_demo(args: argparse.Namespace, settings: Settings) -> int:
    from field_app.core.demo.county import generate_county  # the generator is only needed here

    prepare_database(settings)
    households = args.households if args.households is not None else (100, 160)
    county = generate_county(
        args.seed, today=args.today or settings.today(), villages=args.villages,
        households_per_village=households, months=args.months,
    )
    db = open_database(settings.database_path)
    try:
        report = load_demo(db, county, password_hash=hash_password(args.password, settings.password_kdf),
                           now=settings.now(), policy=settings.policy)
    finally:
        db.close()
    print(f"demo county {county.county.name} (seed {args.seed}): {report.villages} villages, "
          f"{report.users_added} users, {report.records} records")
    if report.users_skipped:
        print(f"already present, left unchanged: {', '.join(report.users_skipped)}")
    print(f"every demo user's password: {args.password}")
    for user in county.users:
        print(f"  {user.username:<12} {user.role.value:<17} {user.name}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # only the serve command needs the web stack

    from sync_server.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


__all__ = ["DEMO_PASSWORD", "main"]
