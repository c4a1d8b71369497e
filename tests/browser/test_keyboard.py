"""Issue 13: a participant who uses the keyboard alone (Tab, Shift+Tab, the arrows, Space and Enter).

They join (the focus then lands on the round's heading), split the 100 points
of a weighting round, score a whole priority card (one criterion "Don't know"),
move to the next card, switch to the table view and back, and put a ranking round in order.  After every key the focus
must be on something (never lost to the page after a rerun) and drawn with a
visible ring of 3:1 or more against the page.  The facilitator's steps (opening
and closing rounds) go through the service; the participant's page is then
reloaded rather than waiting up to 20 s for it to move on by itself.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.a11y import contrast
from tests.browser.conftest import wait_for_app
from tests.browser.helpers import (
    QUICK,
    SAVED,
    criterion_group,
    current_priority,
    join_url,
    option_pattern,
    save_note,
    service_for,
    token_of,
)
from ui.ranking_round import button_key
from ui.theme import PAGE_BACKGROUND
from workshop.imports import sample_setup

pytestmark = pytest.mark.browser

#: The element drawn with the focus ring: the focused control, or the box Streamlit draws around it.
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const boxes = [el, el.closest('label'), el.closest('[data-baseweb="select"]'), el.closest('[data-baseweb="input"]'),
                 el.closest('[data-baseweb="textarea"]')].filter(Boolean);
  for (const box of boxes) {
    const s = getComputedStyle(box);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) {
      const r = box.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) return [s.outlineColor, el.outerHTML.slice(0, 120)];
    }
  }
  return ['', el.outerHTML.slice(0, 120)];
}"""
MAX_TABS = 40


def rgb_hex(css: str) -> str:
    """ "rgb(11, 12, 12)" as "#0b0c0c"."""
    parts = css[css.index("(") + 1 : css.index(")")].split(",")[:3]
    return "#" + "".join(f"{int(float(p)):02x}" for p in parts)


def expect_focus_shown(page: Page) -> None:
    found = page.evaluate(FOCUS_RING)
    assert found is not None, "the focus was lost to the page"
    colour, where = found
    assert colour, f"no visible focus ring on {where}"
    assert contrast(rgb_hex(colour), PAGE_BACKGROUND) >= 3, f"focus ring {colour} on {where}"


def key(page: Page, name: str) -> None:
    page.keyboard.press(name)
    expect_focus_shown(page)


