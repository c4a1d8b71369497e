"""Page-driving helpers for the browser tests: what a facilitator or a
participant does on a screen, said once, with accessible selectors (role,
label, text).

Streamlit's own test ids (``data-testid="stMetric"`` and the like, the ids
Streamlit's end-to-end tests use) stand in only where a widget has no
accessible name: metrics, the progress table, charts and exceptions.

Every helper waits for a visible outcome (a badge, a message, a checked
radio) with a bounded timeout instead of sleeping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ARTIFACTS, AppServer, full_screenshot, wait_for_app
from workshop.config import Settings
from workshop.service import WorkshopService

#: Generous bounds: the app reruns in well under a second, but two shared
#: cores running a server, Chromium and several sessions can stall.
QUICK = 15_000  # ms: a rerun after a click
REFRESH = 35_000  # ms: a self-refreshing page noticing a change made elsewhere (polls of 3–20 s)
FIRST_LOAD = 45_000  # ms: a page whose first run imports the analysis modules
CHART = 45_000  # ms: a plotly chart (several megabytes of script per browser context) in a busy browser

DONT_KNOW = "Don't know"
SAVED = "Saved ✓"
ONLY_YOURS = "You see the room's combined result and your own answers"


def service_for(server: AppServer) -> WorkshopService:
    """A service on the server's own SQLite file: for setting up state and checking the store."""
    return WorkshopService.from_settings(Settings.from_env({"PRIORITISE_DB_PATH": str(server.db_path)}))


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot kept as a test artefact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    full_screenshot(page, path)
    return path


def goto(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


#: Everything the app has drawn has finished drawing: each plotly chart has its SVG, each image and
#: component frame has loaded, and no element is still a loading skeleton.
DRAWN = """() =>
    Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(c => c.querySelector('.main-svg'))
    && Array.from(document.images).every(i => i.complete)
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def wait_until_drawn(page: Page, timeout: float = CHART) -> None:
    """The app idle and every chart, image and component drawn (they draw after the run ends)."""
    wait_for_app(page)
    page.wait_for_function(DRAWN, timeout=timeout)


def mark_page(page: Page) -> None:
    """Tag the loaded document, so a test can prove later that it was never reloaded."""
    page.evaluate("() => { window.__notReloaded = true; }")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"


def metric(page: Page, label: str) -> Locator:
    """The value of the st.metric labelled ``label``."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def table_rows(table: Locator) -> list[list[str]]:
    """The body rows of an st.dataframe, read from the grid's accessible table
    (the grid itself is drawn on a canvas)."""
    return table.evaluate(
        """el => Array.from(el.querySelectorAll('table[role="grid"] tbody tr')).map(
            tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()))"""
    )


def table_header(table: Locator) -> list[str]:
    return table.evaluate(
        """el => Array.from(el.querySelectorAll('table[role="grid"] thead th')).map(th => th.textContent.trim())"""
    )


# --------------------------------------------------------------------------- facilitator


@dataclass(frozen=True)
class Facilitator:
    """What the start page shows once: the join code, the key and the facilitator link."""

    code: str
    key: str
    link: str

    @property
    def query(self) -> str:
        return f"w={self.code}&k={self.key}"


def create_sample_workshop(page: Page, base_url: str) -> Facilitator:
    """Create the sample workshop from the start page and read the key and link it shows once."""
    goto(page, base_url)
    page.get_by_role("button", name="Create the sample workshop").click()
    expect(page.get_by_text("Save your facilitator key now")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_test_id("stCode")).to_have_count(2)
    key = page.get_by_test_id("stCode").nth(0).inner_text().strip()
    link = page.get_by_test_id("stCode").nth(1).inner_text().strip()
    query = parse_qs(urlsplit(link).query)
    assert query["k"] == [key], link
    code = query["w"][0]
    expect(page.get_by_text(f"Its join code is {code}")).to_be_visible()
    return Facilitator(code, key, link)


def open_page(page: Page, base_url: str, path: str, who: Facilitator) -> None:
    """A facilitator page by its URL (``live``, ``agree``, ``results``...), signed in by the link's query."""
    goto(page, f"{base_url}/{path}?{who.query}")


def round_card(page: Page, label: str) -> Locator:
    """The live page's box for one round ("Round 1: Scoring all priorities")."""
    title = page.get_by_text(label, exact=True)
    return page.get_by_test_id("stVerticalBlock").filter(has=title).last


def round_action(page: Page, label: str, action: str, badge: str, confirm: bool = True) -> None:
    """Press a round's button on the live page (and confirm it in its popover), then wait for the new badge."""
    round_card(page, label).get_by_role("button", name=action, exact=True).click()
    if confirm:
        page.get_by_role("button", name=f"Yes, {action.lower()}").click()
    expect(round_card(page, label)).to_contain_text(badge, timeout=QUICK)
    wait_for_app(page)


def open_round(page: Page, label: str, first: bool = True) -> None:
    """Open a round; the first one asks for confirmation (it locks the setup)."""
    round_action(page, label, "Open", "🟢 Open", confirm=first)


def close_round(page: Page, label: str) -> None:
    round_action(page, label, "Close", "🟠 Closed")


def reveal_round(page: Page, label: str) -> None:
    round_action(page, label, "Reveal results", "🔵 Results revealed", confirm=False)


def progress_table(page: Page) -> Locator:
    """Live control's table of who has joined and how far each has got: the one with a Progress column
    (the same page may also show the completion by round and group, and a consultation's coverage)."""
    header = page.locator('table[role="grid"] thead th').filter(has_text=re.compile(r"^\s*Progress\s*$"))
    return page.get_by_test_id("stDataFrame").filter(has=header)


# --------------------------------------------------------------------------- participant


@dataclass
class Participant:
    """A participant's browser page and every answer whose save they saw confirmed."""

    page: Page
    name: str
    group: str
    token: str = ""
    #: (priority id, criterion name) -> value (None: "don't know"), as confirmed on screen.
    confirmed: dict[tuple[int, str], float | None] = field(default_factory=dict)


def join_url(base_url: str, code: str) -> str:
    return f"{base_url}/join?code={code}"


def join(page: Page, base_url: str, code: str, group: str, name: str = "") -> str:
    """Join by the link a QR code gives (/join?code=...), choosing a group and a name; the token.

    A page already sent to the join link (to load several laptops at once) is not loaded again."""
    if page.url != join_url(base_url, code):
        page.goto(join_url(base_url, code))
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="Workshop code")).to_have_value(code, timeout=QUICK)
    page.get_by_role("combobox", name="Your stakeholder group").click()
    page.get_by_role("option", name=re.compile(rf"^{re.escape(group)}( —|$)")).click()
    if name:
        page.get_by_role("textbox", name="Your name (optional)").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"/vote\?p="), timeout=QUICK)
    wait_for_app(page)
    return token_of(page)


