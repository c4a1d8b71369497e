"""The annual review: starting one from last year's workshop or archive, what it carries over,
the reasons for dropping, the comparison with last year's decision, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workshop.conftest import near_miss, small_setup, snapshot
from tests.workshop.reviewing import LAST_YEAR, THIS_YEAR, add_priority_g, last_year, score_and_decide
from workshop.archive import dumps
from workshop.cli import main
from workshop.errors import InvalidInput, NotFound, PermissionDenied
from workshop.review import NO_REASON, Change
from workshop.service import WorkshopService
from workshop.store import Store


def test_a_review_carries_over_the_setup_and_marks_last_years_agreed_priorities(service: WorkshopService):
    last = last_year(service)
    review, key = service.start_review(last.key, last.id)
    assert review.code != last.workshop.code and key != last.key
    assert review.title == "Annual review: Priorities 2011"
    assert [p.name for p in review.priorities] == [p.name for p in last.workshop.priorities]
    assert [(c.name, c.weight, c.direction) for c in review.criteria] == [
        (c.name, c.weight, c.direction) for c in last.workshop.criteria
    ]
    assert [g.name for g in review.groups] == ["Council", "NHS"]
    assert review.shortlist_size == last.workshop.shortlist_size
    assert not review.setup_locked and [r.state.value for r in review.rounds] == ["draft"]
    basis = service.review_basis(review.id)  # no key: every participant's card shows it
    assert basis is not None and basis.code == last.workshop.code
    assert [(p.name, p.position, p.rationale) for p in basis.agreed] == [
        (name, n, "Chosen for its need.") for n, name in enumerate(LAST_YEAR, start=1)
    ]
    assert service.review_basis(last.id) is None
    assert service.audit_log(key, review.id)[-1].action == "review started"


def test_a_review_from_the_archive_is_the_same_as_from_the_database(service: WorkshopService):
    last = last_year(service)
    from_db, _ = service.start_review(last.key, last.id)
    from_file, _ = service.start_review_from_archive(service.export_archive(last.key, last.id))
    assert service.review_basis(from_db.id) == service.review_basis(from_file.id)
    assert [p.name for p in from_db.priorities] == [p.name for p in from_file.priorities]


def test_starting_a_review_needs_the_key_and_a_decision_and_a_refusal_changes_nothing(
    service: WorkshopService, store: Store
):
    last = last_year(service)
    undecided, key = service.create_workshop(small_setup("Not decided"))
    before = snapshot(store.engine)
    with pytest.raises(PermissionDenied):
        service.start_review(near_miss(last.key), last.id)
    with pytest.raises(InvalidInput, match="has no recorded decision, so there is nothing to review"):
        service.start_review(key, undecided.id)
    with pytest.raises(InvalidInput, match="has no recorded decision"):
        service.start_review_from_archive(service.export_archive(key, undecided.id))
    assert snapshot(store.engine) == before


def test_this_years_decision_compared_with_last_years(service: WorkshopService):
    last = last_year(service)
    review, key = service.start_review(last.key, last.id)
    comparison = service.review_comparison(key, review.id)
    assert comparison is not None and not comparison.decided and comparison.rows == ()
    assert "not been agreed yet" in comparison.summary
    review = add_priority_g(service, review, key)
    score_and_decide(service, review, key, THIS_YEAR)
    comparison = service.review_comparison(key, review.id)
    assert comparison is not None and comparison.decided
    assert [(r.change, r.name, r.last_position, r.position) for r in comparison.rows] == [
        (Change.KEPT, "Priority A", 1, 3),
        (Change.KEPT, "Priority B", 2, 1),
        (Change.DROPPED, "Priority C", 3, None),
        (Change.NEW, "Priority G", None, 2),
    ]
    assert comparison.summary == "2 kept, 1 dropped, 1 new."
    assert comparison.missing_reasons == ("Priority C",)
    assert comparison.of(Change.DROPPED)[0].reason_text == NO_REASON
    assert {r.reason for r in comparison.of(Change.KEPT) + comparison.of(Change.NEW)} == {"Chosen for its need."}

    saved = service.save_dropped_reason(key, review.id, "Priority C", "  The target was met; now business as usual. ")
    assert saved.of(Change.DROPPED)[0].reason == "The target was met; now business as usual."
    assert saved.missing_reasons == ()
    assert service.review_comparison(key, review.id) == saved
    cleared = service.save_dropped_reason(key, review.id, "Priority C", "")
    assert cleared.missing_reasons == ("Priority C",)


def test_reasons_are_for_last_years_priorities_in_a_review_only(service: WorkshopService, store: Store):
    last = last_year(service)
    review, key = service.start_review(last.key, last.id)
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match="'Priority F' was not one of last year's agreed priorities"):
        service.save_dropped_reason(key, review.id, "Priority F", "Never agreed.")
    with pytest.raises(NotFound, match="not an annual review"):
        service.save_dropped_reason(last.key, last.id, "Priority A", "Why?")
    with pytest.raises(PermissionDenied):
        service.save_dropped_reason(last.key, review.id, "Priority A", "Last year's key.")
    assert snapshot(store.engine) == before
    assert service.review_comparison(last.key, last.id) is None


# --------------------------------------------------------------------------- the command line


def _value(output: str, label: str) -> str:
    return next(line.split(":", 1)[1].split()[0] for line in output.splitlines() if line.startswith(label))


def test_cli_review_from_the_code_and_from_the_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("PRIORITISE_FACILITATOR_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'review.sqlite3'}"
    service = WorkshopService(Store.open(url))
    last = last_year(service)

    assert main(["--database-url", url, "review", last.workshop.code.lower(), "--key", last.key]) == 0
    out = capsys.readouterr().out
    code, key = _value(out, "Join code"), _value(out, "Facilitator key")
    assert out.startswith("Started Annual review: Priorities 2011 as a new workshop.\n")
    assert f"It reviews Priorities 2011 (code {last.workshop.code}), decided " in out
    assert "3 agreed then (Priority A; Priority B; Priority C)." in out
    assert f"Facilitator link:  /?w={code}&k={key}\n" in out and f"Participant link:  /join?code={code}\n" in out
    review = service.check_key(code, key)
    basis = service.review_basis(review.id)
    assert basis is not None and basis.code == last.workshop.code

    path = tmp_path / "last-year.json"
    path.write_text(dumps(service.export_archive(last.key, last.id)))
    assert main(["--database-url", url, "review", str(path), "--base-url", "https://p.example.org"]) == 0
    out = capsys.readouterr().out
    code2, key2 = _value(out, "Join code"), _value(out, "Facilitator key")
    assert code2 not in (code, last.workshop.code)
    assert f"Facilitator link:  https://p.example.org/?w={code2}&k={key2}\n" in out
    second = service.check_key(code2, key2)
    assert service.review_basis(second.id) == service.review_basis(review.id)


def test_cli_review_refusals_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("PRIORITISE_FACILITATOR_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'review.sqlite3'}"
    service = WorkshopService(Store.open(url))
    undecided, key = service.create_workshop(small_setup("Not decided"))
    for argv, message in (
        (["review", undecided.code], "give the workshop's facilitator key with --key"),
        (["review", undecided.code, "--key", key], f"Workshop {undecided.code} has no recorded decision"),
        (["review", str(tmp_path / "missing.json")], "cannot read"),
    ):
        assert main(["--database-url", url, *argv]) == 1
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith(f"error: {message}")
        assert "Traceback" not in captured.err
