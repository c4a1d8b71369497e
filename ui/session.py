"""Who this browser tab is: a facilitator (code + key), a participant
(token) or a visitor.  Identity comes from the URL so a reload, a closed lid
or a new tab resumes where it was; it is checked by the service, never
trusted from session state alone."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from ui import outage, state
from ui.plain import md
from ui.services import service
from workshop.errors import WorkshopError
from workshop.models import Participant, Workshop
from workshop.security import clean_code

log = logging.getLogger("prioritise.ui")


#: The participant's pages (url paths), read on a laptop or a phone.
READING_PAGES = frozenset({"join", "vote"})


def page_layout(url_path: str) -> Literal["centered", "wide"]:
    """A centred reading column for the participant's pages (except the scoring table, which
    wants the width); the whole width for the facilitator's pages and the projector.

    The layout, not containers inside a wide page, makes the column: every container an
    ``st.fragment`` sits in is deep-copied each time the fragment is drawn or rerun, and a
    participant's answer is a fragment rerun (bench/RESULTS.md)."""
    table = st.session_state.get(state.SCORING_VIEW) == state.TABLE_VIEW
    return "centered" if url_path in READING_PAGES and not table else "wide"


@dataclass(frozen=True)
class FacilitatorSession:
    code: str
    key: str
    workshop_id: int

    @property
    def query(self) -> dict[str, str]:
        """Query parameters that reopen the facilitator's pages."""
        return {state.Q_WORKSHOP: self.code, state.Q_KEY: self.key}


def sign_in_facilitator(code: str, key: str) -> FacilitatorSession:
    """Check the key with the service and remember it in this tab.

    Raises the service's WorkshopError (unknown code, wrong key)."""
    workshop = service().check_key(code, key)
    session = FacilitatorSession(workshop.code, key, workshop.id)
    st.session_state[state.FACILITATOR] = session
    return session


@dataclass(frozen=True)
class Refusal:
    """The service's answer to the link's code and key, kept so the key is
    checked (and throttled) once, not on every call, and said once."""

    code: str
    key: str
    message: str


def facilitator() -> FacilitatorSession | None:
    """This tab's facilitator session, from session state or the URL (quietly:
    ``require_facilitator`` says why a link was refused)."""
    params = st.query_params
    code, key = params.get(state.Q_WORKSHOP), params.get(state.Q_KEY)
    current = st.session_state.get(state.FACILITATOR)
    if code and key and (current is None or (current.code, current.key) != (code.upper(), key)):
        refused = st.session_state.get(state.FACILITATOR_REFUSAL)
        if refused is not None and (refused.code, refused.key) == (code, key):
            return None
        try:
            current = sign_in_facilitator(code, key)
        except WorkshopError as error:
            st.session_state[state.FACILITATOR_REFUSAL] = Refusal(code, key, error.message)
            st.session_state.pop(state.FACILITATOR, None)
            return None
    if current is not None:
        params[state.Q_WORKSHOP], params[state.Q_KEY] = current.code, current.key
    return current


def facilitator_code() -> str | None:
    """The join code of the workshop whose facilitator this tab is (None: no facilitator's menu).

    While the database is not answering the key cannot be checked, so a tab
    whose link carries a code and key keeps the menu; each page still checks
    for itself (and says the database is not answering)."""

    def signed_in() -> str | None:
        session = facilitator()
        return session.code if session is not None else None

    def from_link() -> str | None:
        code, key = st.query_params.get(state.Q_WORKSHOP), st.query_params.get(state.Q_KEY)
        return clean_code(code) if code and key else None

    return outage.unless_down(signed_in, from_link)


def show_refusal() -> None:
    """Say why this tab's facilitator link was refused, if it was."""
    refused = st.session_state.get(state.FACILITATOR_REFUSAL)
    link = (st.query_params.get(state.Q_WORKSHOP), st.query_params.get(state.Q_KEY))
    if refused is not None and (refused.code, refused.key) == link:
        st.error(refused.message)


def require_facilitator() -> FacilitatorSession:
    """The facilitator session, or a clear message and stop."""
    session = facilitator()
    if session is None:
        show_refusal()
        st.warning("This page is for the workshop's facilitator. Open your facilitator link, or start again.")
        st.page_link("app_pages/start.py", label="Go to the start page", icon="🏠")
        st.stop()
    return session


def participant_token() -> str | None:
    token = st.query_params.get(state.Q_PARTICIPANT) or st.session_state.get(state.PARTICIPANT_TOKEN)
    if token:
        st.session_state[state.PARTICIPANT_TOKEN] = token
        st.query_params[state.Q_PARTICIPANT] = token
    return token


def require_participant() -> tuple[Participant, Workshop]:
    """The participant this tab belongs to (and their workshop), or a clear message and stop."""
    token = participant_token()
    if not token:
        st.info("Join the workshop with the code on the screen.")
        st.page_link("app_pages/join.py", label="Join a workshop", icon="🙋")
        st.stop()
    try:
        participant = service().resume(token)
        workshop = service().workshop_by_id(participant.workshop_id)
    except WorkshopError as error:
        st.session_state.pop(state.PARTICIPANT_TOKEN, None)
        st.error(error.message)
        st.page_link("app_pages/join.py", label="Join again", icon="🙋")
        st.stop()
    return participant, workshop


@contextmanager
def guard(action: str = "That") -> Iterator[None]:
    """Show a refused request's message, or a plain apology for a bug; never a traceback.

    The service changes nothing when it refuses, so the message can say so.
    A database outage is not a bug: it passes through to ``ui.outage``'s
    handler around the page or fragment, which says so and tries again.
    """
    try:
        yield
    except WorkshopError as error:  # its message may quote what a facilitator or participant typed
        st.error(md(error.message))
        for problem in error.problems:
            st.markdown(f"- {md(problem)}")
    except Exception as error:
        if outage.is_outage(error):
            raise
        log.exception("%s failed", action)
        st.error(f"{action} did not work because of a fault on our side; nothing was changed. Please try again.")
