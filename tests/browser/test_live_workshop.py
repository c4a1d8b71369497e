"""A live round in real Chromium: a facilitator and a room of participants on
separate browser contexts (separate laptops) against one ``streamlit run``
server; the projector view; a participant who reloads mid-round; and bad
links.

Where setting up state is not the point of a test, it goes through the
service on the server's own SQLite file; what is tested is driven through
the browser, and the store is checked afterwards.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors
from tests.browser.helpers import (
    CHART,
    ONLY_YOURS,
    QUICK,
    REFRESH,
    Facilitator,
    Participant,
    assert_not_reloaded,
    close_round,
    create_sample_workshop,
    current_priority,
    expect_answer,
    expect_scoring_page,
    expect_unanswered,
    goto,
    join,
    join_url,
    mark_page,
    metric,
    next_card,
    open_page,
    open_round,
    progress_table,
    reveal_round,
    score,
    score_together,
    screenshot,
    service_for,
    table_rows,
)
from ui.qr import qr_png
from workshop.imports import sample_setup
from workshop.models import ScoreEntry, Workshop
from workshop.service import STALE_TOKEN, WRONG_KEY, WorkshopService

pytestmark = pytest.mark.browser

ROUND_1 = "Round 1: Scoring all priorities"
CRITERIA = tuple(c.name for c in sample_setup().criteria)
CELLS = len(sample_setup().priorities) * len(CRITERIA)  # 32 priorities x 5 criteria
ROOM = (  # name (empty: anonymous), stakeholder group
    ("Ada", "Local authority children's services"),
    ("Ben", "Health (NHS)"),
    ("", "Police and youth justice"),
    ("Dev", "Schools and colleges"),
    ("Eve", "Voluntary and community sector"),
)


def room_row(page: Page, label: str) -> list[str]:
    """The live progress table's row for one participant (empty if not there)."""
    return next((row for row in table_rows(progress_table(page)) if row and row[0] == label), [])


def wait_for_row(page: Page, label: str, answered: str) -> None:
    """Wait until the live table (refreshing by itself) shows ``label`` with ``answered`` answers."""
    page.wait_for_function(
        """([label, answered]) => Array.from(document.querySelectorAll(
               '[data-testid="stDataFrame"] table[role="grid"] tbody tr')).some(tr => {
             const cells = Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim());
             return cells[0] === label && cells[3] === answered;
           })""",
        arg=[label, answered],
        polling=200,
        timeout=REFRESH,
    )


def black_and_white(image: Image.Image) -> bytes:
    """The picture as black or white pixels (the app may re-encode the PNG's greys slightly)."""
    return image.convert("L").point(lambda v: 255 if v > 127 else 0).tobytes()


def answer_card(person: Participant, values: dict[str, int | None]) -> None:
    for criterion, value in values.items():
        score(person, criterion, value)


def stored(
    service: WorkshopService, token: str, round_id: int, workshop: Workshop
) -> dict[tuple[int, str], float | None]:
    names = {c.id: c.name for c in workshop.criteria}
    return {(e.priority_id, names[e.criterion_id]): e.value for e in service.my_scores(token, round_id).entries}


def open_sample_round(service: WorkshopService) -> tuple[Workshop, str]:
    """The sample workshop with round 1 open (set up through the service)."""
    workshop, key = service.create_workshop(sample_setup())
    service.open_round(key, workshop.rounds[0].id)
    return service.workshop_by_id(workshop.id), key


# --------------------------------------------------------------------------- 1. a round, start to finish


