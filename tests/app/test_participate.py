"""The participant's page (/vote?p=TOKEN): answering each kind of round, saving at once, coming
back after a reload, closed rounds, and results after the reveal (never anyone else's answers)."""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import error_texts
from ui import state
from ui.plain import md
from ui.ranking_round import button_key
from ui.scoring import DONT_KNOW, cell_key, grid_key, option_label, participant_order
from ui.weighting import points_key
from workshop.imports import sample_setup
from workshop.models import CriterionPoints, Participant, Round, RoundKind
from workshop.service import STALE_TOKEN, WorkshopService

from .conftest import Made, participant_app

HEALTH = "Health (NHS)"
SAVED = re.compile(r'^<span role="status">Saved ✓ \d\d:\d\d:\d\d</span>$')  # a live region (issue 13)


def texts(at) -> list[str]:
    """Every piece of text on the page, tables included."""
    found = [e.value for kind in ("markdown", "caption", "info", "error", "subheader", "title") for e in at.get(kind)]
    found += [str(w.label) for w in at.radio] + [str(w.label) for w in at.selectbox]
    for table in at.dataframe:
        frame = table.value
        found += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
        found += [str(i) for i in frame.index]
    return found


@pytest.fixture
def scoring(svc: WorkshopService, sample: Made) -> tuple[Made, Round, Participant]:
    """The sample workshop with its scoring round open and Ann joined."""
    rnd = svc.open_round(sample.key, sample.workshop.rounds[0].id)
    return sample, rnd, svc.join(sample.code, "Ann", HEALTH)


def jump_list(at):
    return next(s for s in at.selectbox if s.label == "Go to priority")


def first_card(rnd: Round, participant: Participant) -> int:
    return participant_order(participant.id, rnd)[0]


def test_a_forged_token_gets_a_clear_message_and_a_way_back(svc, sample):
    at = participant_app("not-a-real-token")

    assert not at.exception
    assert error_texts(at) == [STALE_TOKEN]
    assert [link.label for link in at.get("page_link")] == ["Join again"]


def test_before_any_round_opens_the_participant_waits_and_is_seen(svc, sample):
    ann = svc.join(sample.code, "Ann", HEALTH)
    at = participant_app(ann.token)

    assert not at.exception
    assert any("has not opened a round yet" in i.value for i in at.info)
    assert at.radio.len == 0
    (seen,) = svc.progress(sample.key, sample.workshop.rounds[0].id).participants
    assert seen.last_seen > ann.joined_at  # the page's heartbeat


def test_scoring_a_cell_saves_it_at_once_and_says_so(svc, scoring):
    made, rnd, ann = scoring
    priority, criterion = first_card(rnd, ann), made.workshop.criteria[0]
    at = participant_app(ann.token)
    cell = at.radio(key=cell_key(rnd.id, priority, criterion.id))
    assert cell.value is None
    assert cell.label == md(criterion.name)  # escaped: the facilitator's text shows as typed
    assert cell.options == [md(option_label(criterion, o)) for o in (1, 2, 3, 4, 5, DONT_KNOW)]

    cell.set_value(3).run()

    assert svc.my_scores(ann.token, rnd.id).entry(priority, criterion.id).value == 3
    assert any(SAVED.match(c.value) for c in at.caption)
    assert any("1 of 160 answered" in text for text in texts(at) + [p.proto.text for p in at.get("progress")])


def test_changing_an_answer_overwrites_it_and_dont_know_saves_none(svc, scoring):
    made, rnd, ann = scoring
    priority = first_card(rnd, ann)
    first, second = made.workshop.criteria[:2]
    at = participant_app(ann.token)

    at.radio(key=cell_key(rnd.id, priority, first.id)).set_value(3).run()
    at.radio(key=cell_key(rnd.id, priority, first.id)).set_value(5).run()
    at.radio(key=cell_key(rnd.id, priority, second.id)).set_value(DONT_KNOW).run()

    mine = svc.my_scores(ann.token, rnd.id)
    assert len(mine.entries) == 2
    assert mine.entry(priority, first.id).value == 5
    assert mine.entry(priority, second.id).value is None


def test_a_reload_shows_every_saved_answer(svc, scoring):
    made, rnd, ann = scoring
    priority = first_card(rnd, ann)
    first, second, third = made.workshop.criteria[:3]
    svc.save_score(ann.token, rnd.id, priority, first.id, 4)
    svc.save_score(ann.token, rnd.id, priority, second.id, None)

    at = participant_app(ann.token)  # a new tab, or the same one reloaded

    assert at.radio(key=cell_key(rnd.id, priority, first.id)).value == 4
    assert at.radio(key=cell_key(rnd.id, priority, second.id)).value == DONT_KNOW
    assert at.radio(key=cell_key(rnd.id, priority, third.id)).value is None


