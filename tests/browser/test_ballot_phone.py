"""A young people's ballot answered end to end on a phone-sized screen (390 × 844): joining without a
name after the plain notice, one priority per screen answered with big buttons, nothing scrolling
sideways, the answers in the store, and the facilitator's results ranked from them; and the
"pick your top three from these eight" ballot, all on one screen, picked with big buttons."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.a11y import audit, report, settle, sideways_overflow
from tests.browser.conftest import assert_no_errors, wait_for_app
from tests.browser.helpers import QUICK, join_url, screenshot, service_for, token_of
from workshop.ballot import AGE_QUESTION, BALLOT_QUESTION, PRIVACY_NOTICE, pick_question
from workshop.imports import sample_setup
from workshop.models import RoundKind
from workshop.results import RankingRoundResults, ScoringResults
from workshop.said import ordinal

PHONE = {"width": 390, "height": 844}
#: Each screen's answer, in the order the screens come: very important, a bit, not important, not sure.
ANSWERS = ("Very important", "A bit important", "Not important", "Not sure")
VALUES = {"Very important": 3, "A bit important": 2, "Not important": 1, "Not sure": None}
#: The smallest target the ballot's answers may have (WCAG 2.5.5 asks 44 × 44 CSS px).
MIN_TARGET = 44


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    settle(page)
    overflow, widest = sideways_overflow(page)
    assert overflow == 0, f"the page scrolls {overflow} px sideways ({widest})"


def phone_context(browser):  # type: ignore[no-untyped-def]
    """A phone's browser: 390 × 844, touch, a retina screen."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(30_000)
    return context


def test_a_young_person_answers_the_ballot_on_a_phone(browser, app_server):
    svc = service_for(app_server)
    workshop, key = svc.create_workshop(sample_setup())
    ids = [p.id for p in workshop.priorities[:4]]
    rnd = svc.add_round(key, workshop.id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    svc.open_round(key, rnd.id)
    plain = {p.plain_title: p for p in workshop.priorities[:4]}

    context = phone_context(browser)
    page = context.new_page()
    try:
        page.goto(join_url(app_server.url, workshop.code))
        wait_for_app(page)
        expect(page.get_by_text(PRIVACY_NOTICE[0])).to_be_visible(timeout=QUICK)  # before the first question
        expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_count(0)
        no_sideways_scroll(page)
        joining = audit(page, "young people's ballot: joining on a phone")
        assert not joining.violations, report([joining])
        page.get_by_role("combobox", name="Your stakeholder group").click()
        page.get_by_role("option", name=re.compile(r"^Young people's representatives( —|$)")).click()
        wait_for_app(page)  # the group's choice has rerun the page
        age = page.get_by_role("combobox", name=AGE_QUESTION)
        age.click()
        age.press_sequentially("14 to")  # a select's own search, as a keyboard user narrows it
        page.get_by_role("option", name="14 to 15", exact=True).click()
        page.get_by_role("button", name="Join").click()
        page.wait_for_url(re.compile(r"/vote\?p="), timeout=QUICK)
        wait_for_app(page)
        token = token_of(page)
        expect(page.get_by_text(PRIVACY_NOTICE[1])).to_be_visible(timeout=QUICK)
        seen = []
        for n, answer in enumerate(ANSWERS, start=1):
            expect(page.get_by_text(f"{n} of 4", exact=True)).to_be_visible(timeout=QUICK)
            title = page.get_by_role("heading", level=3).filter(has_text=re.compile("|".join(map(re.escape, plain))))
            expect(title).to_have_count(1, timeout=QUICK)
            seen.append(title.inner_text().strip())
            expect(page.get_by_text(BALLOT_QUESTION)).to_be_visible()
            button = page.get_by_role("button", name=answer, exact=True)
            box = button.bounding_box()
            assert box is not None and box["height"] >= MIN_TARGET and box["width"] >= 0.7 * PHONE["width"], box
            no_sideways_scroll(page)
            if n == 1:
                screenshot(page, "ballot-phone")
                found = audit(page, "young people's ballot on a phone")
                assert not found.violations, report([found])  # WCAG 2.1 A and AA (axe-core), as every page
            button.click()
            wait_for_app(page)
            expect(page.get_by_text(f"{n} of 4 answered")).to_be_visible(timeout=QUICK)
        expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=QUICK)
        expect(page.get_by_text("You answered 4 of 4.")).to_be_visible()
        no_sideways_scroll(page)
        assert_no_errors(page)
        assert sorted(seen) == sorted(plain)  # one screen per priority, each once

        mine = {e.priority_id: e.value for e in svc.my_scores(token, rnd.id).entries}
        assert mine == {plain[title].id: VALUES[answer] for title, answer in zip(seen, ANSWERS, strict=True)}
        (person,) = [p for p in svc.progress(key, rnd.id).participants]
        assert person.label.startswith("Anonymous") and person.group == "Young people's representatives"
        svc.close_round(key, rnd.id)
        (found,) = svc.consultations(key, workshop.id)
        assert found.by_age == (("14 to 15", 1),) and found.respondents == 1  # the band, and nothing else
        results = svc.results(key, rnd.id)
        assert isinstance(results, ScoringResults)
        ranking = results.ranking
        assert ranking.names[ranking.order[0]] == plain[seen[0]].name  # "Very important" comes first
    finally:
        context.close()


