"""Results for a ranking round: the facilitator switches the tally to the group-fair (JLA) rule; the table,
its rule and the note where the pooled and group-fair tallies disagree follow, and the rule is stored."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import Made, facilitator_app
from ui import state
from workshop.models import (
    BallotRule,
    CriterionSpec,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    WorkshopDetails,
    WorkshopSetup,
)
from workshop.service import WorkshopService

RESULTS = "app_pages/results.py"


def ranked(svc: WorkshopService) -> tuple[Made, int]:
    """Three NHS ballots A > B > C > D and one Council ballot D > C > B > A, shortlist of 2."""
    setup = WorkshopSetup(
        WorkshopDetails("Ballots"),
        tuple(PrioritySpec(f"Priority {c}") for c in "ABCD"),
        (CriterionSpec("Need"),),
        (GroupSpec("Council"), GroupSpec("NHS")),
        shortlist_size=2,
    )
    workshop, key = svc.create_workshop(setup)
    scoring = workshop.rounds[0].id
    svc.open_round(key, scoring)
    svc.close_round(key, scoring)
    ids = [p.id for p in workshop.priorities]
    rnd = svc.create_followup_round(key, scoring, ids, RoundKind.RANKING)
    svc.open_round(key, rnd.id)
    for group, ballot in [("NHS", ids), ("NHS", ids), ("NHS", ids), ("Council", ids[::-1])]:
        svc.save_ranking(svc.join(workshop.code, None, group).token, rnd.id, ballot)
    return Made(workshop, key), rnd.id


def test_switching_to_the_group_fair_tally(svc: WorkshopService):
    made, rnd = ranked(svc)
    at: AppTest = facilitator_app(made)
    at.switch_page(RESULTS).run()
    at.selectbox(key=state.RESULTS_ROUND).set_value(rnd).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert "Mean Borda points" in table.columns and list(table["Priority"])[:2] == ["Priority A", "Priority B"]
    assert list(table["Group-fair rank"]) == [1, 1, 1, 1]
    assert any("disagree on the top 2" in w.value for w in at.warning)
    at.radio(key=state.RESULTS_BALLOT_RULE).set_value(BallotRule.GROUP_FAIR).run()
    assert not at.exception and not at.error
    assert svc.workshop_by_id(made.workshop.id, made.key).ballot_rule is BallotRule.GROUP_FAIR
    table = at.dataframe[0].value
    assert list(table["Group-fair points"]) == [5.0] * 4 and list(table["Rank"]) == [1, 1, 1, 1]
    assert list(table["Pooled Borda rank"]) == [1, 2, 3, 4]
    assert any("Tallied by: Group-fair (James Lind Alliance)" in c.value for c in at.caption)
