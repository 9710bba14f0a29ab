#!/usr/bin/env python3
"""The project's two set-up-and-go commands.

    python3 dev.py run     # the main job: the demo county (and, as they land, server, app, console)
    python3 dev.py test    # the whole test suite, lint included

Each creates ``.venv`` on first use and installs the project from its own ``pyproject.toml``;
it re-installs only when ``pyproject.toml`` changed. Needs nothing but Python >= 3.11 and the
package registries. Extra arguments after ``test`` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
EXTRAS = "app,server,test"


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
    return subprocess.call([str(python), "-m", "field_app.core.demo", *args], cwd=ROOT)


def run_tests(python: Path, args: list[str]) -> int:
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