def tab_to(page: Page, target: Locator, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until ``target`` (or something inside it) has the focus."""
    for _ in range(MAX_TABS):
        if target.evaluate("el => el.contains(document.activeElement)"):
            return
        key(page, "Shift+Tab" if back else "Tab")
    raise AssertionError(f"{MAX_TABS} presses of Tab did not reach {target}")


def settled(page: Page) -> None:
    """After a key that reruns the app: idle again, with the focus still shown."""
    wait_for_app(page)
    expect_focus_shown(page)


def answer(page: Page, criterion: str, value: int | None) -> None:
    """Choose ``value`` in a criterion's radio group: Tab into it, Space chooses the first option and each
    down arrow the next (each choice is saved, and the focus must stay in the group through the rerun)."""
    group = criterion_group(page, criterion)
    tab_to(page, group)
    labels = [
        label.strip()
        for label in group.get_by_role("radio").evaluate_all("els => els.map(el => el.closest('label').innerText)")
    ]
    wanted = next(n for n, label in enumerate(labels) if option_pattern(value).match(label))
    key(page, "Space")
    for _ in range(wanted):
        key(page, "ArrowDown")
    expect(group.get_by_role("radio", name=option_pattern(value))).to_be_checked(timeout=QUICK)
    expect(save_note(group)).to_contain_text(SAVED, timeout=QUICK)
    settled(page)
    assert group.evaluate("el => el.contains(document.activeElement)"), f"the focus left {criterion}"


def test_a_participant_takes_part_by_keyboard_alone(app_server, laptops):
    base = app_server.url
    service = service_for(app_server)
    workshop, facilitator_key = service.create_workshop(sample_setup(weighting_round=True))
    weighting, scoring = workshop.rounds
    service.open_round(facilitator_key, weighting.id)
    page = laptops(1000, 900)
    page.goto(join_url(base, workshop.code))
    wait_for_app(page)

    # Join: the group by the arrows, then the Join button.
    group_box = page.get_by_role("combobox", name="Your stakeholder group")
    tab_to(page, group_box)
    key(page, "ArrowDown")
    expect(page.get_by_role("option").first).to_be_visible(timeout=QUICK)
    key(page, "Enter")
    expect(group_box).to_have_value(re.compile(rf"^{re.escape(workshop.groups[0].name)}"))
    tab_to(page, page.get_by_role("button", name="Join"))
    key(page, "Enter")
    page.wait_for_url("**/vote?p=*", timeout=QUICK)
    wait_for_app(page)
    # The join page is replaced: the focus goes to the round's heading, not back to the page (<body>).
    expect(page.get_by_test_id("stMain").locator("h3").first).to_be_focused(timeout=QUICK)
    assert page.evaluate("() => document.activeElement !== document.body")
    expect_focus_shown(page)
    token = token_of(page)

    # The weighting round: 20 points to each of the five criteria by the up arrow.
    for criterion in workshop.criteria:
        box = page.get_by_role("spinbutton", name=criterion.name)
        tab_to(page, box)
        for _ in range(20):
            key(page, "ArrowUp")
        key(page, "Enter")
        expect(box).to_have_value("20", timeout=QUICK)
        settled(page)
    expect(page.get_by_text("All 100 points given")).to_be_visible(timeout=QUICK)
    assert [p.points for p in service.my_allocation(token, weighting.id).points] == [20] * 5

    # The scoring round: a whole card, one criterion "don't know", then the next card.
    service.close_round(facilitator_key, weighting.id)
    service.open_round(facilitator_key, scoring.id)
    page.reload()
    wait_for_app(page)
    criteria = [c.name for c in workshop.criteria]
    first_id, _ = current_priority(page)
    values = [3, None, 4, 2, 5]
    for criterion, value in zip(criteria, values, strict=True):
        answer(page, criterion, value)
    stored = {
        e.criterion_id: e.value for e in service.my_scores(token, scoring.id).entries if e.priority_id == first_id
    }
    assert [stored[c.id] for c in workshop.criteria] == [3, None, 4, 2, 5]
    tab_to(page, page.get_by_role("button", name="Next", exact=True))
    key(page, "Enter")
    expect(page.locator(f"[id='priority-{first_id}']")).to_have_count(0, timeout=QUICK)
    second_id, _ = current_priority(page)
    expect(page.locator(f"[id='priority-{second_id}']")).to_be_focused(timeout=QUICK)
    settled(page)

    # The table view and back, from the View switch above the card.
    view = page.get_by_role("radiogroup", name="View")
    tab_to(page, view, back=True)  # lands on the chosen view; the arrows move between the views
    key(page, "ArrowRight")
    key(page, "Space")
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=QUICK)
    settled(page)
    tab_to(page, view, back=True)
    key(page, "ArrowLeft")
    key(page, "Space")
    expect(page.get_by_role("heading", level=3).first).to_be_visible(timeout=QUICK)
    settled(page)
    assert current_priority(page)[0] == second_id

    # A ranking round on five priorities: move the first one down twice.
    five = list(scoring.priority_ids[:5])
    service.close_round(facilitator_key, scoring.id)
    ranking = service.create_followup_round(facilitator_key, scoring.id, five, kind="ranking", title="Order")
    service.open_round(facilitator_key, ranking.id)
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Save this order")).to_be_visible(timeout=QUICK)
    names = {p.name: p.id for p in workshop.priorities}
    first_row = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^1\. "))
    top = first_row.inner_text().split(".", 1)[1].strip()
    moved_down = page.locator(f".st-key-{button_key('down', ranking.id, names[top])} button:visible")
    for position in range(2):
        tab_to(page, moved_down, back=position > 0)
        key(page, "Enter")
        expect(page.get_by_test_id("stMarkdownContainer").filter(has_text=f"{position + 2}. {top}")).to_have_count(
            1, timeout=QUICK
        )
        # The rows are drawn afresh in the new order: the focus follows the moved priority's Down button.
        expect(moved_down).to_be_focused(timeout=QUICK)
        settled(page)
    assert service.my_ranking(token, ranking.id).priority_ids.index(names[top]) == 2