def test_a_facilitator_and_five_participants_complete_a_round(app_server, laptops):
    base, rng = app_server.url, random.Random(4)
    desk = laptops(1400, 1000)
    facilitator = create_sample_workshop(desk, base)
    screenshot(desk, "live-01-start-key-shown-once")
    desk.get_by_role("button", name="I have saved the key").click()
    expect(desk.get_by_text("Save your facilitator key now")).to_have_count(0, timeout=QUICK)
    desk.context.close()

    # The facilitator link shown once opens the workshop on another device.
    desk = laptops(1400, 1000)
    goto(desk, facilitator.link)
    expect(desk.get_by_text("You are the facilitator of")).to_be_visible(timeout=QUICK)
    desk.get_by_role("link", name="Run it live").click()
    expect(desk.get_by_role("heading", name="Live control")).to_be_visible(timeout=QUICK)
    open_round(desk, ROUND_1)
    expect(metric(desk, "Joined")).to_have_text("0", timeout=QUICK)
    mark_page(desk)

    room = [Participant(laptops(1000, 900), name, group) for name, group in ROOM]
    for person in room:  # everyone opens the link at once
        person.page.goto(join_url(base, facilitator.code), wait_until="commit")
    for person in room:
        person.token = join(person.page, base, facilitator.code, person.group, person.name)
        label = person.name or "Anonymous"
        expect(person.page.get_by_role("main")).to_contain_text(
            re.compile(rf"You are {label}( \d+)? · {re.escape(person.group)}")
        )
    for person in room:
        expect_scoring_page(person.page, 0, CELLS)

    # The facilitator's panel shows the room without a reload.
    expect(metric(desk, "Joined")).to_have_text("5", timeout=REFRESH)
    labels = [p.name for p in room if p.name]
    for label in labels:
        wait_for_row(desk, label, f"0/{CELLS}")
    anonymous = next(row[0] for row in table_rows(progress_table(desk)) if row[0].startswith("Anonymous"))
    assert sorted(row[0] for row in table_rows(progress_table(desk))) == sorted([*labels, anonymous])

    # Everyone scores their first priority on every criterion, one of them "don't know", all at once.
    score_together(
        room,
        [
            {c: (None if i == n % len(CRITERIA) else rng.randint(1, 5)) for i, c in enumerate(CRITERIA)}
            for n in range(5)
        ],
    )
    wait_for_row(desk, room[0].name, f"{len(CRITERIA)}/{CELLS}")
    # Then a few criteria of their next priority.
    for person in room:
        next_card(person.page)
    score_together(room, [{c: rng.randint(1, 5) for c in CRITERIA[: n % 3 + 1]} for n in range(5)])
    # Some change their mind: the last save wins.
    for person in room[::2]:
        priority, _ = current_priority(person.page)
        score(person, CRITERIA[0], int(person.confirmed[priority, CRITERIA[0]] or 0) % 5 + 1)
    screenshot(room[0].page, "live-02-participant-scoring")
    for person in room:  # the count catches up when the participant moves on (an answer reruns its control only)
        next_card(person.page)
        expect_scoring_page(person.page, len(person.confirmed), CELLS)

    for person in room:
        wait_for_row(desk, person.name or anonymous, f"{len(person.confirmed)}/{CELLS}")
    expect(metric(desk, "Started")).to_have_text("5")
    total = sum(len(p.confirmed) for p in room)
    expect(metric(desk, "Answers given")).to_have_text(f"{100 * total / (5 * CELLS):.0f}%")
    assert_not_reloaded(desk)
    screenshot(desk, "live-03-facilitator-progress")

    close_round(desk, ROUND_1)
    reveal_round(desk, ROUND_1)

    service = service_for(app_server)
    workshop = service.workshop(facilitator.code)
    round_id = workshop.rounds[0].id
    ranking = service.results(facilitator.key, round_id).ranking
    first = ranking.names[ranking.order[0]]
    for person in room:
        page = person.page
        expect(page.get_by_text(ONLY_YOURS)).to_be_visible(timeout=REFRESH)
        expect(page.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=CHART)
        expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=QUICK)
        page.wait_for_function(
            """first => {
                 const cell = document.querySelector(
                   '[data-testid="stDataFrame"] table[role="grid"] tbody tr td:nth-child(2)');
                 return cell && cell.textContent.trim() === first;
               }""",
            arg=first,
            polling=200,
            timeout=QUICK,
        )
        assert_no_errors(page)
    screenshot(room[0].page, "live-04-participant-results")
    assert_no_errors(desk)

    # Every answer a participant saw confirmed is in the store, with its value, and nothing else.
    for person in room:
        assert stored(service, person.token, round_id, workshop) == person.confirmed


# --------------------------------------------------------------------------- 2. reload mid-round


