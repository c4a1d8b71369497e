"""Exports: every file is opened and read back (csv, openpyxl, python-docx,
an HTML parser) and its content checked, on the sample workshop decided,
a hostile workshop (a formula and a script tag for names), a draft with no
decision, and a workshop nobody has answered."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import docx
import openpyxl
import pytest

from ranking.robustness import RobustnessOptions
from tests.workshop.conftest import StepClock, small_setup
from tests.workshop.export_workshops import FORMULA, SCRIPT, Room, hostile_room, sample_room
from workshop.errors import InvalidInput, PermissionDenied
from workshop.exports import ExportFile, ExportFormat, build_content, render, render_content
from workshop.exports.content import NO_SHORTLIST, ExportContent
from workshop.exports.safety import filename, neutralise_formula, slug, xml_text
from workshop.models import WorkshopDetails
from workshop.service import WorkshopService
from workshop.store import Store

NOW = datetime(2011, 3, 2, 12, 0, tzinfo=UTC)
SECTIONS = (
    "summary",
    "decision-problem",
    "priorities",
    "criteria",
    "collection",
    "method",
    "results",
    "disagreement",
    "sensitivity",
    "shortlist",
    "appendix",
)
HEADINGS = (
    "Summary",
    "1. The decision problem",
    "2. Candidate priorities and their evidence",
    "3. Criteria and scales",
    "4. How scores and weights were collected",
    "5. Method and aggregation",
    "6. Results",
    "7. Disagreement",
    "8. Sensitivity and robustness",
    "9. The agreed shortlist",
    "Appendix. Full tables",
)
SHEETS = [
    "Shortlist",
    "About",
    "Ranking",
    "Criterion scores",
    "Disagreement",
    "Consensus",
    "Rule sensitivity",
    "Groups",
    "Sensitivity",
    "One-way thresholds",
    "Weights",
    "Criteria",
    "Priorities",
    "Rounds",
    "Reasons for changes",
    "Raw scores",
    "Raw allocations",
    "Raw rankings",
    "Audit log",
]
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PARTICIPANTS = 8


@dataclass(frozen=True)
class Exported:
    room: Room
    content: ExportContent
    files: dict[ExportFormat, ExportFile]


def export(service: WorkshopService, room: Room) -> Exported:
    content = build_content(service, room.key, room.id, now=NOW)
    return Exported(room, content, {fmt: render_content(content, fmt) for fmt in ExportFormat})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> WorkshopService:
    path = tmp_path_factory.mktemp("exports") / "exports.sqlite3"
    return WorkshopService(Store.open(f"sqlite:///{path}"), StepClock())


@pytest.fixture(scope="module")
def sample(service: WorkshopService) -> Exported:
    room = sample_room(service, participants=PARTICIPANTS)
    return export(service, room)


@pytest.fixture(scope="module")
def hostile(service: WorkshopService) -> Exported:
    return export(service, hostile_room(service))


@pytest.fixture(scope="module")
def draft(service: WorkshopService) -> Exported:
    """Scored, no decision recorded."""
    workshop, key = service.create_workshop(small_setup("Draft workshop"))
    scoring = workshop.rounds[0].id
    tokens = [service.join(workshop.code, None, group).token for group in ("Council", "NHS", "Council", "NHS")]
    service.open_round(key, scoring)
    for n, token in enumerate(tokens):
        for p in workshop.priorities:
            for c in workshop.criteria:
                service.save_score(token, scoring, p.id, c.id, c.scale_min + (p.position * (n + 1) + c.position) % 4)
    service.close_round(key, scoring)
    return export(service, Room(workshop, key))


@pytest.fixture(scope="module")
def empty(service: WorkshopService) -> Exported:
    """Nobody has answered anything."""
    workshop, key = service.create_workshop(small_setup("Empty workshop"))
    return export(service, Room(workshop, key))


# --------------------------------------------------------------------------- readers


def csv_files(file: ExportFile) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
        out = {}
        for name in archive.namelist():
            if name.endswith(".csv"):
                raw = archive.read(name)
                assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no UTF-8 byte-order mark"
                out[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        return out


def csv_cells(file: ExportFile) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"), newline="")):
                    yield from row


def workbook(file: ExportFile) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(file.data))


def docx_text(file: ExportFile) -> str:
    document = docx.Document(io.BytesIO(file.data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


class Parsed(HTMLParser):
    """Sections, images, links, scripts and text of an HTML file."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.meta: list[dict[str, str]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "section":
            self.sections.append(a["data-section"])
        if tag == "img":
            self.images.append(a)
        if tag == "meta":
            self.meta.append(a)
        self.urls += [v for k, v in a.items() if k in ("src", "href", "action", "data", "poster")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_of(file: ExportFile) -> Parsed:
    return Parsed(file.data.decode("utf-8"))


# --------------------------------------------------------------------------- the API


def test_render_checks_the_key_and_the_format(service, sample):
    room = sample.room
    with pytest.raises(PermissionDenied):
        render(service, "not the key", room.id, "csv")
    with pytest.raises(InvalidInput, match="one of 'csv', 'xlsx', 'html', 'docx', 'summary', not 'pdf'"):
        render(service, room.key, room.id, "pdf")
    file = render(service, room.key, room.id, " XLSX ")
    assert file.media_type == ExportFormat.XLSX.media_type
    assert file.filename.startswith("children-and-young-peoples-plan-2011-14") and file.filename.endswith(".xlsx")
    assert workbook(file)["Shortlist"]["B2"].value == sample.content.decision.shortlist[0].name


def test_file_names_are_an_ascii_slug_of_the_title_and_a_date(sample, hostile):
    for exported in (sample, hostile):
        for fmt, file in exported.files.items():
            assert re.fullmatch(rf"[a-z0-9-]+-\d{{4}}-\d\d-\d\d\.{fmt.extension}", file.filename), file.filename
    assert sample.files[ExportFormat.DOCX].filename == (
        "children-and-young-peoples-plan-2011-14-agreeing-our-priorities-2011-03-02.docx"
    )
    assert hostile.files[ExportFormat.HTML].filename == "board-script-alert-1-script-1-1-2011-03-02.html"
    assert filename("Plan", date(2011, 3, 1), "csv") == "plan-2011-03-01.csv"
    assert filename("日本語", date(2011, 3, 1), "csv") == "workshop-2011-03-01.csv"


def test_the_workshop_date_names_the_file_when_it_is_set(service, draft):
    room = draft.room
    service.update_details(room.key, room.id, WorkshopDetails("Draft workshop", date=date(2011, 2, 14)))
    assert render(service, room.key, room.id, "csv").filename == "draft-workshop-2011-02-14.zip"


def test_safety_helpers():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise_formula(f"{start}1+1") == f"'{start}1+1"
    assert neutralise_formula("Plain 1+1") == "Plain 1+1"
    assert xml_text("a\x00b\x0bc\td\ne") == "abc\td\ne"
    assert slug("Children's Trust — ça va, 2011–14") == "childrens-trust-ca-va-2011-14"
    assert len(slug("word " * 40)) <= 80 and not slug("word " * 40).endswith("-")


# --------------------------------------------------------------------------- the content


def test_content_is_computed_once_with_the_workshops_robustness_settings(service, sample):
    a = sample.content.analysis
    assert a is not None and a.round.number == 3  # the round the decision names
    s = a.sensitivity
    stored = service.workshop_by_id(sample.room.id).robustness
    assert stored == RobustnessOptions()  # the defaults: 10,000 samples around the agreed weights, 1,000 resamples
    assert (s.smaa_seed, s.smaa_samples, s.bootstrap_seed, s.bootstrap_resamples) == (
        stored.seed,
        stored.samples,
        stored.bootstrap_seed,
        stored.resamples,
    )
    assert "Dirichlet distribution centred on the agreed weights (concentration 50" in s.smaa_sampling
    again = build_content(service, sample.room.key, sample.room.id, now=NOW)
    assert again.analysis == a


def test_content_records_the_decision_and_its_departures(sample):
    d = sample.content.decision
    assert d is not None and len(d.shortlist) == 5
    assert [(x.change, x.computed_rank) for x in d.departures] == [("left out", 5), ("brought in", 7)]
    assert d.shortlist[4].computed_rank == 7 and d.shortlist[4].name == d.departures[1].name
    assert d.checked_against.startswith("Round 3")
    assert d.measured.startswith("Measured against Round 3") and d.earlier_state == ()


# --------------------------------------------------------------------------- CSV


def test_csv_zip_holds_the_shortlist_ranking_and_raw_scores(sample):
    files = csv_files(sample.files[ExportFormat.CSV])
    assert set(files) == {"shortlist.csv", "ranking.csv", "raw_scores.csv"}
    shortlist = files["shortlist.csv"]
    d = sample.content.decision
    assert [r["Priority"] for r in shortlist[:5]] == [p.name for p in d.shortlist]
    assert shortlist[0]["Rationale"] == d.shortlist[0].rationale
    assert shortlist[5]["On the agreed shortlist"] == "No (left out)"
    assert shortlist[5]["Departure from the computed ranking"] == "Already resourced through the health plan."
    ranking = files["ranking.csv"]
    assert len(ranking) == 32 + 10
    assert [r["Rank"] for r in ranking if r["Round"] == "3"][:3] == ["1", "2", "3"]
    raw = files["raw_scores.csv"]
    assert len(raw) == PARTICIPANTS * (32 + 10) * 5
    assert {r["Participant"] for r in raw} == {f"Participant {n}" for n in range(1, PARTICIPANTS + 1)}
    assert any(r["Score"] == "" for r in raw) and all(r["Score"] in {"", "1", "2", "3", "4", "5"} for r in raw)
    with zipfile.ZipFile(io.BytesIO(sample.files[ExportFormat.CSV].data)) as archive:
        readme = archive.read("README.txt").decode("utf-8-sig")
    assert "'Participant N'" in readme and "single quote" in readme


def test_csv_neutralises_formulas(hostile):
    shortlist = csv_files(hostile.files[ExportFormat.CSV])["shortlist.csv"]
    assert shortlist[0]["Priority"] == "'" + FORMULA
    assert shortlist[0]["Theme"] == "'@theme"
    assert shortlist[0]["Rationale"].startswith("'=cmd|")
    assert shortlist[1]["Priority"] == SCRIPT  # text, not a formula: left as it is
    assert not [cell for cell in csv_cells(hostile.files[ExportFormat.CSV]) if FORMULA_START.match(cell)]


# --------------------------------------------------------------------------- XLSX


def test_workbook_sheets_headers_frozen_panes_and_values(sample):
    book = workbook(sample.files[ExportFormat.XLSX])
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.cell(1, 1).font.bold, ws.title
        assert ws.column_dimensions["A"].width >= 8
    shortlist = book["Shortlist"]
    assert [c.value for c in shortlist[1]][:4] == ["Place", "Priority", "Theme", "On the agreed shortlist"]
    assert shortlist["B2"].value == sample.content.decision.shortlist[0].name
    assert shortlist["H1"].value.startswith("Chance of top 5") and shortlist["H2"].number_format == "0.0%"
    assert book["Ranking"].max_row == 1 + 32 + 10
    assert book["Raw scores"].max_row == 1 + PARTICIPANTS * (32 + 10) * 5
    assert book["Raw allocations"].max_row == 1 + PARTICIPANTS * 5
    sensitivity = book["Sensitivity"]
    assert "seed 0, 10000 samples" in sensitivity["C1"].value and "seed 0, 1000 resamples" in sensitivity["E1"].value
    assert 0 <= sensitivity["C2"].value <= 1
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["Status"] == "Shortlist agreed"
    assert "seed 0, 10000 weight samples" in about["SMAA"]
    assert book["Weights"]["D2"].value == "the room's own: the mean of the participants' 100-point allocations"
    assert [c.value for c in book["Audit log"][1]] == ["When (UTC)", "Who", "Action", "Detail"]
    assert any(c.value == "decision recorded" for c in book["Audit log"]["C"])


def test_workbook_neutralises_formulas(hostile):
    book = workbook(hostile.files[ExportFormat.XLSX])
    assert book["Shortlist"]["B2"].value == "'" + FORMULA
    assert book["Shortlist"]["B3"].value == SCRIPT
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not FORMULA_START.match(cell.value), (ws.title, cell.coordinate, cell.value)


# --------------------------------------------------------------------------- HTML


def test_html_report_is_self_contained_with_every_section(sample):
    parsed = html_of(sample.files[ExportFormat.HTML])
    assert parsed.sections == list(SECTIONS)
    assert len(parsed.images) == 5
    assert all(i["src"].startswith("data:image/png;base64,") and i["alt"] for i in parsed.images)
    assert all(url.startswith(("data:", "#")) for url in parsed.urls)
    assert "script" not in parsed.tags and "link" not in parsed.tags
    csp = next(m["content"] for m in parsed.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    text = " ".join(parsed.text)
    for heading in HEADINGS:
        assert heading in text
    assert "10,000 weight vectors" in text and "1,000 times (seed 0)" in text
    assert "Already resourced through the health plan." in text
    assert "@page" in sample.files[ExportFormat.HTML].data.decode() and "break-before: page" in text


def test_html_report_escapes_user_text(hostile):
    raw = hostile.files[ExportFormat.HTML].data.decode("utf-8")
    parsed = html_of(hostile.files[ExportFormat.HTML])
    assert "script" not in parsed.tags and "img" in parsed.tags
    assert not [i for i in parsed.images if not i["src"].startswith("data:")]  # the onerror <img> is text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<script>" not in raw
    text = "".join(parsed.text)
    assert SCRIPT in text and "Org <img src=x onerror=alert(2)>" in text and FORMULA in text
    # the formula-named priority is brought in from below the cut, with its (hostile) reason shown as text
    assert "the decision brings in" in text and FORMULA in text and f"=HYPERLINK(1) {SCRIPT}" in text


# --------------------------------------------------------------------------- DOCX


def test_docx_report_has_the_headings_charts_and_shortlist_table(sample):
    document = docx.Document(io.BytesIO(sample.files[ExportFormat.DOCX].data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(HEADINGS)
    assert len(document.inline_shapes) == 5
    shortlist = next(t for t in document.tables if t.rows[0].cells[0].text == "Place")
    names = [row.cells[1].text for row in shortlist.rows[1:]]
    assert names == [p.name for p in sample.content.decision.shortlist]
    assert shortlist.rows[1].cells[3].text == sample.content.decision.shortlist[0].rationale
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_docx_report_shows_scripts_as_text(hostile):
    text = docx_text(hostile.files[ExportFormat.DOCX])
    assert SCRIPT in text and FORMULA in text and f"@chair {SCRIPT}" in text


# --------------------------------------------------------------------------- drafts and privacy


def test_a_workshop_without_a_decision_exports_as_a_draft(draft):
    assert draft.content.is_draft and draft.content.analysis is not None
    assert NO_SHORTLIST in " ".join(html_of(draft.files[ExportFormat.HTML]).text)
    text = docx_text(draft.files[ExportFormat.DOCX])
    assert NO_SHORTLIST in text and "DRAFT" in text
    assert csv_files(draft.files[ExportFormat.CSV])["shortlist.csv"] == []
    about = {r[0].value: r[1].value for r in workbook(draft.files[ExportFormat.XLSX])["About"].iter_rows(min_row=2)}
    assert about["Status"] == "Draft: no shortlist has been agreed yet"


def test_a_workshop_nobody_answered_still_exports(empty):
    assert empty.content.analysis is None and empty.content.rankings == ()
    parsed = html_of(empty.files[ExportFormat.HTML])
    assert parsed.sections == list(SECTIONS) and parsed.images == []
    assert "No scoring round has any answers yet" in " ".join(parsed.text)
    assert workbook(empty.files[ExportFormat.XLSX])["Ranking"].max_row == 1
    assert "No scoring round has any answers yet" in docx_text(empty.files[ExportFormat.DOCX])


def test_participants_are_pseudonymised_everywhere(sample):
    """Every third participant typed a name ("Real Name N"); no export holds one."""
    files = sample.files
    assert not any("Real Name" in cell for cell in csv_cells(files[ExportFormat.CSV]))
    book = workbook(files[ExportFormat.XLSX])
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("Real Name" in v for v in cells)
    assert "Participant 3 (" in " ".join(c for c in cells if c.startswith("Participant 3"))
    assert "Real Name" not in files[ExportFormat.HTML].data.decode("utf-8")
    assert "Real Name" not in docx_text(files[ExportFormat.DOCX])
