"""Issue 13: accessible to everyone who takes part (WCAG 2.1 AA).

One workshop is walked through every page and state a participant, the
projector and the facilitator see, and axe-core (tests/browser/a11y.py)
audits each as shown; the test fails on any serious or critical violation
that is not one of Streamlit's own listed in ``a11y.KNOWN``.  At each
participant state the page is also narrowed to 320 × 640 (and to 320 × 256,
what a 1280 × 1024 window shows at 400% zoom) and must not scroll sideways;
the projector is checked at 1024 × 768.

The per-page table is printed and kept in test-artifacts/axe/report.md
(docs/ACCESSIBILITY.md has the before/after figures).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.a11y import Audit, audit, report, settle, sideways_overflow
from tests.browser.conftest import ARTIFACTS, assert_no_errors
from tests.browser.helpers import (
    CHART,
    FIRST_LOAD,
    ONLY_YOURS,
    QUICK,
    SAVED,
    Facilitator,
    Participant,
    close_round,
    criterion_group,
    goto,
    join,
    join_url,
    open_page,
    open_round,
    save_note,
    score,
    service_for,
)
from tests.browser.test_full_workshop import ROUND_1, TABS, seed_room, seed_scores
from tests.browser.test_menu import menu_entry
from tests.deciding import decide
from ui.theme import ANNOUNCER
from workshop.imports import sample_setup

pytestmark = pytest.mark.browser

#: Narrow screens a participant may use: a small phone, and a 1280 × 1024 window at 400% zoom.
NARROW = ({"width": 320, "height": 640}, {"width": 320, "height": 256})
WIDE = {"width": 1280, "height": 900}


class Walk:
    """The audits of one walk through the workshop, and the sideways scrolling found on the way."""

    def __init__(self) -> None:
        self.audits: list[Audit] = []
        self.overflow: dict[str, tuple[int, str]] = {}

    def check(self, page: Page, name: str, narrow: bool = False) -> None:
        assert_no_errors(page)
        self.audits.append(audit(page, name))
        if narrow:
            for size in NARROW:
                page.set_viewport_size(size)
                settle(page)
                self.overflow[f"{name} at {size['width']}×{size['height']}"] = sideways_overflow(page)
            page.set_viewport_size(WIDE)

    def finish(self) -> None:
        table = (
            report(self.audits)
            + "\n\nSideways scrolling (CSS px):\n"
            + "\n".join(f"  {name}: {px} {what}" for name, (px, what) in self.overflow.items())
        )
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "axe").mkdir(exist_ok=True)
        (ARTIFACTS / "axe" / "report.md").write_text(table + "\n")
        print("\n" + table)
        blocking = [f"{a.page}: {v.line()}" for a in self.audits for v in a.blocking]
        sideways = {name: found for name, found in self.overflow.items() if found[0] > 0}
        assert not blocking, "serious or critical axe violations:\n" + "\n".join(blocking)
        assert not sideways, f"pages that scroll sideways (CSS px): {sideways}"


def open_from_menu(desk: Page, entry: str, heading: str) -> None:
    menu_entry(desk, entry).click()
    expect(desk.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=FIRST_LOAD)
    desk.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def test_every_page_and_state_passes_axe_and_reflows(app_server, laptops):
    base, rng = app_server.url, np.random.default_rng(13)
    service = service_for(app_server)
    walk = Walk()

    visitor = laptops(**WIDE)
    goto(visitor, base)
    expect(visitor.get_by_role("heading", name="Prioritise")).to_be_visible(timeout=QUICK)
    walk.check(visitor, "Start (a visitor)", narrow=True)

    workshop, key = service.create_workshop(sample_setup(weighting_round=True))
    facilitator = Facilitator(workshop.code, key, f"{base}/?w={workshop.code}&k={key}")
    weighting, scoring = workshop.rounds
    desk = laptops(**WIDE)
    open_page(desk, base, "setup", facilitator)
    for tab in ("Details", "Priorities", "Criteria", "Groups and rounds", "Import"):
        desk.get_by_role("tab", name=tab).click()
        expect(desk.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        walk.check(desk, f"Setup: {tab}")

    # The weighting round: join, and split the points.
    service.open_round(key, weighting.id)
    phone = laptops(**WIDE)
    goto(phone, join_url(base, workshop.code))
    expect(phone.get_by_role("button", name="Join")).to_be_visible(timeout=QUICK)
    walk.check(phone, "Join", narrow=True)
    person = Participant(phone, "Ada", workshop.groups[0].name)
    person.token = join(phone, base, workshop.code, person.group, person.name)
    first = phone.get_by_role("spinbutton", name=workshop.criteria[0].name)
    first.fill("40")
    first.press("Enter")
    expect(phone.get_by_text(SAVED)).to_be_visible(timeout=QUICK)
    walk.check(phone, "Weighting round", narrow=True)
    open_from_menu(desk, "Live control", "Live control")
    walk.check(desk, "Live control")
    projector = laptops(1024, 768)
    goto(projector, f"{base}/present?code={workshop.code}")
    expect(projector.get_by_text(workshop.code, exact=True)).to_be_visible(timeout=QUICK)
    walk.check(projector, "Projector: joining and answering")
    walk.overflow["Projector at 1024×768"] = sideways_overflow(projector)

    # The scoring round: a card, then the table.
    service.close_round(key, weighting.id)
    service.open_round(key, scoring.id)
    goto(phone, phone.url)
    criteria = [c.name for c in workshop.criteria]
    score(person, criteria[0], 3)
    score(person, criteria[1], None)
    walk.check(phone, "Scoring: a priority card", narrow=True)
    phone.get_by_role("radiogroup", name="View").get_by_text("Table").click()
    expect(phone.get_by_test_id("stDataFrame")).to_be_visible(timeout=QUICK)
    walk.check(phone, "Scoring: the table", narrow=True)

    seeded = seed_room(service, workshop)
    seed_scores(service, workshop, scoring.id, seeded, scoring.priority_ids, rng)
    service.close_round(key, scoring.id)
    goto(phone, phone.url)
    expect(phone.get_by_text("is closed")).to_be_visible(timeout=QUICK)
    walk.check(phone, "Scoring: round closed", narrow=True)
    service.reveal_round(key, scoring.id)
    goto(phone, phone.url)
    expect(phone.get_by_text(ONLY_YOURS)).to_be_visible(timeout=QUICK)
    expect(phone.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=CHART)
    walk.check(phone, "Participant's results", narrow=True)
    expect(projector.get_by_text("The room's top")).to_be_visible(timeout=QUICK)
    expect(projector.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=CHART)
    walk.check(projector, "Projector: results revealed")
    walk.overflow["Projector (revealed) at 1024×768"] = sideways_overflow(projector)

    open_from_menu(desk, "Results", "Results")
    for tab in TABS:
        desk.get_by_role("tab", name=tab).click()
        panel = desk.get_by_role("tabpanel", name=tab)
        expect(panel.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=CHART)
        walk.check(desk, f"Results: {tab}")

    # A ranking round on the top five, then the agreed shortlist.
    top = [p.id for p in workshop.priorities if p.id in scoring.priority_ids][:5]
    ranking = service.create_followup_round(key, scoring.id, top, kind="ranking", title="Order the five")
    service.open_round(key, ranking.id)
    goto(phone, phone.url)
    expect(phone.get_by_role("button", name="Save this order")).to_be_visible(timeout=QUICK)
    walk.check(phone, "Ranking round", narrow=True)
    service.close_round(key, ranking.id)
    decide(service, key, workshop.id, scoring.id, top)
    open_from_menu(desk, "Agree the shortlist", "Agree the shortlist")
    walk.check(desk, "Agree the shortlist")
    goto(phone, phone.url)
    expect(phone.get_by_role("heading", name="The agreed shortlist")).to_be_visible(timeout=QUICK)
    walk.check(phone, "The agreed shortlist (participant)", narrow=True)
    expect(projector.get_by_text("Agreed shortlist")).to_be_visible(timeout=QUICK)
    walk.check(projector, "Projector: the agreed shortlist")
    walk.overflow["Projector (agreed) at 1024×768"] = sideways_overflow(projector)

    with phone.context.expect_page(timeout=QUICK) as opened:  # a new tab: the participant's page stays open
        phone.get_by_role("link", name="Accessibility statement").click()
    statement = opened.value
    statement.set_viewport_size(WIDE)
    expect(statement.get_by_role("heading", name="Accessibility statement for Prioritise")).to_be_visible(timeout=QUICK)
    walk.check(statement, "Accessibility statement", narrow=True)

    walk.finish()


#: Whether an element is inside something a screen reader announces when it changes.
IN_LIVE_REGION = """el => {
  const region = el.closest('[aria-live], [role="status"], [role="alert"], [role="log"]');
  return region ? (region.getAttribute('role') || 'aria-live=' + region.getAttribute('aria-live')) : null;
}"""


def live_region(message: Locator) -> str | None:
    """The role of the live region the message is in (``status``, ``alert``...), or None."""
    return message.evaluate(IN_LIVE_REGION)


def announced(page: Page, message: str) -> None:
    """A toast's ``message`` is shown, and repeated in the page's own live region (``ui.theme.ANNOUNCER``):
    Streamlit's toast is a role="alertdialog", not a live region (checked, so this test notices if it becomes one)."""
    toast = page.get_by_test_id("stToast").filter(has_text=message)
    expect(toast).to_be_visible(timeout=QUICK)
    assert live_region(toast.get_by_text(message)) is None
    expect(page.locator(f"#{ANNOUNCER}[role='status']")).to_have_text(re.compile(re.escape(message)), timeout=QUICK)


