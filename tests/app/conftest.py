"""Fixtures for the AppTest tests of the pages.

Each test gets its own SQLite file (``PRIORITISE_DB_PATH``, set before the
app's cached service is first created) and a fresh cached service; the
app under test and the test itself share that one service, as every
session of a real server does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ranking.simulate import simulate_allocations, simulate_room
from ui import state
from ui.plain import WORD_JOINER
from ui.services import service
from workshop.db import dispose_engines
from workshop.imports import sample_setup
from workshop.models import CriterionPoints, RoundKind, ScoreEntry, Workshop
from workshop.service import WorkshopService

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 30


@pytest.fixture
def svc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WorkshopService]:
    """The app's service, on a fresh SQLite file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PRIORITISE_DB_PATH", str(tmp_path / "app.sqlite3"))
    service.clear()
    yield service()
    service.clear()
    dispose_engines()


@dataclass(frozen=True)
class Made:
    workshop: Workshop
    key: str

    @property
    def code(self) -> str:
        return self.workshop.code


@pytest.fixture
def sample(svc: WorkshopService) -> Made:
    """The sample workshop (32 priorities, 5 criteria, groups), no rounds opened."""
    workshop, key = svc.create_workshop(sample_setup())
    return Made(workshop, key)


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def facilitator_app(made: Made, page: str | None = None) -> AppTest:
    """The app opened with the facilitator link, on ``page`` (a path under app_pages/) if given."""
    at = app()
    at.query_params[state.Q_WORKSHOP] = made.code
    at.query_params[state.Q_KEY] = made.key
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def results_app(made: Made, round_id: int, tab: str) -> AppTest:
    """The Results page on ``tab`` with the round chosen from its list, as the facilitator; no
    exception and no error shown."""
    at = facilitator_app(made)
    at.query_params[state.RESULTS_TAB] = tab
    at.switch_page("app_pages/results.py").run()
    at.selectbox(key=state.RESULTS_ROUND).set_value(round_id).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def participant_app(token: str) -> AppTest:
    """The app opened with a participant's link (/vote?p=TOKEN), as a new tab or a reload would."""
    at = app()
    at.query_params[state.Q_PARTICIPANT] = token
    at.run()
    at.switch_page("app_pages/participate.py").run()
    return at


def join_app(code: str | None = None) -> AppTest:
    """The join page, opened from the join link (/join?code=CODE) or, without a code, by hand."""
    at = app()
    if code is not None:
        at.query_params[state.Q_CODE] = code
    at.run()
    at.switch_page("app_pages/join.py").run()
    return at


# --------------------------------------------------------------------------- a room that has answered
# (results and agreement pages)

#: The simulated room: 12 participants (two from each of the sample's six groups), seeded.
ROOM_SIZE = 12
ROOM_SEED = 2011


@dataclass(frozen=True)
class Answered:
    """The sample workshop after a closed weighting round and a closed scoring round."""

    made: Made
    weighting_round: int
    scoring_round: int


def fill_room(
    svc: WorkshopService, participants: int = ROOM_SIZE, seed: int = ROOM_SEED, shortlist_size: int | None = None
) -> Answered:
    """Create the sample workshop (with a weighting round; ``shortlist_size``
    places if given), let a simulated room (``ranking.simulate``, seeded) join
    in its groups, allocate points and score every priority, all through the
    service; both rounds end closed."""
    setup = sample_setup(weighting_round=True)
    if shortlist_size is not None:
        setup = replace(setup, shortlist_size=shortlist_size)
    workshop, key = svc.create_workshop(setup)
    weighting = next(r for r in workshop.rounds if r.kind is RoundKind.WEIGHTING)
    scoring = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    rng = np.random.default_rng(seed)
    room = simulate_room(
        workshop.priorities,  # a stored priority or criterion is an engine one
        workshop.criteria,
        [g.name for g in workshop.groups],
        participants,
        rng,
    )
    points = simulate_allocations(workshop.criteria, room.groups, rng)
    people = [svc.join(workshop.code, name, group) for name, group in zip(room.participants, room.groups, strict=True)]
    svc.open_round(key, weighting.id)
    for person, row in zip(people, points, strict=True):
        allocation = [CriterionPoints(c.id, int(n)) for c, n in zip(workshop.criteria, row, strict=True)]
        svc.save_allocation(person.token, weighting.id, allocation)
    svc.close_round(key, weighting.id)
    svc.open_round(key, scoring.id)
    for person, scores in zip(people, room.scores, strict=True):
        entries = [
            ScoreEntry(priority.id, criterion.id, None if np.isnan(value) else float(value))
            for priority, row in zip(workshop.priorities, scores, strict=True)
            for criterion, value in zip(workshop.criteria, row, strict=True)
        ]
        svc.save_scores(person.token, scoring.id, entries)
    svc.close_round(key, scoring.id)
    return Answered(Made(svc.workshop_by_id(workshop.id), key), weighting.id, scoring.id)


@pytest.fixture
def answered(svc: WorkshopService) -> Answered:
    """The answered sample workshop in the app's (fresh) database."""
    return fill_room(svc)


def unescaped(text: str) -> str:
    """What a reader sees of text escaped by ``ui.plain.md``: its backslash escapes read, its word joiners
    (invisible) left out.  Text that was not escaped is unchanged."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace(WORD_JOINER, ""))


def error_texts(at: AppTest) -> list[str]:
    """The page's error boxes as a reader sees them (a refusal's message is escaped: it may quote typed text)."""
    return [unescaped(e.value) for e in at.error]