def test_previous_next_and_the_jump_list_move_through_the_priorities(svc, scoring):
    made, rnd, ann = scoring
    order = participant_order(ann.id, rnd)
    names = {p.id: p.name for p in made.workshop.priorities}
    at = participant_app(ann.token)
    position = f"{state.CARD_POSITION}-{rnd.id}"

    at.button(key=f"{position}-next").click().run()
    assert at.subheader[-1].value == names[order[1]]
    jump_list(at).set_value(31).run()
    assert at.subheader[-1].value == names[order[31]]
    assert at.button(key=f"{position}-next").disabled
    at.button(key=f"{position}-previous").click().run()
    assert at.subheader[-1].value == names[order[30]]


def test_the_order_is_the_participants_own_and_stays_put(svc, scoring):
    made, _, ann = scoring
    bob = svc.join(made.code, "Bob", HEALTH)

    def order_shown(token: str) -> list[str]:
        return jump_list(participant_app(token)).options

    assert order_shown(ann.token) == order_shown(ann.token)
    assert order_shown(ann.token) != order_shown(bob.token)
    assert sorted(order_shown(ann.token)) != order_shown(ann.token)  # not simply the workshop's order either


def test_a_closed_round_refuses_changes_and_keeps_the_store_as_it_was(svc, scoring):
    made, rnd, ann = scoring
    priority, criterion = first_card(rnd, ann), made.workshop.criteria[0]
    svc.save_score(ann.token, rnd.id, priority, criterion.id, 2)
    at = participant_app(ann.token)
    svc.close_round(made.key, rnd.id)  # the facilitator closes it while Ann is looking

    at.radio(key=cell_key(rnd.id, priority, criterion.id)).set_value(5).run()

    assert not at.exception
    assert "This round is closed; your scores were not changed." in error_texts(at)
    assert svc.my_scores(ann.token, rnd.id).entry(priority, criterion.id).value == 2
    assert at.radio.len == 0  # the page has moved on to the closed round's read-only view
    assert any("Round 1 is closed" in i.value for i in at.info)


