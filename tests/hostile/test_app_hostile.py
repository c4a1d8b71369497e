"""Hostile requests through the app (AppTest): crafted facilitator and participant URLs, crafted widget
values a modified client could send, and hostile text in every field rendered as text.  The service
refuses, the page says so plainly, nothing changes, and no traceback is shown.  (On SQLite; the same
refusals on PostgreSQL are checked at the service layer, tests/hostile/test_service_hostile.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from tests.app.conftest import app
from tests.deciding import reasons_for
from tests.faults.conftest import AppDatabase
from tests.ui.test_plain import shown
from tests.workshop.conftest import small_setup, snapshot
from ui import state
from ui.ranking_round import add_key, order_key
from ui.scoring import cell_key, grid_key, participant_order
from ui.services import service
from workshop import schema
from workshop.db import get_engine
from workshop.models import (
    CriterionSpec,
    DecisionDraft,
    GroupSpec,
    Participant,
    PrioritySpec,
    RoundKind,
    ShortlistEntry,
    Workshop,
    WorkshopDetails,
    WorkshopSetup,
)
from workshop.service import STALE_TOKEN, WRONG_KEY, WorkshopService
from workshop.throttle import KeyThrottle

FACILITATOR_ONLY = "This page is for the workshop's facilitator"
FACILITATOR_PAGES = ["app_pages/live.py", "app_pages/setup.py", "app_pages/results.py", "app_pages/agree.py"]
SQLITE = pytest.mark.parametrize("app_database", ["sqlite"], indirect=True)


@dataclass(frozen=True)
class Room:
    svc: WorkshopService
    database: AppDatabase
    code: str
    key: str
    ann: Participant
    other_code: str
    other_key: str

    def snapshot(self) -> dict:
        return snapshot(get_engine(self.database.url))


@pytest.fixture
def room(app_database: AppDatabase, monkeypatch: pytest.MonkeyPatch) -> Room:
    """Two workshops and a participant.  The app's waits after wrong keys are switched off (every run of
    a crafted URL checks its key again); tests/hostile/test_throttle.py checks them."""
    monkeypatch.setattr(KeyThrottle, "delay_for", lambda self, failures: 0.0)
    svc = service()
    workshop, key = svc.create_workshop(small_setup())
    other, other_key = svc.create_workshop(small_setup("Another"))
    ann = svc.join(workshop.code, "Ann", "Council")
    return Room(svc, app_database, workshop.code, key, ann, other.code, other_key)


def opened(page: str, **params: str) -> AppTest:
    """The app opened on ``page`` with the URL's query parameters, as a pasted link would."""
    at = app()
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(page).run()
    return at


def every_text(at: AppTest) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "info", "warning", "error", "title") for e in at.get(kind)]


def assert_refused_facilitator(at: AppTest, room: Room) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert state.FACILITATOR not in at.session_state
    assert not [t for t in at.title if t.value == "Live control"]
    assert not any(room.key in text for text in every_text(at))


def crafted_facilitator_urls(room: Room) -> Iterator[dict[str, str]]:
    yield {state.Q_WORKSHOP: room.code}  # no key
    yield {state.Q_WORKSHOP: room.code, state.Q_KEY: "WRONG-WRONG-WRONG-WRONG"}
    yield {state.Q_WORKSHOP: room.code, state.Q_KEY: room.ann.token}  # a participant's token as the key
    yield {state.Q_WORKSHOP: room.code, state.Q_KEY: room.other_key}  # another workshop's key
    yield {state.Q_WORKSHOP: room.other_code, state.Q_KEY: room.key}  # the key with another code
    yield {state.Q_KEY: room.key}  # a key without its code
    yield {state.Q_PARTICIPANT: room.ann.token}  # a participant's own link
    yield {state.Q_WORKSHOP: "A" * 5000, state.Q_KEY: "B" * 5000}
    yield {state.Q_WORKSHOP: "<script>alert(1)</script>", state.Q_KEY: "' OR 1=1 --"}


