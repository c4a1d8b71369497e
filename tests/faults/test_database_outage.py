"""The database down while a page loads or refreshes itself, through the app (AppTest): the page says
calmly that the database is not answering (never Streamlit's error box), keeps the tab's identity, and
comes back by itself once the database is back (AppTest stands in for the page's timed rerun with a
plain rerun).  On SQLite and, with TEST_DATABASE_URL, PostgreSQL; and once in Chromium against a real
server on PostgreSQL, where the page must come back with no help."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT, Made, app, facilitator_app, participant_app
from tests.browser.conftest import assert_no_errors, start_server, stop_server, wait_for_app
from ui import live_widgets, outage, present_widgets, state
from ui.services import room_stage, service
from ui.session import FacilitatorSession

from .chromium import in_chromium
from .conftest import AppDatabase, OpenRound, database_down, open_scoring_round


def calm(at: AppTest) -> None:
    """The page says the database is not answering: no traceback, no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info if i.value == outage.MESSAGE] == [outage.MESSAGE]


def recovered(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert outage.MESSAGE not in [i.value for i in at.info]
    assert not [c.value for c in at.caption if c.value.startswith("⏳")]


def made(room: OpenRound) -> Made:
    return Made(room.svc.workshop_by_id(room.round.workshop_id), room.key)


def test_a_participant_page_loaded_during_an_outage_says_so_and_comes_back(app_database: AppDatabase):
    room = open_scoring_round(service())

    with database_down(app_database):
        at = participant_app(room.token)
        calm(at)
        assert at.query_params[state.Q_PARTICIPANT] == room.token
        at.run()  # the page trying again while the database is still down
        calm(at)

    at.run()
    recovered(at)
    assert any("You are **Ann**" in m.value for m in at.markdown)
    assert at.query_params[state.Q_PARTICIPANT] == room.token
    assert at.session_state[state.PARTICIPANT_TOKEN] == room.token


def test_a_facilitator_page_loaded_during_an_outage_says_so_and_comes_back(app_database: AppDatabase):
    room = open_scoring_round(service())
    workshop = made(room)

    with database_down(app_database):
        at = facilitator_app(workshop, "app_pages/live.py")  # a new tab on the facilitator link
        calm(at)
        assert not at.warning  # not "this page is for the facilitator"
        assert (at.query_params[state.Q_WORKSHOP], at.query_params[state.Q_KEY]) == (workshop.code, workshop.key)

    at.run()
    recovered(at)
    assert [t.value for t in at.title] == ["Live control"]
    assert at.session_state[state.FACILITATOR].workshop_id == workshop.workshop.id


def test_a_facilitator_reload_during_an_outage_keeps_the_sign_in(app_database: AppDatabase):
    room = open_scoring_round(service())
    at = facilitator_app(made(room), "app_pages/results.py")
    assert not at.exception

    with database_down(app_database):
        at.run()
        calm(at)

    at.run()
    recovered(at)
    assert [t.value for t in at.title] == ["Results"]


def progress_panel(session, round_id):  # no annotations: AppTest runs this source as a script of its own
    """The live control's self-refreshing progress panel on its own (AppTest.from_function)."""
    from ui.live_widgets import live_progress

    live_progress(session, round_id)


def test_the_live_progress_keeps_its_last_read_and_a_note_during_an_outage(app_database: AppDatabase):
    room = open_scoring_round(service())
    workshop = made(room).workshop
    session = FacilitatorSession(workshop.code, room.key, workshop.id)
    at = AppTest.from_function(progress_panel, args=(session, room.round.id), default_timeout=TIMEOUT).run()
    assert at.metric[0].value == "1"  # joined

    with database_down(app_database):
        at.run()
        assert not at.exception and not at.error
        assert [c.value for c in at.caption if c.value.startswith("⏳")] == [f"⏳ {live_widgets.PROGRESS_NOTE}"]
        assert at.metric[0].value == "1"  # as last read

    at.run()
    recovered(at)


def follow(token, workshop_id, shown):  # no annotations: AppTest runs this source as a script of its own
    """The participant page's poll for the next round on its own (AppTest.from_function)."""
    from ui.participant_widgets import follow_workshop

    follow_workshop(token, workshop_id, shown)


def test_the_participant_poll_notes_an_outage_and_keeps_polling(app_database: AppDatabase):
    room = open_scoring_round(service())
    stage = room.svc.stage(room.round.workshop_id)
    at = AppTest.from_function(follow, args=(room.token, room.round.workshop_id, stage), default_timeout=TIMEOUT)
    at.run()
    recovered(at)

    with database_down(app_database):
        at.session_state[state.LAST_HEARTBEAT] = float("-inf")  # its heartbeat is due too
        room_stage.clear()  # the stage the poll shares with the room has expired: this poll reads the store
        at.run()
        assert not at.exception and not at.error
        assert [c.value for c in at.caption] == [f"⏳ {outage.NOTE}"]

    at.run()
    recovered(at)


def projector(code: str) -> AppTest:
    at = app()
    at.query_params[state.Q_CODE] = code
    return at.switch_page("app_pages/present.py").run()


def test_the_projector_keeps_showing_the_room_through_an_outage(app_database: AppDatabase):
    room = open_scoring_round(service())
    code = made(room).code
    at = projector(code)
    assert code in "".join(m.value for m in at.markdown)

    with database_down(app_database):
        at.run()
        assert not at.exception and not at.error
        assert code in "".join(m.value for m in at.markdown)  # as last shown
        assert [c.value for c in at.caption] == [f"⏳ {present_widgets.PROJECTOR_NOTE}"]

        opened = projector(code)  # a projector opened during the outage
        calm(opened)

    opened.run()
    recovered(opened)
    assert code in "".join(m.value for m in opened.markdown)


@pytest.mark.browser
@pytest.mark.parametrize("app_database", ["postgresql"], indirect=True)
def test_in_chromium_a_reload_during_an_outage_says_so_and_the_page_comes_back_by_itself(
    app_database: AppDatabase, tmp_path: Path
):
    """PostgreSQL only: a SQLite server's pooled connections would go on reading the moved file."""
    room = open_scoring_round(service())
    server = start_server(tmp_path / "unused.sqlite3", {"DATABASE_URL": app_database.url})
    try:
        in_chromium(lambda browser: reload_during_an_outage(browser, server.url, room, app_database))
    finally:
        stop_server(server)


def reload_during_an_outage(browser, url: str, room: OpenRound, database: AppDatabase) -> None:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/vote?p={room.token}")
    wait_for_app(page)
    you = page.get_by_text("You are Ann")
    you.wait_for()

    with database_down(database):
        page.reload()
        page.get_by_text(outage.MESSAGE).wait_for()
        assert_no_errors(page)
        assert you.count() == 0

    you.wait_for(timeout=3_000 * outage.RETRY_SECONDS)  # no reload: the page tries again by itself
    assert page.get_by_text(outage.MESSAGE).count() == 0
    assert_no_errors(page)
    assert page.url.endswith(f"/vote?p={room.token}")
    page.close()
