"""Exports rank with the workshop's stored ranking options, say so in every
format, agree with what the projector showed, and mark a priority nobody
scored as "not scored" (never in the computed top)."""

from __future__ import annotations

import csv
import html
import io
import zipfile

import docx
import openpyxl
import pytest

from ranking.methods import Method, RankingOptions
from ranking.readings import NOT_SCORED
from tests.workshop.conftest import StepClock, small_setup
from ui.figures import ranking_bar
from workshop.exports import ExportFormat, build_content, render_content
from workshop.exports.content import method_text
from workshop.models import DecisionDraft, DepartureReason, ShortlistEntry, Workshop
from workshop.results import ScoringView
from workshop.service import WorkshopService
from workshop.store import Store

TOPSIS_MEDIAN = RankingOptions(Method.TOPSIS, aggregation="median", balance_groups=True)
METHOD = "TOPSIS of the room's median scores, each stakeholder group counting equally (vector normalisation)"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> WorkshopService:
    path = tmp_path_factory.mktemp("exports-ranking") / "exports.sqlite3"
    return WorkshopService(Store.open(f"sqlite:///{path}"), StepClock())


@pytest.fixture(scope="module")
def room(service: WorkshopService) -> tuple[Workshop, str, int]:
    """Four people score priorities A–E (E at the bottom of every scale);
    nobody scores F; the round is revealed and TOPSIS of the median chosen."""
    workshop, key = service.create_workshop(small_setup("Half answered"))
    rid = workshop.rounds[0].id
    people = [service.join(workshop.code, None, g).token for g in ("Council", "NHS", "Council", "NHS")]
    service.open_round(key, rid)
    *scored, _unscored = workshop.priorities
    for n, token in enumerate(people):
        for p in scored:
            for c in workshop.criteria:
                low = c.scale_max if c.direction == "cost" else c.scale_min  # E: the worst on every criterion
                value = low if p is scored[-1] else c.scale_min + (p.position * (n + 1) + c.position) % 4
                service.save_score(token, rid, p.id, c.id, value)
    service.close_round(key, rid)
    service.reveal_round(key, rid)
    service.set_ranking_options(key, workshop.id, TOPSIS_MEDIAN)
    return service.workshop_by_id(workshop.id), key, rid


def test_the_content_ranks_with_the_stored_options_and_agrees_with_the_projector(service, room):
    workshop, key, rid = room
    content = build_content(service, key, workshop.id)
    assert content.method == METHOD == method_text(TOPSIS_MEDIAN)
    assert content.analysis is not None
    assert content.analysis.method == "TOPSIS" and content.analysis.aggregation == "median"
    assert content.analysis.balanced and content.analysis.normalization == "vector"
    shown = service.public_results(workshop.code, rid)
    assert isinstance(shown, ScoringView)
    projector = [shown.ranking.names[i] for i in shown.ranking.order]
    assert [r.name for r in content.analysis.ranking.rows] == projector
    assert content.analysis.ranking.method == METHOD
    assert content.analysis.ranking.score_label == "TOPSIS closeness to the ideal (0–1)"
    # The board paper's score heading is the Results chart's axis title (both Method.score_label).
    figure = ranking_bar(service.results(key, rid).ranking, workshop.shortlist_size)
    assert figure.layout.xaxis.title.text == content.analysis.ranking.score_label


def test_changing_the_stored_method_changes_the_export(service, room):
    workshop, key, _ = room
    service.set_ranking_options(key, workshop.id, RankingOptions())
    try:
        content = build_content(service, key, workshop.id)
        assert content.method.startswith("Weighted sum of the room's mean scores")
        assert content.analysis is not None and content.analysis.method == "Weighted sum"
    finally:
        service.set_ranking_options(key, workshop.id, TOPSIS_MEDIAN)


def test_the_unscored_priority_has_no_rank_no_score_and_is_never_in_the_top(service, room):
    workshop, key, _ = room
    content = build_content(service, key, workshop.id)
    assert content.analysis is not None
    rows = content.analysis.ranking.rows
    last = rows[-1]
    assert last.name == "Priority F" and last.rank is None and last.score is None and not last.in_top
    assert content.analysis.ranking.unscored == ("Priority F",)
    assert rows[-2].name == "Priority E" and rows[-2].rank is not None  # scored lowest, still ranked
    robust = content.analysis.sensitivity.of("Priority F")
    assert robust is not None and robust.rank is None and robust.smaa_p_top == 0 and robust.bootstrap_p_top == 0
    assert "Priority F" not in content.analysis.sensitivity.computed_top
    cells = [c for c in content.analysis.cells if c.priority == "Priority F"]
    assert cells and all(c.aggregate is None and c.responses == 0 for c in cells)