def test_a_participant_who_reloads_finds_their_answers_and_carries_on(app_server, laptops):
    service = service_for(app_server)
    workshop, _ = open_sample_round(service)
    round_id = workshop.rounds[0].id
    page = laptops(1000, 900)
    person = Participant(page, "Fay", "Schools and colleges")
    person.token = join(page, app_server.url, workshop.code, person.group, person.name)
    first, _ = current_priority(page)
    answer_card(person, {CRITERIA[0]: 4, CRITERIA[1]: None, CRITERIA[2]: 2})
    second, _ = next_card(page)
    answer_card(person, {CRITERIA[4]: 1})
    url = page.url

    def expect_card(page: Page, priority: int, answers: dict[str, int | None]) -> None:
        assert current_priority(page)[0] == priority
        for criterion in CRITERIA:
            if criterion in answers:
                expect_answer(page, criterion, answers[criterion])
            else:
                expect_unanswered(page, criterion)

    page.reload()  # back on the first card, as after any new visit
    expect(page.get_by_role("main")).to_contain_text("You are Fay", timeout=QUICK)
    expect_scoring_page(page, 4, CELLS)
    expect_card(page, first, {CRITERIA[0]: 4, CRITERIA[1]: None, CRITERIA[2]: 2})
    score(person, CRITERIA[3], 1)  # and carries on
    score(person, CRITERIA[0], 5)  # or changes their mind
    next_card(page)
    expect_card(page, second, {CRITERIA[4]: 1})
    expect_scoring_page(page, 5, CELLS)
    assert_no_errors(page)

    # The same link on another device (or after closing the lid) finds the same place.
    other = laptops(420, 860)
    goto(other, url)
    expect(other.get_by_role("main")).to_contain_text("You are Fay", timeout=QUICK)
    expect_scoring_page(other, 5, CELLS)
    expect_card(other, first, {CRITERIA[0]: 5, CRITERIA[1]: None, CRITERIA[2]: 2, CRITERIA[3]: 1})
    screenshot(other, "reload-01-same-link-on-a-phone")
    person.page = other
    score(person, CRITERIA[4], None)
    next_card(other)
    expect_scoring_page(other, 6, CELLS)
    assert_no_errors(other)

    assert stored(service, person.token, round_id, workshop) == person.confirmed
    assert person.confirmed == {
        (first, CRITERIA[0]): 5.0,
        (first, CRITERIA[1]): None,
        (first, CRITERIA[2]): 2.0,
        (first, CRITERIA[3]): 1.0,
        (first, CRITERIA[4]): None,
        (second, CRITERIA[4]): 1.0,
    }


# --------------------------------------------------------------------------- 3. projector view


def test_the_projector_shows_the_code_and_qr_then_results_only_after_the_reveal(app_server, laptops):
    service = service_for(app_server)
    workshop, key = open_sample_round(service)
    round_id = workshop.rounds[0].id
    people = [service.join(workshop.code, None, g.name) for g in workshop.groups[:3]]
    rng = random.Random(3)

    screen = laptops(1600, 900)
    goto(screen, f"{app_server.url}/present?code={workshop.code}")
    join_url = f"{app_server.url}/join?code={workshop.code}"
    expect(screen.get_by_text(workshop.code, exact=True)).to_be_visible(timeout=QUICK)
    expect(screen.get_by_text(join_url, exact=True)).to_be_visible()
    expect(screen.get_by_text("Scan to join")).to_be_visible()
    qr = screen.get_by_test_id("stImage").get_by_role("img")
    expect(qr).to_be_visible()
    shown = Image.open(io.BytesIO(screen.request.get(qr.get_attribute("src") or "").body()))
    expected = Image.open(io.BytesIO(qr_png(join_url)))
    assert black_and_white(shown) == black_and_white(expected), "the QR code does not encode the join link"
    expect(screen.get_by_role("main")).to_contain_text("3joined")
    mark_page(screen)
    screenshot(screen, "projector-01-join")

    def expect_no_results() -> None:
        expect(screen.get_by_test_id("stPlotlyChart")).to_have_count(0)
        expect(screen.get_by_test_id("stDataFrame")).to_have_count(0)
        expect(screen.get_by_text("The room's top")).to_have_count(0)

    expect_no_results()
    for person in people:
        entries = [
            ScoreEntry(p.id, c.id, rng.choice([1, 2, 3, 4, 5, None]))
            for p in workshop.priorities
            for c in workshop.criteria
        ]
        service.save_scores(person.token, round_id, entries)
    progress = screen.get_by_role("progressbar", name="Answers given")
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=REFRESH)
    expect(screen.get_by_role("main")).to_contain_text("3finished")
    expect_no_results()

    service.close_round(key, round_id)
    expect(screen.get_by_text("This round is closed.")).to_be_visible(timeout=REFRESH)
    expect(screen.get_by_text(workshop.code, exact=True)).to_have_count(0)
    expect_no_results()
    screenshot(screen, "projector-02-closed")

    service.reveal_round(key, round_id)
    expect(screen.get_by_text("The room's top 5")).to_be_visible(timeout=REFRESH)
    expect(screen.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=CHART)
    ranking = service.results(key, round_id).ranking
    top = [ranking.names[i] for i in ranking.order if ranking.ranks[i] <= 5]
    top_list = screen.get_by_role("list").filter(has=screen.get_by_role("listitem"))
    expect(top_list.get_by_role("listitem")).to_have_count(len(top))
    for item, name in zip(top_list.get_by_role("listitem").all(), top, strict=True):
        expect(item).to_contain_text(name)
    assert_not_reloaded(screen)
    assert_no_errors(screen)
    screenshot(screen, "projector-03-revealed")