def test_the_table_view_saves_each_edited_cell(svc, scoring):
    made, rnd, ann = scoring
    first, second = made.workshop.criteria[:2]
    order = participant_order(ann.id, rnd)
    at = participant_app(ann.token)
    at.segmented_control(key=state.SCORING_VIEW).set_value("table").run()
    assert at.data_editor.len == 1

    at.session_state[grid_key(rnd.id)] = {
        "edited_rows": {0: {first.name: option_label(first, 4)}, 2: {second.name: DONT_KNOW}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()

    assert not at.exception and not at.error
    mine = svc.my_scores(ann.token, rnd.id)
    assert mine.entry(order[0], first.id).value == 4
    assert mine.entry(order[2], second.id).value is None
    assert len(mine.entries) == 2


@pytest.fixture
def weighting(svc: WorkshopService) -> tuple[Made, Round, Participant]:
    workshop, key = svc.create_workshop(sample_setup(weighting_round=True))
    rnd = svc.open_round(key, workshop.rounds[0].id)
    assert rnd.kind is RoundKind.WEIGHTING
    return Made(workshop, key), rnd, svc.join(workshop.code, "Ann", HEALTH)


def test_weighting_over_100_points_is_refused_and_exactly_100_saved(svc, weighting):
    made, rnd, ann = weighting
    a, b, c = (points_key(rnd.id, criterion.id) for criterion in made.workshop.criteria[:3])
    at = participant_app(ann.token)
    assert at.number_input.len == len(made.workshop.criteria)

    at.number_input(key=a).set_value(60).run()
    assert any("40 points left" in text for text in texts(at) + [p.proto.text for p in at.get("progress")])
    at.number_input(key=b).set_value(30).run()
    at.number_input(key=c).set_value(30).run()

    assert any("20 points too many" in e for e in error_texts(at))
    assert "You have given 120 points; there are only 100 to share." in error_texts(at)
    assert svc.my_allocation(ann.token, rnd.id).total == 90  # the last valid split stands

    at.number_input(key=c).set_value(10).run()

    ids = [criterion.id for criterion in made.workshop.criteria]
    assert svc.my_allocation(ann.token, rnd.id).points == tuple(
        CriterionPoints(cid, n) for cid, n in zip(ids, [60, 30, 10, 0, 0], strict=True)
    )
    assert any(SAVED.match(c.value) for c in at.caption)
    assert [n.value for n in participant_app(ann.token).number_input] == [60, 30, 10, 0, 0]


def ranking_round(svc: WorkshopService, made: Made, size: int, pick: int | None = None) -> Round:
    shortlist = [p.id for p in made.workshop.priorities[:size]]
    rnd = svc.add_round(made.key, made.workshop.id, RoundKind.RANKING, "Rank the shortlist", shortlist, pick)
    return svc.open_round(made.key, rnd.id)


def test_ranking_saves_the_order_as_it_is_built(svc, sample):
    ann = svc.join(sample.code, "Ann", HEALTH)
    rnd = ranking_round(svc, sample, 4)
    start = participant_order(ann.id, rnd)
    at = participant_app(ann.token)
    assert svc.my_ranking(ann.token, rnd.id).priority_ids == ()  # shown in Ann's own order, not yet saved

    at.button(key=button_key("down", rnd.id, start[0])).click().run()

    assert svc.my_ranking(ann.token, rnd.id).priority_ids == (start[1], start[0], start[2], start[3])
    at.button(key=button_key("up", rnd.id, start[3])).click().run()
    assert svc.my_ranking(ann.token, rnd.id).priority_ids == (start[1], start[0], start[3], start[2])
    assert any(SAVED.match(c.value) for c in at.caption)


def test_ranking_as_first_shown_can_be_saved_as_it_is(svc, sample):
    ann = svc.join(sample.code, "Ann", HEALTH)
    rnd = ranking_round(svc, sample, 3)
    at = participant_app(ann.token)

    at.button(key=button_key("keep", rnd.id)).click().run()

    assert svc.my_ranking(ann.token, rnd.id).priority_ids == participant_order(ann.id, rnd)
    assert button_key("keep", rnd.id) not in [b.key for b in participant_app(ann.token).button]


def test_picking_the_top_n(svc, sample):
    ann = svc.join(sample.code, "Ann", HEALTH)
    rnd = ranking_round(svc, sample, 5, pick=2)
    a, b, c = rnd.priority_ids[:3]
    at = participant_app(ann.token)
    add = f"{state.RANKING_ADD}-{rnd.id}"

    at.selectbox(key=add).set_value(a).run()
    at.selectbox(key=add).set_value(b).run()
    assert svc.my_ranking(ann.token, rnd.id).priority_ids == (a, b)
    assert at.selectbox(key=add).disabled  # two picked: remove one to add another

    at.button(key=button_key("up", rnd.id, b)).click().run()
    assert svc.my_ranking(ann.token, rnd.id).priority_ids == (b, a)
    at.button(key=button_key("remove", rnd.id, a)).click().run()
    at.selectbox(key=add).set_value(c).run()
    assert svc.my_ranking(ann.token, rnd.id).priority_ids == (b, c)


def test_a_revealed_round_nobody_answered_says_so(svc, scoring):
    made, rnd, ann = scoring
    svc.close_round(made.key, rnd.id)
    svc.reveal_round(made.key, rnd.id)

    at = participant_app(ann.token)

    assert not at.exception and not at.error
    assert "Nobody has answered Round 1 yet." in [i.value for i in at.info]


def test_results_are_hidden_until_revealed_then_show_the_room_beside_your_own(svc, scoring):
    made, rnd, ann = scoring
    bob = svc.join(made.code, "Bob", "Schools and colleges")
    criteria = made.workshop.criteria
    for n, priority in enumerate(rnd.priority_ids):
        for criterion in criteria:
            svc.save_score(ann.token, rnd.id, priority, criterion.id, 5 if n < 5 else 1)
            svc.save_score(bob.token, rnd.id, priority, criterion.id, 3)
    svc.close_round(made.key, rnd.id)

    closed = participant_app(ann.token)
    assert any("Results will appear here when the facilitator reveals them" in i.value for i in closed.info)
    assert all("Your score" not in text for text in texts(closed))

    svc.reveal_round(made.key, rnd.id)
    at = participant_app(ann.token)

    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table.columns) == ["Rank", "Priority", "Top 5", "Room's score", "Your score (0–1)"]
    assert len(table) == 32 and (table["Top 5"] == "★").sum() == 5
    first = made.workshop.priorities[0]
    row = table[table["Priority"] == first.name].iloc[0]
    # Ann gave 5s (the top of every scale), the room averaged 4s: 0.75 of the way up every scale.
    assert (row["Rank"], row["Your score (0–1)"], row["Room's score"]) == ("1", "1.000", "0.750")
    assert all("Bob" not in text for text in texts(at))


def test_revealed_weighting_and_ranking_rounds_show_the_room_beside_your_own(svc, weighting):
    made, rnd, ann = weighting
    bob = svc.join(made.code, "Bob", HEALTH)
    first, second = made.workshop.criteria[:2]
    svc.save_allocation(ann.token, rnd.id, [CriterionPoints(first.id, 100)])
    svc.save_allocation(bob.token, rnd.id, [CriterionPoints(second.id, 100)])
    svc.close_round(made.key, rnd.id)
    svc.reveal_round(made.key, rnd.id)

    at = participant_app(ann.token)
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 1

    shortlist = ranking_round(svc, made, 3)
    a, b, c = shortlist.priority_ids
    svc.save_ranking(ann.token, shortlist.id, [c, a, b])
    svc.save_ranking(bob.token, shortlist.id, [a, b, c])
    svc.close_round(made.key, shortlist.id)
    svc.reveal_round(made.key, shortlist.id)

    at = participant_app(ann.token)
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    names = {p.id: p.name for p in made.workshop.priorities}
    assert list(table["Priority"]) == [names[a], names[c], names[b]]
    assert list(table["Your place"]) == [2, 1, 3]
    assert all("Bob" not in text for text in texts(at))
