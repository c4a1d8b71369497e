"""The young people's ballot (workshop.ballot): one question per priority, fed to the engine as a
one-criterion scoring round, and children's data as the UK age-appropriate design code expects."""

from __future__ import annotations

import math

import pytest

from ranking.methods import rank
from workshop.ballot import (
    BALLOT_ANSWERS,
    BALLOT_CRITERION_ID,
    BALLOT_QUESTION,
    NAME_REFUSED,
    NAMED_ANSWER_REFUSED,
    ballot_texts,
)
from workshop.errors import InvalidInput, PermissionDenied, RoundNotOpen
from workshop.models import PrioritySpec, RoundKind
from workshop.results import ScoringResults
from workshop.service import WorkshopService

from .conftest import Made, small_setup, snapshot


def open_ballot(service: WorkshopService, made: Made) -> int:
    ids = [p.id for p in made.workshop.priorities]
    rnd = service.add_round(made.key, made.id, RoundKind.SCORING, "What matters to you", ids, young_ballot=True)
    assert rnd.young_ballot and rnd.kind is RoundKind.SCORING
    service.open_round(made.key, rnd.id)
    return rnd.id


def test_a_ballot_is_a_one_criterion_scoring_round_ranked_by_the_engine(service: WorkshopService, made: Made):
    round_id = open_ballot(service, made)
    first, second, third = made.workshop.priorities[:3]
    answers = {  # participant -> priority -> value (None = not sure)
        "Council": {first.id: 3, second.id: 1, third.id: None},
        "NHS": {first.id: 3, second.id: 2, third.id: 2},
    }
    for group, given in answers.items():
        person = service.join(made.workshop.code, None, group)
        for pid, value in given.items():
            service.save_ballot_answer(person.token, round_id, pid, value)
    results = service.results(made.key, round_id)
    assert isinstance(results, ScoringResults)
    assert [c.name for c in results.score_set.criteria] == [BALLOT_QUESTION]
    assert results.score_set.scores.shape == (2, len(made.workshop.priorities), 1)
    third_column = results.score_set.scores[:, 2, 0]
    assert math.isnan(third_column[0]) and third_column[1] == 2  # "not sure" is missing, never zero
    # exactly what the engine makes of the same array
    again = rank(results.score_set, results.ranking.options)
    assert list(again.ranks) == list(results.ranking.ranks)
    assert results.ranking.ranks[0] == 1  # both said "very important" to the first


def test_answers_come_back_and_the_last_save_wins(service: WorkshopService, made: Made):
    round_id = open_ballot(service, made)
    person = service.join(made.workshop.code, None, "NHS")
    pid = made.workshop.priorities[0].id
    service.save_ballot_answer(person.token, round_id, pid, 1)
    service.save_ballot_answer(person.token, round_id, pid, None)
    mine = service.my_scores(person.token, round_id)
    (entry,) = mine.entries
    assert (entry.priority_id, entry.criterion_id, entry.value) == (pid, BALLOT_CRITERION_ID, None)
    progress = service.progress(made.key, round_id)
    (row,) = progress.participants
    assert (row.answered, row.total) == (1, len(made.workshop.priorities))


def test_a_ballot_asks_for_no_name_and_refuses_one(service: WorkshopService, made: Made, store):
    open_ballot(service, made)
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput) as refused:
        service.join(made.workshop.code, "Amy Smith", "NHS")
    assert refused.value.message == NAME_REFUSED
    assert snapshot(store.engine) == before  # nothing stored, not even an audit entry
    person = service.join(made.workshop.code, None, "NHS")
    assert person.display_name is None and person.label.startswith("Anonymous")


def test_a_named_participant_cannot_answer_a_ballot(service: WorkshopService, made: Made):
    named = service.join(made.workshop.code, "Board member", "Council")  # joined before the ballot opened
    round_id = open_ballot(service, made)
    with pytest.raises(PermissionDenied) as refused:
        service.save_ballot_answer(named.token, round_id, made.workshop.priorities[0].id, 3)
    assert refused.value.message == NAMED_ANSWER_REFUSED
    assert service.my_scores(named.token, round_id).entries == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [(0, "between 1 and 3"), (4, "between 1 and 3"), (2.5, "whole number")],
)
def test_an_answer_off_the_ballot_is_refused(service: WorkshopService, made: Made, value, message):
    round_id = open_ballot(service, made)
    person = service.join(made.workshop.code, None, "NHS")
    with pytest.raises(InvalidInput, match=message):
        service.save_ballot_answer(person.token, round_id, made.workshop.priorities[0].id, value)


