"""Process-wide resources: one WorkshopService (and so one SQLAlchemy engine)
per server process, shared by every session.  The service is thread-safe:
it holds no per-request state and opens a connection per call."""

from __future__ import annotations

import streamlit as st

from workshop.config import Settings
from workshop.service import WorkshopService


@st.cache_resource(show_spinner=False)
def service() -> WorkshopService:
    return WorkshopService.from_settings(Settings.from_env())
