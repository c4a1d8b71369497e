"""Fixtures for the AppTest tests of the pages.

Each test gets its own SQLite file (``PRIORITISE_DB_PATH``, set before the
app's cached service is first created) and a fresh cached service; the
app under test and the test itself share that one service, as every
session of a real server does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import state
from ui.services import service
from workshop.db import dispose_engines
from workshop.imports import sample_setup
from workshop.models import Workshop
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
