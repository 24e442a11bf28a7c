"""A real browser: Playwright driving Debian's chromium against the live server.

Never `playwright install`: these machines reach no browser download. Screenshots of
every step (and of failures) land in tests/e2e/screenshots/ (git-ignored).
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
SHOTS = Path(__file__).resolve().parent / "screenshots"


def pytest_collection_modifyitems(items: list) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One chromium for the e2e tests, closed when they are done.

    Playwright's sync API runs an event loop in this thread for as long as it is
    open; Django refuses ORM calls from a thread with a running loop unless told it
    is deliberate. So the flag is set exactly while the browser is open (package
    scope: the tests after tests/e2e/ run without it, and so do child processes).
    """
    need(bool(CHROMIUM), "chromium not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # As root chromium needs --no-sandbox; the rest keep it from reaching for
            # a network these machines don't have.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        shot(page, f"FAILED-{request.node.name}")
    context.close()


def shot(page: object, name: str) -> Path:
    """Save a full-page screenshot a person can look at."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: object) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
