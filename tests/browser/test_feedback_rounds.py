"""Feedback between rounds in Chromium: the facilitator asks why answers changed for round 2; a participant
sees their round-1 answer and the room's, moves an answer across the scale, says why; the facilitator's
Results page and the board paper (HTML, downloaded) show the reason without a name."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import assert_no_errors, wait_for_app
from tests.browser.helpers import (
    FIRST_LOAD,
    QUICK,
    REFRESH,
    SAVED,
    Facilitator,
    close_round,
    criterion_group,
    goto,
    open_page,
    open_round,
    save_note,
    screenshot,
    service_for,
    table_rows,
)
from tests.workshop.conftest import small_setup
from workshop.models import FeedbackSettings, ScoreEntry

REASON = "The evidence pack on waiting times changed my mind"
# Round 1, "Need" (1–5) on the first priority: Ann 1; Bob 4 and Cy 5 (Council, with Ann); Dee 5 (NHS, alone).
ROUND_1_NEED = {"Ann": 1, "Bob": 4, "Cy": 5, "Dee": 5}
GROUPS = {"Ann": "Council", "Bob": "Council", "Cy": "Council", "Dee": "NHS"}


def _markdown_row(page: Page, first_cell: str) -> Locator:
    return page.locator("table tr").filter(has=page.get_by_role("cell", name=first_cell, exact=True))


def test_a_round_2_participant_sees_round_1_changes_an_answer_and_the_reason_reaches_the_board_paper(
    app_server, laptops, tmp_path
):
    base, service = app_server.url, service_for(app_server)
    workshop, key = service.create_workshop(small_setup("Converging rounds"))
    who = Facilitator(workshop.code, key, "")
    round_1 = workshop.rounds[0]
    first, need = workshop.priorities[0], workshop.criteria[0]
    service.open_round(key, round_1.id)
    people = {name: service.join(workshop.code, name, group) for name, group in GROUPS.items()}
    for name, person in people.items():  # everyone answers everything; the first priority's Need as above
        entries = [
            ScoreEntry(p.id, c.id, ROUND_1_NEED[name] if (p.id, c.id) == (first.id, need.id) else c.scale_max)
            for p in workshop.priorities
            for c in workshop.criteria
        ]
        service.save_scores(person.token, round_1.id, entries)
    service.close_round(key, round_1.id)

    # The facilitator makes round 2 on Live control, asking why answers changed, and opens it.
    desk = laptops(1400, 1000)
    open_page(desk, base, "live", who)
    create = desk.get_by_role("button", name="Create the follow-up round")
    expect(create).to_be_visible(timeout=FIRST_LOAD)
    expect(desk.get_by_role("radio", name="By stakeholder group (shown separately)")).to_be_checked()
    desk.get_by_text("Ask why answers changed", exact=True).click()
    expect(desk.get_by_role("checkbox", name="Ask why answers changed")).to_be_checked(timeout=QUICK)
    create.click()
    expect(desk.get_by_test_id("stToastText").get_by_text(re.compile(r"^Round 2: .* added"))).to_be_visible(
        timeout=QUICK
    )
    round_2 = service.workshop(workshop.code).rounds[1]
    assert first.id in round_2.priority_ids and round_2.feedback == FeedbackSettings(ask_why=True)
    open_round(desk, round_2.label, first=False)

    # Ann, on her own laptop, goes to the first priority's card in round 2.
    ann = laptops(1100, 1000)
    goto(ann, f"{base}/vote?p={people['Ann'].token}")
    expect(ann.get_by_role("heading", name=round_2.label)).to_be_visible(timeout=REFRESH)
    ann.get_by_role("combobox", name="Go to priority").click()
    ann.get_by_role("option", name=re.compile(rf"\. {re.escape(first.name)}\s")).click()
    expect(ann.get_by_role("heading", name=first.name, level=3)).to_be_visible(timeout=QUICK)
    wait_for_app(ann)

    # Her own round-1 answer, highlighted, and Council's answers (1, 4, 5: median 4) with hers marked;
    # NHS (one answer: Dee's) is not shown on its own.
    expect(ann.get_by_text("Your answer in Round 1: 1").first).to_be_visible(timeout=QUICK)
    council = _markdown_row(ann, "Council (your group)").first
    expect(council).to_be_visible()
    assert [c.strip() for c in council.locator("td").all_inner_texts()] == [
        "Council (your group)",
        "1",
        "0",
        "0",
        "1",
        "1",
        "0",
        "4",
    ]
    expect(ann.get_by_role("columnheader", name="1 (you)").first).to_be_visible()
    expect(_markdown_row(ann, "NHS")).to_have_count(0)
    expect(ann.get_by_text("1 answer is left out: from groups too small to show on their own.").first).to_be_visible()
    expect(ann.get_by_role("button", name="Keep my Round 1 answers")).to_be_visible()
    screenshot(ann, "feedback-01-participant-round-2-card")

    # She moves Need from 1 to 5 (bottom third to top third) and is asked why.
    group = criterion_group(ann, need.name)
    group.get_by_text(re.compile(r"^5$")).click()
    expect(group.get_by_role("radio", name="5", exact=True)).to_be_checked(timeout=QUICK)
    expect(save_note(group)).to_contain_text(SAVED, timeout=QUICK)
    why = ann.get_by_role("textbox", name="Why did you change? (optional)")
    expect(why).to_have_count(1, timeout=QUICK)
    why.fill(REASON)
    why.press("Tab")  # saved when she leaves the box
    why_note = why.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]/following-sibling::*[1]")
    expect(why_note).to_contain_text(SAVED, timeout=QUICK)
    screenshot(ann, "feedback-02-participant-gave-a-reason")
    (stored,) = service.change_reasons(key, round_2.id)
    assert (stored.priority, stored.criterion, stored.before, stored.after, stored.reason) == (
        first.name,
        need.name,
        1.0,
        5.0,
        REASON,
    )

    # The facilitator closes round 2; Results shows the reason, without a name.
    open_page(desk, base, "live", who)
    close_round(desk, round_2.label)
    open_page(desk, base, "results", who)
    expect(desk.get_by_text("Why answers changed", exact=True)).to_be_visible(timeout=FIRST_LOAD)
    frames = desk.get_by_test_id("stDataFrame")
    expect(frames.filter(has_text=REASON)).to_have_count(1, timeout=QUICK)
    rows = table_rows(frames.filter(has_text=REASON))
    assert rows == [[first.name, need.name, "1", "5", REASON]], rows
    assert "Ann" not in " ".join(cell for row in rows for cell in row)
    screenshot(desk, "feedback-03-results-reasons")

    # The board paper, downloaded from the Results page, shows it too.
    desk.get_by_text("Export the board paper and tables").click()
    desk.get_by_role("button", name="Prepare the exports").click()
    html_button = desk.get_by_role("button", name="Board paper (HTML, prints to PDF)")
    expect(html_button).to_be_visible(timeout=FIRST_LOAD)
    with desk.expect_download() as download:
        html_button.click()
    saved = tmp_path / download.value.suggested_filename
    assert saved.suffix == ".html"
    download.value.save_as(saved)
    paper = saved.read_text(encoding="utf-8")
    assert "Feedback between rounds" in paper and REASON in paper
    assert_no_errors(desk)
    board = laptops(1100, 1000)
    board.goto(saved.as_uri())
    expect(board.get_by_role("heading", name="Feedback between rounds")).to_be_visible()
    reasons = board.locator("table[data-table='Reasons for changes']")
    expect(reasons.locator("caption")).to_have_text("Why answers changed")
    assert [[c.strip() for c in tr.locator("td").all_inner_texts()] for tr in reasons.locator("tbody tr").all()] == [
        ["2", first.name, need.name, "bottom third to top third", REASON]
    ]
    assert "Ann" not in reasons.inner_text()
