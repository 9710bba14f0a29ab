"""The shared core must run on a tablet and on the server alike: it imports no UI, no server
framework and no database layer. Proven by importing every core module in a fresh interpreter
where those packages cannot be imported."""

import subprocess
import sys
import textwrap

BLOCKED = ("flet", "fastapi", "starlette", "uvicorn", "sqlite_utils", "requests", "httpx")

PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    BLOCKED = {blocked!r}

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError("blocked in the core: " + name)
            return None

    sys.meta_path.insert(0, Block())
    import field_app.core as core
    names = [core.__name__]
    for info in pkgutil.walk_packages(core.__path__, core.__name__ + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(len(names), leaked)
    """
)


def test_core_imports_with_frameworks_blocked():
    probe = PROBE.format(blocked=BLOCKED)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count, leaked = result.stdout.strip().split(" ", 1)
    assert leaked == "[]"
    assert int(count) > 10  # the walk really visited the core's modules


def test_the_block_really_blocks():
    """Guard against a probe that cannot fail: importing a blocked package must fail in it."""
    probe = PROBE.format(blocked=BLOCKED) + "\nimport flet\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "blocked in the core: flet" in result.stderr
