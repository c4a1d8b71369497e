"""The quarterly performance report: each indicator's status, its value against the trajectory and
the lead's commentary, the changes since the last period first, in HTML, Word and Excel, and the CLI.

The plan (tests/workshop/planning.py): lower-is-better indicators 40 → 30 and a higher-is-better
one 50 → 60, baseline 2011-03-31, target 2012-03-31 (366 days).  At the end of 2011-Q2 (91 days)
the lower line is 40 − 10·91/366 = 37.51; at the end of 2011-Q3 (183 days, half way) it is 35
and the higher one 55.  Hand-worked statuses:

* NI 112: 37 in Q2 (≤ 37.51: on track), 36 in Q3 (> 35 but < 40: behind) → on track to behind;
* NI 117: 41 in Q2 (worse than 40: off track), 34 in Q3 (≤ 35: on track) → off track to on track;
* NI 56: 38 in Q2 (behind), nothing in Q3: still behind, no change, not reported in Q3;
* NI 75: nothing in Q2 (no data), 55 in Q3 (exactly on the line: on track) → no data to on track.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.workshop.conftest import small_setup
from tests.workshop.planning import decided_room, standard_plan
from tests.workshop.test_exports import html_of
from workshop.cli import main
from workshop.errors import InvalidInput, PermissionDenied
from workshop.exports.performance import PerformanceFormat, build_performance, render_performance
from workshop.models import ActualSpec, IndicatorStatus
from workshop.service import WorkshopService
from workshop.store import Store

NOW = datetime(2011, 10, 20, 9, 0, tzinfo=UTC)
ON, BEHIND, OFF, NONE = (
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.BEHIND,
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.NO_DATA,
)
VALUES = {  # indicator: {period: (value, commentary)}
    "NI 112 Under-18 conception rate": {"2011-Q2": (37.0, ""), "2011-Q3": (36.0, "Clinic hours were cut in August.")},
    "NI 117 16-18 year olds NEET": {"2011-Q2": (41.0, "A bad summer."), "2011-Q3": (34.0, "September Guarantee.")},
    "NI 56 Obesity in Year 6": {"2011-Q2": (38.0, "Measured in schools.")},
    "NI 75 Five good GCSEs": {"2011-Q3": (55.0, "Results day.")},
}


def planned(service: WorkshopService):  # type: ignore[no-untyped-def]
    made = decided_room(service)
    plan = service.set_indicators(made.key, made.id, standard_plan())
    ids = {i.name: i.id for i in plan.indicators}
    service.save_actuals(
        made.key,
        made.id,
        [
            ActualSpec(ids[name], period, value, commentary)
            for name, periods in VALUES.items()
            for period, (value, commentary) in periods.items()
        ],
    )
    return made


def test_content_puts_the_changes_since_the_last_period_first(service: WorkshopService):
    made = planned(service)
    content = build_performance(service, made.key, made.id, now=NOW)
    assert content.period is not None and content.period.label == "2011-Q3"  # the latest with a value
    assert content.previous is not None and content.previous.label == "2011-Q2"
    lines = {i.name: i for i in content.indicators}
    assert [(n, lines[n].previous_status, lines[n].status) for n in VALUES] == [
        ("NI 112 Under-18 conception rate", ON, BEHIND),
        ("NI 117 16-18 year olds NEET", OFF, ON),
        ("NI 56 Obesity in Year 6", BEHIND, BEHIND),
        ("NI 75 Five good GCSEs", NONE, ON),
    ]
    assert [i.name for i in content.changes] == [
        "NI 112 Under-18 conception rate",
        "NI 117 16-18 year olds NEET",
        "NI 75 Five good GCSEs",
    ]
    ni112 = lines["NI 112 Under-18 conception rate"]
    assert (ni112.period, ni112.value, ni112.expected) == ("2011-Q3", 36.0, pytest.approx(35.0))
    assert ni112.against_line == "36 per 1,000 against 35 per 1,000 on the line (1 per 1,000 short)"
    assert ni112.change_text == "on track → behind (36 per 1,000 in 2011-Q3)"
    assert ni112.commentary == "Clinic hours were cut in August."
    assert lines["NI 75 Five good GCSEs"].against_line.endswith("(on the line)")
    ni56 = lines["NI 56 Obesity in Year 6"]
    assert (ni56.period, ni56.reported_now, ni56.commentary) == ("2011-Q2", False, "Measured in schools.")
    # A priority is the worst of its indicators (the one rule): A behind now, off track before.
    assert [(p.name, p.previous_status, p.status) for p in content.priorities] == [
        ("Priority A", OFF, BEHIND),
        ("Priority B", BEHIND, BEHIND),
        ("Priority C", NONE, ON),
    ]


def test_an_earlier_period_reports_the_plan_as_it_stood_then(service: WorkshopService):
    made = planned(service)
    content = build_performance(service, made.key, made.id, "2011q2", now=NOW)
    assert content.period_label == "2011-Q2"
    assert {i.name: i.status for i in content.indicators} == {
        "NI 112 Under-18 conception rate": ON,
        "NI 117 16-18 year olds NEET": OFF,
        "NI 56 Obesity in Year 6": BEHIND,
        "NI 75 Five good GCSEs": NONE,
    }
    assert {i.name: i.commentary for i in content.indicators}["NI 117 16-18 year olds NEET"] == "A bad summer."


def test_the_report_needs_the_key_and_a_real_period(service: WorkshopService):
    made = planned(service)
    with pytest.raises(InvalidInput, match="2012-Q5"):
        build_performance(service, made.key, made.id, "2012-Q5")
    with pytest.raises(PermissionDenied):
        build_performance(service, "AAAAA-BBBBB-CCCCC-DDDDD", made.id)
    undecided, key = service.create_workshop(small_setup("Not decided"))
    with pytest.raises(InvalidInput, match="record the agreed priorities"):
        build_performance(service, key, undecided.id)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_each_format_states_the_statuses_with_the_changes_first(service: WorkshopService):
    made = planned(service)
    content = build_performance(service, made.key, made.id, now=NOW)
    html = html_of(render_performance(content, "html"))
    assert html.sections[:2] == ["changes", "summary"] and "rule" in html.sections
    text = " ".join(html.text)
    assert "Changes since 2011-Q2" in text and "Performance report: 2011-Q3" in text
    assert "3 indicators changed status:" in text and "with no change of status" not in text
    assert "NI 112 Under-18 conception rate: on track → behind (36 per 1,000 in 2011-Q3)" in text
    assert "Clinic hours were cut in August." in text and "behind (was on track)" in text
    assert text.index("Changes since 2011-Q2") < text.index("Each priority's status")
    page_foot = '@bottom-left { content: "Prioritise performance report"'
    assert page_foot in render_performance(content, "html").data.decode()

    word = render_performance(content, PerformanceFormat.DOCX)
    assert word.filename.endswith(".docx")
    words = _docx_text(word.data)
    assert words.index("1. Changes since 2011-Q2") < words.index("2. Each priority's status")
    assert "NI 117 16-18 year olds NEET: off track → on track (34 per 1,000 in 2011-Q3)" in words
    assert "September Guarantee." in words
    footer = docx.Document(io.BytesIO(word.data)).sections[0].footer.paragraphs[0].text
    assert footer.startswith("Prioritise performance report    Page ")

    book = openpyxl.load_workbook(io.BytesIO(render_performance(content, "xlsx").data))
    assert book.sheetnames == ["Indicators"]
    rows = list(book["Indicators"].iter_rows(values_only=True))
    header = rows[0]
    got = {r[header.index("Indicator")]: r for r in rows[1:]}
    assert len(got) == 4
    ni112 = got["NI 112 Under-18 conception rate"]
    assert ni112[header.index("Status")] == "behind"
    assert ni112[header.index("Status last period")] == "on track"
    assert ni112[header.index("Latest value")] == 36
    assert ni112[header.index("Trajectory value")] == pytest.approx(35.0)
    assert ni112[header.index("Lead's commentary")] == "Clinic hours were cut in August."
    assert got["NI 56 Obesity in Year 6"][header.index("Changed")] == "No"


def test_cli_export_performance_by_the_files_ending(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"sqlite:///{tmp_path / 'perf.sqlite3'}"
    service = WorkshopService(Store.open(url))
    made = planned(service)
    base = ["--database-url", url, "export", made.workshop.code, "--key", made.key, "--format", "performance"]
    for name, start in (("q3.html", b"<!DOCTYPE html>"), ("q3.docx", b"PK"), ("q3.xlsx", b"PK")):
        assert main([*base, "-o", str(tmp_path / name)]) == 0
        assert capsys.readouterr().out.startswith(f"Wrote {tmp_path / name} (")
        assert (tmp_path / name).read_bytes().startswith(start)
    assert main([*base, "--period", "2011-Q2", "-o", str(tmp_path / "q2.xlsx")]) == 0
    assert "for 2011-Q2 (xlsx)" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(tmp_path / "q2.xlsx")["Indicators"].iter_rows(values_only=True))
    assert {r[1]: r[rows[0].index("Status")] for r in rows[1:]}["NI 117 16-18 year olds NEET"] == "off track"
    assert main([*base, "--period", "2011-Q9"]) == 1
    assert capsys.readouterr().err.startswith("error: The period: ")
    assert main([*base[:-1], "html", "--period", "2011-Q2"]) == 1
    assert capsys.readouterr().err == "error: --period is for --format performance\n"


def test_the_reports_formats_keep_their_own_labels_beside_the_board_papers():
    """Formats of two sets with one value ("html") are equal strings: each set's labels stay its own."""
    from workshop.exports import ExportFormat
    from workshop.exports.performance import PerformanceFormat

    assert ExportFormat.HTML.label == "Board paper (HTML, prints to PDF)"
    assert PerformanceFormat.HTML.label == "Performance report (HTML, prints to PDF)"
    assert ExportFormat.XLSX.label == "Excel workbook"
    assert PerformanceFormat.XLSX.label == "Performance indicators (Excel)"
    assert [f.extension for f in ExportFormat] == ["zip", "xlsx", "html", "docx", "html"]
    assert PerformanceFormat.parse(".DOCX") is PerformanceFormat.DOCX
