"""The "pick your top three from these eight" ballot (a young people's ballot on a ranking round):
the service's refusals, names refused as in the scoring ballot, the picks tallied by the engine as any
ranking round's, and what they said in the evidence sentence and the board paper."""

from __future__ import annotations

import json

import pytest

from tests.workshop.export_workshops import sample_room
from workshop.archive import ArchiveError, dumps, loads
from workshop.ballot import NAME_REFUSED, NAMED_ANSWER_REFUSED, PICK_LIST_MAX, pick_question
from workshop.errors import InvalidInput, PermissionDenied
from workshop.exports import ExportFormat, build_content, render_content
from workshop.imports import sample_setup
from workshop.models import RoundKind
from workshop.results import RankingRoundResults, borda
from workshop.said import evidence_sentence
from workshop.service import WorkshopService

from .conftest import Made, snapshot

GROUPS = ("Young people's representatives", "Schools and colleges")


def run_picks(service: WorkshopService, key: str, workshop_id: int, people: int = 12) -> int:
    """A pick-three-of-eight ballot: everyone picks the first priority first, then two that vary; closed."""
    workshop = service.workshop_by_id(workshop_id, key)
    ids = [p.id for p in workshop.priorities[:8]]
    rnd = service.add_round(key, workshop_id, RoundKind.RANKING, "Your top three", ids, 3, young_ballot=True)
    assert rnd.young_ballot and rnd.kind is RoundKind.RANKING and rnd.ranking_length == 3
    service.open_round(key, rnd.id)
    for n in range(people):
        person = service.join(workshop.code, None, GROUPS[n % 2])
        service.save_ranking(person.token, rnd.id, [ids[0], ids[1 + n % 3], ids[4 + n % 2]])
    service.close_round(key, rnd.id)
    return rnd.id


@pytest.mark.parametrize(
    ("count", "pick", "message"),
    [
        (8, None, "say how many to pick"),
        (4, 4, "pick at most 3 of 4"),
        (6, 9, "between 1 and 6"),  # the ranking round's own check
    ],
)
def test_a_pick_ballot_needs_a_top_few_of_its_list(service: WorkshopService, count, pick, message):
    workshop, key = service.create_workshop(sample_setup())
    ids = [p.id for p in workshop.priorities[:count]]
    with pytest.raises(InvalidInput, match=message):
        service.add_round(key, workshop.id, RoundKind.RANKING, "Pick", ids, pick, young_ballot=True)
    assert service.workshop_by_id(workshop.id, key).rounds == workshop.rounds  # nothing added


def test_a_pick_ballot_lists_what_fits_on_one_phone_screen(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    ids = [p.id for p in workshop.priorities[: PICK_LIST_MAX + 1]]
    with pytest.raises(InvalidInput) as refused:
        service.add_round(key, workshop.id, RoundKind.RANKING, "Pick", ids, 3, young_ballot=True)
    assert refused.value.message == (
        f"A young people's ballot lists at most {PICK_LIST_MAX} priorities to pick from; this one has 13."
    )


def test_a_pick_ballot_refuses_names_as_the_scoring_ballot_does(service: WorkshopService, made: Made, store):
    named = service.join(made.workshop.code, "Board member", "Council")  # joined before it opened
    ids = [p.id for p in made.workshop.priorities]
    rnd = service.add_round(made.key, made.id, RoundKind.RANKING, "Pick", ids, 3, young_ballot=True)
    service.open_round(made.key, rnd.id)
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput) as refused:
        service.join(made.workshop.code, "Amy Smith", "NHS")
    assert refused.value.message == NAME_REFUSED
    with pytest.raises(PermissionDenied) as denied:
        service.save_ranking(named.token, rnd.id, ids[:3])
    assert denied.value.message == NAMED_ANSWER_REFUSED
    assert snapshot(store.engine) == before  # neither the join nor the named picks left anything
    person = service.join(made.workshop.code, None, "NHS")
    service.save_ranking(person.token, rnd.id, ids[:2])  # fewer than three is a partial pick, as in any ranking
    with pytest.raises(InvalidInput, match="Pick at most 3"):
        service.save_ranking(person.token, rnd.id, ids[:4])
    assert service.my_ranking(person.token, rnd.id).priority_ids == tuple(ids[:2])


