"""The start page's parts: create a workshop (sample, upload, blank), show
the new facilitator key once, sign in to an existing workshop, and send a
participant who landed here to the join page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import streamlit as st

from ui import state
from ui.plain import md
from ui.qr import app_base_url, page_url
from ui.services import service
from ui.session import FacilitatorSession, guard, sign_in_facilitator
from ui.setup_widgets import show_row_errors
from workshop.imports import parse_criteria, parse_groups, parse_priorities, sample_setup
from workshop.models import DEFAULT_SHORTLIST_SIZE, WorkshopDetails, WorkshopSetup
from workshop.security import clean_code

UPLOAD_TYPES = ["csv", "xlsx"]


@dataclass(frozen=True)
class CreatedWorkshop:
    """A workshop created in this tab, with the key to show once (``state.NEW_KEY``)."""

    code: str
    title: str
    key: str
    notes: tuple[str, ...] = ()  # what the import assumed, e.g. the criteria's scale


@dataclass(frozen=True)
class SignIn:
    code: str
    key: str


def parse_sign_in(link_or_code: str, key: str) -> SignIn | None:
    """A facilitator link (``...?w=CODE&k=KEY``) or a code with the key typed
    separately; None when either part is missing."""
    text = link_or_code.strip()
    query = parse_qs(urlsplit(text).query) if "?" in text else {}
    if query.get(state.Q_WORKSHOP) and query.get(state.Q_KEY):
        return SignIn(query[state.Q_WORKSHOP][0].strip(), query[state.Q_KEY][0].strip())
    if text and key.strip() and "?" not in text:
        return SignIn(text, key.strip())
    return None


def facilitator_link(code: str, key: str) -> str:
    return page_url(app_base_url(""), "", {state.Q_WORKSHOP: code, state.Q_KEY: key})


def sample_description() -> str:
    sample = sample_setup()
    return (
        f"{sample.details.organisation}: agree {sample.shortlist_size} priorities from {len(sample.priorities)} "
        f"candidates, scored on {len(sample.criteria)} criteria by {len(sample.groups)} stakeholder groups. "
        "Illustrative data only."
    )


def _signed_in(session: FacilitatorSession) -> None:
    """Put the facilitator's identity in the URL and rerun, so the menu appears."""
    st.query_params.clear()
    st.query_params.update(session.query)
    st.rerun()


def _create(setup: WorkshopSetup, notes: tuple[str, ...] = ()) -> None:
    """Create the workshop, sign in to it and keep its key (and the import's notes) to show once."""
    workshop, key = service().create_workshop(setup)
    session = sign_in_facilitator(workshop.code, key)
    st.session_state[state.NEW_KEY] = CreatedWorkshop(workshop.code, workshop.title, key, notes)
    _signed_in(session)


def create_section() -> None:
    st.subheader("Create a workshop")
    weighting = st.checkbox(
        "Begin with a weighting round (participants share 100 points across the criteria)",
        key=state.START_WEIGHTING_ROUND,
    )
    sample, upload, blank = st.tabs(["Sample workshop", "From a spreadsheet", "Blank"])
    with sample:
        st.write(sample_description())
        if st.button("Create the sample workshop", key=state.START_CREATE_SAMPLE, type="primary"):
            with guard("Creating the sample workshop"):
                _create(sample_setup(weighting_round=weighting))
    with upload:
        _upload_form(weighting)
    with blank:
        title = st.text_input("Workshop title", key=state.START_BLANK_TITLE, max_chars=200)
        st.caption("Add priorities, criteria and groups on the Setup page.")
        if st.button("Create a blank workshop", key=state.START_CREATE_BLANK):
            with guard("Creating the workshop"):
                _create(WorkshopSetup(WorkshopDetails(title), weighting_round=weighting))


NO_GROUPS_FILE = (
    "Without a groups file the workshop has **no stakeholder groups**: participants are not asked which group "
    "they belong to, and the analyses by group (groups counted equally, where groups disagree) stay empty. "
    "You can add groups on the Setup page until the first round opens."
)