def test_a_young_person_picks_their_top_three_of_eight_on_a_phone(browser, app_server):
    svc = service_for(app_server)
    workshop, key = svc.create_workshop(sample_setup())
    eight = workshop.priorities[:8]
    ids = [p.id for p in eight]
    rnd = svc.add_round(key, workshop.id, RoundKind.RANKING, "Your top three", ids, 3, young_ballot=True)
    svc.open_round(key, rnd.id)

    context = phone_context(browser)
    page = context.new_page()
    try:
        page.goto(join_url(app_server.url, workshop.code))
        wait_for_app(page)
        expect(page.get_by_text(PRIVACY_NOTICE[0])).to_be_visible(timeout=QUICK)
        expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_count(0)
        page.get_by_role("combobox", name="Your stakeholder group").click()
        page.get_by_role("option", name=re.compile(r"^Young people's representatives( —|$)")).click()
        wait_for_app(page)  # no age group: it is skippable
        page.get_by_role("button", name="Join").click()
        page.wait_for_url(re.compile(r"/vote\?p="), timeout=QUICK)
        wait_for_app(page)
        token = token_of(page)
        expect(page.get_by_text(pick_question(rnd))).to_be_visible(timeout=QUICK)
        for p in eight:  # one screen: every plain title, no board names
            expect(page.get_by_role("heading", level=3, name=p.plain_title, exact=True)).to_have_count(1)
        no_sideways_scroll(page)
        found = audit(page, "pick-three ballot on a phone")
        assert not found.violations, report([found])
        chosen = [eight[5], eight[2], eight[7]]
        for n, priority in enumerate(chosen, start=1):
            button = page.get_by_role("button", name=f"Pick “{priority.plain_title}”", exact=True)
            button.scroll_into_view_if_needed()
            box = button.bounding_box()
            assert box is not None and box["height"] >= MIN_TARGET and box["width"] >= 0.7 * PHONE["width"], box
            button.click()
            wait_for_app(page)
            expect(page.get_by_text(f"{n} of 3 picked")).to_be_visible(timeout=QUICK)
            expect(page.get_by_role("button", name=re.compile(f"Your {ordinal(n)} pick"))).to_have_count(1)
        expect(page.get_by_text("Your 3 picks are saved", exact=False)).to_be_visible(timeout=QUICK)
        expect(page.get_by_role("button", name=f"Pick “{eight[0].plain_title}”", exact=True)).to_be_disabled()
        screenshot(page, "ballot-pick-phone")
        no_sideways_scroll(page)
        assert_no_errors(page)
        assert svc.my_ranking(token, rnd.id).priority_ids == tuple(p.id for p in chosen)
        svc.close_round(key, rnd.id)
        results = svc.results(key, rnd.id)
        assert isinstance(results, RankingRoundResults)
        assert results.tally.priorities[results.tally.order[0]].id == chosen[0].id  # the favourite leads
        (said,) = svc.consultations(key, workshop.id)
        assert said.picks and said.respondents == 1 and said.answers == 3
    finally:
        context.close()
