"""The setup's readability (workshop.readable): what participants read, scored against its aim."""

from __future__ import annotations

from workshop.imports import sample_setup
from workshop.models import RoundKind
from workshop.readable import general_texts, setup_readability
from workshop.service import WorkshopService


def test_the_sample_shows_the_ordinary_text_below_60_and_its_ballot_words_above_70(service: WorkshopService):
    workshop, key = service.create_workshop(sample_setup())
    general, ballot = setup_readability(workshop)  # no ballot round yet: the whole list's plain words
    assert general.reading.target == 60 and not general.reading.meets_target
    assert general.reading.hardest  # the sentences that pull it down are named
    assert ballot.label == "A young people's ballot on the whole list"
    assert ballot.reading.target == 70 and ballot.reading.meets_target
    ids = [p.id for p in workshop.priorities[:8]]
    service.add_round(key, workshop.id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    _, only = setup_readability(service.workshop_by_id(workshop.id, key))
    assert only.label == "Young people's ballot: Round 2: Your say" and only.reading.meets_target
    assert only.reading.words < ballot.reading.words  # eight priorities, not 32


def test_the_general_text_is_what_a_participant_reads(service: WorkshopService):
    workshop, _ = service.create_workshop(sample_setup())
    texts = general_texts(workshop)
    assert workshop.priorities[0].description in texts and f"{workshop.criteria[0].name}." in texts
    assert not any(p.plain_sentence in texts for p in workshop.priorities)  # only the ballot shows those