@SQLITE
def test_crafted_urls_never_reach_the_facilitators_pages(room: Room):
    before = room.snapshot()
    for params in crafted_facilitator_urls(room):
        at = opened("app_pages/live.py", **params)
        assert_refused_facilitator(at, room)
        assert any(FACILITATOR_ONLY in w.value for w in at.warning), params
        if state.Q_KEY in params and state.Q_WORKSHOP in params and len(params[state.Q_WORKSHOP]) == 6:
            assert WRONG_KEY in [e.value for e in at.error], params
    assert room.snapshot() == before


@SQLITE
def test_a_participant_token_as_the_key_opens_no_facilitator_page(room: Room):
    for page in FACILITATOR_PAGES:
        at = opened(page, **{state.Q_WORKSHOP: room.code, state.Q_KEY: room.ann.token})
        assert_refused_facilitator(at, room)
        assert any(FACILITATOR_ONLY in w.value for w in at.warning), page


def test_a_nul_in_the_workshop_code_is_refused_plainly(room: Room):
    """On PostgreSQL this was a DataError, shown as an error on every page, until 07f605e."""
    at = opened("app_pages/live.py", **{state.Q_WORKSHOP: "AB\x00CD", state.Q_KEY: room.key})
    assert_refused_facilitator(at, room)


@SQLITE
def test_crafted_participant_links_are_refused(room: Room):
    with get_engine(room.database.url).connect() as conn:
        token_hash = conn.scalar(select(schema.participants.c.token_hash))
    before = room.snapshot()
    for token in [room.key, room.code, token_hash, room.ann.token + "x", room.ann.token.swapcase(), "x" * 5000]:
        at = opened("app_pages/participate.py", **{state.Q_PARTICIPANT: token})
        assert not at.exception
        assert [e.value for e in at.error] == [STALE_TOKEN]
    assert room.snapshot() == before


# --------------------------------------------------------------------------- crafted widget values


def send_raw(widget: object, string_value: str) -> None:
    """Make the next run send ``string_value`` as the widget's value, as a modified client could.

    AppTest only sends options; Streamlit's radio and selectbox hand any other text to the app as it
    is (a selectbox may accept new options), so the service must refuse it."""

    class Crafted(type(widget)):  # type: ignore[misc]
        @property
        def _widget_state(self) -> WidgetState:
            crafted = WidgetState()
            crafted.id = self.id
            crafted.string_value = string_value
            return crafted

    widget.__class__ = Crafted


def participant(room: Room) -> AppTest:
    return opened("app_pages/participate.py", **{state.Q_PARTICIPANT: room.ann.token})


@SQLITE
@pytest.mark.parametrize("crafted", ["99", "abc", "nan", "1e400", "<b>4</b>"])
def test_a_crafted_score_is_refused_and_nothing_saved(room: Room, crafted: str):
    workshop = room.svc.workshop(room.code)
    rnd = room.svc.open_round(room.key, workshop.rounds[0].id)
    first = participant_order(room.ann.id, rnd)[0]
    key = cell_key(rnd.id, first, workshop.criteria[0].id)
    at = participant(room)
    before = room.snapshot()

    send_raw(at.radio(key=key), crafted)
    at.run()

    assert not at.exception
    assert any("must be a number" in e.value for e in at.error), [e.value for e in at.error]
    assert room.snapshot() == before
    assert at.radio(key=key).value is None  # put back as saved


