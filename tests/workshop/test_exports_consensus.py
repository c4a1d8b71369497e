"""The board paper (HTML, DOCX) and the workbook state the consensus rule, every priority's
status and the rule sensitivity exactly as the service's one reading has them (the CSV files stay the
shortlist, the ranking and the raw scores); they record swing weights
with their swings, and a ranking round's rule (group-fair here) with the pooled tally beside it."""

from __future__ import annotations

import html
import io

import docx
import openpyxl
import pytest

from ranking.group_fair import GROUP_FAIR_RULE
from tests.workshop.conftest import StepClock, small_setup
from workshop.exports import ExportFormat, build_content, render_content
from workshop.models import (
    BallotRule,
    CriterionSpec,
    CriterionSwing,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    ScoreEntry,
    WorkshopDetails,
    WorkshopSetup,
)
from workshop.service import WorkshopService
from workshop.store import Store

#: Per priority, each of ten people's answer (the same on both criteria, so the weighted score is it too).
ANSWERS = {
    "Priority A": [8] * 10,  # IN under every rule
    "Priority B": [7] * 7 + [5] * 3,  # exactly 70% high: IN, but not under 75%, 80% or > for ≥
    "Priority C": [2] * 10,  # OUT
    "Priority D": [1, 9] * 5,  # split: no consensus, and the RAND/UCLA flag
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> WorkshopService:
    path = tmp_path_factory.mktemp("exports-consensus") / "exports.sqlite3"
    return WorkshopService(Store.open(f"sqlite:///{path}"), StepClock())


@pytest.fixture(scope="module")
def room(service: WorkshopService):  # type: ignore[no-untyped-def]
    setup = WorkshopSetup(
        details=WorkshopDetails("Converging board"),
        priorities=tuple(PrioritySpec(name) for name in ANSWERS),
        criteria=(CriterionSpec("Need", scale_min=1, scale_max=9), CriterionSpec("Evidence", scale_min=1, scale_max=9)),
        groups=(GroupSpec("Council"), GroupSpec("NHS")),
        shortlist_size=2,
    )
    workshop, key = service.create_workshop(setup)
    need, evidence = (c.id for c in workshop.criteria)
    service.set_swing_weights(key, workshop.id, [CriterionSwing(need, 100), CriterionSwing(evidence, 50)])
    ids = {p.name: p.id for p in workshop.priorities}
    scoring = workshop.rounds[0].id
    people = [service.join(workshop.code, None, "NHS" if n % 2 else "Council").token for n in range(10)]
    service.open_round(key, scoring)
    for n, token in enumerate(people):
        entries = [ScoreEntry(ids[p], c, values[n]) for p, values in ANSWERS.items() for c in (need, evidence)]
        service.save_scores(token, scoring, entries)
    service.close_round(key, scoring)
    ranking = service.create_followup_round(key, scoring, list(ids.values()), RoundKind.RANKING)
    service.open_round(key, ranking.id)
    order = list(ids.values())
    for group, ballot in [("NHS", order), ("NHS", order), ("NHS", order), ("Council", order[::-1])]:
        service.save_ranking(service.join(workshop.code, None, group).token, ranking.id, ballot)
    service.close_round(key, ranking.id)
    service.set_ballot_rule(key, workshop.id, BallotRule.GROUP_FAIR)
    content = build_content(service, key, workshop.id)
    files = {fmt: render_content(content, fmt) for fmt in ExportFormat}
    return workshop, key, scoring, content, files


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )


def test_the_content_is_the_services_one_reading(service, room):  # type: ignore[no-untyped-def]
    _, key, scoring, content, _ = room
    summary = service.consensus(key, scoring)
    assert content.consensus == summary
    assert [r.status_words for r in summary.rows] == ["IN", "IN", "OUT", "no consensus"]
    assert [r.disagreement for r in summary.rows] == [False, False, False, True]
    assert [c.priority for c in summary.changes] == ["Priority B"]
    assert summary.weighted and summary.criteria == ("Need", "Evidence")


