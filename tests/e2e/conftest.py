"""End-to-end harness: the real app served in web mode (no CDN) on 127.0.0.1, driven by
Playwright in Debian's Chromium.

Facts this relies on (Flet 1.0.5, Chromium from Debian):

* ``python -m field_app.main --web`` serves with ``no_cdn=True`` (without it the page fetches
  CanvasKit from the internet and never loads here).
* Playwright drives ``/usr/bin/chromium`` (``playwright install`` cannot download browsers).
* The page is ready when ``#loading`` is gone; clicking ``flt-semantics-placeholder`` turns
  on Flutter's semantics tree, whose nodes carry roles, names and ``flt-semantics-identifier``.
* Type with ``page.keyboard`` after clicking the field (see :func:`type_into`):
  ``locator.fill()`` sets a DOM value Flutter (and so Flet's ``on_change``) never hears of.

The tests skip (not fail) when Chromium or Playwright is missing: ``python3 dev.py test``
installs both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_TODAY = date(2026, 5, 20)  # the demo village is generated as of this day: same village every run
START_TIMEOUT = 30.0
UI_TIMEOUT_MS = 15_000

try:
    from playwright.sync_api import Locator, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]


def _skip_reason() -> str | None:
    if sync_playwright is None:
        return "playwright is not installed (pip install playwright; python3 dev.py test installs it)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium; python3 dev.py test installs it)"
    return None


@pytest.fixture(autouse=True)
def _needs_a_browser() -> None:
    reason = _skip_reason()
    if reason is not None:
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    """The app in web mode, as a subprocess with its own data folder."""

    data_dir: Path
    log_path: Path
    extra_args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> AppServer:
        command = [
            sys.executable, "-m", "field_app.main", "--web",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--data", str(self.data_dir),
            "--demo-village", "--demo-today", DEMO_TODAY.isoformat(),
            "--lang", "zh",
            *self.extra_args,
        ]  # fmt: skip
        env = {**os.environ, "FLET_WEB_NO_CDN": "1"}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app did not answer on {self.url} within {START_TIMEOUT} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "tablet"


@pytest.fixture
def start_app(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Callable[..., AppServer]]:
    """Start the app on ``data_dir`` with extra command-line arguments; stopped after the test."""
    started: list[AppServer] = []

    def start(*extra_args: str) -> AppServer:
        log = ARTIFACTS / f"{request.node.name}-{len(started)}.log"
        server = AppServer(data_dir, log, list(extra_args))
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def app_server(start_app: Callable[..., AppServer]) -> AppServer:
    return start_app()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    context.set_default_timeout(UI_TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


# -- driving the app -------------------------------------------------------------------------


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_loaded(page)


def wait_until_loaded(page: Page) -> None:
    """Flutter has started (the splash is gone) and its semantics tree is on."""
    page.wait_for_selector("#loading", state="detached", timeout=60_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")


def by_id(page: Page, identifier: str) -> Locator:
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


_FOCUSED_VALUE = "() => document.activeElement && document.activeElement.value"


def type_into(field: Locator, text: str, attempts: int = 3) -> None:
    """Replace a text field's content by typing, as a worker would.

    Clicking the field's semantics node makes Flutter focus an editing element (the node's
    own ``<input>``, or a separate ``input.flt-text-editing``), a moment later; keys must go
    there, through ``page.keyboard``. ``locator.fill()`` or ``press_sequentially()`` write
    into the semantics node directly, and Flutter (so Flet's ``on_change``) may never hear of
    it. Keys sent before the focus has settled are lost, so the result is checked and the
    typing done again (select all, type) if needed.
    """
    page = field.page
    for _ in range(attempts):
        field.click()
        page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'INPUT'")
        page.wait_for_timeout(150)
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            if page.evaluate(_FOCUSED_VALUE) == text:
                return
            time.sleep(0.1)
    raise AssertionError(f"typed {text!r}, the field holds {page.evaluate(_FOCUSED_VALUE)!r}")


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot to test-artifacts/e2e/ (look at them: Chinese must not be boxes)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let Flutter paint the last frame
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
