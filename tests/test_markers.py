"""The suite's automatic markers (tests/conftest.py): a test that starts a server or a
browser is marked ``browser`` however it does so, so the fast loop never runs one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import BROWSER_CALLS, names_reached

ROOT = Path(__file__).resolve().parents[1]


def start_server() -> None:  # stands in for tests.browser.conftest.start_server
    pass


def _helper() -> None:
    (lambda: start_server())()


def _test_through_a_helper() -> None:
    _helper()


def _test_without() -> None:
    print("no server")


def test_a_server_started_through_a_helper_or_a_lambda_is_found():
    # looked up by name, so that this test itself does not reach start_server
    assert names_reached(globals()["_test_through_a_helper"]) & BROWSER_CALLS == {"start_server"}
    assert not names_reached(globals()["_test_without"]) & BROWSER_CALLS


def test_the_fast_loop_collects_no_browser_test():
    """Everything under tests/browser starts a server or a browser."""
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", "not browser and not postgres", "tests/browser"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert "no tests collected" in collected.stdout and "deselected" in collected.stdout, collected.stdout
