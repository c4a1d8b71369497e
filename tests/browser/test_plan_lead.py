"""A lead updates one value through their lead link, in Chromium, and the facilitator's Plan page and the
performance report they download show the priority's new status; axe-core finds nothing serious on either page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.a11y import audit, settle
from tests.browser.conftest import assert_no_errors
from tests.browser.helpers import (
    QUICK,
    Facilitator,
    goto,
    open_page,
    screenshot,
    service_for,
    wait_for_app,
    wait_until_drawn,
)
from tests.workshop.test_performance import planned
from workshop.models import IndicatorStatus

NI56 = "NI 56 Obesity in Year 6"


def test_a_lead_updates_a_value_and_the_facilitators_report_shows_the_new_status(app_server, laptops, tmp_path):
    service = service_for(app_server)
    room = planned(service)  # Priority B's one indicator, NI 56: 38 in 2011-Q2 against 37.5 on the line: behind
    plan = service.plan(room.key, room.id)
    priority_b = next(p for p in plan.agreed if p.name == "Priority B")
    link = service.issue_lead_link(room.key, room.id, priority_b.id)

    lead = laptops()
    goto(lead, f"{app_server.url}/lead?lead={link.token}")
    expect(lead.get_by_role("heading", name="Update: Priority B")).to_be_visible(timeout=QUICK)
    expect(lead.get_by_text("Priority B: 🟠 behind")).to_be_visible()
    settle(lead)
    screenshot(lead, "lead-page")
    found = audit(lead, "lead-page")
    assert not found.blocking, "serious or critical axe violations:\n" + "\n".join(v.line() for v in found.blocking)
    expect(lead.get_by_role("textbox", name=f"Period for {NI56}")).to_have_value("2011-Q3")
    lead.get_by_role("spinbutton", name=f"Value for {NI56}").fill("34")
    lead.get_by_role("textbox", name=f"Commentary on {NI56}").fill("New school meals contract.")
    lead.get_by_role("button", name="Save values").click()
    # The toast itself (ui/theme.py copies its text into a screen readers' live region too).
    expect(lead.get_by_test_id("stToastText").get_by_text("1 value saved. Thank you.")).to_be_visible(timeout=QUICK)
    expect(lead.get_by_text("Priority B: 🟢 on track")).to_be_visible(timeout=QUICK)
    assert_no_errors(lead)
    status = service.plan(room.key, room.id)
    ni56 = next(i for i in status.indicators if i.name == NI56)
    assert [(a.period.label, a.value) for a in status.actuals_of(ni56.id)] == [("2011-Q2", 38.0), ("2011-Q3", 34.0)]

    who = Facilitator(room.workshop.code, room.key, "")
    facilitator = laptops()
    open_page(facilitator, app_server.url, "plan", who)
    expect(facilitator.get_by_role("heading", name="Plan and performance")).to_be_visible(timeout=QUICK)
    expect(facilitator.get_by_text("Priority B: 🟢 on track")).to_be_visible(timeout=QUICK)
    wait_until_drawn(facilitator)
    screenshot(facilitator, "plan-page")
    found = audit(facilitator, "plan-page")
    assert not found.blocking, "serious or critical axe violations:\n" + "\n".join(v.line() for v in found.blocking)
    facilitator.get_by_role("tab", name="Performance report").click()
    wait_for_app(facilitator)
    with facilitator.expect_download(timeout=QUICK) as download:
        facilitator.get_by_role("button", name="Performance report (HTML, prints to PDF)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".html"
    report = path.read_text(encoding="utf-8")
    assert "Performance report: 2011-Q3" in report
    assert f"Priority B: {NI56}: behind → on track (34 per 1,000 in 2011-Q3)" in report
    assert "New school meals contract." in report
    assert IndicatorStatus.ON_TRACK.value + " (was behind)" in report
    assert_no_errors(facilitator)

    # The downloaded report prints to A4, each section from a new page.
    paper = laptops()
    paper.goto(path.as_uri())
    paper.emulate_media(media="print")
    breaks = paper.evaluate(
        "() => Array.from(document.querySelectorAll('section')).map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks[0] == "auto" and set(breaks[1:]) == {"page"}
    pdf = paper.pdf(format="A4", print_background=True)
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
