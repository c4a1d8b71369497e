"""Who may change the plan: the facilitator's key for everything, a lead's link for its own
priority's actual values and commentary only (issue 16: "the service refuses anything else")."""

from __future__ import annotations

import pytest

from tests.workshop.conftest import Made, near_miss, snapshot
from tests.workshop.planning import decided_room, standard_plan
from workshop.errors import InvalidInput, PermissionDenied
from workshop.models import ActualSpec, Plan, StatusSettings
from workshop.service import WRONG_KEY, WorkshopService
from workshop.service.boundary import WRONG_LEAD_LINK
from workshop.store import Store


@pytest.fixture
def room(service: WorkshopService) -> Made:
    made = decided_room(service)
    service.set_indicators(made.key, made.id, standard_plan())
    return made


def plan(service: WorkshopService, made: Made) -> Plan:
    return service.plan(made.key, made.id)


def of(plan: Plan, priority: str) -> list[int]:
    return [i.id for i in plan.indicators if i.priority == priority]


def agreed_id(plan: Plan, name: str) -> int:
    return next(p.id for p in plan.agreed if p.name == name)


def test_a_lead_saves_and_reads_only_their_priority(service: WorkshopService, room: Made):
    current = plan(service, room)
    link = service.issue_lead_link(room.key, room.id, agreed_id(current, "Priority A"))
    first, second = of(current, "Priority A")
    view = service.lead_save_actuals(link.token, [ActualSpec(first, "2011-Q3", 35.0, "As planned.")])
    assert view.progress.priority.name == "Priority A"
    assert [i.indicator.id for i in view.progress.indicators] == [first, second]
    assert view.progress.indicators[0].commentary == "As planned."
    saved = plan(service, room).actuals_of(first)
    assert [(a.period.label, a.value, a.updated_by) for a in saved] == [("2011-Q3", 35.0, "lead")]
    entry = service.audit_log(room.key, room.id)[-1]
    assert (entry.actor, entry.action) == ("lead", "actuals saved")
    assert entry.detail.startswith("for 'Priority A': 1 value: ")
    assert service.lead_view(link.token).progress.indicators[0].status == "on track"


def test_a_lead_cannot_touch_another_prioritys_indicator_and_nothing_is_saved(
    service: WorkshopService, store: Store, room: Made
):
    current = plan(service, room)
    link = service.issue_lead_link(room.key, room.id, agreed_id(current, "Priority A"))
    mine, theirs = of(current, "Priority A")[0], of(current, "Priority B")[0]
    before = snapshot(store.engine)
    batch = [ActualSpec(mine, "2011-Q3", 35.0), ActualSpec(theirs, "2011-Q3", 35.0)]
    with pytest.raises(PermissionDenied, match="only the indicators of 'Priority A'"):
        service.lead_save_actuals(link.token, batch)
    with pytest.raises(PermissionDenied, match="only the indicators of 'Priority A'"):
        service.lead_save_actuals(link.token, [ActualSpec(10**6, "2011-Q3", 1.0)])
    assert snapshot(store.engine) == before


def test_a_lead_link_from_another_workshop_reaches_nothing_here(service: WorkshopService, room: Made):
    other = decided_room(service)
    service.set_indicators(other.key, other.id, standard_plan())
    elsewhere = plan(service, other)
    link = service.issue_lead_link(other.key, other.id, agreed_id(elsewhere, "Priority A"))
    here = of(plan(service, room), "Priority A")[0]
    with pytest.raises(PermissionDenied, match="only the indicators of 'Priority A'"):
        service.lead_save_actuals(link.token, [ActualSpec(here, "2011-Q3", 35.0)])
    assert plan(service, room).actuals == ()


