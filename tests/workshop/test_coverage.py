"""A consultation round's coverage (``WorkshopService.coverage``) for every kind of round: to how many
each priority was given (its share, or everyone the round is open to) and its answers, the engine's
response count ("don't know" and "Not sure" are no view; a ranking or pick ballot answers every
priority listed), and the board paper stating that same coverage."""

from __future__ import annotations

from datetime import timedelta

from tests.coverage_tables import coverage_rows, paper_coverage_rows
from tests.workshop.conftest import Made, StepClock
from workshop.models import DEFAULT_SHARE_MINIMUM, RoundCoverage, RoundKind, ScoreEntry
from workshop.said import evidence_sentence
from workshop.service import WorkshopService


def _counts(coverage: RoundCoverage) -> dict[str, tuple[int, int]]:
    return {p.name: (p.given, p.answers) for p in coverage.priorities}


def test_a_scoring_round_counts_views_and_is_given_to_its_audience(
    service: WorkshopService, made: Made, clock: StepClock
):
    """No share, an audience (NHS): given to the three NHS participants, not the two from the council;
    a priority's answers are its fewest views on any one criterion, as the engine counts responses."""
    rid = made.scoring_round
    service.set_consultation(made.key, rid, audience=["NHS"])
    for name in ("Ann", "Ben"):
        service.join(made.workshop.code, name, "Council")
    nhs = [service.join(made.workshop.code, f"N{i}", "NHS") for i in range(3)]
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=2))
    first, second = made.workshop.priorities[:2]
    criteria = made.workshop.criteria
    full = [ScoreEntry(first.id, c.id, c.scale_min) for c in criteria]
    service.save_scores(nhs[0].token, rid, full + [ScoreEntry(second.id, c.id, c.scale_min) for c in criteria])
    # the second finished the first priority with one "don't know": no view on that criterion
    service.save_scores(nhs[1].token, rid, [*full[:-1], ScoreEntry(first.id, criteria[-1].id, None)])

    coverage = service.coverage(made.key, rid)
    assert coverage.minimum == DEFAULT_SHARE_MINIMUM
    assert {p.given for p in coverage.priorities} == {3}  # the audience, not all five who joined
    counts = _counts(coverage)
    assert counts[first.name] == (3, 1) and counts[second.name] == (3, 1)
    assert sum(a for _, a in counts.values()) == 2
    results = service.results(made.key, rid)
    engine = dict(zip(results.ranking.names, results.ranking.aggregate.counts.min(axis=1).tolist(), strict=True))
    assert {p.name: p.answers for p in coverage.priorities} == engine
    assert paper_coverage_rows(service, made.key, made.id, rid) == coverage_rows(coverage)


def _ballot(service: WorkshopService, made: Made) -> int:
    ids = [p.id for p in made.workshop.priorities]
    return service.add_round(made.key, made.id, RoundKind.SCORING, "What matters", ids, young_ballot=True).id


def test_a_ballot_counts_the_views_given_as_what_young_people_said_does(service: WorkshopService, made: Made):
    rid = _ballot(service, made)
    service.join(made.workshop.code, "Board member", "Council")  # joined before: the ballot is open to them too
    service.open_round(made.key, rid)
    first, second, third = made.workshop.priorities[:3]
    answers = ({first.id: 3, second.id: None}, {first.id: 2, second.id: 1, third.id: None}, {first.id: None})
    for given in answers:
        person = service.join(made.workshop.code, None, "NHS")
        for pid, value in given.items():
            service.save_ballot_answer(person.token, rid, pid, value)

    coverage = service.coverage(made.key, rid)
    counts = _counts(coverage)
    assert counts[first.name] == (4, 2) and counts[second.name] == (4, 1) and counts[third.name] == (4, 0)
    assert len(coverage.below) == 6  # fewer than 10 each
    service.close_round(made.key, rid)
    (said,) = service.consultations(made.key, made.id)
    assert {r.name: r.answers for r in said.rows} == {p.name: p.answers for p in coverage.priorities}
    assert evidence_sentence(said, first.id).endswith(", 2 answers")  # "Not sure" is no answer there either
    assert service.coverage(made.key, rid) == coverage
    assert paper_coverage_rows(service, made.key, made.id, rid) == coverage_rows(coverage)


