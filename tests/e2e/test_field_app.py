"""The field app end to end, in Chromium: first use, the household list and its search, the
language switch, and the lock (button, reload, idle time, wrong PIN with tries left)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypinyin import Style, lazy_pinyin

from field_app.app.demo import demo_county, demo_field_worker, demo_recovery_key
from field_app.app.device import Device, DeviceConfig
from tests.e2e.conftest import DEMO_TODAY, by_id, open_app, screenshot, type_into, wait_until_loaded

PIN = "482915"

# Flutter's web engine sometimes drops a click or keystroke made while it is still laying out
# (about one run in ten here); a retry of the whole scenario on a fresh app tells a real failure
# (it fails every time) from that. Each retry starts from a new data folder and browser page.
pytestmark = pytest.mark.flaky(reruns=2)


def _searched_household():
    """A household of the demo village and its head's pinyin initials (刘明寿 -> "lms")."""
    home = demo_county(DEMO_TODAY).households[5]
    return home, "".join(lazy_pinyin(home.head_name, style=Style.FIRST_LETTER))


def _set_up_like_the_app(data_dir: Path) -> str:
    """The store as the app's set-PIN screen makes it (same folder, user, recovery key, demo
    village), made here to save a trip through that screen. Returns the worker's name."""
    worker = demo_field_worker(demo_county(DEMO_TODAY))
    device = Device(
        DeviceConfig(
            data_dir=data_dir,
            username=worker.username,
            display_name=worker.name,
            recovery_public_key=demo_recovery_key().public_key(),
            demo_village_today=DEMO_TODAY,
        )
    )
    device.set_up(PIN)
    device.close()
    return worker.name


def _unlock(page, pin: str = PIN) -> None:
    field = page.get_by_role("textbox", name="PIN 码")
    type_into(field, pin)
    field.press("Enter")


def test_first_use_sets_a_pin_then_lists_and_finds_households(app_server, page):
    open_app(page, app_server.url)
    pin, again = page.get_by_role("textbox", name="PIN 码", exact=True), page.get_by_role("textbox", name="再次输入 PIN 码")
    page.get_by_text("首次使用本机，请设置 PIN 码").wait_for()

    type_into(pin, "123456")
    type_into(again, "123456")
    by_id(page, "set-pin-submit").click()
    error = by_id(page, "set-pin-error")
    expect(error).to_contain_text("PIN 码太简单")
    screenshot(page, "01-set-pin-weak")

    type_into(pin, PIN)
    type_into(again, PIN)
    by_id(page, "set-pin-submit").click()
    summary = by_id(page, "household-summary")
    summary.wait_for(timeout=30_000)  # scrypt, then the demo village is loaded into the store
    expect(summary).to_have_text(f"共 {len(demo_county(DEMO_TODAY).households)} 户")
    screenshot(page, "02-household-list")

    home, initials = _searched_household()
    type_into(page.get_by_role("textbox", name="搜索农户"), initials)
    expect(summary).to_have_text(re.compile(r"^找到 \d+ 户$"))
    row = by_id(page, f"household-{home.number}")
    expect(row).to_contain_text(home.head_name)
    screenshot(page, "03-search-pinyin-initials")

    row.click()
    head = by_id(page, "household-head")
    expect(head).to_have_text(f"户主：{home.head_name}")
    assert page.url.endswith(f"/households/{home.id}")
    screenshot(page, "04-household")

    by_id(page, "language-switch").click()
    expect(head).to_have_text(f"Head of household: {home.head_name}")
    screenshot(page, "05-household-en")
    page.get_by_role("button", name="Back").click()
    expect(summary).to_have_text(re.compile(r"^\d+ found$"))  # the search is kept
    by_id(page, "language-switch").click()
    expect(summary).to_have_text(re.compile(r"^找到 \d+ 户$"))


def test_locks_on_button_and_reload_and_unlocks_with_the_right_pin(data_dir, start_app, page):
    name = _set_up_like_the_app(data_dir)
    open_app(page, start_app().url)
    page.get_by_text(f"{name}，请输入 PIN 码").wait_for()
    _unlock(page)
    by_id(page, "household-summary").wait_for()

    by_id(page, "lock-button").click()
    by_id(page, "unlock-pin").wait_for()
    page.reload()
    wait_until_loaded(page)
    by_id(page, "unlock-pin").wait_for()

    _unlock(page, "135799")
    expect(by_id(page, "unlock-error")).to_have_text("PIN 码错误，还可以再试 9 次")
    screenshot(page, "06-unlock-wrong-pin")

    _unlock(page)
    by_id(page, "household-summary").wait_for()
    expect(by_id(page, "unlock-error")).to_have_count(0)

    page.reload()  # closing or reloading the tab locks too
    wait_until_loaded(page)
    by_id(page, "unlock-pin").wait_for()
    screenshot(page, "07-locked-after-reload")


def test_locks_itself_when_left_idle(data_dir, start_app, page):
    _set_up_like_the_app(data_dir)
    open_app(page, start_app("--idle-minutes", "0.05").url)  # 3 seconds
    _unlock(page)
    by_id(page, "household-summary").wait_for()
    expect(by_id(page, "unlock-notice")).to_have_text("1 分钟未操作，已自动锁定", timeout=10_000)
    expect(by_id(page, "household-summary")).to_have_count(0)