def test_the_ballot_and_an_ordinary_round_refuse_each_others_answers(service: WorkshopService, made: Made):
    round_id = open_ballot(service, made)
    person = service.join(made.workshop.code, None, "NHS")
    pid, cid = made.workshop.priorities[0].id, made.workshop.criteria[0].id
    with pytest.raises(InvalidInput, match="young people's ballot"):
        service.save_score(person.token, round_id, pid, cid, 3)
    service.close_round(made.key, round_id)
    with pytest.raises(RoundNotOpen):
        service.save_ballot_answer(person.token, round_id, pid, 3)
    scoring = made.scoring_round
    service.open_round(made.key, scoring)
    with pytest.raises(InvalidInput, match="not a young people's ballot"):
        service.save_ballot_answer(person.token, scoring, pid, 3)


def test_a_weighting_round_cannot_be_a_ballot(service: WorkshopService, made: Made):
    with pytest.raises(InvalidInput, match=r"scoring round \(one question\) or a ranking round"):
        service.add_round(made.key, made.id, RoundKind.WEIGHTING, "Weights", young_ballot=True)


def test_the_texts_scored_are_the_ones_a_young_person_reads(service: WorkshopService):
    setup = small_setup()
    plain = tuple(
        PrioritySpec(p.name, p.theme, "A formal description.", plain_title=f"Title {n}", plain_sentence=f"Say {n}.")
        for n, p in enumerate(setup.priorities)
    )
    workshop, key = service.create_workshop(type(setup)(**{**setup.__dict__, "priorities": plain}))
    rnd = service.add_round(
        key, workshop.id, RoundKind.SCORING, "Your say", [workshop.priorities[0].id], young_ballot=True
    )
    texts = ballot_texts(rnd, service.workshop_by_id(workshop.id, key).priorities)
    assert "Title 0." in texts and "Say 0." in texts and BALLOT_QUESTION in texts
    assert not any("formal" in t for t in texts) and "Title 1." not in texts
    assert all(a in " ".join(texts) for a in BALLOT_ANSWERS)


def test_a_ballot_may_ask_an_age_band_and_nothing_finer(service: WorkshopService, made: Made):
    from workshop.ballot import AGE_BANDS, AGE_REFUSED

    with pytest.raises(InvalidInput) as not_now:
        service.join(made.workshop.code, None, "NHS", AGE_BANDS[1])  # no ballot is open
    assert not_now.value.message == AGE_REFUSED
    round_id = open_ballot(service, made)
    with pytest.raises(InvalidInput, match="The age group must be one of Under 11, 11 to 13"):
        service.join(made.workshop.code, None, "NHS", "12")
    person = service.join(made.workshop.code, None, "NHS", AGE_BANDS[1])
    assert person.age_band == AGE_BANDS[1] and person.display_name is None
    service.save_ballot_answer(person.token, round_id, made.workshop.priorities[0].id, 2)
    assert service.consultations(made.key, made.id) == ()  # still open: it has said nothing yet
    service.close_round(made.key, round_id)
    (found,) = service.consultations(made.key, made.id)
    assert found.by_age == ((AGE_BANDS[1], 1),) and found.by_group == (("NHS", 1),)


def test_a_ballot_with_a_share_takes_answers_only_within_the_participant_s_share(
    service: WorkshopService, made: Made, store
):
    """As a scoring round's share does (``save_scores``): an answer outside the share is refused in
    words and changes nothing, so the coverage counts only what each person was asked."""
    ids = [p.id for p in made.workshop.priorities]
    rid = service.add_round(made.key, made.id, RoundKind.SCORING, "What matters", ids, young_ballot=True).id
    service.set_consultation(made.key, rid, share_mode="balanced", share_size=2)
    service.open_round(made.key, rid)
    person = service.join(made.workshop.code, None, "NHS")
    mine = service.my_share(person.token, rid).priority_ids
    outside = next(pid for pid in ids if pid not in mine)
    service.save_ballot_answer(person.token, rid, mine[0], 3)
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match=r"^That priority is not part of your share of Round \d+\.$"):
        service.save_ballot_answer(person.token, rid, outside, 3)
    assert snapshot(store.engine) == before
    assert [(e.priority_id, e.value) for e in service.my_scores(person.token, rid).entries] == [(mine[0], 3)]
