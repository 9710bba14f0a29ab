"""The administrator's command line, run as an administrator would: in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sync_server.auth.passwords import verify_password

from .conftest import TEST_KDF

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(tmp_path):
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "BIANFANG_DATABASE": str(database), "BIANFANG_SCRYPT_N": str(TEST_KDF.n),
           "PYTHONPATH": str(ROOT)}

    def run_cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "sync_server", *args], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=60)
        assert (result.returncode == 0) == ok, result.stdout + result.stderr
        return result

    run_cli.database = database
    return run_cli


def test_init_db_load_demo_create_admin_create_user_enrolment_code(run):
    assert "schema version 3" in run("init-db").stdout

    demo = run("load-demo", "--seed", "3", "--villages", "2", "--households", "4", "--months", "1",
               "--today", "2026-05-20").stdout
    assert "bianfang-demo" in demo and "2 villages" in demo

    assert "created admin" in run("create-admin", "--username", "boss", "--name", "县管理员",
                                  "--password", "a long password").stdout
    run("create-user", "--username", "worker9", "--name", "工作员", "--password", "another one",
        "--role", "field_worker", "--villages", "360731108201")
    code = run("enrolment-code", "--username", "worker9").stdout
    assert "enrolment code for worker9" in code and '"type": "bianfang-enrol"' in code

    conn = sqlite3.connect(run.database)
    users = {row[0]: row[1:] for row in conn.execute("SELECT username, role, scope, password_hash FROM users")}
    assert users["boss"][:2] == ("admin", '{"county_codes":["360731000000"],"township_codes":[],"village_codes":[]}')
    assert users["worker9"][1] == '{"county_codes":[],"township_codes":[],"village_codes":["360731108201"]}'
    assert verify_password("another one", users["worker9"][2], TEST_KDF)
    demo_admin = next(name for name, (role, *_) in users.items() if role == "admin" and name != "boss")
    assert verify_password("bianfang-demo", users[demo_admin][2], TEST_KDF)
    assert conn.execute("SELECT count(*) FROM villages").fetchone()[0] == 2
    kinds = dict(conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
    assert kinds["household"] == 8 and kinds["member"] > 8 and kinds["visit"] > 0
    actions = [row[0] for row in conn.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("registry.import") == 1 and actions.count("user.create") == 2

    again = run("load-demo", "--seed", "3", "--villages", "2", "--households", "4", "--months", "1",
                "--today", "2026-05-20").stdout
    assert "already present" in again  # a second load leaves the users alone


def test_bad_input_is_a_message_not_a_traceback(run):
    result = run("create-user", "--username", "w1", "--name", "工作员", "--password", "long enough",
                 "--role", "field_worker", "--villages", "36073110820", ok=False)
    assert result.returncode == 2
    assert "行政区划代码应为12位数字" in result.stderr and "Traceback" not in result.stderr
    short = run("create-admin", "--username", "boss", "--name", "管理员", "--password", "short", ok=False)
    assert "auth.weak_password" in short.stderr
