"""The HTML board paper in real Chromium: opened from a file, offline, it
shows every section and chart, makes no request, never runs the script a
priority's name carries, and prints to A4 PDF with each section on a new
page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workshop.conftest import StepClock, small_setup
from tests.workshop.export_workshops import SCRIPT, hostile_room
from workshop.exports import render
from workshop.exports.content import NO_SHORTLIST
from workshop.service import WorkshopService
from workshop.store import Store

SECTIONS = 11
CHARTS = 5


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile workshop's report (decided, charts) and a draft's (no answers, no decision)."""
    folder = tmp_path_factory.mktemp("reports")
    service = WorkshopService(Store.open(f"sqlite:///{folder / 'reports.sqlite3'}"), StepClock())
    room = hostile_room(service)
    draft, draft_key = service.create_workshop(small_setup("Draft board paper"))
    paths = {}
    for name, key, workshop_id in (("decided", room.key, room.id), ("draft", draft_key, draft.id)):
        file = render(service, key, workshop_id, "html")
        paths[name] = folder / file.filename
        paths[name].write_bytes(file.data)
    return paths


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.dialogs, page.requests = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def test_the_report_opens_offline_with_every_section_and_chart(reports, page):
    page.goto(reports["decided"].as_uri())
    page.wait_for_load_state("load")
    sections = page.locator("section[data-section]")
    assert sections.count() == SECTIONS
    for n in range(SECTIONS):
        assert sections.nth(n).locator("h2").is_visible()
    page.get_by_role("heading", name="9. The agreed shortlist").wait_for()
    images = page.evaluate("() => Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt])")
    assert len(images) == CHARTS
    assert all(complete and width > 0 and alt for complete, width, alt in images), images
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests


def test_a_script_in_a_name_is_shown_and_never_run(reports, page):
    page.goto(reports["decided"].as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("() => document.querySelectorAll('script').length") == 0
    assert page.locator("#shortlist table").get_by_text(SCRIPT, exact=True).count() >= 1
    assert page.locator("header.cover h1").inner_text().startswith("Board <script>alert(1)</script>")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")  # any onerror has run
    assert page.dialogs == []


def test_the_report_prints_to_a4_with_a_page_per_section(reports, page):
    page.goto(reports["decided"].as_uri())
    page.emulate_media(media="print")
    breaks = page.evaluate(
        "() => Array.from(document.querySelectorAll('section')).map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["auto"] + ["page"] * (SECTIONS - 1)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= SECTIONS - 1  # the summary shares the cover page
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points (Chromium rounds up)


def test_a_draft_report_says_no_shortlist_is_agreed(reports, page):
    page.goto(reports["draft"].as_uri())
    assert page.locator(".status.draft").inner_text().startswith("Draft")
    assert page.locator("#shortlist .notice.draft").inner_text().startswith(NO_SHORTLIST)
    assert page.evaluate("() => document.images.length") == 0
    assert page.pdf(format="A4").startswith(b"%PDF-")
