"""Feedback between rounds on the pages: the participant's card and the facilitator's Results preview show the
same numbers (one function), "Keep my answers" fills the card, and Live lists who is still to finish to copy."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.app.conftest import Made, app, facilitator_app
from tests.workshop.test_feedback import Room
from ui import state
from ui.score_options import cell_key, participant_order, position_key
from workshop.models import FeedbackSettings, FeedbackSplit
from workshop.service import WorkshopService


def _card(room: Room, person: int) -> AppTest:
    """Participant ``person``'s page, on the card of the first priority (A)."""
    who = room.people[person]
    at = app()
    at.query_params[state.Q_PARTICIPANT] = who.token
    at.session_state[position_key(room.round2.id)] = participant_order(who.id, room.round2).index(room.a.id)
    at.run()
    at.switch_page("app_pages/participate.py").run()
    assert not at.exception
    return at


def _made(room: Room) -> Made:
    return Made(room.service.workshop_by_id(room.workshop.id, room.key), room.key)


def _medians_on_card(at: AppTest) -> list[tuple[str, str]]:
    """(line label, median) of every feedback table on the card, in order."""
    found = []
    for block in at.markdown:
        for row in block.value.splitlines():
            cells = [c.strip() for c in row.strip("|").split("|")]
            if len(cells) > 3 and not cells[0].startswith(("The room", "---")) and set(cells[1]) != {"-"}:
                found.append((cells[0].replace(" (your group)", ""), cells[-1].strip("*")))
    return found


def test_the_card_and_the_results_preview_show_the_same_numbers(svc: WorkshopService):
    room = Room(svc)
    room.open2()
    card = _card(room, 1)
    assert any("Your answer in Round 1: **4**" in m.value for m in card.markdown)
    shown = _medians_on_card(card)
    assert shown[:2] == [("Council", "4"), ("Council", "2.5")]  # Need: 1, 4, 5; Cost: "don't know", 2, 3
    svc.save_score(room.people[0].token, room.round2.id, room.a.id, room.need.id, 5)
    results = facilitator_app(_made(room), "app_pages/results.py")
    assert not results.exception
    preview = next(df.value for df in results.dataframe if "Shown as" in df.value.columns)
    rows = preview[preview["Priority"] == room.a.name]
    on_results = [(r["Shown as"], f"{r['Median']:g}") for _, r in rows.iterrows()]
    assert on_results == shown  # one function (ranking.feedback.feedback_lines) for both


def test_keep_my_answers_fills_the_card_with_the_earlier_answers(svc: WorkshopService):
    room = Room(svc, FeedbackSettings())
    room.open2()
    at = _card(room, 0)
    at.button(key=f"{state.KEEP_EARLIER}-{room.round2.id}-{room.a.id}").click().run()
    assert not at.exception
    assert at.radio(key=cell_key(room.round2.id, room.a.id, room.need.id)).value == 1
    mine = svc.my_scores(room.people[0].token, room.round2.id)
    assert mine.entry(room.a.id, room.need.id).value == 1.0


def test_a_preselected_round_starts_the_card_on_the_earlier_answers(svc: WorkshopService):
    room = Room(svc, FeedbackSettings(preselect=True))
    room.open2()
    at = _card(room, 3)
    assert at.radio(key=cell_key(room.round2.id, room.a.id, room.need.id)).value == 5
    assert svc.my_scores(room.people[3].token, room.round2.id).entry(room.a.id, room.need.id).value == 5.0


def test_the_live_page_lists_who_is_still_to_finish_to_copy(svc: WorkshopService):
    room = Room(svc)
    room.open2()
    svc.save_score(room.people[0].token, room.round2.id, room.a.id, room.need.id, 2)
    live = facilitator_app(_made(room), "app_pages/live.py")
    assert not live.exception
    (listed,) = [c for c in live.code if c.value.startswith("Ann")]
    assert listed.value == "Ann\nBob\nCy\nAnonymous 4"
    assert any(
        re.search(r"Answered Round 1 but nothing of this round yet: Bob, Cy, Anonymous 4", w.value)
        for w in live.warning
    )
    completion = next(df.value for df in live.dataframe if "Stakeholder group" in df.value.columns)
    assert completion.to_dict("list") == {
        "Stakeholder group": ["Council", "NHS"],
        "Round 1": ["0 of 3", "0 of 1"],  # nobody answered every question of round 1 (two cells each)
        "Round 2": ["0 of 3", "0 of 1"],
    }


def test_the_facilitator_changes_a_follow_up_rounds_settings_on_live(svc: WorkshopService):
    room = Room(svc, FeedbackSettings())
    live = facilitator_app(_made(room), "app_pages/live.py")
    rid = room.round2.id
    live.radio(key=f"{state.FEEDBACK_SPLIT_}{rid}").set_value(FeedbackSplit.ROOM).run()
    live.checkbox(key=f"{state.FEEDBACK_ASK_WHY_}{rid}").check().run()
    live.button(key=f"{state.FEEDBACK_SAVE_}{rid}").click().run()
    assert not live.exception
    saved = svc.workshop_by_id(room.workshop.id, room.key).rounds[1].feedback
    assert saved == FeedbackSettings(FeedbackSplit.ROOM, preselect=False, ask_why=True)
    assert svc.audit_log(room.key, room.workshop.id)[-1].action == "round feedback set"
