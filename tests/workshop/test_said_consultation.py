"""What a consultation that is not a young people's ballot said (issue 18: "The results of a consultation
round appear as a view of their own … and, in later rounds of the same workshop, on each priority's card
as evidence"): a partner agencies' scoring round on every criterion with a closing time, read by the
service, shown on a later round's cards, and given its own section of the board paper and the summary."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from tests.workshop.conftest import Made, StepClock
from workshop.exports import ExportFormat, build_content, render_content
from workshop.models import RoundKind, ScoreEntry
from workshop.said import evidence_sentence, ordinal
from workshop.service import WorkshopService


def _consulted(service: WorkshopService, made: Made, clock: StepClock) -> int:
    """The scoring round made a consultation of the NHS group, answered by three NHS participants (one
    says "don't know" to Need on the first priority), then closed by its closing time."""
    rid = made.scoring_round
    service.set_consultation(made.key, rid, audience=["NHS"])
    closes = clock.now + timedelta(days=7)
    service.open_round(made.key, rid, closes_at=closes)
    criteria = made.workshop.criteria
    for n in range(3):
        person = service.join(made.workshop.code, None, "NHS")
        entries = [
            ScoreEntry(p.id, c.id, None if (n == 0 and i == 0 and c.name == "Need") else c.scale_min + (i + n) % 3)
            for i, p in enumerate(made.workshop.priorities)
            for c in criteria
        ]
        service.save_scores(person.token, rid, entries)
    clock.now = closes + timedelta(hours=1)
    return rid


def test_the_service_reads_a_partner_consultation_as_what_they_said(
    service: WorkshopService, made: Made, clock: StepClock
):
    rid = _consulted(service, made, clock)
    (found,) = service.consultations(made.key, made.id)
    assert found.round.id == rid and not found.ballot and not found.picks
    assert found.heading == "What NHS said" and found.label == "Consultation of NHS"
    assert found.respondents == 3 and found.by_group == (("NHS", 3),)
    assert found.criteria == tuple(c.name for c in made.workshop.criteria)
    # a priority's answers are the fewest views on any one criterion: the first priority lost one on Need
    first = made.workshop.priorities[0]
    assert found.row(first.id).answers == 2
    assert {r.answers for r in found.rows if r.priority_id != first.id} == {3}
    # the order is the engine's, as on the Results page for that round
    ranking = service.results(made.key, rid).ranking
    assert [r.name for r in found.rows] == [ranking.names[i] for i in ranking.order]
    assert np.array_equal(ranking.aggregate.counts.min(axis=1)[list(ranking.order)], [r.answers for r in found.rows])


def test_a_later_round_shows_the_consultation_as_evidence_on_its_cards(
    service: WorkshopService, made: Made, clock: StepClock
):
    _consulted(service, made, clock)
    ids = [p.id for p in made.workshop.priorities]
    later = service.add_round(made.key, made.id, RoundKind.SCORING, "Board scoring", ids)
    service.open_round(made.key, later.id)
    member = service.join(made.workshop.code, "Board member", "Council")
    (found,) = service.consultation_evidence(member.token, later.id)
    sentence = evidence_sentence(found, ids[0])
    row = found.row(ids[0])
    assert sentence == f"Consultation of NHS: ranked {ordinal(row.rank)} of 6, 2 answers"


def test_the_board_paper_and_the_summary_give_it_its_own_section(
    service: WorkshopService, made: Made, clock: StepClock
):
    _consulted(service, made, clock)
    content = build_content(service, made.key, made.id)
    (found,) = content.consultations
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert f"What NHS said: {found.round.label}" in html
    assert "It asked: Score each priority on Need; Cost; Evidence." in html
    assert "What the ballot called it" not in html  # no ballot, no plain titles
    summary = render_content(content, ExportFormat.SUMMARY).data.decode()
    assert "We asked people from NHS to score each idea on 3 questions." in summary
    assert "the aim of 60" in summary  # not a young people's page (that aim is 70)
