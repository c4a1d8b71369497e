"""Projector view: unknown codes, the join screen with live counts, and
results only after the facilitator reveals the round."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import Made, app, facilitator_app, participant_app
from tests.deciding import reasons_for
from ui import state
from ui.present_data import revealed_round_results, room_progress
from workshop.errors import NotFound, PermissionDenied
from workshop.imports import sample_setup
from workshop.models import DecisionDraft, RoundKind, ShortlistEntry
from workshop.service import NOT_REVEALED, WorkshopService

PRESENT = "app_pages/present.py"


def projector(code: str) -> AppTest:
    at = app()
    at.query_params[state.Q_CODE] = code
    at.switch_page(PRESENT).run()
    assert not at.exception
    return at


def shown(at: AppTest) -> str:
    kinds = ("markdown", "error", "caption")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def scored_room(svc: WorkshopService, made: Made) -> int:
    """Open round 1 and have three participants score it (one of them only half)."""
    rid = next(r.id for r in made.workshop.rounds if r.kind is RoundKind.SCORING)
    svc.open_round(made.key, rid)
    group = made.workshop.groups[0].name
    people = [svc.join(made.code, None, group).token for _ in range(3)]
    for n, p in enumerate(made.workshop.priorities):
        for c in made.workshop.criteria:
            svc.save_score(people[0], rid, p.id, c.id, 5 - n % 5)
            svc.save_score(people[1], rid, p.id, c.id, 5 - (n + 1) % 5)
            if n < 16:
                svc.save_score(people[2], rid, p.id, c.id, 3)
    return rid


def test_unknown_code_says_so(svc: WorkshopService):
    at = projector("ZZZZZZ")
    assert "No workshop has the code 'ZZZZZZ'" in shown(at)
    assert not charts(at) and not at.get("imgs")


def test_no_code_explains_the_page(svc: WorkshopService):
    at = app()
    at.switch_page(PRESENT).run()
    assert not at.exception
    assert "This is the projector view" in shown(at)


def test_a_facilitator_link_shows_the_public_view_without_the_key(sample: Made):
    """/present?w=CODE&k=KEY (what the menu's projector entry used to open) is a dead end no more:
    it shows the join screen, and the key leaves the URL and the tab."""
    at = facilitator_app(sample)
    at.switch_page(PRESENT).run()
    assert not at.exception
    assert f">{sample.code}<" in shown(at)
    assert "This is the projector view" not in shown(at)
    assert dict(at.query_params) == {state.Q_CODE: sample.code}
    at.run()  # a full rerun of the tab does not bring the key back
    assert dict(at.query_params) == {state.Q_CODE: sample.code}
    assert state.FACILITATOR not in at.session_state


def test_join_screen_before_the_first_round(sample: Made):
    at = projector(sample.code.lower())
    text = shown(at)
    assert html.escape(sample.workshop.title) in text
    assert f">{sample.code}<" in text  # the big join code
    assert f"join?code={sample.code}" in text  # the link (relative here: AppTest has no browser URL)
    assert "the first round will start shortly" in text


def test_results_appear_only_after_the_reveal(sample: Made, svc: WorkshopService):
    rid = scored_room(svc, sample)
    at = projector(sample.code)
    text = shown(at)
    assert ">3</b><span>joined" in text
    assert ">2</b><span>finished" in text
    assert ">83%</b>" in text  # (160 + 160 + 80) / 480 answers
    assert not charts(at) and "top 5" not in text

    svc.close_round(sample.key, rid)
    at.run()
    text = shown(at)
    assert "Results will appear here when the facilitator reveals them" in text
    assert not charts(at) and "top 5" not in text

    svc.reveal_round(sample.key, rid)
    at.run()
    assert not at.exception
    text = shown(at)
    assert "The room's top 5" in text
    for name in svc.results(sample.key, rid).ranking.top(5):
        assert html.escape(name) in text
    assert len(charts(at)) == 1

    svc.reopen_round(sample.key, rid)  # hidden again until the next reveal
    at.run()
    assert not charts(at) and "top 5" not in shown(at)


def test_public_reads_refuse_before_the_reveal_and_give_counts_only(sample: Made, svc: WorkshopService):
    rid = scored_room(svc, sample)
    with pytest.raises(PermissionDenied, match=NOT_REVEALED):
        revealed_round_results(sample.code, rid)
    other, _ = svc.create_workshop(sample_setup())
    with pytest.raises(NotFound):
        revealed_round_results(other.code, rid)  # a round of another workshop
    progress = room_progress(sample.code, rid)
    assert (progress.joined, progress.started, progress.finished) == (3, 3, 2)
    svc.close_round(sample.key, rid)
    svc.reveal_round(sample.key, rid)
    assert revealed_round_results(sample.code, rid).ranking.top(5) == svc.results(sample.key, rid).ranking.top(5)


def test_the_agreed_shortlist_is_shown_to_the_whole_room(sample: Made, svc: WorkshopService):
    """Once recorded, the decision is on the projector and on every participant's page."""
    rid = scored_room(svc, sample)
    token = svc.join(sample.code, "Robin", sample.workshop.groups[0].name).token
    svc.close_round(sample.key, rid)
    svc.reveal_round(sample.key, rid)
    assert svc.public_decision(sample.code) is None
    chosen = sample.workshop.priorities[:5]
    draft = DecisionDraft(
        tuple(ShortlistEntry(p.id, f"Reason for {p.name}") for p in chosen),
        decided_by="The chair",
        reasons=reasons_for(svc, sample.key, rid, [p.id for p in chosen], 5),
        round_id=rid,
    )
    svc.record_decision(sample.key, sample.workshop.id, draft)
    assert [e.priority_id for e in svc.public_decision(sample.code).shortlist] == [p.id for p in chosen]

    text = shown(projector(sample.code))
    assert "Agreed shortlist" in text
    for p in chosen:
        assert html.escape(p.name) in text and html.escape(f"Reason for {p.name}") in text

    mine = participant_app(token).run()
    assert not mine.exception
    page = "\n".join(str(m.value) for m in mine.markdown) + "\n".join(str(s.value) for s in mine.subheader)
    assert "The agreed shortlist" in page and "The chair" in page
    for p in chosen:
        assert p.name.split(" ")[0] in page


def test_public_decision_needs_a_real_code(svc: WorkshopService):
    with pytest.raises(NotFound):
        svc.public_decision("ZZZZZZ")


def test_the_consensus_statuses_appear_after_the_reveal(sample: Made, svc: WorkshopService):
    rid = scored_room(svc, sample)
    at = projector(sample.code)
    assert "Consensus:" not in shown(at)
    svc.close_round(sample.key, rid)
    at.run()
    assert "Consensus:" not in shown(at)
    svc.reveal_round(sample.key, rid)
    at.run()
    assert not at.exception
    text = shown(at)
    summary = svc.consensus(sample.key, rid)
    assert f"Consensus: {summary.counts_words}" in text and summary.rule in text
    for row in summary.rows:
        if row.status_words in ("IN", "OUT"):
            assert f"<span>{row.status_words}</span>{html.escape(row.priority)}" in text
    assert any(r.status_words == "IN" for r in summary.rows)  # the test shows something
