"""A whole workshop in real Chromium, 32 → 10 → 5: the facilitator creates
the sample workshop, runs round 1 on all 32 priorities, narrows the list to
about ten on the agreement page, runs round 2 on those, and agrees the five
with a reason for each; the decision is checked in the store, every tab of
the Results page draws its charts, and each facilitator and participant
screen is saved as a screenshot in test-artifacts/ (the projector's are
saved by test_live_workshop.py).

Two participants answer through their browsers; four more are seeded
through the service (their whole rounds in one save each) so the room has
enough answers for meaningful results without clicking 640 radios.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors
from tests.browser.helpers import (
    CHART,
    FIRST_LOAD,
    ONLY_YOURS,
    QUICK,
    REFRESH,
    Facilitator,
    Participant,
    close_round,
    create_sample_workshop,
    expect_scoring_page,
    join,
    next_card,
    open_page,
    open_round,
    reveal_round,
    score_together,
    screenshot,
    service_for,
)
from workshop.models import ScoreEntry, Workshop
from workshop.service import WorkshopService

pytestmark = pytest.mark.browser

ROUND_1 = "Round 1: Scoring all priorities"
ROUND_2_TITLE = "Scoring the shortlist"
ROUND_2 = f"Round 2: {ROUND_2_TITLE}"
TABS = ("Ranking", "Show the working", "Disagreement", "Consensus", "Sensitivity", "What if")
DECIDED_BY = "Children's Trust board, 14 March 2011"


def seed_room(service: WorkshopService, workshop: Workshop) -> list[str]:
    """Four more participants (tokens), one per remaining stakeholder group, who have joined."""
    return [service.join(workshop.code, f"Seeded {n}", g.name).token for n, g in enumerate(workshop.groups[2:], 1)]


def seed_scores(
    service: WorkshopService,
    workshop: Workshop,
    round_id: int,
    tokens: list[str],
    priority_ids: tuple[int, ...],
    rng: np.random.Generator,
) -> None:
    """Each seeded participant scores every priority of the round in one save: a shared view of each
    priority's merit, each person's own noise, and the odd "don't know"."""
    merit = {pid: 1 + 4 * rng.random() for pid in sorted(priority_ids)}
    for token in tokens:
        entries = []
        for pid in priority_ids:
            for criterion in workshop.criteria:
                value = float(np.clip(np.rint(merit[pid] + rng.normal(0, 0.8)), 1, 5))
                entries.append(ScoreEntry(pid, criterion.id, None if rng.random() < 0.05 else value))
        service.save_scores(token, round_id, entries)


def browser_scores(room: list[Participant], rng: np.random.Generator, criteria: list[str]) -> None:
    """The two browser participants score their first priority in full and a little of the next."""
    score_together(
        room, [{c: (None if i == n else int(rng.integers(1, 6))) for i, c in enumerate(criteria)} for n in range(2)]
    )
    for person in room:
        next_card(person.page)
    score_together(room, [{criteria[0]: int(rng.integers(1, 6)), criteria[1]: int(rng.integers(1, 6))} for _ in room])


def expect_results(person: Participant, round_label: str) -> None:
    """The participant's page moves on by itself to the round's revealed result."""
    page = person.page
    expect(page.get_by_role("heading", name=round_label)).to_be_visible(timeout=REFRESH)
    expect(page.get_by_text(ONLY_YOURS)).to_be_visible(timeout=REFRESH)
    expect(page.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=CHART)
    assert_no_errors(page)


def results_tabs(desk: Page, base: str, facilitator: Facilitator) -> None:
    """Every tab of the Results page draws its charts without an error."""
    open_page(desk, base, "results", facilitator)
    expect(desk.get_by_role("heading", name="Results")).to_be_visible(timeout=QUICK)
    for n, tab in enumerate(TABS):
        desk.get_by_role("tab", name=tab).click()
        panel = desk.get_by_role("tabpanel", name=tab)
        expect(panel.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=CHART)
        expect(desk.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        assert_no_errors(desk)
        screenshot(desk, f"full-09-results-{n + 1}-{tab.lower().replace(' ', '-')}")


def test_a_whole_workshop_from_32_to_10_to_5(app_server, laptops):
    base, rng = app_server.url, np.random.default_rng(2011)
    service = service_for(app_server)
    desk = laptops(1400, 1000)
    facilitator = create_sample_workshop(desk, base)
    screenshot(desk, "full-01-start-workshop-created")
    desk.get_by_role("button", name="I have saved the key").click()
    desk.get_by_role("link", name="Set up the workshop").click()
    expect(desk.get_by_role("heading", name="Setup")).to_be_visible(timeout=QUICK)
    screenshot(desk, "full-02-setup")
    workshop = service.workshop(facilitator.code)
    criteria = [c.name for c in workshop.criteria]

    open_page(desk, base, "live", facilitator)
    open_round(desk, ROUND_1)
    room = [
        Participant(laptops(1000, 900), name, g.name)
        for name, g in zip(("Hana", "Ian"), workshop.groups[:2], strict=True)
    ]
    for person in room:
        person.token = join(person.page, base, facilitator.code, person.group, person.name)
        expect_scoring_page(person.page, 0, 160)
    screenshot(room[0].page, "full-03-participant-scoring")
    seeded = seed_room(service, workshop)
    round_1 = service.workshop(facilitator.code).rounds[0]
    seed_scores(service, workshop, round_1.id, seeded, round_1.priority_ids, rng)
    browser_scores(room, rng, criteria)
    expect(desk.get_by_test_id("stMetric").filter(has_text="Joined")).to_contain_text("6", timeout=REFRESH)
    screenshot(desk, "full-04-live-progress")
    close_round(desk, ROUND_1)
    reveal_round(desk, ROUND_1)
    for person in room:
        expect_results(person, ROUND_1)
    screenshot(room[0].page, "full-05-participant-results")

    # Narrow the 32 to about ten for round 2, on the agreement page.
    open_page(desk, base, "agree", facilitator)
    expect(desk.get_by_role("spinbutton", name="Suggest the top")).to_have_value("10", timeout=FIRST_LOAD)
    create = desk.get_by_role("button", name=re.compile(r"^Create a round on these \d+$"))
    suggested = int(create.inner_text().split()[-1])
    assert 10 <= suggested <= 13, suggested  # the top ten, and any just below on which the room is divided
    desk.get_by_role("textbox", name="Title (optional)").fill(ROUND_2_TITLE)
    desk.get_by_role("textbox", name="Title (optional)").press("Enter")
    screenshot(desk, "full-06-agree-narrowing")
    create.click()
    # The toast itself (ui/theme.py copies its text into a screen readers' live region too).
    created = desk.get_by_test_id("stToastText").get_by_text(f"{ROUND_2} created with {suggested} priorities")
    expect(created).to_be_visible(timeout=QUICK)
    round_2 = service.workshop(facilitator.code).rounds[1]
    assert round_2.label == ROUND_2 and len(round_2.priority_ids) == suggested
    assert set(round_2.priority_ids) < set(round_1.priority_ids)

    open_page(desk, base, "live", facilitator)
    open_round(desk, ROUND_2, first=False)
    for person in room:  # the participants' pages move on to round 2 by themselves
        expect(person.page.get_by_role("heading", name=ROUND_2)).to_be_visible(timeout=REFRESH)
        expect_scoring_page(person.page, 0, 5 * suggested)
    seed_scores(service, workshop, round_2.id, seeded, round_2.priority_ids, rng)
    browser_scores(room, rng, criteria)
    close_round(desk, ROUND_2)
    reveal_round(desk, ROUND_2)
    for person in room:
        expect_results(person, ROUND_2)

    # Agree the five, each with its reason, against round 2's results.
    open_page(desk, base, "agree", facilitator)
    basis = desk.get_by_role("combobox", name="Measured against the results of")
    expect(basis).to_have_value(ROUND_2, timeout=FIRST_LOAD)
    why = desk.get_by_role("textbox", name="Why “")
    expect(why).to_have_count(5)
    agreed = []
    for n in range(5):
        box = why.nth(n)
        name = (box.get_attribute("aria-label") or "").removeprefix("Why “").removesuffix("”?")
        agreed.append(name)
        box.fill(f"Reason {n + 1}: the room rated “{name}” among the most needed and the most feasible.")
    desk.get_by_role("textbox", name="Decided by").fill(DECIDED_BY)
    desk.get_by_role("textbox", name="Note for the record (optional)").fill("Agreed after discussion of round 2.")
    screenshot(desk, "full-07-agree-shortlist")
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.get_by_test_id("stToastText").get_by_text("The decision is recorded.")).to_be_visible(timeout=QUICK)
    recorded = desk.get_by_text(f"Agreed by {DECIDED_BY}")
    expect(recorded).to_be_visible(timeout=QUICK)
    for name in agreed:
        expect(desk.get_by_role("main")).to_contain_text(name)
    assert_no_errors(desk)
    screenshot(desk, "full-08-agree-recorded")

    # The store has the decision as agreed on the screen.
    decision = service.decision(facilitator.key, workshop.id)
    assert decision is not None
    names = {p.id: p.name for p in workshop.priorities}
    assert [names[e.priority_id] for e in decision.shortlist] == agreed
    assert all(e.rationale.startswith(f"Reason {n}:") for n, e in enumerate(decision.shortlist, 1))
    assert decision.decided_by == DECIDED_BY and decision.round_id == round_2.id
    assert {e.priority_id for e in decision.shortlist} <= set(round_2.priority_ids)

    results_tabs(desk, base, facilitator)