def test_status_messages_are_announced(app_server, laptops):
    """ "Saved ✓", a toast (the facilitator's "… is open." and "… is closed.", as a save's "retrying" is one)
    and the participant's "round closed" notice are each in a live region there before the message."""
    base = app_server.url
    service = service_for(app_server)
    workshop, key = service.create_workshop(sample_setup())
    desk = laptops(**WIDE)
    open_page(desk, base, "live", Facilitator(workshop.code, key, ""))
    expect(desk.locator(f"#{ANNOUNCER}")).to_have_text("")  # the region is on the page before any toast
    open_round(desk, ROUND_1)
    announced(desk, "Round 1 is open.")

    phone = laptops(**WIDE)
    person = Participant(phone, "Ada", workshop.groups[0].name)
    person.token = join(phone, base, workshop.code, person.group, person.name)
    criterion = workshop.criteria[0].name
    score(person, criterion, 3)
    assert live_region(save_note(criterion_group(phone, criterion)).get_by_text(SAVED)) == "status"

    close_round(desk, ROUND_1)
    announced(desk, "Round 1 is closed.")
    goto(phone, phone.url)
    notice = phone.get_by_text("is closed: your answers below are kept")
    expect(notice).to_be_visible(timeout=QUICK)
    assert live_region(notice) == "status"
    assert_no_errors(phone)


