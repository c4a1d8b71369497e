"""A young people's ballot on the participant's page (AppTest): no name asked, the plain notice
before the first question, one priority per screen answered with a button, the answers kept."""

from __future__ import annotations

import numpy as np
import pytest

from ui import state
from ui.plain import md
from ui.scoring import participant_order
from workshop.ballot import BALLOT_QUESTION, PRIVACY_NOTICE
from workshop.models import RoundKind
from workshop.service import WorkshopService

from .conftest import Made, app, facilitator_app, participant_app, results_app

HEALTH = "Health (NHS)"


def open_ballot(svc: WorkshopService, sample: Made, count: int = 3):  # type: ignore[no-untyped-def]
    ids = [p.id for p in sample.workshop.priorities[:count]]
    rnd = svc.add_round(sample.key, sample.workshop.id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    return svc.open_round(sample.key, rnd.id)


def test_the_join_form_asks_for_no_name_while_a_ballot_is_open(svc, sample):
    open_ballot(svc, sample)
    at = app()
    at.query_params["code"] = sample.code
    at.switch_page("app_pages/join.py").run()
    assert not at.exception
    assert not [w for w in at.text_input if "name" in str(w.label).lower()]
    assert any(PRIVACY_NOTICE[0] in e.value for e in at.info)


def test_one_priority_per_screen_answered_with_a_button(svc, sample):
    rnd = open_ballot(svc, sample)
    person = svc.join(sample.code, None, HEALTH)
    by_id = {p.id: p for p in sample.workshop.priorities}
    order = [by_id[pid] for pid in participant_order(person.id, rnd)]
    at = participant_app(person.token)
    assert not at.exception
    assert any(PRIVACY_NOTICE[0] in e.value for e in at.info)  # before the first question
    assert [s.value for s in at.subheader][-1] == md(order[0].plain_title)  # escaped, as typed text is
    assert any(BALLOT_QUESTION in m.value for m in at.markdown)
    assert not at.radio  # buttons, not the criteria's radios
    at.button(key=f"ballot-answer-{order[0].id}-3").click().run()
    assert not at.exception
    assert [s.value for s in at.subheader][-1] == md(order[1].plain_title)
    mine = svc.my_scores(person.token, rnd.id)
    assert [(e.priority_id, e.value) for e in mine.entries] == [(order[0].id, 3)]
    at.button(key=f"ballot-answer-{order[1].id}-0").click().run()  # "Not sure"
    at.button(key="ballot-nav-skip").click().run()
    assert [s.value for s in at.subheader][-1] == "Thank you!"
    assert {e.priority_id: e.value for e in svc.my_scores(person.token, rnd.id).entries} == {
        order[0].id: 3,
        order[1].id: None,
    }


GROUPS = ("Young people's representatives", "Schools and colleges")


def answered_ballot(svc: WorkshopService, sample: Made, people: int = 12):  # type: ignore[no-untyped-def]
    """A closed ballot on all 32 priorities: each person says "very important" to the first few, and
    varies on the rest (a fixed pattern, so the order is known)."""
    rnd = open_ballot(svc, sample, count=32)
    ids = rnd.priority_ids
    for n in range(people):
        person = svc.join(sample.code, None, GROUPS[n % 2])
        for i, pid in enumerate(ids):
            value = 3 if i < 3 else None if (i + n) % 7 == 0 else 1 + (i + n) % 3
            svc.save_ballot_answer(person.token, rnd.id, pid, value)
    svc.close_round(sample.key, rnd.id)
    return rnd


BALLOT_TABS = ["What young people said", "Ranking", "Show the working", "Disagreement", "Sensitivity"]


@pytest.mark.parametrize("tab", BALLOT_TABS)
def test_the_results_page_shows_a_ballot_in_every_tab_it_has(svc, sample, tab):
    rnd = answered_ballot(svc, sample)
    at = results_app(sample, rnd.id, tab)
    assert [t.label for t in at.tabs] == BALLOT_TABS  # one question: no what-if on the criteria


def test_what_young_people_said_counts_them_and_names_their_top_five(svc, sample):
    rnd = answered_ballot(svc, sample)
    at = results_app(sample, rnd.id, "What young people said")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Young people who took part"] == "12"
    results = svc.results(sample.key, rnd.id)
    given = int((~np.isnan(results.score_set.scores)).sum())  # type: ignore[union-attr]
    assert metrics["Answers"] == f"{given:,}"
    table = at.dataframe[0].value
    first_three = {p.name for p in sample.workshop.priorities if p.id in rnd.priority_ids[:3]}
    assert set(table["Priority"][:3]) == first_three  # everyone said "very important" to them
    assert list(table["Rank"][:3]) == ["1", "1", "1"]
    assert "Young people's representatives: 6" in " ".join(m.value for m in at.markdown)


def test_a_later_round_s_card_shows_what_young_people_said_in_the_board_paper_s_words(svc, sample):
    from ui.plain import md
    from workshop.exports import ExportFormat, build_content, render_content
    from workshop.said import evidence_sentence

    ballot = answered_ballot(svc, sample)
    later = svc.add_round(
        sample.key, sample.workshop.id, RoundKind.SCORING, "Board round", list(ballot.priority_ids)
    )
    svc.open_round(sample.key, later.id)
    chair = svc.join(sample.code, "Chair", HEALTH)
    at = participant_app(chair.token)
    assert not at.exception
    first = participant_order(chair.id, later)[0]
    (found,) = svc.consultations(sample.key, sample.workshop.id)
    sentence = evidence_sentence(found, first)
    assert sentence is not None and sentence.startswith("Young people's consultation: ranked ")
    assert any(md(sentence) in m.value for m in at.markdown)  # on the card, escaped as typed text is
    content = build_content(svc, sample.key, sample.workshop.id)
    (in_paper,) = content.consultations
    assert evidence_sentence(in_paper, first) == sentence  # the board paper's figures are the card's
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert f"What young people said: {ballot.label}" in html


def test_closed_and_revealed_ballots_speak_the_ballot_s_words(svc, sample):
    rnd = answered_ballot(svc, sample, people=4)
    young = svc.join(sample.code, None, GROUPS[0])  # joined once it closed: no answers of their own
    at = participant_app(young.token)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Idea", "Your answer"] and set(table["Your answer"]) == {"Not answered"}
    titles = {p.plain_title for p in sample.workshop.priorities}
    assert set(table["Idea"]) <= titles
    svc.reveal_round(sample.key, rnd.id)
    at = participant_app(young.token)
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["Place", "Idea", "Answers"]
    (found,) = svc.consultations(sample.key, sample.workshop.id)
    starred = [str(i).removeprefix("★ ") for i in shown["Idea"] if str(i).startswith("★ ")]
    assert starred == [r.title for r in found.top_rows] and len(starred) >= 5  # ties at the cut all in
    assert any(f"The top 5 ideas ({len(starred)}, with ties) are marked ★." in m.value for m in at.markdown)
    present = app()
    present.query_params[state.Q_CODE] = sample.code
    present.switch_page("app_pages/present.py").run()
    assert not present.exception and not present.error, [e.value for e in present.error]


def test_the_facilitator_adds_a_ballot_from_live_control_and_the_setup_scores_its_words(svc, sample):
    at = facilitator_app(sample, "app_pages/live.py")
    at.radio(key=state.LIVE_NEW_ROUND_KIND).set_value(RoundKind.SCORING).run()
    at.text_input(key=state.LIVE_NEW_ROUND_TITLE).input("Your say")
    at.checkbox(key=state.LIVE_NEW_ROUND_BALLOT).check()
    at.button(key=state.LIVE_ADD_ROUND).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = svc.workshop_by_id(sample.workshop.id, sample.key).rounds[-1]
    assert added.young_ballot and added.title == "Your say" and len(added.priority_ids) == 32
    assert any("young people's ballot: no names" in c.value for c in at.caption)
    setup = facilitator_app(sample, "app_pages/setup.py")
    assert not setup.exception
    shown = [m.value for m in setup.markdown]
    assert any(m.startswith("**Young people") and "Your say" in m for m in shown)  # its own score (aim 70)
    assert any(m.label == "Reading ease" for m in setup.metric)
