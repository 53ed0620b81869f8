"""Fixtures for the real-browser tests: Debian's Chromium through Playwright, axe-core
from node_modules, and the sample catalog (proposals included) served on 127.0.0.1.

Without the browser or axe-core the tests are skipped, except in CI (``CI`` set),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser.serving import serve_site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs them).")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        _unavailable("axe-core is not installed: run `npm ci`")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} is missing: run `apt-get install -y chromium`")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(preview_site: Path):
    """The sample catalog with its proposal, so a page exists for every status."""
    with serve_site(preview_site) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    """A fresh page at a desktop size; fails the test on any console error (CSP included)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()