def test_a_lead_token_is_not_a_facilitator_key(service: WorkshopService, store: Store, room: Made):
    current = plan(service, room)
    link = service.issue_lead_link(room.key, room.id, agreed_id(current, "Priority A"))
    mine = of(current, "Priority A")[0]
    before = snapshot(store.engine)
    attempts = [
        lambda: service.plan(link.token, room.id),
        lambda: service.save_actuals(link.token, room.id, [ActualSpec(mine, "2011-Q3", 1.0)]),
        lambda: service.set_indicators(link.token, room.id, standard_plan()[:1]),
        lambda: service.remove_actual(link.token, room.id, mine, "2011-Q3"),
        lambda: service.set_status_settings(link.token, room.id, StatusSettings(0.5)),
        lambda: service.issue_lead_link(link.token, room.id, link.priority_id),
        lambda: service.import_actuals(link.token, room.id, b"indicator,period,value\nx,2011-Q3,1\n"),
        lambda: service.lead_links(link.token, room.id),
        lambda: service.export_archive(link.token, room.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match=WRONG_KEY):
            attempt()
    assert snapshot(store.engine) == before


@pytest.mark.parametrize("token", ["", "not-a-link", "x" * 10_000, None, 42, b"bytes"])
def test_a_wrong_or_malformed_lead_token_is_refused_the_same_way(service: WorkshopService, room: Made, token):
    with pytest.raises(PermissionDenied) as found:
        service.lead_view(token)
    assert found.value.message == WRONG_LEAD_LINK
    with pytest.raises(PermissionDenied) as found:
        service.lead_save_actuals(token, [ActualSpec(of(plan(service, room), "Priority A")[0], "2011-Q3", 1.0)])
    assert found.value.message == WRONG_LEAD_LINK


def test_a_participant_token_or_the_key_is_not_a_lead_link(service: WorkshopService, room: Made):
    participant = service.join(room.workshop.code, "Someone", "NHS")
    for token in (participant.token, room.key):
        with pytest.raises(PermissionDenied, match="lead's link is not valid"):
            service.lead_view(token)


def test_a_new_link_replaces_the_old_and_a_withdrawn_link_stops_working(service: WorkshopService, room: Made):
    priority = agreed_id(plan(service, room), "Priority A")
    old = service.issue_lead_link(room.key, room.id, priority)
    new = service.issue_lead_link(room.key, room.id, priority)
    assert old.token != new.token
    with pytest.raises(PermissionDenied, match=WRONG_LEAD_LINK):
        service.lead_view(old.token)
    assert service.lead_view(new.token).progress.priority.id == priority
    listed = service.lead_links(room.key, room.id)
    assert [(lk.priority, lk.token) for lk in listed] == [("Priority A", "")]  # never the token again
    service.revoke_lead_link(room.key, room.id, priority)
    with pytest.raises(PermissionDenied, match=WRONG_LEAD_LINK):
        service.lead_view(new.token)
    with pytest.raises(InvalidInput, match="no lead link"):
        service.revoke_lead_link(room.key, room.id, priority)


def test_links_are_only_for_agreed_priorities(service: WorkshopService, room: Made):
    not_agreed = next(p.id for p in room.workshop.priorities if p.name == "Priority D")
    with pytest.raises(InvalidInput, match="not one of the agreed priorities"):
        service.issue_lead_link(room.key, room.id, not_agreed)


def test_a_link_stops_when_its_priority_is_no_longer_agreed(service: WorkshopService, room: Made):
    from tests.deciding import decide

    priority = agreed_id(plan(service, room), "Priority C")
    link = service.issue_lead_link(room.key, room.id, priority)
    by_name = {p.name: p.id for p in room.workshop.priorities}
    decide(service, room.key, room.id, room.scoring_round, [by_name[f"Priority {c}"] for c in "ABD"])
    with pytest.raises(PermissionDenied, match="'Priority C' is no longer one of the agreed priorities"):
        service.lead_view(link.token)


def test_the_facilitator_may_do_everything_a_wrong_key_nothing(service: WorkshopService, store: Store, room: Made):
    current = plan(service, room)
    theirs = of(current, "Priority B")[0]
    saved = service.save_actuals(room.key, room.id, [ActualSpec(theirs, "2011-Q3", 36.0, "Slow start.")])
    assert saved.actuals_of(theirs)[0].updated_by == "facilitator"
    before = snapshot(store.engine)
    with pytest.raises(PermissionDenied, match=WRONG_KEY):
        service.save_actuals(near_miss(room.key), room.id, [ActualSpec(theirs, "2011-Q4", 1.0)])
    assert snapshot(store.engine) == before
    assert service.remove_actual(room.key, room.id, theirs, "2011-Q3").actuals == ()
