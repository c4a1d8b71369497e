"""The consultation demo: the sample workshop with a closed young people's consultation, each respondent
on a balanced share of the list, written in bulk; and its command line (in test_cli)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workshop.demo_consultation import AUDIENCE, create_consultation_demo
from workshop.errors import InvalidInput
from workshop.models import RoundState, ShareMode
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
    answers = [p.answers for p in coverage.priorities]
    assert sum(answers) == 50 * 8 and max(answers) - min(answers) <= 1  # 400 answers over 32: 12 or 13 each
    assert all(p.given == p.answers for p in coverage.priorities)
    progress = service.progress(demo.key, rnd.id).participants
    assert len(progress) == 50 and all(p.answered == 8 * len(demo.workshop.criteria) for p in progress)
    results = service.results(demo.key, rnd.id)
    assert len(results.participants) == 50 and results.ranking.aggregate.counts.min() >= 10
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
