"""Agree page: the suggestion for another round holds the top 10 and the
round is created on the chosen subset; the constrained shortlist is
proposed with its reasons; a decision lacking a reason is refused with
nothing stored, and a complete one is recorded and shown."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Multiselect

from ranking.methods import Method, RankingOptions
from tests.app.conftest import Answered, error_texts, facilitator_app, unescaped
from ui import state
from ui.plain import md
from ui.services import service
from workshop.decision import measured_words
from workshop.exports import ExportFormat, render
from workshop.models import RoundKind, RoundState
from workshop.results import ScoringResults

AGREE = "app_pages/agree.py"
DECIDER = "Cllr Jo Bloggs, chair of the Children's Trust Board"


def agree_app(answered: Answered) -> AppTest:
    at = facilitator_app(answered.made, AGREE)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def computed_top(answered: Answered, k: int) -> list[str]:
    found = service().results(answered.made.key, answered.scoring_round)
    assert isinstance(found, ScoringResults)
    return list(found.ranking.top(k))


def ids(answered: Answered) -> dict[str, int]:
    return {p.name: p.id for p in answered.made.workshop.priorities}


def agreed_list(at: AppTest) -> Multiselect:
    return next(m for m in at.multiselect if m.key.startswith(state.AGREE_SHORTLIST_))


def give_reasons(at: AppTest, answered: Answered, names: list[str], prefix: str = state.AGREE_RATIONALE_) -> None:
    for name in names:
        at.text_area(key=f"{prefix}{ids(answered)[name]}").input(f"Because of {name}.")


def record(at: AppTest) -> AppTest:
    at.button(key=state.AGREE_RECORD).click().run()
    assert not at.exception
    return at


def test_the_suggestion_for_another_round_holds_the_top_10(answered: Answered):
    at = agree_app(answered)
    suggested = at.multiselect(key=f"{state.AGREE_FOLLOWUP_}{answered.scoring_round}-10").value
    assert set(computed_top(answered, 10)) <= set(suggested)
    assert list(at.dataframe[0].value["Priority"]) == suggested


def test_a_round_is_created_on_the_chosen_priorities(answered: Answered):
    at = agree_app(answered)
    chosen = computed_top(answered, 6)
    at.multiselect(key=f"{state.AGREE_FOLLOWUP_}{answered.scoring_round}-10").set_value(chosen)
    at.radio(key=state.AGREE_KIND).set_value(RoundKind.RANKING).run()
    at.number_input(key=state.AGREE_PICK).set_value(3)
    at.button(key=state.AGREE_CREATE).click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]

    rounds = service().workshop_by_id(answered.made.workshop.id).rounds
    assert len(rounds) == 3
    new = rounds[-1]
    assert new.kind is RoundKind.RANKING
    assert new.state is RoundState.DRAFT
    assert new.pick_count == 3
    assert set(new.priority_ids) == {ids(answered)[name] for name in chosen}


def test_the_proposal_follows_the_constraints_and_says_why(answered: Answered):
    at = agree_app(answered)
    top = computed_top(answered, 6)
    at.multiselect(key=f"{state.AGREE_EXCLUDE_}{answered.scoring_round}").set_value([top[0]]).run()
    assert not at.exception
    proposal = list(at.dataframe[1].value["Priority"])
    assert proposal == top[1:6]
    assert agreed_list(at).value == top[1:6]
    shown = "\n".join(m.value for m in at.markdown)
    assert f"Left out: {md(top[0])}** (computed rank 1): excluded by the facilitator" in shown
    assert f"Brought in: {md(top[5])}**" in shown


def test_a_decision_without_reasons_is_refused_and_nothing_is_stored(answered: Answered):
    at = agree_app(answered)
    top = computed_top(answered, 5)
    give_reasons(at, answered, top[:4])
    record(at)
    assert "The decision was not recorded" in error_texts(at)[0]
    problems = "\n".join(unescaped(m.value) for m in at.markdown)  # a refusal's problems, escaped
    assert f"Give the reason for choosing '{top[4]}'." in problems
    assert "Say who made the decision." in problems
    assert service().decision(answered.made.key, answered.made.workshop.id) is None


def test_a_decision_with_every_reason_is_recorded_and_shown(answered: Answered):
    at = agree_app(answered)
    top = computed_top(answered, 5)
    assert agreed_list(at).value == top
    give_reasons(at, answered, top)
    at.text_input(key=state.AGREE_DECIDED_BY).input(DECIDER)
    record(at)
    assert not at.error, [e.value for e in at.error]

    decision = service().decision(answered.made.key, answered.made.workshop.id)
    assert decision is not None
    assert [e.priority_id for e in decision.shortlist] == [ids(answered)[n] for n in top]
    assert [e.rationale for e in decision.shortlist] == [f"Because of {n}." for n in top]
    assert decision.decided_by == DECIDER
    assert decision.departures == ()
    assert decision.round_id == answered.scoring_round
    shown = "\n".join(m.value for m in at.markdown)
    assert f"Agreed by **{md(DECIDER)}**" in shown
    assert f"1. **{md(top[0])}**: {md(f'Because of {top[0]}.')}" in shown


def test_every_departure_from_the_computed_ranking_needs_its_reason(answered: Answered):
    at = agree_app(answered)
    top = computed_top(answered, 6)
    agreed = [*top[:4], top[5]]
    agreed_list(at).set_value(agreed).run()
    give_reasons(at, answered, agreed)
    at.text_input(key=state.AGREE_DECIDED_BY).input(DECIDER)
    record(at)
    problems = "\n".join(unescaped(m.value) for m in at.markdown)  # a refusal's problems, escaped
    assert f"Give the reason for bringing in '{top[5]}' (computed rank 6)." in problems
    assert f"Give the reason for leaving out '{top[4]}' (computed rank 5)." in problems
    assert service().decision(answered.made.key, answered.made.workshop.id) is None

    give_reasons(at, answered, [top[4], top[5]], state.AGREE_CHANGE_)
    record(at)
    assert not at.error, [e.value for e in at.error]
    decision = service().decision(answered.made.key, answered.made.workshop.id)
    assert decision is not None
    assert sorted((d.priority_id, d.computed_rank, d.reason) for d in decision.departures) == sorted(
        [
            (ids(answered)[top[4]], 5, f"Because of {top[4]}."),
            (ids(answered)[top[5]], 6, f"Because of {top[5]}."),
        ]
    )
    assert "Departures from the computed ranking:" in "\n".join(m.value for m in at.markdown)


def test_a_ranking_rounds_tally_is_shortlisted_and_shown_on_the_results_page(answered: Answered):
    svc, made = service(), answered.made
    top = computed_top(answered, 8)
    followup = svc.create_followup_round(made.key, answered.scoring_round, [ids(answered)[n] for n in top], "ranking")
    svc.open_round(made.key, followup.id)
    ballots = [top[::-1], [top[7], top[6], *top[:6]], [top[6], top[7], top[5]]]
    for n, ballot in enumerate(ballots):
        person = svc.join(made.code, f"Late {n}", made.workshop.groups[0].name)
        svc.save_ranking(person.token, followup.id, [ids(answered)[name] for name in ballot])
    svc.close_round(made.key, followup.id)
    tally = svc.results(made.key, followup.id).tally
    expected = [tally.priorities[i].name for i in tally.order][:5]

    at = agree_app(answered)
    assert at.selectbox(key=state.AGREE_BASIS).value == followup.id
    assert agreed_list(at).value == expected
    assert "Computed ranking: Borda count of 3 rankings." in "\n".join(c.value for c in at.caption)

    at.switch_page("app_pages/results.py").run()
    assert not at.exception
    assert at.selectbox(key=state.RESULTS_ROUND).value == answered.scoring_round  # scoring rounds come first
    at.selectbox(key=state.RESULTS_ROUND).set_value(followup.id).run()
    assert list(at.dataframe[0].value["Priority"]) == [tally.priorities[i].name for i in tally.order]


def test_a_decision_measured_against_an_earlier_state_says_so_on_the_page_and_in_the_paper(answered: Answered):
    """Switching the method after the decision leaves the record as it was and says what changed."""
    at = agree_app(answered)
    top = computed_top(answered, 5)
    give_reasons(at, answered, top)
    at.text_input(key=state.AGREE_DECIDED_BY).input(DECIDER)
    record(at)
    key, wid = answered.made.key, answered.made.workshop.id
    recorded = service().decision(key, wid)
    assert recorded is not None and recorded.measurement is not None
    assert recorded.measurement.basis == "Weighted sum of the room's mean scores"
    assert md(measured_words(recorded)) in "\n".join(c.value for c in at.caption)
    assert not [w for w in at.warning if "earlier state" in w.value]

    service().set_ranking_options(key, wid, RankingOptions(Method.BORDA))
    at = agree_app(answered)
    warned = [w.value for w in at.warning if "Measured against an earlier state" in w.value]
    assert len(warned) == 1
    assert md("The ranking method changed: Weighted sum of the room's mean scores then, Borda count") in warned[0]
    assert service().decision(key, wid) == recorded
    paper = render(service(), key, wid, ExportFormat.HTML).data.decode("utf-8")
    assert "Measured against an earlier state" in paper
    assert "The ranking method changed: Weighted sum of the room&#x27;s mean scores then, Borda count" in paper