@SQLITE
def test_a_crafted_table_cell_is_refused_and_nothing_saved(room: Room):
    workshop = room.svc.workshop(room.code)
    rnd = room.svc.open_round(room.key, workshop.rounds[0].id)
    at = participant(room)
    at.segmented_control(key=state.SCORING_VIEW).set_value("table").run()
    before = room.snapshot()

    at.session_state[grid_key(rnd.id)] = {
        "edited_rows": {0: {workshop.criteria[0].name: "99 — <img src=x onerror=alert(1)>"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()

    assert not at.exception
    assert any("is not one of the answers" in e.value for e in at.error), [e.value for e in at.error]
    assert room.snapshot() == before


@SQLITE
def test_a_crafted_ranking_choice_outside_the_round_is_refused(room: Room):
    workshop = room.svc.workshop(room.code)
    in_round = [p.id for p in workshop.priorities[:3]]
    rnd = room.svc.add_round(room.key, workshop.id, RoundKind.RANKING, "Top two", in_round, pick_count=2)
    room.svc.open_round(room.key, rnd.id)
    at = participant(room)
    outside = workshop.priorities[5].name
    before = room.snapshot()

    send_raw(at.selectbox(key=add_key(rnd.id)), outside)
    at.run()

    assert not at.exception
    assert any("not part of" in e.value for e in at.error), [e.value for e in at.error]
    assert room.snapshot() == before
    assert at.session_state[order_key(rnd.id)] == ()  # the choice was taken back


# --------------------------------------------------------------------------- hostile text, shown as text

#: Marks of live markup: none may reach an element that renders HTML.
LIVE_MARKUP = ("<script>alert", "<img src=x")


def text_set(tag: str) -> str:
    return f"<script>alert('{tag}')</script><img src=x onerror=alert('{tag}')>[{tag}](javascript:alert(1))"


def hostile_setup() -> WorkshopSetup:
    """Every text field of a workshop carries script, an event handler and a javascript: link."""
    t = text_set
    return WorkshopSetup(
        details=WorkshopDetails(t("title"), t("organisation"), description=t("description")),
        priorities=tuple(PrioritySpec(f"{n} {t('priority')}", t("theme"), t("desc"), t("evidence")) for n in range(4)),
        criteria=(
            CriterionSpec(t("criterion"), t("criterion description"), descriptors=tuple(t(f"d{n}") for n in range(5))),
            CriterionSpec("=cmd|' /C calc'!A0", "+1", descriptors=("@SUM(A1)", "-1")),
        ),
        groups=(GroupSpec(t("group"), t("group description")),),
        shortlist_size=2,
    )


def decided_hostile_workshop(svc: WorkshopService) -> tuple[Workshop, str, Participant]:
    """``hostile_setup``'s workshop with one participant's round revealed and a shortlist recorded
    (hostile text in the name, the rationale and "decided by" too): (workshop, key, participant)."""
    workshop, key = svc.create_workshop(hostile_setup())
    person = svc.join(workshop.code, text_set("name"), workshop.groups[0].name)
    scoring = svc.open_round(key, workshop.rounds[0].id)
    for priority in workshop.priorities:
        svc.save_score(person.token, scoring.id, priority.id, workshop.criteria[0].id, 4)
    svc.close_round(key, scoring.id)
    svc.reveal_round(key, scoring.id)
    shortlist = tuple(ShortlistEntry(p.id, text_set("why")) for p in workshop.priorities[: workshop.shortlist_size])
    reasons = reasons_for(svc, key, scoring.id, [e.priority_id for e in shortlist], len(shortlist), text_set("why"))
    svc.record_decision(key, workshop.id, DecisionDraft(shortlist, text_set("chair"), reasons, round_id=scoring.id))
    return workshop, key, person


def elements(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def assert_rendered_as_text(at: AppTest) -> None:
    """No exception; no element that renders HTML (st.html, markdown with unsafe_allow_html) carries
    live markup from the data (the app escapes what it puts in its own HTML)."""
    assert not at.exception, [e.message for e in at.exception]
    for element in elements(at._tree):
        proto = getattr(element, "proto", None)
        renders_html = getattr(element, "type", None) == "html" or getattr(proto, "allow_html", False)
        if renders_html:
            assert not any(mark in proto.body for mark in LIVE_MARKUP), proto.body


@SQLITE
def test_hostile_text_in_every_field_is_shown_as_text_on_every_page(room: Room):
    workshop, key, person = decided_hostile_workshop(room.svc)
    facilitator = {state.Q_WORKSHOP: workshop.code, state.Q_KEY: key}

    for page, params in [
        ("app_pages/participate.py", {state.Q_PARTICIPANT: person.token}),
        ("app_pages/present.py", {state.Q_CODE: workshop.code}),
        ("app_pages/present.py", {state.Q_CODE: text_set("code")}),
        ("app_pages/join.py", {state.Q_CODE: workshop.code}),
        ("app_pages/live.py", facilitator),
        ("app_pages/setup.py", facilitator),
        ("app_pages/results.py", facilitator),
        ("app_pages/agree.py", facilitator),
    ]:
        at = opened(page, **params)
        assert_rendered_as_text(at)


@SQLITE
def test_the_projector_shows_no_names_or_individual_answers(room: Room):
    svc = room.svc
    workshop = svc.workshop(room.code)
    bob = svc.join(room.code, "Bob Unique-Name", "NHS")
    scoring = svc.open_round(room.key, workshop.rounds[0].id)
    for person, value in ((room.ann, 1), (bob, 5)):
        svc.save_score(person.token, scoring.id, workshop.priorities[0].id, workshop.criteria[0].id, value)
    svc.close_round(room.key, scoring.id)
    svc.reveal_round(room.key, scoring.id)

    at = opened("app_pages/present.py", **{state.Q_CODE: room.code})

    assert not at.exception
    shown = " ".join(every_text(at))
    for element in elements(at._tree):
        shown += " " + str(getattr(getattr(element, "proto", None), "body", ""))
    assert "Bob Unique-Name" not in shown and "Ann" not in shown and "Council" not in shown


# --------------------------------------------------------------------------- markdown in people's text (issue 14)

#: Display names a participant could type to put an image, a link or formatting on the facilitator's screen.
MARKDOWN_NAMES = (
    "![t](https://attacker.example/p.png)",
    "[re-enter key](https://phish.example)",
    "<img src=x> &lt;b&gt;",
    "`c` **b** :red[x] $m$",
    "# Head",
)


def markdown_bodies(at: AppTest) -> list[str]:
    """The source of every element Streamlit renders as markdown (st.text and st.code show theirs as is)."""
    return [
        element.proto.body
        for element in elements(at._tree)
        if getattr(element, "type", None) not in ("text", "code") and hasattr(getattr(element, "proto", None), "body")
    ]


@SQLITE
def test_markdown_in_a_display_name_shows_as_typed_on_the_live_page(room: Room):
    """The names of those who have not started are listed under the progress table (st.caption, markdown):
    each shows as the characters typed, with no image, link or formatting made from it."""
    svc = room.svc
    svc.open_round(room.key, svc.workshop(room.code).rounds[0].id)
    for name in MARKDOWN_NAMES:
        svc.join(room.code, name, "Council")

    at = opened("app_pages/live.py", **{state.Q_WORKSHOP: room.code, state.Q_KEY: room.key})

    assert not at.exception
    bodies = markdown_bodies(at)
    assert not [b for b in bodies if "![t](" in b or "[re-enter key](" in b], "an image or a link reached markdown"
    (listed,) = [b.removeprefix("Not started: ").removesuffix(".") for b in bodies if b.startswith("Not started: ")]
    assert shown(listed) == (", ".join(["Ann", *MARKDOWN_NAMES]), set())  # literal: every syntax mark escaped


@SQLITE
def test_markdown_in_a_display_name_shows_as_typed_on_the_participants_page(room: Room):
    person = room.svc.join(room.code, MARKDOWN_NAMES[0], "Council")
    at = opened("app_pages/participate.py", **{state.Q_PARTICIPANT: person.token})
    assert not at.exception
    assert any(MARKDOWN_NAMES[0] in shown(b)[0] for b in markdown_bodies(at))
    assert not [b for b in markdown_bodies(at) if "![t](" in b]
