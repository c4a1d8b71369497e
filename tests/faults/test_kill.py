"""The app server killed with SIGKILL while participants are saving, then started again on the same
database: every acknowledged save is there, the participant's link resumes, the round is as it was.

Two kinds of participant save at once: one in Chromium through the real app (acknowledged when the
page says "Saved ✓"), and a room of four through the service in a separate process (acknowledged when
save_score returns; the process prints each one).  Both processes are killed without warning."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, assert_no_errors, start_server, stop_server, wait_for_app
from tests.workshop.conftest import small_setup
from ui.scoring import participant_order
from workshop.db import dispose_engines
from workshop.models import RoundKind, RoundState
from workshop.service import WorkshopService
from workshop.store import Store

from .chromium import in_chromium

pytestmark = pytest.mark.browser

#: The room's writer: saves every cell of every participant, over and over with new values, until it is
#: killed; prints "TRY n pid cid value" before each save and "ACK n pid cid value" once it has returned
#: (the moment a participant's screen says it is saved).
WRITER = """
import itertools, sys, time
from workshop.service import WorkshopService
from workshop.store import Store
url, round_id, tokens = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
service = WorkshopService(Store.open(url))
workshop = service.workshop_by_id(service.resume(tokens[0]).workshop_id)
rnd = next(r for r in workshop.rounds if r.id == round_id)
print("READY", flush=True)
for sweep in itertools.count():
    for pid, criterion in itertools.product(rnd.priority_ids, workshop.criteria):
        for n, token in enumerate(tokens):
            value = criterion.scale_min + (n + pid + sweep) % (criterion.scale_max - criterion.scale_min + 1)
            print("TRY", n, pid, criterion.id, value, flush=True)
            service.save_score(token, round_id, pid, criterion.id, value)
            print("ACK", n, pid, criterion.id, value, flush=True)
            time.sleep(0.005)
"""
LINE = re.compile(r"^(TRY|ACK) (\d+) (\d+) (\d+) (\d+)$")


def acknowledged(output: str) -> tuple[dict[tuple[int, int, int], int], tuple[tuple[int, int, int], int] | None, int]:
    """From the writer's output: the last acknowledged value of each cell, the save in flight when it
    was killed (cell, value) if any, and how many saves were acknowledged."""
    last: dict[tuple[int, int, int], int] = {}
    in_flight = None
    count = 0
    for match in filter(None, map(LINE.match, output.splitlines())):
        kind, *numbers = match.groups()
        n, pid, cid, value = map(int, numbers)
        if kind == "TRY":
            in_flight = ((n, pid, cid), value)
        else:
            last[n, pid, cid] = value
            in_flight = None
            count += 1
    return last, in_flight, count


def radio(page, label: str):
    return page.locator('[data-testid="stRadio"]').filter(has_text=label)


def saved_note(page, label: str):
    """The "Saved ✓ hh:mm:ss" caption drawn just below the radio ``label`` (its note)."""
    below = "xpath=ancestor::div[@data-testid='stElementContainer'][1]/following-sibling::div[1]"
    return radio(page, label).locator(below).get_by_text(re.compile(r"^Saved ✓"))


def test_a_killed_server_loses_no_acknowledged_save(tmp_path: Path):
    in_chromium(lambda browser: killed_and_restarted(browser, tmp_path))


def killed_and_restarted(browser, tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    url = f"sqlite:///{db}"
    svc = WorkshopService(Store.open(url))
    workshop, key = svc.create_workshop(small_setup())
    scoring = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    ann = svc.join(workshop.code, "Ann", "Council")
    room = [svc.join(workshop.code, f"Room {n}", "NHS") for n in range(4)]
    scoring = svc.open_round(key, scoring.id)
    version_before = svc.version(workshop.id)
    first = next(p for p in workshop.priorities if p.id == participant_order(ann.id, scoring)[0])
    need, cost, evidence = workshop.criteria

    server = start_server(db)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(scoring.id), *(p.token for p in room)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "READY"
        page = browser.new_page()
        page.goto(f"{server.url}/vote?p={ann.token}")
        wait_for_app(page)
        page.get_by_text(first.name).first.wait_for()
        for criterion, option in ((need, "4"), (cost, "7")):
            radio(page, criterion.name).get_by_text(option, exact=True).click()
            saved_note(page, criterion.name).wait_for()
        radio(page, evidence.name).get_by_text("good", exact=False).first.click()  # in flight when killed
    finally:
        server.process.send_signal(signal.SIGKILL)
        writer.send_signal(signal.SIGKILL)
        server.process.wait(10)
        out, err = writer.communicate(timeout=10)
    last, in_flight, count = acknowledged(out)
    cells = len(room) * len(workshop.priorities) * len(workshop.criteria)
    assert count > cells, f"only {count} saves before the kill (every cell once is {cells}): {err[-2000:]}"
    dispose_engines()

    after = WorkshopService(Store.open(url))
    for (n, pid, cid), value in last.items():
        stored = after.my_scores(room[n].token, scoring.id).entry(pid, cid).value
        if in_flight is not None and in_flight[0] == (n, pid, cid):
            assert stored in (value, in_flight[1])  # the unacknowledged save may or may not have landed
        else:
            assert stored == value
    mine = after.my_scores(ann.token, scoring.id)
    assert mine.entry(first.id, need.id).value == 4 and mine.entry(first.id, cost.id).value == 7
    assert after.workshop_by_id(workshop.id).current_round.state is RoundState.OPEN
    assert after.workshop_by_id(workshop.id).setup_locked
    assert after.version(workshop.id) >= version_before + count + 2

    restarted = start_server(db)
    try:
        page = browser.new_page()
        page.goto(f"{restarted.url}/vote?p={ann.token}")
        wait_for_app(page)
        page.get_by_text(first.name).first.wait_for()
        assert radio(page, need.name).get_by_role("radio", name="4").is_checked()
        assert radio(page, cost.name).get_by_role("radio", name="7").is_checked()
        radio(page, need.name).get_by_text("5", exact=True).click()  # and saving goes on
        saved_note(page, need.name).wait_for()
        assert_no_errors(page)
        page.close()
    finally:
        stop_server(restarted)
    assert after.my_scores(ann.token, scoring.id).entry(first.id, need.id).value == 5