def test_the_picks_feed_the_engine_as_any_ranking_round(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    round_id = run_picks(service, key, workshop.id)
    results = service.results(key, round_id)
    assert isinstance(results, RankingRoundResults)
    progress = service.progress(key, round_id).participants
    assert len(progress) == 12 and {(r.answered, r.total) for r in progress} == {(3, 3)}  # three picks each
    again = borda(results.tally.priorities, results.orderings)  # the engine's own tally of the same ballots
    assert list(again.ranks) == list(results.tally.ranks) and results.tally.ballots == 12
    (found,) = service.consultations(key, workshop.id)
    assert found.picks and found.question == pick_question(found.round)
    assert found.respondents == 12 and found.by_group == ((GROUPS[1], 6), (GROUPS[0], 6))
    ids = [p.id for p in workshop.priorities[:8]]
    by_id = {r.priority_id: r for r in found.rows}
    assert by_id[ids[0]].rank == 1 and by_id[ids[0]].answers == 12  # everyone's favourite
    assert [by_id[pid].answers for pid in ids] == [12, 4, 4, 4, 6, 6, 0, 0]
    assert by_id[ids[6]].rank is None  # nobody picked it: no place
    assert evidence_sentence(found, ids[0]) == "Young people's consultation: ranked 1st of 8, picked by 12 of 12"
    assert evidence_sentence(found, ids[7]) == "Young people's consultation: not picked (by none of 12)"
    assert evidence_sentence(found, workshop.priorities[9].id) is None  # not in the ballot


def test_a_later_round_s_cards_and_the_board_paper_carry_the_picks(service: WorkshopService):
    room = sample_room(service, participants=6)
    round_id = run_picks(service, room.key, room.id, people=9)
    content = build_content(service, room.key, room.id)
    (found,) = content.consultations
    assert found.round.id == round_id and found.answers == 27
    assert content.analysis is not None and content.analysis.round.id != round_id  # never the basis
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert f"What young people said: {found.round.label}" in html
    assert "Picked by" in html and "pick your top 3" in html.lower()
    ids = {p.name: p.id for p in content.priorities}
    assert content.decision is not None
    for agreed in content.decision.shortlist:
        sentence = evidence_sentence(found, ids[agreed.name])
        if sentence is not None:
            assert sentence.replace("'", "&#x27;") in html  # the card's very words


def test_a_pick_ballot_round_trips_through_the_archive_and_a_named_pick_is_refused(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    round_id = run_picks(service, key, workshop.id, people=4)
    archive = service.export_archive(key, workshop.id)
    assert archive.rounds[-1].young_ballot and len(archive.rounds[-1].rankings) == 12
    copy, new_key = service.import_archive(loads(dumps(archive).encode()))
    assert copy.rounds[-1].young_ballot and copy.rounds[-1].kind is RoundKind.RANKING
    before, after = service.results(key, round_id), service.results(new_key, copy.rounds[-1].id)
    assert list(after.tally.ranks) == list(before.tally.ranks)  # type: ignore[union-attr]
    document = json.loads(dumps(archive))
    document["participants"][0]["display_name"] = "A Child"
    with pytest.raises(ArchiveError, match="takes no names"):
        service.import_archive(loads(json.dumps(document)))


def test_the_texts_scored_for_a_pick_ballot_are_the_ones_it_shows(service: WorkshopService):
    from workshop.ballot import BALLOT_ANSWERS, ballot_texts

    workshop, key = service.create_workshop(sample_setup())
    ids = [p.id for p in workshop.priorities[:8]]
    rnd = service.add_round(key, workshop.id, RoundKind.RANKING, "Your top three", ids, 3, young_ballot=True)
    texts = ballot_texts(rnd, workshop.priorities)
    assert pick_question(rnd) in texts and "Your top three." in texts
    assert not any(answer in text for answer in BALLOT_ANSWERS for text in texts)  # no worded answers: picks
    assert {f"{p.plain_title}." for p in workshop.priorities[:8]} <= set(texts)
    assert f"{workshop.priorities[8].plain_title}." not in texts
