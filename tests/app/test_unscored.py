"""A half-answered round: a priority nobody scored shows as "not scored" on
the Results page, in participants' revealed results (no made-up room's
average) and on the Agree page (never proposed, a warning when chosen);
participants' results are ranked with the workshop's stored method."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pytest
from streamlit.testing.v1 import AppTest

from ranking.methods import Method, RankingOptions
from tests.app.conftest import Made, facilitator_app, participant_app
from ui import state
from ui.figures import NOT_SCORED
from ui.services import service
from workshop.imports import sample_setup
from workshop.models import Participant, RoundKind, ScoreEntry
from workshop.service import WorkshopService

RESULTS = "app_pages/results.py"
AGREE = "app_pages/agree.py"


@dataclass(frozen=True)
class HalfAnswered:
    made: Made
    round_id: int
    low: str  # scored 1 on everything by everyone
    unscored: str  # nobody answered it
    ann: Participant


@pytest.fixture
def half(svc: WorkshopService) -> HalfAnswered:
    """The sample workshop with a closed, revealed scoring round in which three
    people scored every priority but the last, and gave the one before it the
    bottom of every scale."""
    workshop, key = svc.create_workshop(sample_setup())
    rnd = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    people = [svc.join(workshop.code, f"P{n}", workshop.groups[n].name) for n in range(3)]
    svc.open_round(key, rnd.id)
    *scored, unscored = workshop.priorities
    for n, person in enumerate(people):
        entries = [
            ScoreEntry(p.id, c.id, float(c.scale_min if p is scored[-1] else c.scale_min + (i + n) % 3 + 1))
            for i, p in enumerate(scored)
            for c in workshop.criteria
        ]
        svc.save_scores(person.token, rnd.id, entries)
    svc.close_round(key, rnd.id)
    svc.reveal_round(key, rnd.id)
    return HalfAnswered(Made(svc.workshop_by_id(workshop.id), key), rnd.id, scored[-1].name, unscored.name, people[0])


def no_trouble(at: AppTest) -> None:
    assert not at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_results_page_lists_it_last_with_no_rank_or_score(half: HalfAnswered):
    at = facilitator_app(half.made, RESULTS)
    no_trouble(at)
    table = at.dataframe[0].value
    assert list(table["Priority"])[-1] == half.unscored
    last = table.iloc[-1]
    # Its rank and score read "not scored": a missing value reaches the browser as the word "None".
    assert (last["Rank"], last["Score"]) == (NOT_SCORED, NOT_SCORED)
    assert not table.isna().any().any()
    assert "None" not in table.to_numpy().astype(str)
    assert not last["Top 5"]
    below = table[table["Priority"] == half.low].index[0]
    assert below < table.index[-1]  # scored low, still above the priority nobody scored
    warning = "\n".join(w.value for w in at.warning)
    assert f"Nobody has scored “{half.unscored}”" in warning.replace("\\", "")
    assert "cannot make the top 5" in warning


def test_participants_see_not_scored_for_its_rank_and_score_never_none(half: HalfAnswered):
    """The participant's table holds the text it shows: a missing rank used to reach the browser as
    a null, which st.dataframe draws as the word "None" whatever the Styler said."""
    at = participant_app(half.ann.token)
    no_trouble(at)
    table = at.dataframe[0].value
    row = table[table["Priority"] == half.unscored].iloc[0]
    assert (row["Rank"], row["Room's score"], row["Your score (0–1)"], row["Top 5"]) == (
        NOT_SCORED,
        NOT_SCORED,
        "—",
        "",
    )
    assert not table.isna().any().any()
    assert "None" not in table.to_numpy().astype(str)
    assert list(table["Priority"])[-1] == half.unscored
    low = table[table["Priority"] == half.low].iloc[0]
    assert low["Room's score"] == "0.000"  # the bottom of every scale
    assert any("Nobody has answered 1 of the priorities yet" in c.value for c in at.caption)


@pytest.mark.parametrize("method", list(Method))
def test_participants_room_score_falls_as_the_rank_falls_and_matches_the_bar(half: HalfAnswered, method: Method):
    """The figure beside each rank is the score the stored method ranked by (weighted sum or TOPSIS
    closeness 0–1, Borda or Copeland points), the same text as the bar's label; the old "room's
    average score" averaged raw scores and could read 7.0 for 2nd against 2.5 for 1st."""
    service().set_ranking_options(half.made.key, half.made.workshop.id, RankingOptions(method))
    at = participant_app(half.ann.token)
    no_trouble(at)
    table = at.dataframe[0].value
    scored = table[table["Rank"] != NOT_SCORED]
    ranks = scored["Rank"].astype(int).tolist()
    figures = scored["Room's score"].astype(float).tolist()
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    assert all(a >= b for a, b in pairwise(figures))
    bar = at.get("plotly_chart")[0].proto.spec
    assert all(f'"{text}' in bar for text in table["Room's score"])
    assert any(method.score_label in c.value for c in at.caption)


def test_participants_comparing_it_criterion_by_criterion_see_no_answers_yet(half: HalfAnswered):
    at = participant_app(half.ann.token)
    at.selectbox[0].set_value(half.unscored).run()
    no_trouble(at)
    table = at.dataframe[1].value
    assert set(table["Room's average"]) == {"no answers yet"}
    assert set(table["Responses"]) == {0}


def test_the_agree_page_never_proposes_it_and_warns_when_it_is_chosen(half: HalfAnswered):
    at = facilitator_app(half.made, AGREE)
    no_trouble(at)
    shortlist = next(m for m in at.multiselect if m.key.startswith(state.AGREE_SHORTLIST_))
    assert half.unscored not in shortlist.value
    assert any("1 of the priorities" in i.value and "never proposed" in i.value for i in at.info)
    assert f"{half.unscored} (not scored)" in shortlist.options

    chosen = [*shortlist.value[:4], half.unscored]
    shortlist.set_value(chosen).run()
    no_trouble(at)
    assert any("Nobody has scored" in w.value and "needs its reason" in w.value for w in at.warning)
    ids = {p.name: p.id for p in half.made.workshop.priorities}
    label = at.text_area(key=f"{state.AGREE_CHANGE_}{ids[half.unscored]}").label
    assert "(not scored)" in label


def test_the_followup_suggestion_leaves_it_out(half: HalfAnswered):
    at = facilitator_app(half.made, AGREE)
    suggested = at.multiselect(key=f"{state.AGREE_FOLLOWUP_}{half.round_id}-10").value
    assert half.unscored not in suggested and len(suggested) >= 10
    assert service().results(half.made.key, half.round_id).ranking.unscored == (half.unscored,)


def test_participants_results_are_ranked_with_the_workshops_method(half: HalfAnswered):
    service().set_ranking_options(half.made.key, half.made.workshop.id, RankingOptions(Method.TOPSIS))
    at = participant_app(half.ann.token)
    no_trouble(at)
    assert any("Method: TOPSIS of the room's mean scores." in c.value for c in at.caption)
    topsis = service().public_results(half.made.code, half.round_id).ranking
    assert list(at.dataframe[0].value["Priority"]) == [topsis.names[i] for i in topsis.order]