#: Each kind of the projector's text, by its selector (the chart's title, priority names and notes too).
PROJECTOR_TEXT = (
    ".pz-title",
    ".pz-sub",
    ".pz-label",
    ".pz-link",
    ".pz-code",
    ".pz-note",
    ".pz-stat b",
    ".pz-stat span",
    ".pz-top li",
    '[data-testid="stPlotlyChart"] .gtitle',
    '[data-testid="stPlotlyChart"] .ytick text',
    '[data-testid="stPlotlyChart"] .annotation-text',
)
#: The smallest size (CSS px) of each kind of text shown, and the text it was.
PROJECTOR_TYPE = """selectors => {
  const sizes = {};
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (el.getClientRects().length && (!(selector in sizes) || px < sizes[selector][0]))
        sizes[selector] = [px, el.textContent.trim().slice(0, 40)];
    }
  }
  return sizes;
}"""
PROJECTOR_MIN_PX = 24


def readable(page: Page) -> dict[str, tuple[float, str]]:
    """The projector's text smaller than PROJECTOR_MIN_PX, by kind."""
    sizes = page.evaluate(PROJECTOR_TYPE, list(PROJECTOR_TEXT))
    assert sizes, "no projector text found"
    return {what: found for what, found in sizes.items() if found[0] < PROJECTOR_MIN_PX}


def test_the_projector_is_readable_at_1024_by_768(app_server, laptops):
    """Every line of the projector's text (and its chart's title, names and notes) is 24 px or more at
    1024 × 768, joining, answering and revealed, and the view never scrolls sideways."""
    base, rng = app_server.url, np.random.default_rng(7)
    service = service_for(app_server)
    workshop, key = service.create_workshop(sample_setup())
    (scoring,) = workshop.rounds
    projector = laptops(1024, 768)
    goto(projector, f"{base}/present?code={workshop.code}")
    expect(projector.get_by_text(workshop.code, exact=True)).to_be_visible(timeout=QUICK)
    assert readable(projector) == {}
    assert sideways_overflow(projector)[0] == 0

    service.open_round(key, scoring.id)
    seeded = seed_room(service, workshop)
    seed_scores(service, workshop, scoring.id, seeded, scoring.priority_ids, rng)
    expect(projector.get_by_text("of answers given")).to_be_visible(timeout=QUICK)
    assert readable(projector) == {}
    assert sideways_overflow(projector)[0] == 0

    service.close_round(key, scoring.id)
    service.reveal_round(key, scoring.id)
    expect(projector.get_by_text("The room's top")).to_be_visible(timeout=QUICK)
    expect(projector.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=CHART)
    projector.wait_for_selector('[data-testid="stPlotlyChart"] .ytick text')
    assert readable(projector) == {}
    assert sideways_overflow(projector)[0] == 0
    # the chart's numbers are beside it, in a table a screen reader can read
    projector.get_by_text("The numbers in this chart").click()
    expect(projector.get_by_test_id("stDataFrame")).to_be_visible(timeout=QUICK)
    assert_no_errors(projector)
