"""Consultation rounds in the app: the facilitator sets one up and opens it until a closing time, sees
its coverage and extends it; a participant of its audience sees only their share and what is left;
the audience's join link puts them in the group; the closing time closes the page by itself."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.app.conftest import Made, app, facilitator_app, participant_app
from tests.coverage_tables import coverage_rows, paper_coverage_rows
from ui import state
from ui.consultation_widgets import SHARE_CHOICES
from workshop.models import RoundKind, RoundState, ScoreEntry, ShareMode
from workshop.service import WorkshopService

LIVE = "app_pages/live.py"
YOUNG = "Young people's representatives"


def shown(element) -> str:  # type: ignore[no-untyped-def]
    """An element's text as the reader sees it (``ui.plain.md`` escapes markdown and joins link starts)."""
    return str(element.value).replace("\\", "").replace("\u2060", "")


def scoring_round(svc: WorkshopService, made: Made):  # type: ignore[no-untyped-def]
    return next(r for r in svc.workshop(made.code).rounds if r.kind is RoundKind.SCORING)


def test_the_facilitator_sets_up_opens_and_extends_a_consultation(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    at = facilitator_app(sample, LIVE)
    at.multiselect(key=f"{state.LIVE_CONSULT_AUDIENCE_}{rid}").set_value([YOUNG])
    at.radio(key=f"{state.LIVE_CONSULT_SHARE_}{rid}").set_value(ShareMode.BALANCED.value)
    at.number_input(key=f"{state.LIVE_CONSULT_SIZE_}{rid}").set_value(4)
    at.button(key=f"FormSubmitter:{state.LIVE_CONSULT_FORM_}{rid}-Save these settings").click().run()
    assert not at.exception
    rnd = scoring_round(svc, sample)
    assert rnd.share is not None and rnd.share.size == 4 and len(rnd.audience) == 1
    assert any("Each participant answers 4 priorities, balanced across the list." in shown(c) for c in at.caption)

    at.date_input(key=f"{state.LIVE_CONSULT_OPEN_}{rid}-date").set_value((datetime.now(UTC) + timedelta(days=3)).date())
    at.button(key=f"FormSubmitter:{state.LIVE_CONSULT_OPEN_}{rid}-Open until then").click().run()
    assert not at.exception
    rnd = scoring_round(svc, sample)
    assert rnd.state is RoundState.OPEN and rnd.closes_at is not None
    assert any("Open until " in shown(c) for c in at.caption)
    assert any("group=Young+people%27s+representatives" in c.value for c in at.code)  # the audience's join link
    assert any("Coverage" in m.value for m in at.markdown)

    before = rnd.closes_at
    at.date_input(key=f"{state.LIVE_CONSULT_EXTEND_}{rid}-date").set_value((before + timedelta(days=7)).date())
    at.button(key=f"FormSubmitter:{state.LIVE_CONSULT_EXTEND_}{rid}-Extend").click().run()
    assert not at.exception
    assert scoring_round(svc, sample).closes_at > before


def test_the_audience_link_puts_a_participant_in_the_group(sample: Made, svc: WorkshopService):
    at = app()
    at.query_params[state.Q_CODE] = sample.code
    at.query_params[state.Q_GROUP] = YOUNG.lower()  # as the Live page's link for the audience has it
    at.run()
    at.switch_page("app_pages/join.py").run()
    assert at.selectbox(key=state.JOIN_GROUP).value == YOUNG
    at.button(key="FormSubmitter:join_form-Join").click().run()
    assert not at.exception
    (person,) = svc.progress(sample.key, scoring_round(svc, sample).id).participants
    assert person.group == YOUNG


def test_a_participant_sees_their_share_and_what_is_left_until_the_closing_time(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    svc.set_consultation(sample.key, rid, audience=[YOUNG], share_mode="balanced", share_size=3)
    svc.open_round(sample.key, rid, closes_at=datetime.now(UTC) + timedelta(seconds=4))
    person = svc.join(sample.code, None, YOUNG)
    at = participant_app(person.token)
    assert not at.exception
    mine = svc.my_share(person.token, rid)
    cards = {int(r.key.split("-")[2]) for r in at.radio if r.key and r.key.startswith("score-")}
    assert cards and cards <= set(mine.priority_ids)
    assert any("You are asked about **3** of the 32 priorities: **3** left" in m.value for m in at.markdown)
    workshop = svc.workshop(sample.code)
    first = mine.priority_ids[0]
    svc.save_scores(person.token, rid, [ScoreEntry(first, c.id, c.scale_min) for c in workshop.criteria])
    at.run()
    assert any("**2** left to answer" in m.value for m in at.markdown)
    time.sleep(max(0.0, (scoring_round(svc, sample).closes_at - datetime.now(UTC)).total_seconds()) + 0.2)
    at.run()  # nobody closed it: its closing time did
    assert not at.exception
    assert scoring_round(svc, sample).state is RoundState.CLOSED
    assert any("is closed" in i.value for i in at.info) and not at.radio
    assert any(shown(c).startswith("Closed at ") and "come back" not in shown(c) for c in at.caption)
    assert any("You answered **1** of the 3 priorities you were asked about." in m.value for m in at.markdown)


def test_a_group_outside_the_audience_is_not_asked(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    svc.set_consultation(sample.key, rid, audience=[YOUNG])
    svc.open_round(sample.key, rid, closes_at=datetime.now(UTC) + timedelta(days=1))
    other = svc.join(sample.code, None, "Health (NHS)")
    at = participant_app(other.token)
    assert not at.exception and not at.radio
    assert SHARE_CHOICES  # the choices the Live page offers


def test_a_participant_chooses_their_themes_and_gets_those_priorities(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    svc.set_consultation(sample.key, rid, share_mode=ShareMode.THEMES)
    svc.open_round(sample.key, rid, closes_at=datetime.now(UTC) + timedelta(days=1))
    person = svc.join(sample.code, None, YOUNG)
    at = participant_app(person.token)
    assert not at.exception and not at.radio  # no cards before the choice
    at.multiselect[0].set_value(["Stay safe"])
    at.button(key=f"FormSubmitter:{state.PARTICIPANT_THEMES_}{rid}-Start").click().run()
    assert not at.exception
    safe = {p.id for p in sample.workshop.priorities if p.theme == "Stay safe"}
    assert set(svc.my_share(person.token, rid).priority_ids) == safe
    cards = {int(r.key.split("-")[2]) for r in at.radio if r.key and r.key.startswith("score-")}
    assert cards and cards <= safe
    assert any(f"You are asked about **{len(safe)}** of the 32 priorities" in m.value for m in at.markdown)


def test_with_two_consultations_open_the_facilitator_chooses_which_to_watch(sample: Made, svc: WorkshopService):
    first = scoring_round(svc, sample).id
    ids = [p.id for p in sample.workshop.priorities]
    partners = svc.add_round(sample.key, sample.workshop.id, "scoring", "Partners", ids)
    second = partners.id
    svc.set_consultation(sample.key, first, audience=[YOUNG], share_mode="balanced", share_size=4)
    svc.set_consultation(sample.key, second, audience=["Health (NHS)"])
    for rid in (first, second):
        svc.open_round(sample.key, rid, closes_at=datetime.now(UTC) + timedelta(days=5))
    at = facilitator_app(sample, LIVE)
    assert not at.exception
    watch = at.selectbox(key=state.LIVE_WATCH)
    assert watch.value == first and any("Coverage" in m.value for m in at.markdown)
    watch.set_value(second).run()
    assert not at.exception
    assert any(s.value == f"Progress: {partners.label}" for s in at.subheader)
    # a round everyone answers in full has its coverage too: given to its audience (nobody has joined)
    assert any("Coverage" in m.value for m in at.markdown)
    assert panel_rows(at) == coverage_rows(svc.coverage(sample.key, second))
    assert {given for _, given, _, _ in panel_rows(at)} == {0}


def panel_rows(at) -> tuple[tuple[object, ...], ...]:  # type: ignore[no-untyped-def]
    """The Live page's coverage table as (priority, given to, answers, "yes" if below the minimum)."""
    (frame,) = [d.value for d in at.dataframe if "Given to" in d.value.columns]
    below = next(c for c in frame.columns if c.startswith("Below "))
    return tuple(
        (row["Priority"], int(row["Given to"]), int(row["Answers"]), "yes" if row[below] else "")
        for _, row in frame.iterrows()
    )


def live_equals_paper(sample: Made, svc: WorkshopService, round_id: int) -> tuple[tuple[object, ...], ...]:
    """The Live page's coverage panel for the round it watches, checked equal to the board paper's table."""
    at = facilitator_app(sample, LIVE)
    assert not at.exception
    shown_rows = panel_rows(at)
    assert shown_rows == paper_coverage_rows(svc, sample.key, sample.workshop.id, round_id)
    return shown_rows


def test_a_ballot_with_a_balanced_share_shows_the_board_papers_coverage(sample: Made, svc: WorkshopService):
    """Six young people, four priorities each of 32, one of them "Not sure" for some: the panel and the
    paper both count the views given (not zero, as when a ballot's answers were looked for in scores)."""
    ids = [p.id for p in sample.workshop.priorities]
    rnd = svc.add_round(sample.key, sample.workshop.id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    svc.set_consultation(sample.key, rnd.id, audience=[YOUNG], share_mode="balanced", share_size=4, minimum=1)
    svc.open_round(sample.key, rnd.id, closes_at=datetime.now(UTC) + timedelta(days=3))
    for n in range(6):
        person = svc.join(sample.code, None, YOUNG)
        share = svc.my_share(person.token, rnd.id).priority_ids
        for m, pid in enumerate(share):
            svc.save_ballot_answer(person.token, rnd.id, pid, None if (n + m) % 4 == 0 else 1 + m % 3)
    svc.close_round(sample.key, rnd.id)
    rows = live_equals_paper(sample, svc, rnd.id)
    assert sum(given for _, given, _, _ in rows) == 24 and sum(answers for _, _, answers, _ in rows) == 18
    (said,) = svc.consultations(sample.key, sample.workshop.id)
    assert {r.name: r.answers for r in said.rows} == {name: answers for name, _, answers, _ in rows}


def test_a_pick_ballot_shows_every_ballot_as_an_answer_on_every_priority(sample: Made, svc: WorkshopService):
    ids = [p.id for p in sample.workshop.priorities[:8]]
    rnd = svc.add_round(sample.key, sample.workshop.id, RoundKind.RANKING, "Top three", ids, 3, young_ballot=True)
    svc.open_round(sample.key, rnd.id)
    for n in range(12):
        person = svc.join(sample.code, None, YOUNG)
        svc.save_ranking(person.token, rnd.id, [ids[0], ids[1 + n % 2], ids[3]])
    svc.close_round(sample.key, rnd.id)
    rows = live_equals_paper(sample, svc, rnd.id)
    assert {(given, answers, below) for _, given, answers, below in rows} == {(12, 12, "")}  # none below 10


def test_the_coverage_panel_and_the_board_paper_give_the_same_numbers(sample: Made, svc: WorkshopService):
    from workshop.exports import ExportFormat, build_content, render_content

    rnd = scoring_round(svc, sample)
    svc.set_consultation(sample.key, rnd.id, share_mode="balanced", share_size=4, minimum=2)
    svc.open_round(sample.key, rnd.id, closes_at=datetime.now(UTC) + timedelta(days=3))
    criteria = [c.id for c in sample.workshop.criteria]
    for n in range(5):
        person = svc.join(sample.code, None, YOUNG)
        share = svc.my_share(person.token, rnd.id).priority_ids
        cells = [ScoreEntry(pid, cid, 3) for pid in share[: 1 + n % 3] for cid in criteria]
        svc.save_scores(person.token, rnd.id, cells)
    at = facilitator_app(sample, LIVE)
    assert not at.exception
    (panel,) = [shown(c) for c in at.caption if "Answers per priority:" in shown(c)]
    (facts,) = build_content(svc, sample.key, sample.workshop.id).consultation_facts
    assert panel == dict(facts.pairs)["Coverage"]  # one function words both
    assert panel.startswith("Answers per priority: lowest 0, median 0; ")  # 10 answers spread over 32
    html = render_content(build_content(svc, sample.key, sample.workshop.id), ExportFormat.HTML).data.decode()
    assert panel in html