def test_a_ballot_with_a_balanced_share_and_an_audience(service: WorkshopService, made: Made, clock: StepClock):
    """Six priorities, two each, for the NHS only: each priority given to one of three NHS respondents;
    a "Not sure" is their answer (their share is done) but not a view the coverage counts."""
    rid = _ballot(service, made)
    service.set_consultation(made.key, rid, audience=["NHS"], share_mode="balanced", share_size=2, minimum=1)
    service.join(made.workshop.code, "Ann", "Council")  # not in the audience
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    people = [service.join(made.workshop.code, None, "NHS") for _ in range(3)]
    shares = [service.my_share(p.token, rid).priority_ids for p in people]
    for person, share, values in zip(people, shares, ((3, 2), (1, None), (2,)), strict=True):
        for pid, value in zip(share, values, strict=False):
            service.save_ballot_answer(person.token, rid, pid, value)
    assert service.my_share(people[1].token, rid).left == ()  # "Not sure" answered it
    assert service.my_share(people[2].token, rid).left == shares[2][1:]

    coverage = service.coverage(made.key, rid)
    assert coverage.minimum == 1 and {p.given for p in coverage.priorities} == {1}  # 3 × 2 over 6
    by_id = {p.priority_id: p.answers for p in coverage.priorities}
    viewed = {*shares[0], shares[1][0], shares[2][0]}
    assert by_id == {pid: int(pid in viewed) for pid in by_id}
    assert {p.priority_id for p in coverage.below} == set(by_id) - viewed
    clock.now += timedelta(days=2)  # it closes by itself
    (said,) = service.consultations(made.key, made.id)
    assert {r.priority_id: r.answers for r in said.rows} == by_id
    assert paper_coverage_rows(service, made.key, made.id, rid) == coverage_rows(coverage)


def _pick_ballot(service: WorkshopService, made: Made, audience: tuple[str, ...] = ()) -> int:
    """Pick two of the six: everyone picks the first two; nobody picks the last four."""
    ids = [p.id for p in made.workshop.priorities]
    rid = service.add_round(made.key, made.id, RoundKind.RANKING, "Your top two", ids, 2, young_ballot=True).id
    if audience:
        service.set_consultation(made.key, rid, audience=audience)
    service.open_round(made.key, rid)
    for n in range(4):
        person = service.join(made.workshop.code, None, "NHS")
        service.save_ranking(person.token, rid, ids[:2] if n % 2 else ids[1::-1])
    service.close_round(made.key, rid)
    return rid


def test_a_pick_ballot_answers_every_listed_priority_with_each_ballot(service: WorkshopService, made: Made):
    """Not picking a priority is an answer about it: four ballots are four answers on each of the six,
    a priority nobody picked included; "Given to" is everyone the round is open to."""
    service.join(made.workshop.code, "Ann", "Council")
    rid = _pick_ballot(service, made)
    coverage = service.coverage(made.key, rid)
    assert set(_counts(coverage).values()) == {(5, 4)}
    (said,) = service.consultations(made.key, made.id)
    assert said.respondents == 4 and [r.answers for r in said.rows][-1] == 0  # picked by none, answered by all
    assert paper_coverage_rows(service, made.key, made.id, rid) == coverage_rows(coverage)


def test_a_pick_ballot_for_an_audience_is_given_to_that_audience(service: WorkshopService, made: Made):
    service.join(made.workshop.code, "Ann", "Council")
    rid = _pick_ballot(service, made, audience=("NHS",))
    coverage = service.coverage(made.key, rid)
    assert set(_counts(coverage).values()) == {(4, 4)}  # the council's member was not asked
    assert coverage.minimum == DEFAULT_SHARE_MINIMUM and len(coverage.below) == 6  # 4 ballots: fewer than 10


def test_a_ranking_round_counts_each_ranking_on_every_priority(service: WorkshopService, made: Made, clock: StepClock):
    ids = [p.id for p in made.workshop.priorities]
    rid = service.add_round(made.key, made.id, RoundKind.RANKING, "Order them", ids).id
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    for n in range(3):
        person = service.join(made.workshop.code, f"P{n}", "Council")
        service.save_ranking(person.token, rid, ids[: 1 + n])  # a ranking may stop short
    coverage = service.coverage(made.key, rid)
    assert set(_counts(coverage).values()) == {(3, 3)}
    assert paper_coverage_rows(service, made.key, made.id, rid) == coverage_rows(coverage)


def test_a_weighting_round_has_no_priorities_to_cover(service: WorkshopService, made: Made, clock: StepClock):
    rid = next(r.id for r in made.workshop.rounds if r.kind is RoundKind.WEIGHTING)
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    assert service.coverage(made.key, rid).priorities == ()