# --------------------------------------------------------------------------- 4. bad links


def test_bad_codes_tokens_and_keys_get_a_clear_message_and_no_traceback(app_server, laptops):
    service = service_for(app_server)
    workshop, key = open_sample_round(service)
    base = app_server.url
    page = laptops()

    goto(page, f"{base}/join?code=NOPE99")
    expect(page.get_by_text("No workshop has the code 'NOPE99'. Check the code on the screen.")).to_be_visible(
        timeout=QUICK
    )
    expect(page.get_by_role("button", name="Join")).to_have_count(0)
    assert_no_errors(page)

    # A code typed on the join page: the wrong one, then the right one (lower case and spaced).
    code_box = page.get_by_role("textbox", name="Workshop code")
    code_box.fill("ZZ-ZZ-ZZ")
    code_box.press("Enter")
    expect(page.get_by_text("No workshop has the code 'ZZ-ZZ-ZZ'")).to_be_visible(timeout=QUICK)
    code_box.fill(f" {workshop.code[:3].lower()} {workshop.code[3:].lower()} ")
    code_box.press("Enter")
    expect(page.get_by_role("button", name="Join")).to_be_visible(timeout=QUICK)
    expect(page.get_by_text("No workshop has the code")).to_have_count(0)
    assert_no_errors(page)

    forged = "x" * 32
    goto(page, f"{base}/vote?p={forged}")
    expect(page.get_by_text(STALE_TOKEN)).to_be_visible(timeout=QUICK)
    expect(page.get_by_role("link", name="Join again")).to_be_visible()
    expect(page.get_by_role("radiogroup")).to_have_count(0)
    assert_no_errors(page)

    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    for path in ("", "live", "agree"):  # (more wrong keys would be slowed down: workshop.throttle)
        goto(page, f"{base}/{path}?w={workshop.code}&k={wrong}")
        expect(page.get_by_text(WRONG_KEY).first).to_be_visible(timeout=QUICK)
        if path:  # the facilitator's pages show nothing of the workshop (the start page offers to sign in)
            expect(page.get_by_role("heading", name=re.compile("Live control|Setup|Results|Agree"))).to_have_count(0)
        assert_no_errors(page)
    expect(page.get_by_text("This page is for the workshop's facilitator.")).to_be_visible()

    goto(page, f"{base}/live")
    expect(page.get_by_text("This page is for the workshop's facilitator.")).to_be_visible(timeout=QUICK)
    assert_no_errors(page)

    goto(page, f"{base}/present?code=NOPE99")
    expect(page.get_by_text("No workshop has the code 'NOPE99'")).to_be_visible(timeout=QUICK)
    goto(page, f"{base}/present")
    expect(page.get_by_text("This is the projector view.")).to_be_visible(timeout=QUICK)
    assert_no_errors(page)
    screenshot(page, "bad-01-projector-without-code")

    # Nothing was created or changed by any of it.
    assert service.progress(key, workshop.rounds[0].id).participants == ()


# --------------------------------------------------------------------------- fixed app bugs (regression tests)


def test_opening_a_round_leaves_no_confirmation_open(app_server, laptops):
    service = service_for(app_server)
    workshop, key = service.create_workshop(sample_setup())
    desk = laptops(1400, 1000)
    open_page(desk, app_server.url, "live", Facilitator(workshop.code, key, ""))
    open_round(desk, ROUND_1)
    assert not desk.get_by_role("button", name="Yes, close").is_visible()


def test_a_wrong_key_is_reported_once(app_server, laptops):
    workshop, _ = service_for(app_server).create_workshop(sample_setup())
    page = laptops()
    goto(page, f"{app_server.url}/live?w={workshop.code}&k=WRONG-KEY")
    expect(page.get_by_text(WRONG_KEY).first).to_be_visible(timeout=QUICK)
    assert page.get_by_text(WRONG_KEY).count() == 1
