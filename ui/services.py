"""Process-wide resources: one WorkshopService (and so one SQLAlchemy engine)
per server process, shared by every session.  The service is thread-safe:
it holds no per-request state and opens a connection per call."""

from __future__ import annotations

import streamlit as st

from workshop.config import Settings
from workshop.models import Stage, Workshop
from workshop.service import WorkshopService

#: How old a workshop's stage may be when a page compares it: see ``room_stage``.
STAGE_SECONDS = 2


@st.cache_resource(show_spinner=False)
def service() -> WorkshopService:
    return WorkshopService.from_settings(Settings.from_env())


@st.cache_resource(ttl=STAGE_SECONDS, max_entries=1000, show_spinner=False)
def room_stage(workshop_id: int) -> Stage:
    """The workshop's stage (current round, its state, latest decision), read from the store at
    most once every STAGE_SECONDS by this process however many participants ask.

    Every participant's page polls it (ui.participant_widgets.follow_workshop): in a room of 300,
    30 reads a second became one.  It decides only *when* a page redraws itself, never what it
    shows, so a stage up to STAGE_SECONDS old delays a redraw by as much, and no more.  (Stage is
    frozen: sharing one object between sessions is safe.)"""
    return service().stage(workshop_id)


@st.cache_resource(ttl=STAGE_SECONDS, max_entries=100, show_spinner=False)
def joinable_workshop(code: str) -> Workshop:
    """The workshop a join code names, for the join page only (its title and groups), read at most
    once every STAGE_SECONDS per code by this process.  A room joins at once: each join runs the
    join page two or three times, and loading the whole workshop each time was 8% of the
    server's work while 300 people joined in half a minute (bench/RESULTS.md).  An unknown code
    is a NotFound, which is never cached."""
    return service().workshop(code)
