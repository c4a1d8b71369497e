"""The annual review travels in the archive (format ``REVIEW_SINCE``): round trip, older archives, forgeries refused."""

from __future__ import annotations

import json

import pytest

from tests.workshop.conftest import snapshot
from tests.workshop.reviewing import THIS_YEAR, decided_review
from tests.workshop.test_performance import planned
from workshop.archive import ArchiveError, dumps, loads
from workshop.archive.model import PLAN_SINCE, REVIEW_SINCE
from workshop.review import Change
from workshop.service import WorkshopService
from workshop.store import Store


@pytest.fixture
def reviewed(service: WorkshopService):  # type: ignore[no-untyped-def]
    """A review of a workshop with a plan, decided (C dropped, with a reason)."""
    review, key = decided_review(service, planned(service))
    service.save_dropped_reason(key, review.id, "Priority C", "Results are good; schools lead on it now.")
    return review, key


def test_a_review_round_trips_through_the_archive(service: WorkshopService, reviewed):  # type: ignore[no-untyped-def]
    review, key = reviewed
    text = dumps(service.export_archive(key, review.id))
    doc = json.loads(text)
    assert doc["format_version"] >= REVIEW_SINCE
    assert doc["review"]["basis"]["agreed"][2] == ["Priority C", 3, "Most need."]
    assert doc["review"]["dropped_reasons"][0][:2] == ["Priority C", "Results are good; schools lead on it now."]
    assert doc["review"]["basis"]["indicators"][0]["values"] == [["2011-Q2", 37.0], ["2011-Q3", 36.0]]
    copy, copy_key = service.import_archive(loads(text))
    assert service.review_basis(copy.id) == service.review_basis(review.id)
    assert service.review_comparison(copy_key, copy.id) == service.review_comparison(key, review.id)
    comparison = service.review_comparison(copy_key, copy.id)
    assert comparison is not None and comparison.of(Change.DROPPED)[0].reason.startswith("Results are good")
    assert json.loads(dumps(service.export_archive(copy_key, copy.id)))["review"] == doc["review"]


def test_a_review_can_start_from_a_review_s_archive_and_an_archive_without_one_is_no_review(
    service: WorkshopService, reviewed
):  # type: ignore[no-untyped-def]
    review, key = reviewed
    doc = json.loads(dumps(service.export_archive(key, review.id)))
    doc["format_version"] = PLAN_SINCE  # before reviews travelled
    del doc["review"]
    copy, copy_key = service.import_archive(loads(json.dumps(doc)))
    assert service.review_basis(copy.id) is None
    # The year after: a review of this year's decision (B, G, A), with this year's plan (none yet).
    again, _ = service.start_review(copy_key, copy.id)
    basis = service.review_basis(again.id)
    assert basis is not None and [p.name for p in basis.agreed] == list(THIS_YEAR) and basis.indicators == ()


def test_a_workshop_that_is_no_review_writes_null_and_the_field_is_required(service: WorkshopService):
    last = planned(service)
    doc = json.loads(dumps(service.export_archive(last.key, last.id)))
    assert doc["review"] is None
    del doc["review"]
    with pytest.raises(ArchiveError, match="'review' is missing"):
        loads(json.dumps(doc))


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        (
            lambda r: r["dropped_reasons"].append(["Priority F", "Never agreed.", r["dropped_reasons"][0][2]]),
            "reason 2: 'Priority F' was not one of last year's agreed priorities",
        ),
        (lambda r: r["dropped_reasons"].append(list(r["dropped_reasons"][0])), "'Priority C' has two reasons"),
        (lambda r: r["basis"]["agreed"][0].__setitem__(1, 7), "places must be 1, 2, 3"),
        (lambda r: r["basis"]["indicators"][0].__setitem__("status", "great"), "'status' must be one of"),
        (lambda r: r["basis"]["indicators"][0].__setitem__("priority", "Priority F"), "was not agreed last year"),
        (lambda r: r["basis"]["indicators"][0]["values"][0].__setitem__(0, "2011-Q5"), "indicator 1, value 1"),
    ],
)
def test_a_forged_review_is_refused_naming_the_item(service: WorkshopService, store: Store, reviewed, forge, message):  # type: ignore[no-untyped-def]
    review, key = reviewed
    doc = json.loads(dumps(service.export_archive(key, review.id)))
    forge(doc["review"])
    before = snapshot(store.engine)
    with pytest.raises(ArchiveError, match=message):
        service.import_archive(loads(json.dumps(doc)))
    assert snapshot(store.engine) == before
