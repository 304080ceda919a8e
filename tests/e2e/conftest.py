"""Journeys in a real browser: Debian's chromium driven by Playwright, against Django's
live server (a real HTTP server on loopback in a thread, on the test database).

Without /usr/bin/chromium (installed by .ci/run and `make test` where apt can) the
browser tests skip, saying so. Each journey saves a screenshot of its last page in
artifacts/ (git-ignored).

Pages come from `open_page`, which closes their browser contexts at the end of the test
and waits until the live server has answered every request they sent: on SQLite the
server's threads share the test's in-memory connection, and a late request still
running while the next test flushes the database left it locked for every test after.
"""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls
# are still synchronous, so Django's async-safety guard would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(init_script=None, **context_options) -> a page in a new browser context.

    Asking for live_server puts this fixture's teardown before the live server's and
    the database flush."""
    contexts = []

    def open_page(init_script=None, **context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    wait_for_live_server_requests()


def wait_for_live_server_requests(timeout: float = 10) -> None:
    """Wait until no live-server request thread is running (socketserver names each
    after its target, process_request_thread)."""
    deadline = time.monotonic() + timeout
    while any(
        thread.name.endswith("(process_request_thread)")
        for thread in threading.enumerate()
    ):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the live server still answers requests after {timeout} s"
            )
        time.sleep(0.02)


@pytest.fixture
def phone(open_page):
    """A phone-sized page (390 x 844, touch), Vietnamese first."""
    return open_page(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        locale="vi-VN",
    )  # fmt: skip


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
