"""The facilitator's menu has no dead ends (issue 11): every entry, clicked
as a facilitator does, opens its page with the menu still there and no
error; "Projector view" opens the public projector of the workshop (its
join code, never the key) in a new tab, and the facilitator's tab keeps
its page and menu."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import REDACTED_ERROR, assert_no_errors, wait_for_app
from tests.browser.helpers import FIRST_LOAD, QUICK, Facilitator, create_sample_workshop, open_round, screenshot

#: Each entry of the facilitator's menu and the heading of the page it opens (None: a new tab).
MENU = {
    "Start": "Prioritise",
    "Setup": "Setup",
    "Live control": "Live control",
    "Results": "Results",
    "Agree the shortlist": "Agree the shortlist",
    "Plan and performance": "Plan and performance",
    "Projector view": None,
}
#: What the app says when a page is refused or fails: none of it may follow a click in the menu.
ERROR_TEXTS = (
    REDACTED_ERROR,
    "This page is for the workshop's facilitator",
    "because of a fault on our side",
    "This is the projector view. Open it from the Live page",
)


def menu_entry(page: Page, name: str):
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile(rf"^\W*{re.escape(name)}\b"))


def assert_clean(page: Page) -> None:
    """No exception, no error box and none of the app's refusal texts."""
    assert_no_errors(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    for text in ERROR_TEXTS:
        expect(page.get_by_text(text)).to_have_count(0)


def assert_menu(page: Page) -> None:
    """The whole facilitator's menu is shown."""
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=QUICK)
    for name in MENU:
        expect(menu_entry(page, name)).to_be_visible()


def open_projector(page: Page, who: Facilitator) -> None:
    """The menu's projector entry: a new tab on the public URL (code only), showing the join code."""
    before = page.url
    with page.context.expect_page(timeout=QUICK) as opened:
        menu_entry(page, "Projector view").click()
    screen = opened.value
    screen.wait_for_load_state()
    wait_for_app(screen, timeout=FIRST_LOAD)
    for url in (screen.url, menu_entry(page, "Projector view").get_attribute("href") or ""):
        assert who.key not in url, url
        assert parse_qs(urlsplit(url).query) == {"code": [who.code]}, url
    expect(screen.get_by_text(who.code, exact=True)).to_be_visible(timeout=QUICK)
    expect(screen.get_by_text("with the code")).to_be_visible()
    assert_clean(screen)
    assert who.key not in screen.url
    screen.close()
    assert page.url == before  # the facilitator's tab stayed where it was, with its menu
    assert_menu(page)


def click_every_entry(page: Page, who: Facilitator, label: str) -> None:
    for name, heading in MENU.items():
        if heading is None:
            open_projector(page, who)
            continue
        menu_entry(page, name).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=FIRST_LOAD)
        wait_for_app(page)
        assert_clean(page)
        assert_menu(page)
        assert parse_qs(urlsplit(page.url).query) == {"w": [who.code], "k": [who.key]}, page.url
        screenshot(page, f"menu-{label}-{name.lower().replace(' ', '-')}")


def test_every_menu_entry_opens_its_page(laptops, app_server):
    page = laptops()
    who = create_sample_workshop(page, app_server.url)
    page.get_by_role("button", name="I have saved the key").click()
    wait_for_app(page)
    assert_menu(page)
    click_every_entry(page, who, "before")

    menu_entry(page, "Live control").click()
    expect(page.get_by_role("heading", name="Live control", level=1)).to_be_visible(timeout=FIRST_LOAD)
    open_round(page, "Round 1: Scoring all priorities")
    click_every_entry(page, who, "open")
