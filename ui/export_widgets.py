"""Download buttons for the exports (CSV tables, Excel workbook, board paper in HTML and Word, the
plain-language summary; the performance report).

Preparing the exports runs the sensitivity analyses and draws the charts
(a few seconds), so it waits for a click: "Prepare the exports" builds the
content once, renders the four files with a progress bar, then shows one
download button per file.  The download buttons do not rerun the page
(``on_click="ignore"``), so all four stay available until the page next
reruns; nothing is kept in session state.  The service checks the key;
its refusals are shown as they are, and anything unexpected is logged and
reported without a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import streamlit as st

from ui import state
from workshop.errors import WorkshopError
from workshop.exports import ExportFile, ExportFormat, build_content, render_content
from workshop.exports.performance import PerformanceFormat, build_performance, render_performance
from workshop.service import WorkshopService

log = logging.getLogger("prioritise.ui")

PREPARE = "Prepare the exports"
FAILED = (
    "The exports could not be prepared; nothing in the workshop was changed. Try again, and if it fails again "
    "use the command line: python -m workshop export."
)
ICONS = {
    ExportFormat.CSV: ":material/table_view:",
    ExportFormat.XLSX: ":material/grid_on:",
    ExportFormat.HTML: ":material/article:",
    ExportFormat.DOCX: ":material/description:",
    ExportFormat.SUMMARY: ":material/child_care:",
}
PERFORMANCE_ICONS = {
    PerformanceFormat.HTML: ":material/article:",
    PerformanceFormat.DOCX: ":material/description:",
    PerformanceFormat.XLSX: ":material/grid_on:",
}


def _prepare(service: WorkshopService, key: str, workshop_id: int) -> tuple[ExportFile, ...] | None:
    """Every format, with a progress bar; None (and an error shown) if it failed."""
    formats = list(ExportFormat)
    bar = st.progress(0.0, text="Reading the workshop and running the sensitivity analyses (fixed seeds)…")
    try:
        content = build_content(service, key, workshop_id)
        files = []
        for n, fmt in enumerate(formats, start=1):
            bar.progress(n / (len(formats) + 1), text=f"Preparing the {fmt.label}…")
            files.append(render_content(content, fmt))
    except WorkshopError as error:
        st.error(error.message)
        return None
    except Exception:
        log.exception("export of workshop %s failed", workshop_id)
        st.error(FAILED)
        return None
    finally:
        bar.empty()
    if content.is_draft:
        st.warning("No shortlist has been agreed yet: every file is marked as a draft.")
    return tuple(files)


def download_buttons(service: WorkshopService, key: str, workshop_id: int) -> None:
    """The export panel: a prepare button, then one download button per format."""
    st.caption(
        "The board paper (HTML prints to PDF from any browser; Word for editing), the Excel workbook with every "
        "table and the raw scores, the CSV tables, and a one-page plain-language summary for the people who "
        "took part. Participants appear as 'Participant N'."
    )
    if not st.button(PREPARE, icon=":material/download:", type="primary"):
        return
    files = _prepare(service, key, workshop_id)
    if files is None:
        return
    _download_row([(fmt.label, ICONS[fmt], file) for fmt, file in zip(ExportFormat, files, strict=True)])


def _download_row(buttons: Sequence[tuple[str, str, ExportFile]], prefix: str = "") -> None:
    """One download button per (label, icon, file), side by side; none reruns the page."""
    for column, (label, icon, file) in zip(st.columns(len(buttons)), buttons, strict=True):
        column.download_button(
            label,
            data=file.data,
            file_name=file.filename,
            mime=file.media_type,
            on_click="ignore",
            icon=icon,
            width="stretch",
            key=f"{prefix}{label}" if prefix else None,
        )


def performance_panel(service: WorkshopService, key: str, workshop_id: int) -> None:
    """The performance report beside the other exports (the Agree page): once the plan has values."""
    plan = service.plan(key, workshop_id)
    if not plan.indicators:
        return
    st.subheader("Quarterly performance report")
    st.caption("Each agreed priority's indicators against their trajectory, the changes since the last period first.")
    performance_buttons(service, key, workshop_id, [p.label for p in plan.periods])


def performance_buttons(service: WorkshopService, key: str, workshop_id: int, periods: Sequence[str]) -> None:
    """The quarterly performance report for a chosen period, in each format (built once; cheap: no analyses)."""
    if not periods:
        st.caption("The performance report appears here once an indicator has a value.")
        return
    period = st.selectbox(
        "Period reported", list(reversed(periods)), key=state.PERFORMANCE_PERIOD, help="Values to the end of it."
    )
    try:
        content = build_performance(service, key, workshop_id, period)
        files = [(fmt, render_performance(content, fmt)) for fmt in PerformanceFormat]
    except WorkshopError as error:
        st.error(error.message)
        return
    except Exception:
        log.exception("performance report of workshop %s failed", workshop_id)
        st.error(FAILED)
        return
    _download_row([(fmt.label, PERFORMANCE_ICONS[fmt], file) for fmt, file in files], prefix="performance-")
