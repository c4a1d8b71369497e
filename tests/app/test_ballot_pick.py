"""The "pick your top three from these eight" ballot on the participant's page (AppTest): the plain
notice and question, every priority on one screen by its plain title, a tap picks (favourite first)
and saves at once, no fourth pick, a pick taken back; then what they said on the Results page."""

from __future__ import annotations

from ui import state
from ui.plain import md
from workshop.ballot import PRIVACY_NOTICE, pick_question
from workshop.models import RoundKind
from workshop.service import WorkshopService

from .conftest import Made, facilitator_app, participant_app

HEALTH = "Health (NHS)"


def open_picks(svc: WorkshopService, sample: Made):  # type: ignore[no-untyped-def]
    ids = [p.id for p in sample.workshop.priorities[:8]]
    rnd = svc.add_round(sample.key, sample.workshop.id, RoundKind.RANKING, "Your top three", ids, 3, young_ballot=True)
    return svc.open_round(sample.key, rnd.id)


def test_three_taps_pick_the_top_three_favourite_first(svc, sample):
    rnd = open_picks(svc, sample)
    person = svc.join(sample.code, None, HEALTH)
    eight = [p for p in sample.workshop.priorities if p.id in rnd.priority_ids]
    at = participant_app(person.token)
    assert not at.exception
    assert any(PRIVACY_NOTICE[0] in e.value for e in at.info)  # before the first pick
    assert any(pick_question(rnd) in m.value for m in at.markdown)
    assert {s.value for s in at.subheader} >= {md(p.plain_title) for p in eight}  # one screen, plain titles
    assert not any(p.name in s.value for p in eight for s in at.subheader if p.name != p.plain_title)
    chosen = [eight[4], eight[0], eight[6]]
    for n, priority in enumerate(chosen, start=1):
        at.button(key=f"pick-{priority.id}").click().run()
        assert not at.exception
        assert svc.my_ranking(person.token, rnd.id).priority_ids == tuple(p.id for p in chosen[:n])
    assert at.button(key=f"pick-{eight[1].id}").disabled  # no fourth pick
    assert any("Your 3 picks are saved" in s.value for s in at.success)
    assert "1st pick" in at.button(key=f"pick-{eight[4].id}").label
    at.button(key=f"pick-{eight[0].id}").click().run()  # taken back: the third moves up
    assert svc.my_ranking(person.token, rnd.id).priority_ids == (eight[4].id, eight[6].id)
    assert not at.button(key=f"pick-{eight[1].id}").disabled


def test_what_young_people_said_shows_the_picks_above_the_tally(svc, sample):
    rnd = open_picks(svc, sample)
    ids = rnd.priority_ids
    for n in range(6):
        person = svc.join(sample.code, None, HEALTH)
        svc.save_ranking(person.token, rnd.id, [ids[2], ids[n % 2], ids[5]])
    svc.close_round(sample.key, rnd.id)
    at = facilitator_app(sample)
    at.switch_page("app_pages/results.py").run()
    at.selectbox(key=state.RESULTS_ROUND).set_value(rnd.id).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Young people who took part"] == "6" and metrics["Picks"] == "18"
    (found,) = svc.consultations(sample.key, sample.workshop.id)
    table = at.dataframe[0].value
    assert list(table["Picked by"]) == [r.answers for r in found.rows]  # the same numbers as the paper's
    by_id = {p.id: p.name for p in sample.workshop.priorities}
    assert table["Priority"][0] == by_id[ids[2]] and table["Picked by"][0] == 6


def test_a_revealed_pick_ballot_shows_plain_titles_and_your_picks(svc, sample):
    rnd = open_picks(svc, sample)
    ids = rnd.priority_ids
    person = svc.join(sample.code, None, HEALTH)
    svc.save_ranking(person.token, rnd.id, [ids[3], ids[1]])
    svc.close_round(sample.key, rnd.id)
    svc.reveal_round(sample.key, rnd.id)
    at = participant_app(person.token)
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    titles = {p.id: p.plain_title for p in sample.workshop.priorities}
    assert list(table["Idea"][:2]) == [titles[ids[3]], titles[ids[1]]]
    assert list(table["Your pick"][:2]) == ["1st", "2nd"]
