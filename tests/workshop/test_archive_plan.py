"""The plan travels in the archive (format ``PLAN_SINCE``): round trip, older archives, forged plans refused."""

from __future__ import annotations

import json

import pytest

from tests.workshop.conftest import Made, snapshot
from tests.workshop.planning import decided_room, standard_plan
from workshop.archive import ArchiveError, dumps, loads
from workshop.archive.model import FORMAT_VERSION, PLAN_SINCE, REMOVALS_SINCE
from workshop.models import ActualSpec, StatusSettings
from workshop.service import WorkshopService
from workshop.store import Store


@pytest.fixture
def room(service: WorkshopService) -> Made:
    made = decided_room(service)
    plan = service.set_indicators(made.key, made.id, standard_plan())
    first, second, third = (i.id for i in plan.indicators[:3])
    service.save_actuals(
        made.key, made.id, [ActualSpec(first, "2011-Q2", 38.0, "Early days."), ActualSpec(third, "2011-06", 39.0)]
    )
    link = service.issue_lead_link(made.key, made.id, plan.indicators[0].priority_id)
    service.lead_save_actuals(link.token, [ActualSpec(second, "2011-Q3", 36.5, "Two new schemes — “started”.")])
    service.set_status_settings(made.key, made.id, StatusSettings(tolerance=0.05, progress=0.1))
    return made


def document(service: WorkshopService, made: Made) -> dict:  # type: ignore[type-arg]
    return json.loads(dumps(service.export_archive(made.key, made.id)))


def test_the_plan_round_trips_through_the_archive(service: WorkshopService, room: Made):
    before = service.plan(room.key, room.id)
    text = dumps(service.export_archive(room.key, room.id))
    doc = json.loads(text)
    assert doc["format_version"] == FORMAT_VERSION >= PLAN_SINCE
    assert doc["plan"]["settings"] == {"tolerance": 0.05, "progress": 0.1}
    assert doc["plan"]["indicators"][1]["actuals"][0][:3] == ["2011-Q3", 36.5, "Two new schemes — “started”."]
    assert doc["plan"]["indicators"][1]["actuals"][0][4] == "lead"
    assert "token" not in text and "lead_links" not in text  # a lead's link is a credential: never archived
    copy, key = service.import_archive(loads(text))
    after = service.plan(key, copy.id)
    assert [p.name for p in after.agreed] == [p.name for p in before.agreed]
    assert [i.spec() for i in after.indicators] == [i.spec() for i in before.indicators]
    names = {i.id: i.name for i in before.indicators} | {i.id: i.name for i in after.indicators}

    def actuals(plan):  # type: ignore[no-untyped-def]
        return sorted(
            (names[a.indicator_id], a.period, a.value, a.commentary, a.updated_at, a.updated_by) for a in plan.actuals
        )

    assert actuals(after) == actuals(before)
    assert after.settings == before.settings
    assert service.lead_links(key, copy.id) == ()
    again = document(service, Made(copy, key))
    assert again["plan"] == doc["plan"]


def test_an_archive_from_before_the_plan_imports_without_one(service: WorkshopService, room: Made):
    doc = document(service, room)
    doc["format_version"] = REMOVALS_SINCE
    del doc["plan"]
    copy, key = service.import_archive(loads(json.dumps(doc)))
    plan = service.plan(key, copy.id)
    assert (plan.indicators, plan.actuals, plan.settings) == ((), (), StatusSettings())
    assert len(plan.agreed) == 3


def test_a_workshop_without_a_plan_writes_null(service: WorkshopService):
    made = decided_room(service)
    doc = document(service, made)
    assert doc["plan"] is None
    del doc["plan"]
    with pytest.raises(ArchiveError, match="'plan' is missing"):
        loads(json.dumps(doc))


def _indicator(doc: dict, n: int = 0) -> dict:  # type: ignore[type-arg]
    return doc["plan"]["indicators"][n]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: _indicator(d).update(priority="Priority F"),
            "Indicator 1: Indicator 'NI 112 Under-18 conception rate': 'Priority F' is not one of the agreed",
        ),
        (lambda d: _indicator(d).update(lead="Police"), "the lead partner 'Police' is not a stakeholder group"),
        (lambda d: _indicator(d).update(better="sideways"), "Indicator 1: Indicator 'NI 112 Under-18 conception rate'"),
        (lambda d: _indicator(d).update(target=45), "is worse than the baseline"),
        (lambda d: _indicator(d).update(target_date="2011-13-01"), "Indicator 1: 'target_date' must be a date"),
        (lambda d: _indicator(d)["actuals"][0].__setitem__(0, "Spring"), "Indicator 1, actual 1: The period"),
        (lambda d: _indicator(d)["actuals"][0].__setitem__(4, "root"), "'updated_by' must be one of"),
        (lambda d: _indicator(d)["actuals"][0].__setitem__(1, "x"), "Indicator 1, actual 1: the value must be"),
        (lambda d: _indicator(d)["actuals"].append(list(_indicator(d)["actuals"][0])), "2011-Q2 is given twice"),
        (lambda d: d["plan"]["settings"].update(tolerance=3), "The plan's settings: the tolerance must be between"),
        (lambda d: d.__setitem__("decisions", []), "it has indicators but the archive records no decision"),
    ],
)
def test_a_plan_the_service_could_not_have_written_is_refused(
    service: WorkshopService, store: Store, room: Made, change, message: str
):
    doc = document(service, room)
    change(doc)
    before = snapshot(store.engine)
    with pytest.raises(ArchiveError) as refused:
        service.import_archive(loads(json.dumps(doc)))
    assert message in refused.value.message
    assert snapshot(store.engine) == before
