"""A young people's ballot on the participant's page (AppTest): no name asked, the plain notice
before the first question, one priority per screen answered with a button, the answers kept."""

from __future__ import annotations

from ui.scoring import participant_order
from workshop.ballot import BALLOT_QUESTION, PRIVACY_NOTICE
from workshop.models import RoundKind
from workshop.service import WorkshopService

from .conftest import Made, app, participant_app

HEALTH = "Health (NHS)"


def open_ballot(svc: WorkshopService, sample: Made, count: int = 3):  # type: ignore[no-untyped-def]
    ids = [p.id for p in sample.workshop.priorities[:count]]
    rnd = svc.add_round(sample.key, sample.workshop.id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    return svc.open_round(sample.key, rnd.id)


def test_the_join_form_asks_for_no_name_while_a_ballot_is_open(svc, sample):
    open_ballot(svc, sample)
    at = app()
    at.query_params["code"] = sample.code
    at.switch_page("app_pages/join.py").run()
    assert not at.exception
    assert not [w for w in at.text_input if "name" in str(w.label).lower()]
    assert any(PRIVACY_NOTICE[0] in e.value for e in at.info)


def test_one_priority_per_screen_answered_with_a_button(svc, sample):
    rnd = open_ballot(svc, sample)
    person = svc.join(sample.code, None, HEALTH)
    by_id = {p.id: p for p in sample.workshop.priorities}
    order = [by_id[pid] for pid in participant_order(person.id, rnd)]
    at = participant_app(person.token)
    assert not at.exception
    assert any(PRIVACY_NOTICE[0] in e.value for e in at.info)  # before the first question
    assert [s.value for s in at.subheader][-1] == order[0].plain_title
    assert any(BALLOT_QUESTION in m.value for m in at.markdown)
    assert not at.radio  # buttons, not the criteria's radios
    at.button(key=f"ballot-answer-{order[0].id}-3").click().run()
    assert not at.exception
    assert [s.value for s in at.subheader][-1] == order[1].plain_title
    mine = svc.my_scores(person.token, rnd.id)
    assert [(e.priority_id, e.value) for e in mine.entries] == [(order[0].id, 3)]
    at.button(key=f"ballot-answer-{order[1].id}-0").click().run()  # "Not sure"
    at.button(key="ballot-nav-skip").click().run()
    assert [s.value for s in at.subheader][-1] == "Thank you!"
    assert {e.priority_id: e.value for e in svc.my_scores(person.token, rnd.id).entries} == {
        order[0].id: 3,
        order[1].id: None,
    }