def test_the_workbook_holds_the_same_statuses_and_sensitivity(room):  # type: ignore[no-untyped-def]
    _, _, _, content, files = room
    book = openpyxl.load_workbook(io.BytesIO(files[ExportFormat.XLSX].data))
    sheet = list(book["Consensus"].iter_rows(values_only=True))
    assert sheet[0][:4] == ("Priority", "Status", "Answers", "Share in the high band")
    expected = [
        (r.priority, r.status_words, r.answers, r.share_high, r.share_low, r.median) for r in content.consensus.rows
    ]
    assert [(row[0], row[1], row[2], row[3], row[4], row[6]) for row in sheet[1:]] == expected
    assert sheet[2][3] == pytest.approx(0.7) and sheet[3][4] == 1.0
    sensitivity = list(book["Rule sensitivity"].iter_rows(values_only=True))
    assert sensitivity == [
        ("Priority", "Stated rule", "75% / 15%", "80% / 15%", "70% / 15% with > for ≥"),
        ("Priority B", "IN", "no consensus", "no consensus", "no consensus"),
    ]
    weights = list(book["Weights"].iter_rows(values_only=True))
    assert weights[0][-1] == "Swing (first = 100)" and [w[-1] for w in weights[1:]] == [100, 50]
    assert weights[1][3].startswith("set by swing")


@pytest.mark.parametrize("fmt", [ExportFormat.HTML, ExportFormat.DOCX])
def test_the_board_paper_states_the_rule_the_statuses_and_the_sensitivity(room, fmt):  # type: ignore[no-untyped-def]
    _, _, _, content, files = room
    data = files[fmt].data
    text = html.unescape(data.decode("utf-8")) if fmt is ExportFormat.HTML else _docx_text(data)
    summary = content.consensus
    assert "Consensus under the stated rule" in text and "Rule sensitivity" in text
    assert summary.rule in text
    assert "In: at least 70% of the answers in 7–9 and fewer than 15% in 1–3" in text
    assert summary.counts_words in text and "2 IN, 1 OUT and 1 with no consensus, of 4 priorities." in text
    assert summary.sensitivity_words in text and "Priority B" in summary.sensitivity_words
    assert "The working: the rule on each criterion alone" in text
    assert "set by swing" in text and "Swing (first = 100)" in text
    # The ranking round: which rule tallied it, and the pooled tally beside it with the disagreement.
    assert "Tallied by this rule: " + GROUP_FAIR_RULE in text
    assert "Beside it, the Borda count of every ballot (pooled) has in its top 2: Priority A; Priority B." in text
    assert "The group-fair and pooled tallies disagree on the top 2" in text


def test_the_ranking_rounds_rule_is_named_in_its_table(room):  # type: ignore[no-untyped-def]
    _, _, _, content, _ = room
    ranking = next(r for r in content.rankings if r.round.kind is RoundKind.RANKING)
    assert ranking.method == GROUP_FAIR_RULE and ranking.score_label == "Group-fair points"
    assert [r.score for r in ranking.rows] == [5.0] * 4  # NHS 4-3-2-1, Council 1-2-3-4: A 4 + 1, B 3 + 2, …
    assert ranking.other_top == ("Priority A", "Priority B")


def test_without_a_common_scale_the_paper_says_why(service):  # type: ignore[no-untyped-def]
    workshop, key = service.create_workshop(small_setup("Mixed scales"))
    rid = workshop.rounds[0].id
    token = service.join(workshop.code, None, "NHS").token
    service.open_round(key, rid)
    service.save_score(token, rid, workshop.priorities[0].id, workshop.criteria[0].id, 3)
    content = build_content(service, key, workshop.id)
    assert content.consensus is None and "criterion 'Cost' is scored 0..10" in content.consensus_note
    page = html.unescape(render_content(content, ExportFormat.HTML).data.decode("utf-8"))
    assert content.consensus_note in page
