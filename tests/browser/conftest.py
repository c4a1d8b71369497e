"""Browser tests: a real ``streamlit run`` server driven by Debian's Chromium.

Each test session starts one app server on a free port with its own SQLite
file, and one Chromium.  Tests open separate browser contexts for the
facilitator and each participant, as separate laptops would.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: The app is idle: connected to its server and no script (or fragment) run in progress.
APP_IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
#: What Streamlit shows for an uncaught exception when error details are hidden (.streamlit/config.toml).
REDACTED_ERROR = "This app has encountered an error"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PRIORITISE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class AppServer:
    url: str
    db_path: Path
    process: subprocess.Popen


def start_server(db_path: Path, env_extra: dict[str, str] | None = None) -> AppServer:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PRIORITISE_DB_PATH=str(db_path), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    env.update(env_extra or {})
    log = open(db_path.with_suffix(".log"), "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log.name}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return AppServer(url, db_path, process)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = start_server(tmp_path_factory.mktemp("app") / "browser.sqlite3")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def wait_for_app(page: object, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected and has finished the current script run.

    The app's own ``data-test-script-state`` and ``data-test-connection-state``
    (the attributes Streamlit's end-to-end tests wait on) are used rather
    than the status widget, which is absent before the first run starts.
    Elements may still be loading their code after this: wait for the
    element you need with ``expect(...)``."""
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def full_screenshot(page: object, path: Path) -> None:
    """The whole page, not only the window: Streamlit scrolls inside its main
    element, so the window is stretched to that element's height for the shot."""
    size = page.viewport_size
    height = page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                  return main ? main.scrollHeight : document.documentElement.scrollHeight; }"""
    )
    if size is None or height <= size["height"]:
        page.screenshot(path=str(path))
        return
    page.set_viewport_size({"width": size["width"], "height": min(height, 12_000)})
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)


def assert_no_errors(page: object) -> None:
    """No exception or error element anywhere on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.content()[:2000]
    assert page.get_by_text(REDACTED_ERROR).count() == 0, page.content()[:2000]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the test item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def laptops(browser, app_server: AppServer, request: pytest.FixtureRequest) -> Iterator[object]:
    """``laptops(width=1280, height=900)`` opens a new browser context (a separate device: its own
    cookies and Streamlit session) and returns its page.  All are closed after the test; when
    the test failed, every page is screenshotted to test-artifacts/failures/ first and the tail
    of the server's log is shown."""
    contexts = []

    def open_laptop(width: int = 1280, height: int = 900) -> object:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_laptop
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = ARTIFACTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                try:
                    full_screenshot(page, folder / f"{request.node.name}-{n}-{m}.png")
                except Exception as error:  # a screenshot must not hide the failure
                    print(f"screenshot {n}-{m} failed: {error}")
        log = app_server.db_path.with_suffix(".log")
        print("--- server log (tail) ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-60:]))
    for context in contexts:
        context.close()
