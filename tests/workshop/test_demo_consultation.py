"""The consultation demo: the sample workshop with a closed young people's consultation, each respondent
on a balanced share of the list, written in bulk; and its command line (in test_cli)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ranking.readings import few_answers_sentence
from ranking.sensitivity import bootstrap
from workshop.demo_consultation import AUDIENCE, create_consultation_demo
from workshop.errors import InvalidInput
from workshop.exports import build_content, render
from workshop.models import RoundState, ShareMode
from workshop.results import thin_priorities
from workshop.service import WorkshopService
from workshop.store import Store

TODAY = datetime(2026, 7, 20, 12, 0, tzinfo=UTC)


def test_the_consultation_closed_by_itself_and_every_priority_is_covered_evenly(store: Store):
    demo = create_consultation_demo(store, respondents=50, per_person=8, seed=3, clock=lambda: TODAY)
    service = WorkshopService(store, lambda: TODAY)
    rnd = next(r for r in service.workshop_by_id(demo.workshop.id).rounds if r.id == demo.round_id)
    assert rnd.state is RoundState.CLOSED and rnd.closed_by_deadline and rnd.closes_at < TODAY
    assert rnd.share is not None and (rnd.share.mode, rnd.share.size) == (ShareMode.BALANCED, 8)
    assert [g.name for g in demo.workshop.groups if g.id in rnd.audience] == [AUDIENCE]
    coverage = service.coverage(demo.key, rnd.id)
    given = [p.given for p in coverage.priorities]
    assert sum(given) == 50 * 8 and max(given) - min(given) <= 1  # 400 given over 32: 12 or 13 each
    progress = service.progress(demo.key, rnd.id).participants
    assert len(progress) == 50 and all(p.answered == 8 * len(demo.workshop.criteria) for p in progress)
    results = service.results(demo.key, rnd.id)
    assert len(results.participants) == 50 and results.ranking.aggregate.counts.min() >= 10
    # everyone finished, but a "don't know" is no view: the answers are the engine's response counts
    fewest = dict(zip(results.ranking.names, results.ranking.aggregate.counts.min(axis=1).tolist(), strict=True))
    assert {p.name: p.answers for p in coverage.priorities} == fewest
    assert all(p.answers <= p.given for p in coverage.priorities) and sum(fewest.values()) < 50 * 8
    again = create_consultation_demo(store, respondents=50, per_person=8, seed=3, clock=lambda: TODAY)
    with store.read() as tx:
        first, second = tx.shares(demo.round_id), tx.shares(again.round_id)
    position = {p.id: p.position for w in (demo.workshop, again.workshop) for p in w.priorities}
    places = [[sorted(position[i] for i in ids) for _, ids in shares] for shares in (first, second)]
    assert places[0] == places[1]  # the same seed, the same shares


def test_the_demo_refuses_impossible_sizes(store: Store):
    with pytest.raises(InvalidInput, match="1 to 32 priorities per respondent"):
        create_consultation_demo(store, respondents=10, per_person=33)
    with pytest.raises(InvalidInput, match="respondents"):
        create_consultation_demo(store, respondents=0)


def test_planned_gaps_are_counted_and_warned_about_in_the_results_and_the_board_paper(store: Store):
    """20 respondents × 8 of 32 priorities: 5 answers each, below the minimum of 10, so every priority
    is flagged, on the Results page's reading and in the board paper; the bootstrap resamples the
    respondents, so each resample holds what they answered."""
    demo = create_consultation_demo(store, respondents=20, per_person=8, seed=1, clock=lambda: TODAY)
    service = WorkshopService(store, lambda: TODAY)
    results = service.results(demo.key, demo.round_id)
    counts = results.ranking.aggregate.counts
    assert counts.max() == 5 and results.ranking.options.min_responses == 10  # fewer where "don't know"
    thin = thin_priorities(results)
    assert len(thin) == 32 and thin == tuple(results.ranking.names[i] for i in results.ranking.order)
    sentence = few_answers_sentence(thin, 10)
    assert sentence is not None and sentence.startswith("Too few answers to rank with confidence: ")
    content = build_content(service, demo.key, demo.workshop.id)
    (ranking,) = [r for r in content.rankings if r.round.number == 2]
    assert ranking.few_answers == thin and ranking.minimum == 10
    assert [row.responses for row in ranking.rows] == [int(counts[i].min()) for i in results.ranking.order]
    boot = bootstrap(results.score_set, results.ranking.options, 5, resamples=200, seed=0)
    assert boot.p_top.sum() >= 5 and ((boot.p_top >= 0) & (boot.p_top <= 1)).all()
    page = render(service, demo.key, demo.workshop.id, "html").data.decode()
    assert "Too few answers to rank with confidence" in page
