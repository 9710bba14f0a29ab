#!/usr/bin/env python3
"""The project's two set-up-and-go commands.

    python3 dev.py run     # the main job: demo county + rule outcomes, then the sync server with it
    python3 dev.py test    # the whole test suite, lint included

Each creates ``.venv`` on first use and installs the project from its own ``pyproject.toml``;
it re-installs only when ``pyproject.toml`` changed. Needs nothing but Python >= 3.11 and the
package registries. Extra arguments after ``test`` go to pytest. ``test`` also installs
Debian's Chromium for the end-to-end tests when it is missing (as root, with apt-get).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
EXTRAS = "app,server,test"
HOST, PORT = "127.0.0.1", 8000
DEMO_TABLET_USER = "hc_li01"  # a helper cadre of the demo county's first village
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; tests/e2e look for it there


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    """Create the virtual environment and install the project when its inputs changed."""
    python = venv_python()
    if not python.exists():
        print("· creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + EXTRAS.encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("· installing the project and its dependencies", flush=True)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-e", f".[{EXTRAS}]"], check=True, cwd=ROOT)
        stamp.write_text(wanted)
    return python


def run_main_job(python: Path, args: list[str]) -> int:
    """The demo county and its rule outcomes, then the sync server on 127.0.0.1 with that county
    in its SQLite registry (var/), and a one-time enrolment code for a demo tablet."""
    data = ROOT / "var"
    data.mkdir(exist_ok=True)
    env = {**os.environ, "BIANFANG_DATABASE": str(data / "registry.sqlite"),
           "BIANFANG_DATA": str(data / "server-data"), "BIANFANG_FORMS": str(ROOT / "forms"),
           "BIANFANG_PUBLIC_URL": f"http://{HOST}:{PORT}"}
    steps = [
        ["-m", "field_app.core.demo", "--samples", "1"],
        ["-m", "sync_server", "load-demo"],  # a second run adds only what is missing
        ["-m", "sync_server", "enrolment-code", "--username", DEMO_TABLET_USER],
    ]
    for step in steps:
        if subprocess.call([str(python), *step], cwd=ROOT, env=env):
            return 1
    print(f"\n· 服务器 server: http://{HOST}:{PORT}/api/docs  (Ctrl-C 停止 to stop)", flush=True)
    return subprocess.call([str(python), "-m", "sync_server", "serve", "--host", HOST, "--port", str(PORT), *args],
                           cwd=ROOT, env=env)


def ensure_chromium() -> None:
    """The end-to-end tests (tests/e2e) drive Debian's Chromium through Playwright, which
    cannot download its own browsers here. Install it when root with apt-get; otherwise say
    how (the tests skip without it). The app bundles its CJK font, so no font package is needed."""
    if CHROMIUM.exists():
        return
    apt_get = shutil.which("apt-get")
    if apt_get and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("· installing chromium for the end-to-end tests (apt-get)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt_get, "-qq", "update"], env=env, check=False)
        subprocess.run([apt_get, "-qq", "install", "-y", "chromium"], env=env, check=False,
                       stdout=subprocess.DEVNULL)
    if not CHROMIUM.exists():
        print(f"· {CHROMIUM} is missing, so the end-to-end tests will be skipped; "
              "install it with: sudo apt-get install chromium", flush=True)


def run_tests(python: Path, args: list[str]) -> int:
    ensure_chromium()
    print("· ruff (lint)", flush=True)
    lint = subprocess.call([str(python), "-m", "ruff", "check", "."], cwd=ROOT)
    if lint:
        return lint
    print("· pytest", flush=True)
    return subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    commands = {"run": run_main_job, "test": run_tests}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 the user has
        print("Bianfang needs Python 3.11 or newer", file=sys.stderr)
        return 2
    python = ensure_environment()
    return commands[argv[0]](python, argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
