"""The annual review: starting one from last year's workshop or archive, what it carries over,
the reasons for dropping, the comparison with last year's decision, and the CLI."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.workshop.conftest import near_miss, small_setup, snapshot
from tests.workshop.reviewing import LAST_YEAR, THIS_YEAR, add_priority_g, decided_review, last_year, score_and_decide
from tests.workshop.test_performance import planned
from workshop.archive import dumps
from workshop.cli import main
from workshop.errors import InvalidInput, NotFound, PermissionDenied
from workshop.exports import ExportFormat, build_content, render_content
from workshop.models import BallotRule, Better, ConsensusSettings, IndicatorStatus
from workshop.review import NO_REASON, CarriedIndicator, CarriedValue, Change
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


def test_a_review_carries_last_years_consensus_and_ballot_rules(service: WorkshopService):
    # A mended drift: the review's setup carried every other setting but left these two at their defaults.
    last = last_year(service)
    stated = ConsensusSettings(in_share=0.8, against_share=0.1)
    service.set_consensus_rule(last.key, last.id, stated)
    service.set_ballot_rule(last.key, last.id, BallotRule.GROUP_FAIR)
    review, _ = service.start_review(last.key, last.id)
    assert review.consensus == stated
    assert review.ballot_rule is BallotRule.GROUP_FAIR


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


# --------------------------------------------------------------------------- last year's plan and the board paper


def _reviewed_plan(service: WorkshopService):  # type: ignore[no-untyped-def]
    """Last year's workshop with its plan (tests/workshop/test_performance.py), reviewed and decided again."""
    return decided_review(service, planned(service))


def test_a_review_carries_last_years_indicators_with_their_latest_values_and_status(service: WorkshopService):
    last = planned(service)
    review, _ = service.start_review(last.key, last.id)
    basis = service.review_basis(review.id)
    assert basis is not None
    found = {i.name: i for i in basis.indicators}
    assert {n: (i.priority, i.latest, i.status) for n, i in found.items()} == {
        "NI 112 Under-18 conception rate": ("Priority A", CarriedValue("2011-Q3", 36.0), IndicatorStatus.BEHIND),
        "NI 117 16-18 year olds NEET": ("Priority A", CarriedValue("2011-Q3", 34.0), IndicatorStatus.ON_TRACK),
        "NI 56 Obesity in Year 6": ("Priority B", CarriedValue("2011-Q2", 38.0), IndicatorStatus.BEHIND),
        "NI 75 Five good GCSEs": ("Priority C", CarriedValue("2011-Q3", 55.0), IndicatorStatus.ON_TRACK),
    }
    assert found["NI 112 Under-18 conception rate"].evidence == (
        "NI 112 Under-18 conception rate: 36 per 1,000 in 2011-Q3 (baseline 40 per 1,000, target 30 per 1,000 "
        "by Mar 2012): behind"
    )
    # Less than a year of values: the year's progress is measured from the baseline.
    assert found["NI 112 Under-18 conception rate"].year_before == ("Baseline (Mar 2011)", 40.0)
    assert found["NI 112 Under-18 conception rate"].progress_text == "40 → 36 per 1,000 (4 per 1,000 better)"
    assert found["NI 75 Five good GCSEs"].progress_text == "50 → 55 per 1,000 (5 per 1,000 better)"
    assert [i.name for i in basis.indicators_of("Priority B")] == ["NI 56 Obesity in Year 6"]


def test_a_years_progress_runs_from_the_value_a_year_before_the_latest():
    neet = CarriedIndicator(
        "Priority A",
        "NEET",
        "%",
        Better.LOWER,
        8.0,
        date(2011, 3, 31),
        6.0,
        date(2013, 3, 31),
        "Council",
        tuple(CarriedValue(p, v) for p, v in (("2011-Q1", 8.1), ("2011-Q2", 7.9), ("2012-Q1", 7.5), ("2012-Q2", 7.6))),
        IndicatorStatus.BEHIND,
    )
    assert neet.year_before == ("2011-Q2", 7.9)  # 2011-Q2 ended a year before 2012-Q2
    assert neet.progress_text == "7.9 → 7.6% (0.3% better)"


