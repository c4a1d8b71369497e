"""Live control panel: round state changes reach the store, progress shows
who joined, a follow-up round is made from a chosen subset."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import Made, error_texts, facilitator_app
from ui import state
from ui.live_widgets import relative_time
from workshop.config import Settings
from workshop.errors import PermissionDenied
from workshop.imports import sample_setup
from workshop.models import GroupSpec, Round, RoundKind, RoundState
from workshop.service import WorkshopService
from workshop.store import Store

LIVE = "app_pages/live.py"


def scoring_round(svc: WorkshopService, made: Made) -> Round:
    return next(r for r in svc.workshop(made.code).rounds if r.kind is RoundKind.SCORING)


def state_of(svc: WorkshopService, made: Made, round_id: int) -> RoundState:
    return next(r.state for r in svc.workshop(made.code).rounds if r.id == round_id)


def score_everything(svc: WorkshopService, made: Made, token: str, round_id: int, bias: int) -> None:
    """A participant who scores every priority: earlier priorities higher, shifted by ``bias``."""
    workshop = svc.workshop(made.code)
    for n, p in enumerate(workshop.priorities):
        for c in workshop.criteria:
            value = min(c.scale_max, max(c.scale_min, c.scale_max - (n + bias) // 7))
            svc.save_score(token, round_id, p.id, c.id, value)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def test_open_close_reveal_reopen_change_the_round_in_the_store(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    at = facilitator_app(sample, LIVE)
    assert not at.exception

    click(at, f"{state.LIVE_CONFIRM_}{rid}_open")
    assert state_of(svc, sample, rid) is RoundState.OPEN
    assert svc.workshop(sample.code).setup_locked
    click(at, f"{state.LIVE_CONFIRM_}{rid}_close")
    assert state_of(svc, sample, rid) is RoundState.CLOSED
    click(at, f"{state.LIVE_ACTION_}{rid}_reveal")
    assert state_of(svc, sample, rid) is RoundState.REVEALED
    click(at, f"{state.LIVE_CONFIRM_}{rid}_reopen")
    assert state_of(svc, sample, rid) is RoundState.OPEN


def test_a_refused_change_says_why_and_changes_nothing(sample: Made, svc: WorkshopService):
    first = scoring_round(svc, sample)
    second = svc.add_round(
        sample.key,
        sample.workshop.id,
        RoundKind.RANKING,
        "Quick ranking",
        [p.id for p in sample.workshop.priorities[:5]],
    )
    svc.open_round(sample.key, first.id)
    at = facilitator_app(sample, LIVE)
    version = svc.version(sample.workshop.id)
    click(at, f"{state.LIVE_ACTION_}{second.id}_open")
    assert "Round 1 is still open; close it first." in error_texts(at)
    assert state_of(svc, sample, second.id) is RoundState.DRAFT
    assert svc.version(sample.workshop.id) == version


def test_progress_lists_the_participants_who_joined(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    svc.open_round(sample.key, rid)
    groups = [g.name for g in sample.workshop.groups]
    amira = svc.join(sample.code, "Amira", groups[0])
    svc.join(sample.code, None, groups[1])
    priority, criterion = sample.workshop.priorities[0], sample.workshop.criteria[0]
    svc.save_score(amira.token, rid, priority.id, criterion.id, 4)

    at = facilitator_app(sample, LIVE)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Joined"] == "2"
    assert metrics["Started"] == "1"
    table = at.dataframe[0].value
    assert list(table["Participant"]) == ["Amira", "Anonymous 2"]
    assert list(table["Group"]) == groups[:2]
    assert list(table["Answered"]) == ["1/160", "0/160"]
    assert list(table["Status"]) == ["in progress", "not started"]
    assert "Not started: Anonymous 2." in [c.value for c in at.caption]


def test_follow_up_round_from_a_chosen_subset(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    svc.open_round(sample.key, rid)
    for bias in (0, 2, 5):
        score_everything(svc, sample, svc.join(sample.code, None, sample.workshop.groups[0].name).token, rid, bias)
    svc.close_round(sample.key, rid)

    at = facilitator_app(sample, LIVE)
    assert not at.exception
    choose = at.multiselect(key=f"{state.LIVE_FOLLOWUP_PRIORITIES_}{rid}")
    ids = [p.id for p in sample.workshop.priorities]
    ranking = svc.results(sample.key, rid).ranking
    by_name = {p.name: p.id for p in sample.workshop.priorities}
    assert choose.value == [by_name[name] for name in ranking.top(10)]  # the top 10, ties at the cut included
    subset = [ids[3], ids[0], ids[7], ids[12]]
    choose.set_value(subset)
    at.radio(key=state.LIVE_FOLLOWUP_KIND).set_value(RoundKind.RANKING)
    at.run()
    click(at, state.LIVE_CREATE_FOLLOWUP)

    follow = svc.workshop(sample.code).rounds[-1]
    assert follow.kind is RoundKind.RANKING
    assert follow.state is RoundState.DRAFT
    assert follow.priority_ids == (ids[0], ids[3], ids[7], ids[12])
    assert follow.title == "Shortlist of 4 from round 1"


def test_stuck_participants_and_the_timer(sample: Made, svc: WorkshopService):
    rid = scoring_round(svc, sample).id
    svc.open_round(sample.key, rid)
    group = sample.workshop.groups[0].name
    five_minutes_ago = datetime.now(UTC) - timedelta(minutes=5)
    earlier = WorkshopService(Store.open(Settings.from_env().database_url), clock=lambda: five_minutes_ago)
    lost = earlier.join(sample.code, "Priya", group)
    p, c = sample.workshop.priorities[0], sample.workshop.criteria[0]
    earlier.save_score(lost.token, rid, p.id, c.id, 3)
    busy = svc.join(sample.code, "Sam", group)
    svc.save_score(busy.token, rid, p.id, c.id, 2)

    at = facilitator_app(sample, LIVE)
    assert "Not seen for over 2 minutes mid-way: Priya." in [w.value for w in at.warning]
    table = at.dataframe[0].value
    assert list(table["Status"]) == ["stuck?", "in progress"]
    assert list(table["Last seen"]) == ["5 min ago", "just now"]

    at.number_input(key=state.LIVE_TIMER_MINUTES).set_value(5)
    click(at, state.LIVE_TIMER_START)
    assert any(i.value.endswith(("5:00 left", "4:59 left")) for i in at.info)
    click(at, state.LIVE_TIMER_STOP)
    assert not any("left" in i.value for i in at.info)
    assert state.LIVE_TIMER not in at.session_state


def test_relative_times():
    now = datetime(2011, 3, 1, 10, 0, tzinfo=UTC)
    assert relative_time(now - timedelta(seconds=4), now) == "just now"
    assert relative_time(now - timedelta(seconds=40), now) == "40 s ago"
    assert relative_time(now - timedelta(minutes=2, seconds=50), now) == "2 min ago"
    assert relative_time(now - timedelta(hours=3), now) == "3 h ago"
    assert relative_time(now + timedelta(seconds=5), now) == "just now"  # a clock a little ahead


def test_before_a_round_opens_without_groups_the_page_warns(svc: WorkshopService):
    """Issue 11: a workshop without stakeholder groups says so before its first round opens, and points to Setup."""
    workshop, key = svc.create_workshop(replace(sample_setup(), groups=()))
    made = Made(workshop, key)
    at = facilitator_app(made, LIVE)
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "no stakeholder groups" in w.value]
    assert "will not be asked their group" in warning and "will be empty" in warning
    assert "Add groups on the Setup page before you open the first round" in warning
    assert "Add groups in Setup" in [link.label for link in at.get("page_link")]

    svc.set_groups(key, workshop.id, [GroupSpec("NHS trust"), GroupSpec("Council")])
    at.run()
    assert not [w for w in at.warning if "no stakeholder groups" in w.value]


def test_no_groups_warning_for_the_sample_or_once_the_setup_is_locked(sample: Made, svc: WorkshopService):
    at = facilitator_app(sample, LIVE)
    assert not [w for w in at.warning if "no stakeholder groups" in w.value]

    workshop, key = svc.create_workshop(replace(sample_setup(), groups=()))
    svc.open_round(key, workshop.rounds[0].id)  # groups can no longer be added: nothing to point to
    at = facilitator_app(Made(workshop, key), LIVE)
    assert not at.exception
    assert not [w for w in at.warning if "no stakeholder groups" in w.value]


def test_the_facilitator_removes_a_participant_from_the_live_page(sample: Made, svc: WorkshopService):
    """Remove a participant: pick them by name, choose drop, confirm; their link is then refused."""
    rid = scoring_round(svc, sample).id
    svc.open_round(sample.key, rid)
    ann = svc.join(sample.code, "Ann", sample.workshop.groups[0].name)
    bob = svc.join(sample.code, "Bob", sample.workshop.groups[0].name)
    workshop = svc.workshop(sample.code)
    svc.save_score(bob.token, rid, workshop.priorities[0].id, workshop.criteria[0].id, workshop.criteria[0].scale_max)
    at = facilitator_app(sample, LIVE)
    assert not at.exception
    at.selectbox(key=state.LIVE_REMOVE_WHO).set_value(bob.id).run()
    at.radio(key=state.LIVE_REMOVE_ANSWERS).set_value("Drop their answers from every round").run()
    assert at.button(key=state.LIVE_REMOVE).disabled  # not before the confirmation
    at.checkbox(key=state.LIVE_REMOVE_SURE).check().run()
    click(at, state.LIVE_REMOVE)
    assert [p.label for p in svc.progress(sample.key, rid).participants] == ["Ann"]
    assert svc.my_scores(ann.token, rid).round_id == rid
    with pytest.raises(PermissionDenied, match="removed you"):
        svc.resume(bob.token)
    assert svc.audit_log(sample.key, sample.workshop.id)[-1].detail.endswith("): answers dropped")
    assert list(at.selectbox(key=state.LIVE_REMOVE_WHO).options) == ["Ann (" + ann.group + ")"]
