"""What a consultation said, in front of the board (workshop.said): the evidence sentence (one
function for the card and the board paper), the board paper's section per consultation round, and the
plain-language summary export (one A4 page, its reading ease computed)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from ranking.readability import GENERAL_TARGET, readability
from tests.workshop.export_workshops import sample_room
from workshop.cli import KEY_VARIABLE, main
from workshop.errors import NotFound, PermissionDenied
from workshop.exports import ExportFormat, build_content, render_content
from workshop.exports.summary import summary_page
from workshop.imports import sample_setup
from workshop.models import RoundKind
from workshop.said import evidence_sentence, ordinal
from workshop.service import WorkshopService

GROUPS = ("Young people's representatives", "Schools and colleges")


def run_ballot(service: WorkshopService, key: str, workshop_id: int, people: int = 20, count: int = 32) -> int:
    """A young people's ballot answered by ``people`` (the first three "very important" to everyone,
    the rest varied, some "not sure") and closed; its round id."""
    workshop = service.workshop_by_id(workshop_id, key)
    ids = [p.id for p in workshop.priorities[:count]]
    rnd = service.add_round(key, workshop_id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    service.open_round(key, rnd.id)
    for n in range(people):
        person = service.join(workshop.code, None, GROUPS[n % 2])
        for i, pid in enumerate(ids):
            value = 3 if i < 3 else None if (i + n) % 7 == 0 else 1 + (i * 5 + n) % 3
            service.save_ballot_answer(person.token, rnd.id, pid, value)
    service.close_round(key, rnd.id)
    return rnd.id


ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd",
            32: "32nd", 101: "101st"}  # fmt: skip


@pytest.mark.parametrize(("n", "text"), ORDINALS.items())
def test_ordinals(n: int, text: str):
    assert ordinal(n) == text


def test_the_evidence_sentence_names_the_rank_of_all_and_the_answers(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    round_id = run_ballot(service, key, workshop.id)
    (found,) = service.consultations(key, workshop.id)
    assert found.round.id == round_id and found.respondents == 20
    assert found.by_group == ((GROUPS[1], 10), (GROUPS[0], 10))  # in the workshop's group order
    results = service.results(key, round_id)
    given = (~np.isnan(results.score_set.scores[:, :, 0])).sum(axis=0)  # type: ignore[union-attr]
    for row in found.rows:
        i = results.ranking.names.index(row.name)  # type: ignore[union-attr]
        assert row.answers == given[i] and row.rank == results.ranking.ranks[i]  # type: ignore[union-attr]
    first = found.rows[0]
    assert evidence_sentence(found, first.priority_id) == (
        f"Young people's consultation: ranked {ordinal(first.rank or 0)} of 32, {first.answers} answers"
    )
    assert re.fullmatch(r"Young people's consultation: ranked \d+(st|nd|rd|th) of 32, \d+ answers",
                        evidence_sentence(found, found.rows[-1].priority_id) or "")  # fmt: skip
    assert evidence_sentence(found, 10**6) is None


def test_evidence_reaches_only_later_rounds_and_only_people_in_the_workshop(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    before = workshop.rounds[0].id  # the sample's scoring round, made before the ballot
    run_ballot(service, key, workshop.id, people=4, count=8)
    later = service.add_round(key, workshop.id, RoundKind.SCORING, "Board round", [p.id for p in workshop.priorities])
    board = service.join(workshop.code, "Chair", "Health (NHS)")
    (found,) = service.consultation_evidence(board.token, later.id)
    assert found.respondents == 4
    assert service.consultation_evidence(board.token, before) == ()  # round 1 came before the ballot
    with pytest.raises(NotFound):
        service.consultation_evidence("not-a-token", later.id)
    other, other_key = service.create_workshop(sample_setup())
    stranger = service.join(other.code, None, "Health (NHS)")
    with pytest.raises(PermissionDenied):
        service.consultation_evidence(stranger.token, later.id)
    with pytest.raises(PermissionDenied):
        service.consultations(other_key, workshop.id)


def test_the_board_paper_has_a_section_per_consultation_with_each_agreed_priority_s_sentence(
    service: WorkshopService,
):
    room = sample_room(service, participants=6)
    round_id = run_ballot(service, room.key, room.id, people=10)
    content = build_content(service, room.key, room.id)
    (found,) = content.consultations
    assert found.round.id == round_id
    assert content.analysis is not None and content.analysis.round.number != found.round.number  # not the basis
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert f"What young people said: {found.round.label}" in html
    assert "Young people who took part" in html and ">10<" in html
    ids = {p.name: p.id for p in content.priorities}
    assert content.decision is not None
    for agreed in content.decision.shortlist:
        sentence = evidence_sentence(found, ids[agreed.name])
        assert sentence is not None and sentence.replace("'", "&#x27;") in html  # the card's very words


def test_the_summary_of_a_consultation_is_one_plain_page(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    run_ballot(service, key, workshop.id)
    content = build_content(service, key, workshop.id)
    page = summary_page(content)
    assert page.title == "What you told us"
    assert [p.heading for p in page.parts] == ["What we asked", "Who took part", "What came out on top",
                                               "What happens next"]  # fmt: skip
    reading = readability(page.texts, page.reading.target)
    assert reading == page.reading  # the page states its own reading ease
    assert reading.score is not None and reading.score >= GENERAL_TARGET, reading.summary
    assert reading.meets_target and reading.target == 70  # a page for young people aims at 70
    top = content.consultations[0].top_rows
    html = render_content(content, ExportFormat.SUMMARY).data.decode()
    assert all(r.title in html for r in top) and reading.summary in html
    assert "20 people took part" in html and "<script" not in html
    assert "@page { size: A4" in html


def test_the_summary_of_the_agreed_shortlist_reads_plainly_and_names_nobody(service: WorkshopService):
    room = sample_room(service, participants=6)
    run_ballot(service, room.key, room.id, people=10)
    service.join(room.workshop.code, None, GROUPS[0])
    content = build_content(service, room.key, room.id)
    page = summary_page(content)
    assert page.title == "Our agreed priorities"
    assert page.reading.score is not None and page.reading.score >= GENERAL_TARGET, page.reading.summary
    titles = {p.name: p.ballot_title for p in content.priorities}
    assert content.decision is not None
    chosen = next(p for p in page.parts if p.heading.startswith("The 5"))
    assert chosen.items == tuple(titles[p.name] for p in content.decision.shortlist)
    html = render_content(content, ExportFormat.SUMMARY)
    assert html.filename.endswith(".html") and "summary" in html.filename
    text = html.data.decode()
    assert "Participant" not in text and "Chosen because" not in text  # no pseudonyms, no free text


def test_the_command_line_writes_the_summary(service: WorkshopService, tmp_path: Path, capsys, monkeypatch):
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    url = str(service._store.engine.url)  # the same database as the service
    workshop, key = service.create_workshop(sample_setup())
    run_ballot(service, key, workshop.id, people=3, count=8)
    path = tmp_path / "summary.html"
    argv = ["--database-url", url, "export", workshop.code, "--key", key, "--format", "summary", "-o", str(path)]
    status = main(argv)
    assert status == 0, capsys.readouterr().err
    assert "summary export of" in capsys.readouterr().out
    assert "What you told us" in path.read_text(encoding="utf-8")


def test_what_a_consultation_said_is_remembered_until_its_answers_or_the_workshop_change(
    service: WorkshopService, monkeypatch: pytest.MonkeyPatch
):
    """Every full run of a later round's page asks for the evidence: it is ranked once, and again
    only when something it is made of changes (here a respondent removed with their answers, then the
    ranking settings), never left stale."""
    from ranking.methods import Method, RankingOptions
    from workshop.service import results as results_module

    made = []
    real = results_module.said_of
    monkeypatch.setattr(results_module, "said_of", lambda *a: made.append(1) or real(*a))
    workshop, key = service.create_workshop(sample_setup())
    ballot = run_ballot(service, key, workshop.id, people=4, count=8)
    later = service.add_round(key, workshop.id, RoundKind.SCORING, "Board round", [p.id for p in workshop.priorities])
    service.open_round(key, later.id)
    board = service.join(workshop.code, "Chair", "Health (NHS)")
    first = service.consultation_evidence(board.token, later.id)
    service.save_score(board.token, later.id, workshop.priorities[0].id, workshop.criteria[0].id, 3)  # a version bump
    assert service.consultation_evidence(board.token, later.id) == first and len(made) == 1
    assert service.consultations(key, workshop.id) == first and len(made) == 1  # the Results page's call too

    respondent = next(p for p in service.progress(key, ballot).participants if p.answered)
    service.remove_participant(key, workshop.id, respondent.participant_id, keep_answers=False)
    (fewer,) = service.consultation_evidence(board.token, later.id)
    assert fewer.respondents == first[0].respondents - 1 and len(made) == 2

    service.set_ranking_options(key, workshop.id, RankingOptions(method=Method.TOPSIS))
    assert service.consultation_evidence(board.token, later.id) == (fewer,) and len(made) == 3