def test_the_board_paper_compares_with_last_years_decision_in_html_and_word(service: WorkshopService):
    review, key = _reviewed_plan(service)
    service.save_dropped_reason(key, review.id, "Priority C", "Results are good; schools lead on it now.")
    content = build_content(service, key, review.id)
    assert content.review is not None and content.review.summary == "2 kept, 1 dropped, 1 new."
    html = render_content(content, ExportFormat.HTML).data.decode()
    assert 'data-section="review"' in html and "10. Compared with last year&#x27;s decision" in html
    assert html.index('data-section="shortlist"') < html.index('data-section="review"')
    assert html.index('data-section="review"') < html.index('data-section="appendix"')
    for text in (
        "2 kept, 1 dropped, 1 new.",
        "Results are good; schools lead on it now.",
        "40 → 36 per 1,000 (4 per 1,000 better)",
        "Baseline (Mar 2011)",
    ):
        assert text in html, text
    word = docx.Document(io.BytesIO(render_content(content, ExportFormat.DOCX).data))
    rows = {
        tuple(c.text for c in row.cells)
        for table in word.tables
        if table.rows[0].cells[0].text == "Change"
        for row in table.rows[1:]
    }
    assert rows == {
        ("Kept", "Priority A", "1", "3", "Chosen for its need.", "Most need."),  # last year's rationale (planning.py)
        ("Kept", "Priority B", "2", "1", "Chosen for its need.", "Most need."),
        ("Dropped", "Priority C", "3", "", "Results are good; schools lead on it now.", "Most need."),
        ("New", "Priority G", "", "2", "Chosen for its need.", ""),
    }
    progress = [
        tuple(c.text for c in row.cells)
        for table in word.tables
        if table.rows[0].cells[0].text == "Priority" and table.rows[0].cells[1].text == "This year"
        for row in table.rows[1:]
    ]
    assert ("Priority C", "dropped", "NI 75 Five good GCSEs") in [r[:3] for r in progress]
    assert [r[-1] for r in progress] == ["behind", "on track", "behind", "on track"]

    book = openpyxl.load_workbook(io.BytesIO(render_content(content, ExportFormat.XLSX).data))
    assert book.sheetnames[-2:] == ["Compared with last year", "Indicators over the year"]
    sheet = list(book["Compared with last year"].iter_rows(values_only=True))
    assert sheet[0][:4] == ("Change", "Priority", "Last year's place", "This year's place")
    assert ("Dropped", "Priority C", 3, None, "Results are good; schools lead on it now.", "Most need.") in sheet


def test_a_board_paper_before_this_years_decision_says_so(service: WorkshopService):
    last = last_year(service)
    review, key = service.start_review(last.key, last.id)
    html = render_content(build_content(service, key, review.id), ExportFormat.HTML).data.decode()
    assert "This year&#x27;s board has not agreed its shortlist yet" in html
    assert "no indicators recorded" in html
    plain = render_content(build_content(service, last.key, last.id), ExportFormat.HTML).data.decode()
    assert 'data-section="review"' not in plain


def test_this_years_plan_can_start_from_last_years_indicators_of_the_priorities_kept(service: WorkshopService):
    review, key = _reviewed_plan(service)  # A and B kept, C dropped, G new
    plan = service.carry_indicators(key, review.id)
    carried = {i.name: i for i in plan.indicators}
    assert set(carried) == {"NI 112 Under-18 conception rate", "NI 117 16-18 year olds NEET", "NI 56 Obesity in Year 6"}
    ni112 = carried["NI 112 Under-18 conception rate"]
    assert (ni112.priority, ni112.baseline, ni112.baseline_date) == ("Priority A", 36.0, date(2011, 9, 30))
    assert (ni112.target, ni112.target_date, ni112.lead) == (30.0, date(2012, 3, 31), "NHS")
    assert ni112.baseline_source.startswith("Last year's plan (workshop ") and ni112.baseline_source.endswith("2011-Q3")
    assert carried["NI 56 Obesity in Year 6"].baseline_date == date(2011, 6, 30)
    assert plan.actuals == ()  # this year's values start afresh
    with pytest.raises(InvalidInput, match="already has indicators"):
        service.carry_indicators(key, review.id)
    last = planned(service)
    with pytest.raises(NotFound, match="not an annual review"):
        service.carry_indicators(last.key, last.id)
    with pytest.raises(PermissionDenied):
        service.carry_indicators(near_miss(key), review.id)
