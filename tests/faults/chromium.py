"""A Chromium of a test's own, driven on a thread of its own.

Playwright's sync API allows one instance per thread, and the browser tests' session-wide Chromium
(tests/browser/conftest.py) may already be running on the main thread when these tests run; a worker
thread has its own event loop, so the two never meet."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

T = TypeVar("T")


def in_chromium(drive: Callable[[object], T]) -> T:
    """``drive(browser)`` with a fresh headless Chromium, closed afterwards; skipped without Chromium
    (failed in CI, where .ci/run installs it)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip(f"Chromium not found at {CHROMIUM}")

    def work() -> T:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                return drive(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(1, thread_name_prefix="chromium") as pool:
        return pool.submit(work).result()
