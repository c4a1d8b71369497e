"""Hostile text in every field, in a real browser: on the pages that show the most of it (the participant's
revealed results, the projector, live control and results; AppTest covers every page) a workshop's script
tags, event handlers and javascript: links are shown as text — no dialog ever opens, no javascript: link
is made, and the text itself is visible as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_errors, start_server, stop_server
from tests.browser.helpers import wait_until_drawn
from tests.faults.chromium import in_chromium
from tests.workshop.conftest import small_setup
from ui.plain import WORD_JOINER
from workshop.service import WorkshopService
from workshop.store import Store

from .test_app_hostile import decided_hostile_workshop

pytestmark = pytest.mark.browser


def test_no_script_from_the_data_runs_on_any_page(tmp_path: Path):
    in_chromium(lambda browser: visit_every_page(browser, tmp_path))


def visit_every_page(browser, tmp_path: Path) -> None:
    db = tmp_path / "hostile.sqlite3"
    svc = WorkshopService(Store.open(f"sqlite:///{db}"))
    workshop, key, person = decided_hostile_workshop(svc)
    facilitator = f"w={workshop.code}&k={key}"
    pages = [
        f"vote?p={person.token}",
        f"present?code={workshop.code}",
        "present?code=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        f"live?{facilitator}",
        f"results?{facilitator}",
    ]
    server = start_server(db)
    dialogs: list[str] = []
    try:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(f"{server.url}/{path}")
            wait_until_drawn(page)  # charts and other components draw after the run
            assert_no_errors(page)
            assert page.locator('a[href^="javascript:"]').count() == 0, path
            if path.startswith(("vote", "live")):
                assert "<script>alert('title')</script>" in page.inner_text("body"), path  # shown, as text
        assert dialogs == []
        page.evaluate("() => alert('probe')")  # the listener does catch a dialog
        assert [d.split(": ", 1)[1] for d in dialogs] == ["probe"]
        page.close()
    finally:
        stop_server(server)


MARKDOWN_NAMES = (
    "![t](https://attacker.example/p.png)",
    "[re-enter key](https://phish.example)",
    "<img src=x> &lt;b&gt; `c` **b** :red[x] $m$ :material/home:",
    "https://attacker.example/x www.phish.example a@phish.example",
)


def test_markdown_in_a_display_name_is_shown_as_typed_on_the_live_page(tmp_path: Path):
    """Issue 14: the facilitator's Live page lists who has not started (markdown); a name that is an image,
    a link or formatting shows as the characters typed, and makes no image, link, code or colour."""
    in_chromium(lambda browser: visit_live_page(browser, tmp_path))


def visit_live_page(browser, tmp_path: Path) -> None:
    db = tmp_path / "names.sqlite3"
    svc = WorkshopService(Store.open(f"sqlite:///{db}"))
    workshop, key = svc.create_workshop(small_setup())
    svc.open_round(key, workshop.rounds[0].id)
    for name in MARKDOWN_NAMES:
        svc.join(workshop.code, name, "Council")
    server = start_server(db)
    try:
        page = browser.new_page()
        page.goto(f"{server.url}/live?w={workshop.code}&k={key}")
        wait_until_drawn(page)
        assert_no_errors(page)
        listed = page.locator('[data-testid="stCaptionContainer"]', has_text="Not started:")
        # as typed (the word joiners ui.plain.md puts in bare addresses are invisible)
        assert listed.inner_text().replace(WORD_JOINER, "") == f"Not started: {', '.join(MARKDOWN_NAMES)}."
        for made in ("a", "img", "code", "strong", "span[role=img]", "[data-testid=stMarkdownColoredText]"):
            assert listed.locator(made).count() == 0, made
        assert page.locator('img[src*="attacker"], a[href*="attacker"], a[href*="phish"]').count() == 0
        page.close()
    finally:
        stop_server(server)