def _upload_form(weighting: bool) -> None:
    st.write(
        "A CSV or Excel file of priorities with a **priority** column and optional **theme**, **description** "
        "and **evidence** columns; optionally a file of criteria (**criterion**, **weight**, **direction**, "
        "**min**, **max**, **description**, **descriptor_1**, …) and a file of stakeholder groups "
        "(**group**, **description**)."
    )
    title = st.text_input("Workshop title", key=state.START_UPLOAD_TITLE, max_chars=200)
    priorities_file = st.file_uploader("Priorities (CSV or XLSX)", type=UPLOAD_TYPES, key=state.START_PRIORITIES_FILE)
    criteria_file = st.file_uploader(
        "Criteria (CSV or XLSX, optional)", type=UPLOAD_TYPES, key=state.START_CRITERIA_FILE
    )
    groups_file = st.file_uploader(
        "Stakeholder groups (CSV or XLSX, optional)", type=UPLOAD_TYPES, key=state.START_GROUPS_FILE
    )
    if groups_file is None:
        st.info(NO_GROUPS_FILE)
    if not st.button("Create from these files", key=state.START_CREATE_UPLOAD):
        return
    if priorities_file is None:
        st.error("Choose a file of priorities first.")
        return
    chosen = (
        ("priorities", priorities_file, parse_priorities),
        ("criteria", criteria_file, parse_criteria),
        ("groups", groups_file, parse_groups),
    )
    parsed = {what: parse(file.getvalue(), file.name) for what, file, parse in chosen if file is not None}
    for what, file, _ in chosen:
        if file is not None:
            show_row_errors(f"{what} file '{file.name}'", parsed[what].errors)
    if not all(result.ok for result in parsed.values()):
        st.info("No workshop was created. Fix the rows listed and upload the files again.")
        return
    with guard("Creating the workshop"):
        n = len(parsed["priorities"].items)
        _create(
            WorkshopSetup(
                WorkshopDetails(title),
                priorities=parsed["priorities"].items,
                criteria=parsed["criteria"].items if "criteria" in parsed else (),
                groups=parsed["groups"].items if "groups" in parsed else (),
                shortlist_size=min(DEFAULT_SHORTLIST_SIZE, n) if n else DEFAULT_SHORTLIST_SIZE,
                weighting_round=weighting,
            ),
            tuple(note for result in parsed.values() for note in result.notes),
        )


def new_key_panel(created: CreatedWorkshop) -> None:
    """The facilitator key, once, with the link that carries it."""
    st.success(f"Workshop **{md(created.title)}** created. Its join code is **{created.code}**.")
    for note in created.notes:
        st.info(note)
    st.warning(
        "**Save your facilitator key now: it cannot be shown again.** Only a scrambled copy is stored, "
        "so nobody (not even an administrator) can look it up. Without it you cannot run or change this workshop.",
        icon="🔑",
    )
    st.markdown("**Facilitator key** (use the copy button on the right)")
    st.code(created.key, language=None)
    st.markdown("**Facilitator link**: opens this workshop's facilitator pages; keep it private.")
    st.code(facilitator_link(created.code, created.key), language=None, wrap_lines=True)
    if st.button("I have saved the key", key=state.START_KEY_SAVED, type="primary"):
        st.session_state.pop(state.NEW_KEY, None)
        st.rerun()


def next_steps(session: FacilitatorSession) -> None:
    """Where a signed-in facilitator goes next."""
    workshop = service().workshop_by_id(session.workshop_id, session.key)
    st.info(f"You are the facilitator of **{md(workshop.title)}** (join code **{workshop.code}**).")
    setup, live = st.columns(2)
    setup.page_link("app_pages/setup.py", label="Set up the workshop", icon="🛠️", query_params=session.query)
    live.page_link("app_pages/live.py", label="Run it live", icon="🎛️", query_params=session.query)


def sign_in_section() -> None:
    st.subheader("Open your workshop")
    with st.form("start_sign_in_form", border=False):
        link = st.text_input(
            "Facilitator link, or the workshop's join code",
            key=state.START_SIGN_IN_LINK,
            placeholder="https://…/?w=ABC234&k=… or ABC234",
        )
        key = st.text_input("Facilitator key (not needed with the link)", key=state.START_SIGN_IN_KEY, type="password")
        submitted = st.form_submit_button("Open", key=state.START_SIGN_IN)
    if not submitted:
        return
    sign_in = parse_sign_in(link, key)
    if sign_in is None:
        st.error("Paste your facilitator link, or give the join code and the facilitator key.")
        return
    with guard("Signing in"):
        _signed_in(sign_in_facilitator(sign_in.code, sign_in.key))


def join_section() -> None:
    st.subheader("Taking part?")
    with st.form("start_join_form", border=False):
        code = st.text_input("Join code from the screen", key=state.START_JOIN_CODE, max_chars=20)
        submitted = st.form_submit_button("Join the workshop")
    if submitted:
        if not clean_code(code):
            st.error("Type the join code shown on the screen.")
        else:
            st.switch_page("app_pages/join.py", query_params={state.Q_CODE: clean_code(code)})