def test_every_format_names_the_method_and_marks_the_unscored_priority(service, room):
    workshop, key, _ = room
    content = build_content(service, key, workshop.id)
    files = {fmt: render_content(content, fmt) for fmt in ExportFormat}

    with zipfile.ZipFile(io.BytesIO(files[ExportFormat.CSV].data)) as archive:
        readme = archive.read("README.txt").decode("utf-8-sig")
        ranking = list(csv.DictReader(io.StringIO(archive.read("ranking.csv").decode("utf-8-sig"), newline="")))
    assert f"Ranking method (every scoring round): {METHOD}." in readme
    f_row = next(r for r in ranking if r["Priority"] == "Priority F")
    assert f_row["Rank"] == NOT_SCORED and f_row["Score"] == "" and f_row["In computed top k"] == "No"

    book = openpyxl.load_workbook(io.BytesIO(files[ExportFormat.XLSX].data))
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Ranking method"] == METHOD
    sheet = [row for row in book["Ranking"].iter_rows(values_only=True) if "Priority F" in row]
    assert sheet and sheet[0][2] == NOT_SCORED

    page = html.unescape(files[ExportFormat.HTML].data.decode("utf-8"))
    assert METHOD in page
    assert "Nobody scored 'Priority F'" in page and NOT_SCORED in page

    document = docx.Document(io.BytesIO(files[ExportFormat.DOCX].data))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert METHOD in text and NOT_SCORED in text


def test_a_decision_that_brings_in_the_unscored_priority_exports(service, room):
    workshop, key, rid = room
    ids = {p.name: p.id for p in workshop.priorities}
    content = build_content(service, key, workshop.id)
    assert content.analysis is not None
    top = [r.name for r in content.analysis.ranking.rows if r.in_top]
    draft = DecisionDraft(
        shortlist=tuple(ShortlistEntry(ids[n], "Because") for n in [*top[:2], "Priority F"]),
        decided_by="Chair",
        reasons=(
            DepartureReason(ids["Priority F"], "A statutory duty nobody could score yet"),
            DepartureReason(ids[top[2]], "Makes room for the statutory duty"),
        ),
        round_id=rid,
    )
    service.record_decision(key, workshop.id, draft)
    content = build_content(service, key, workshop.id)
    assert content.decision is not None
    agreed = {p.name: p for p in content.decision.shortlist}
    assert agreed["Priority F"].computed_rank is None and agreed["Priority F"].smaa_p_top == 0
    for fmt in ExportFormat:
        assert render_content(content, fmt).data


def test_the_board_paper_says_how_the_weight_thresholds_were_found_for_the_stored_method(service, room):
    """TOPSIS is not linear in the weights: its thresholds are searched, and the paper used to say "solved
    exactly" whatever the method."""
    workshop, key, _ = room

    def paper() -> str:
        content = build_content(service, key, workshop.id)
        return html.unescape(render_content(content, ExportFormat.HTML).data.decode("utf-8"))

    topsis = paper()
    assert "were found by search, since TOPSIS scores do not change in a straight line with the weights" in topsis
    assert "to within 0.0001% of weight" in topsis
    assert "solved exactly" not in topsis
    service.set_ranking_options(key, workshop.id, RankingOptions())
    try:
        weighted = paper()
    finally:
        service.set_ranking_options(key, workshop.id, TOPSIS_MEDIAN)
    assert "were solved exactly (the weighted sum's scores change in a straight line with each weight)" in weighted
    assert "found by search" not in weighted


def test_the_board_paper_says_how_non_response_is_treated(service, room):
    """Nobody scored F: each group's ρ is measured over the five priorities it scored (F used to count
    as every group's last), and the paper says so, as it says 'don't know' is not filled in for W."""
    workshop, key, _ = room
    content = build_content(service, key, workshop.id)
    assert content.analysis is not None
    assert [(g.group, g.compared) for g in content.analysis.groups] == [("Council", 5), ("NHS", 5)]
    page = html.unescape(render_content(content, ExportFormat.HTML).data.decode("utf-8"))
    assert "Priorities compared" in page
    assert "A group's ρ is measured over the priorities the group scored" in page
    assert "a 'don't know' is left out, never filled in from the room" in page
