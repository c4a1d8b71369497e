"""Consultation rounds in the service: closing times on a fake clock, audiences, shares of the list, coverage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.workshop.conftest import Made, StepClock, near_miss
from workshop.errors import InvalidInput, PermissionDenied, RoundNotOpen
from workshop.models import RoundState, ScoreEntry, ShareMode
from workshop.service import WorkshopService


def _all_cells(made: Made, priority_ids: tuple[int, ...]) -> list[ScoreEntry]:
    return [ScoreEntry(pid, c.id, c.scale_min) for pid in priority_ids for c in made.workshop.criteria]


def _round(service: WorkshopService, made: Made, round_id: int):  # type: ignore[no-untyped-def]
    return next(r for r in service.workshop_by_id(made.id, made.key).rounds if r.id == round_id)


# ---------------------------------------------------------------------------- the closing time


def test_a_round_closes_by_itself_at_its_closing_time(service: WorkshopService, made: Made, clock: StepClock):
    rid = made.scoring_round
    person = service.join(made.workshop.code, "Ann", "Council")
    deadline = clock.now + timedelta(days=3)
    opened = service.open_round(made.key, rid, closes_at=deadline)
    assert opened.state is RoundState.OPEN and opened.closes_at == deadline
    pid = made.workshop.priorities[0].id
    service.save_scores(person.token, rid, _all_cells(made, (pid,)))

    clock.now = deadline - timedelta(seconds=5)
    assert _round(service, made, rid).state is RoundState.OPEN
    clock.now = deadline  # nobody touches the round: the clock alone closes it
    for rnd in (
        _round(service, made, rid),
        next(r for r in service.workshop(made.workshop.code).rounds if r.id == rid),
    ):
        assert rnd.state is RoundState.CLOSED and rnd.closed_at == deadline and rnd.closed_by_deadline
    assert service.stage(made.id).round_state is RoundState.CLOSED
    with pytest.raises(RoundNotOpen, match="This consultation closed at 4 March 2011, 09:0"):
        service.save_scores(person.token, rid, _all_cells(made, (made.workshop.priorities[1].id,)))
    saved = service.my_scores(person.token, rid).entries
    assert {e.priority_id for e in saved} == {pid}  # the refused save changed nothing


def test_the_closing_time_must_be_in_the_future_and_aware(service: WorkshopService, made: Made, clock: StepClock):
    rid = made.scoring_round
    with pytest.raises(InvalidInput, match="in the future"):
        service.open_round(made.key, rid, closes_at=clock.now - timedelta(hours=1))
    with pytest.raises(InvalidInput, match="time zone"):
        service.open_round(made.key, rid, closes_at=(clock.now + timedelta(days=1)).replace(tzinfo=None))
    assert _round(service, made, rid).state is RoundState.DRAFT


def test_extending_keeps_it_open_and_reopens_one_its_closing_time_closed(
    service: WorkshopService, made: Made, clock: StepClock
):
    rid = made.scoring_round
    person = service.join(made.workshop.code, "Ann", "Council")
    deadline = clock.now + timedelta(days=1)
    service.open_round(made.key, rid, closes_at=deadline)
    with pytest.raises(InvalidInput, match="must be after"):
        service.extend_round(made.key, rid, deadline - timedelta(hours=1))
    later = deadline + timedelta(days=1)
    assert service.extend_round(made.key, rid, later).closes_at == later
    clock.now = later + timedelta(minutes=1)
    assert _round(service, made, rid).state is RoundState.CLOSED
    again = later + timedelta(days=2)
    assert service.extend_round(made.key, rid, again).state is RoundState.OPEN
    service.save_scores(person.token, rid, _all_cells(made, (made.workshop.priorities[0].id,)))
    actions = [e.action for e in service.audit_log(made.key, made.id)]
    assert actions.count("closing time extended") == 2
    assert "round closed at its closing time" in actions  # recorded when the facilitator acted on it


def test_closing_early_is_a_close_and_is_recorded(service: WorkshopService, made: Made, clock: StepClock):
    rid = made.scoring_round
    person = service.join(made.workshop.code, "Ann", "Council")
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=7))
    closed = service.close_round(made.key, rid)
    assert closed.state is RoundState.CLOSED and not closed.closed_by_deadline
    with pytest.raises(RoundNotOpen, match="This round is closed"):
        service.save_scores(person.token, rid, _all_cells(made, (made.workshop.priorities[0].id,)))
    with pytest.raises(InvalidInput, match="closed by hand; reopen it"):
        service.extend_round(made.key, rid, clock.now + timedelta(days=8))
    assert any(e.action == "round closed early" for e in service.audit_log(made.key, made.id))
    reopened = service.reopen_round(made.key, rid)
    assert reopened.state is RoundState.OPEN and reopened.closes_at is None  # reopened live


def test_only_the_facilitator_sets_or_extends_a_consultation(service: WorkshopService, made: Made, clock: StepClock):
    rid = made.scoring_round
    wrong = near_miss(made.key)
    with pytest.raises(PermissionDenied):
        service.set_consultation(wrong, rid, share_mode=ShareMode.BALANCED, share_size=2)
    with pytest.raises(PermissionDenied):
        service.open_round(wrong, rid, closes_at=clock.now + timedelta(days=1))
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        service.extend_round(wrong, rid, clock.now + timedelta(days=2))
    with pytest.raises(PermissionDenied):
        service.coverage(wrong, rid)


# ---------------------------------------------------------------------------- audiences


def two_consultations(service: WorkshopService, made: Made, clock: StepClock, days: tuple[int, int]) -> tuple[int, int]:
    """Round 2 for the council and a new round 3 for the NHS, open for ``days`` days each."""
    first = made.scoring_round
    ids = tuple(p.id for p in made.workshop.priorities)
    second = service.add_round(made.key, made.id, "scoring", "Partners' consultation", ids).id
    service.set_consultation(made.key, first, audience=["council"])
    service.set_consultation(made.key, second, audience=["NHS"])
    service.open_round(made.key, first, closes_at=clock.now + timedelta(days=days[0]))
    service.open_round(made.key, second, closes_at=clock.now + timedelta(days=days[1]))
    return first, second


def test_rounds_for_different_audiences_run_at_once(service: WorkshopService, made: Made, clock: StepClock):
    first, second = two_consultations(service, made, clock, (5, 9))
    ids = tuple(p.id for p in made.workshop.priorities)
    council = service.join(made.workshop.code, "Ann", "Council")
    nhs = service.join(made.workshop.code, "Bob", "NHS")
    workshop = service.workshop(made.workshop.code)
    assert workshop.current_round_for("Council").id == first
    assert workshop.current_round_for("NHS").id == second
    service.save_scores(council.token, first, _all_cells(made, ids[:1]))
    with pytest.raises(PermissionDenied, match="for other stakeholder groups"):
        service.save_scores(nhs.token, first, _all_cells(made, ids[:1]))
    live = service.add_round(made.key, made.id, "scoring", "Everyone", ids).id
    with pytest.raises(InvalidInput, match="still open; close it first"):
        service.open_round(made.key, live)


def test_an_audience_names_the_workshops_groups(service: WorkshopService, made: Made):
    with pytest.raises(InvalidInput, match="'Police' is not one of this workshop's stakeholder groups"):
        service.set_consultation(made.key, made.scoring_round, audience=["Police"])


# ---------------------------------------------------------------------------- shares and coverage


def test_a_balanced_share_is_kept_and_limits_the_saves(service: WorkshopService, made: Made, clock: StepClock):
    rid = made.scoring_round
    service.set_consultation(made.key, rid, share_mode="balanced", share_size=2, minimum=1, seed=7)
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    people = [service.join(made.workshop.code, f"P{i}", "Council") for i in range(3)]
    shares = [service.my_share(p.token, rid) for p in people]
    assert all(len(s.priority_ids) == 2 for s in shares)
    assert len({pid for s in shares for pid in s.priority_ids}) == 6  # 3 × 2 covers the six once each
    assert service.my_share(people[0].token, rid).priority_ids == shares[0].priority_ids  # kept on return
    outside = next(p.id for p in made.workshop.priorities if p.id not in shares[0].priority_ids)
    with pytest.raises(InvalidInput, match="not part of your share of Round 2"):
        service.save_scores(people[0].token, rid, _all_cells(made, (outside,)))
    service.save_scores(people[0].token, rid, _all_cells(made, shares[0].priority_ids[:1]))
    mine = service.my_share(people[0].token, rid)
    assert mine.answered_ids == shares[0].priority_ids[:1] and mine.left == shares[0].priority_ids[1:]

    coverage = service.coverage(made.key, rid)
    by_id = {c.priority_id: c for c in coverage.priorities}
    assert all(c.given == 1 for c in coverage.priorities)
    assert by_id[shares[0].priority_ids[0]].answers == 1
    assert {c.priority_id for c in coverage.below} == set(by_id) - {shares[0].priority_ids[0]}


def test_the_same_seed_gives_the_same_shares(service: WorkshopService, clock: StepClock):
    from tests.workshop.conftest import small_setup

    runs = []
    for _ in range(2):
        workshop, key = service.create_workshop(small_setup())
        rid = workshop.rounds[0].id
        service.set_consultation(key, rid, share_mode="balanced", share_size=4, seed=3)
        service.open_round(key, rid)
        names = {p.id: p.name for p in workshop.priorities}
        tokens = [service.join(workshop.code, None, "NHS").token for _ in range(4)]
        runs.append([tuple(names[i] for i in service.my_share(t, rid).priority_ids) for t in tokens])
    assert runs[0] == runs[1]


def test_a_share_by_themes(service: WorkshopService, made: Made):
    rid = made.scoring_round
    service.set_consultation(made.key, rid, share_mode=ShareMode.THEMES)
    service.open_round(made.key, rid)
    person = service.join(made.workshop.code, "Ann", "Council")
    assert not service.my_share(person.token, rid).chosen
    with pytest.raises(InvalidInput, match="'Theme 9' is not one of this round's themes"):
        service.choose_themes(person.token, rid, ["Theme 9"])
    mine = service.choose_themes(person.token, rid, ["theme 1"])
    expected = tuple(p.id for p in made.workshop.priorities if p.theme == "Theme 1")
    assert mine.priority_ids == expected and mine.themes == ("Theme 1",)
    with pytest.raises(InvalidInput, match="already chosen"):
        service.choose_themes(person.token, rid, ["Theme 0"])


def test_a_share_is_refused_where_it_cannot_apply(service: WorkshopService, made: Made, clock: StepClock):
    rid = made.scoring_round
    with pytest.raises(InvalidInput, match="between 1 and 6"):
        service.set_consultation(made.key, rid, share_mode="balanced", share_size=7)
    with pytest.raises(InvalidInput, match="Give the number"):
        service.set_consultation(made.key, rid, share_mode="balanced")
    with pytest.raises(InvalidInput, match="The share must be one of"):
        service.set_consultation(made.key, rid, share_mode="random")
    weighting = next(r.id for r in made.workshop.rounds if r.kind == "weighting")
    with pytest.raises(InvalidInput, match="Only a scoring round"):
        service.set_consultation(made.key, weighting, share_mode="balanced", share_size=1)
    service.open_round(made.key, rid)
    with pytest.raises(InvalidInput, match="already opened"):
        service.set_consultation(made.key, rid, share_mode="balanced", share_size=2)


def test_progress_counts_each_participants_share_and_only_the_audience(
    service: WorkshopService, made: Made, clock: StepClock
):
    rid = made.scoring_round
    service.set_consultation(made.key, rid, audience=["NHS"], share_mode="balanced", share_size=2)
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    service.join(made.workshop.code, "Ann", "Council")  # not in the audience
    bob = service.join(made.workshop.code, "Bob", "NHS")
    cells = 2 * len(made.workshop.criteria)
    (row,) = service.progress(made.key, rid).participants
    assert (row.label, row.total, row.status.value) == ("Bob", cells, "not started")
    mine = service.my_share(bob.token, rid)
    service.save_scores(bob.token, rid, _all_cells(made, mine.priority_ids))
    (row,) = service.progress(made.key, rid).participants
    assert (row.answered, row.total, row.status.value) == (cells, cells, "done")


def test_the_stage_changes_when_any_rounds_closing_time_comes(service: WorkshopService, made: Made, clock: StepClock):
    """Pages poll the stage: a consultation that is not the current round must move it when it closes."""
    first, second = two_consultations(service, made, clock, (9, 2))
    before = service.stage(made.id)
    clock.now += timedelta(days=3)
    after = service.stage(made.id)
    assert before.round_id == after.round_id == first and after.round_state is RoundState.OPEN
    assert after != before and dict((s.id, s.state) for s in after.rounds)[second] is RoundState.CLOSED


def test_a_participant_reads_only_their_own_share_of_their_own_workshop(
    service: WorkshopService, made: Made, clock: StepClock
):
    from tests.workshop.conftest import small_setup

    rid = made.scoring_round
    service.set_consultation(made.key, rid, share_mode="themes")
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(hours=1))
    other, _ = service.create_workshop(small_setup("Another"))
    stranger = service.join(other.code, "Zed", "NHS")
    with pytest.raises(PermissionDenied, match="another workshop"):
        service.my_share(stranger.token, rid)
    with pytest.raises(PermissionDenied, match="another workshop"):
        service.choose_themes(stranger.token, rid, ["Theme 0"])
    late = service.join(made.workshop.code, "Late", "NHS")
    clock.now += timedelta(hours=2)
    with pytest.raises(RoundNotOpen, match="This consultation closed at"):
        service.choose_themes(late.token, rid, ["Theme 0"])
    assert not service.my_share(late.token, rid).chosen  # nothing was given after the closing time


def test_shares_given_at_once_stay_balanced(service: WorkshopService, made: Made, clock: StepClock):
    """People arriving together: each share is given in its own write transaction, after the others'."""
    from concurrent.futures import ThreadPoolExecutor

    rid = made.scoring_round
    service.set_consultation(made.key, rid, share_mode="balanced", share_size=2)
    service.open_round(made.key, rid, closes_at=clock.now + timedelta(days=1))
    people = [service.join(made.workshop.code, None, "NHS") for _ in range(15)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        shares = list(pool.map(lambda p: service.my_share(p.token, rid), people))
    assert all(len(s.priority_ids) == 2 for s in shares)
    assert {c.given for c in service.coverage(made.key, rid).priorities} == {5}  # 15 × 2 over 6


# ---------------------------------------------------------------------------- the board paper's facts


def test_the_board_paper_states_each_consultation_s_audience_closing_share_and_coverage(
    service: WorkshopService, made: Made, clock: StepClock
):
    from statistics import median

    from workshop.consultation_facts import coverage_words
    from workshop.exports import ExportFormat, build_content, render_content
    from workshop.models import deadline_words

    rid = made.scoring_round
    service.set_consultation(made.key, rid, audience=["NHS"], share_mode="balanced", share_size=2, minimum=2, seed=1)
    closes = clock.now + timedelta(days=2)
    service.open_round(made.key, rid, closes_at=closes)
    people = [service.join(made.workshop.code, None, "NHS") for _ in range(4)]
    for n, person in enumerate(people):
        share = service.my_share(person.token, rid).priority_ids
        service.save_scores(person.token, rid, _all_cells(made, share[: 1 + n % 2]))
    coverage = service.coverage(made.key, rid)  # what Live control's coverage panel shows
    clock.now = closes + timedelta(hours=1)  # it closes by itself
    content = build_content(service, made.key, made.id)
    (facts,) = content.consultation_facts
    assert facts.round.id == rid and facts.coverage == coverage  # the panel's numbers, not a second count
    answers = [p.answers for p in coverage.priorities]
    below = [p.name for p in coverage.priorities if p.answers < 2]
    assert dict(facts.pairs) == {
        "Who it was for": "NHS",
        "Closing time": deadline_words(closes),
        "A share of the list": "Yes: 2 priorities per person, balanced across the list",
        "Coverage": f"Answers per priority: lowest {min(answers)}, median {median(answers):g}; "
        f"{len(below)} of 6 below the minimum of 2.",
        "Priorities below the minimum of 2": "; ".join(below) or "None",
    }
    assert sum(answers) == 6 and coverage_words(coverage) == dict(facts.pairs)["Coverage"]
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert f"What NHS said: {facts.round.label}" in html  # its own section (workshop.said)
    for label, value in facts.pairs:
        assert label in html and value in html, (label, value)


def test_a_live_round_has_no_consultation_section(service: WorkshopService, made: Made):
    from workshop.exports import build_content

    service.open_round(made.key, made.scoring_round)
    assert build_content(service, made.key, made.id).consultation_facts == ()