def token_of(page: Page) -> str:
    return parse_qs(urlsplit(page.url).query)["p"][0]


def criterion_group(page: Page, criterion: str) -> Locator:
    return page.get_by_role("radiogroup", name=criterion, exact=True)


def option_pattern(value: int | None) -> re.Pattern[str]:
    """An option's label: "3 — Significant effect on one outcome", or "Don't know"."""
    return re.compile(rf"^{value} — ") if value is not None else re.compile(rf"^{re.escape(DONT_KNOW)}$")


def save_note(group: Locator) -> Locator:
    """The element right after a criterion's control: where its save confirmation (or refusal) appears."""
    return group.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]/following-sibling::*[1]")


def current_priority(page: Page) -> tuple[int, str]:
    """The priority on the card shown: (id, name), from the card heading's anchor ``priority-ID``."""
    heading = page.get_by_role("heading", level=3).filter(has=page.get_by_role("link", name="Link to heading"))
    expect(heading).to_have_count(1, timeout=QUICK)
    anchor = heading.get_attribute("id") or ""
    assert anchor.startswith("priority-"), anchor
    return int(anchor.removeprefix("priority-")), heading.inner_text().strip()


def choose(person: Participant, criterion: str, value: int | None) -> None:
    """Click one criterion's answer on the card shown (see ``confirm``)."""
    criterion_group(person.page, criterion).get_by_text(option_pattern(value)).click()


def confirm(person: Participant, criterion: str, value: int | None) -> None:
    """Wait for the answer to show as chosen and for "Saved ✓" beside it; remember it as confirmed."""
    page = person.page
    group = criterion_group(page, criterion)
    expect(group.get_by_role("radio", name=option_pattern(value))).to_be_checked(timeout=QUICK)
    expect(save_note(group)).to_contain_text(SAVED, timeout=QUICK)
    priority_id, _ = current_priority(page)
    person.confirmed[priority_id, criterion] = None if value is None else float(value)


def score(person: Participant, criterion: str, value: int | None) -> None:
    """Answer one criterion on the card shown, and wait for "Saved ✓" beside it."""
    choose(person, criterion, value)
    confirm(person, criterion, value)


def score_together(room: list[Participant], answers: list[dict[str, int | None]]) -> None:
    """Everyone answers at once, as in the room: each criterion is clicked on every laptop before
    the confirmations are awaited (so the server handles the saves side by side)."""
    criteria = list(dict.fromkeys(criterion for person_answers in answers for criterion in person_answers))
    for criterion in criteria:
        chosen = [(person, a[criterion]) for person, a in zip(room, answers, strict=True) if criterion in a]
        for person, value in chosen:
            choose(person, criterion, value)
        for person, value in chosen:
            confirm(person, criterion, value)


def expect_answer(page: Page, criterion: str, value: int | None) -> None:
    """The criterion's control shows exactly ``value`` checked (None: "don't know")."""
    group = criterion_group(page, criterion)
    expect(group.get_by_role("radio", checked=True)).to_have_count(1, timeout=QUICK)
    expect(group.get_by_role("radio", name=option_pattern(value))).to_be_checked()


def expect_unanswered(page: Page, criterion: str) -> None:
    group = criterion_group(page, criterion)
    expect(group).to_be_visible(timeout=QUICK)
    expect(group.get_by_role("radio", checked=True)).to_have_count(0)


def next_card(page: Page) -> tuple[int, str]:
    """Press Next and wait for the next priority's card, scrolled into view with its heading focused.

    The page scrolls the new card's heading into view a moment after drawing
    it: a click aimed before that scroll would land on whatever scrolled
    under the pointer, so wait for the focus that comes with the scroll."""
    before, _ = current_priority(page)
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator(f"[id='priority-{before}']")).to_have_count(0, timeout=QUICK)
    after = current_priority(page)
    expect(page.locator(f"[id='priority-{after[0]}']")).to_be_focused(timeout=QUICK)
    wait_for_app(page)
    return after


def expect_scoring_page(page: Page, answered: int, total: int) -> None:
    """The open round's card view, with its progress line."""
    expect(page.get_by_text(f"{answered} of {total} answered")).to_be_visible(timeout=QUICK)
    expect(page.get_by_role("radiogroup", name="View")).to_be_visible(timeout=QUICK)
