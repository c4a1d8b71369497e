"""Two app servers on one PostgreSQL database, as behind a load balancer: a participant in Chromium on
server A and the facilitator on server B see the same workshop, live, without reloading.

The participant joins on A and the facilitator's live panel on B shows them, then their progress; the
facilitator opens, closes and reveals the round on B and the participant's page on A follows within
seconds.  Needs TEST_DATABASE_URL (CI always sets it)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tests.browser.conftest import AppServer, assert_no_errors, start_server, stop_server, wait_for_app
from tests.workshop.conftest import schema_url, small_setup
from workshop.db import dispose_engines
from workshop.service import WorkshopService
from workshop.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

FOLLOW = 35_000  # ms: the participant's page polls every 10 s (20 s while answering), the live panel every 3 s


@pytest.fixture
def shared_database() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL database; its URL."""
    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    yield schema_url(base, name)
    dispose_engines()
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture
def two_servers(shared_database: str, tmp_path: Path) -> Iterator[tuple[AppServer, AppServer]]:
    """Servers A and B, both on the shared database (each migrates it at start-up, at the same time)."""
    servers = [start_server(tmp_path / f"{name}.sqlite3", {"DATABASE_URL": shared_database}) for name in "ab"]
    yield servers[0], servers[1]
    for server in servers:
        stop_server(server)


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def confirm(page, action: str) -> None:
    """A live-panel action behind its "are you sure" popover.  The trigger is clicked again if the
    popover has not opened (right after a rerun the new popover may take the old one's open state)."""
    yes = page.get_by_role("button", name=f"Yes, {action.lower()}")
    for _ in range(3):
        page.get_by_role("button", name=action, exact=True).click()
        try:
            yes.wait_for(timeout=3000)
        except Exception:
            continue
        yes.click()
        return
    raise AssertionError(f"the {action} popover did not open")


def test_a_participant_on_one_server_and_the_facilitator_on_another_see_the_same_workshop(
    browser, shared_database: str, two_servers: tuple[AppServer, AppServer]
):
    server_a, server_b = two_servers
    workshop, key = WorkshopService(Store.open(shared_database)).create_workshop(small_setup("Two servers"))

    facilitator = browser.new_context().new_page()
    facilitator.goto(f"{server_b.url}/live?w={workshop.code}&k={key}")
    wait_for_app(facilitator)
    expect(metric(facilitator, "Joined")).to_have_text("0")

    participant = browser.new_context().new_page()
    participant.goto(f"{server_a.url}/join?code={workshop.code}")
    wait_for_app(participant)
    participant.locator('[data-testid="stSelectbox"]').filter(has_text="stakeholder group").click()
    participant.get_by_role("option", name="Council").click()
    participant.get_by_role("textbox", name="Your name (optional)").fill("Ann Across")
    participant.get_by_role("button", name="Join").click()
    expect(participant.get_by_text("The facilitator has not opened a round yet")).to_be_visible(timeout=FOLLOW)

    # B's live panel shows the participant who joined on A, without a reload.
    expect(metric(facilitator, "Joined")).to_have_text("1", timeout=FOLLOW)
    expect(facilitator.get_by_text("Not started: Ann Across.")).to_be_visible(timeout=FOLLOW)

    # The facilitator opens the round on B; A's page moves on by itself.
    confirm(facilitator, "Open")
    need = participant.locator('[data-testid="stRadio"]').filter(has_text="Need")
    expect(need).to_be_visible(timeout=FOLLOW)
    need.get_by_text("4", exact=True).click()
    expect(participant.get_by_text(re.compile(r"^Saved ✓"))).to_be_visible(timeout=FOLLOW)

    # ... and B sees the answer arrive.
    expect(metric(facilitator, "Started")).to_have_text("1", timeout=FOLLOW)
    expect(metric(facilitator, "Answers given")).not_to_have_text("0%", timeout=FOLLOW)
    expect(facilitator.get_by_text("Not started: Ann Across.")).to_have_count(0)

    # Close and reveal on B; A shows the revealed round.
    confirm(facilitator, "Close")
    facilitator.get_by_role("button", name="Reveal results").click()
    expect(participant.get_by_text("Results revealed").first).to_be_visible(timeout=FOLLOW)
    expect(participant.get_by_text("You see the room's combined result and your own answers")).to_be_visible(
        timeout=FOLLOW
    )

    for page in (facilitator, participant):
        wait_for_app(page)
        assert_no_errors(page)
        page.context.close()
