"""The live control panel's parts: links to share, the rounds and their
state changes, the room's progress (refreshing by itself), a round timer and
the follow-up round on a shortlist.

The progress panel is an ``st.fragment`` that reruns every few seconds on
its own.  It asks the service for the cheap change counter each time and
reloads the progress only when the counter moved, or every
``PRESENCE_REFRESH`` (heartbeats update "last seen" without moving the
counter, so presence is refreshed on a slower clock); the relative times
("2 min ago") and the timer are recomputed on every refresh.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from ranking.readings import suggest_followup, suggested_size
from ui import analysis, outage, state
from ui.analysis import Target
from ui.consultation_widgets import consultation_controls
from ui.feedback_widgets import feedback_inputs, round_feedback_editor
from ui.plain import md
from ui.qr import app_base_url, page_url
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import done
from workshop.ballot import BALLOT_QUESTION
from workshop.errors import NoResultsYet
from workshop.models import (
    ParticipantProgress,
    Progress,
    ProgressStatus,
    Round,
    RoundKind,
    RoundState,
    Workshop,
)

REFRESH_SECONDS = 3
PRESENCE_REFRESH = 20.0  # seconds between progress reloads when nothing changed
STUCK_AFTER = timedelta(minutes=2)
PROGRESS_NOTE = "The workshop's database is not answering just now: the progress below will update when it is back."

STATE_BADGES = {
    RoundState.DRAFT: "⚪ Not opened yet",
    RoundState.OPEN: "🟢 Open: participants are answering",
    RoundState.CLOSED: "🟠 Closed: results hidden from the room",
    RoundState.REVEALED: "🔵 Results revealed",
}
KIND_NOTES = {
    RoundKind.WEIGHTING: "share 100 points across the criteria",
    RoundKind.SCORING: "score each priority on each criterion",
    RoundKind.RANKING: "rank the priorities",
}
BALLOT_NOTE = "answer one plain question about each priority (a young people's ballot: no names)"
BALLOT_HELP = (
    "One priority per screen on a phone, shown by its plain title and sentence, with one question "
    f"(“{BALLOT_QUESTION}”) and worded answers. It asks for no name and keeps only the group chosen. "
    "Its results are ranked like any scoring round's, on one criterion. On a ranking round with a top N "
    "(at most 12 priorities) it asks them to pick their top N on one screen, tallied as any ranking."
)


# --------------------------------------------------------------------------- pure helpers


def relative_time(then: datetime, now: datetime) -> str:
    """'just now', '40 s ago', '2 min ago', '3 h ago'."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 10:
        return "just now"
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def is_stuck(row: ParticipantProgress, now: datetime) -> bool:
    """Started but not seen for a while: lost Wi-Fi, closed the lid, or puzzled."""
    return row.status is ProgressStatus.IN_PROGRESS and now - row.last_seen > STUCK_AFTER


def percent_answered(progress: Progress) -> float:
    return 100 * progress.answered / progress.total if progress.total else 0.0


def progress_table(progress: Progress, now: datetime) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Participant": [p.label for p in progress.participants],
            "Status": ["stuck?" if is_stuck(p, now) else p.status.value for p in progress.participants],
            "Progress": [100 * p.answered / p.total if p.total else 0.0 for p in progress.participants],
            "Answered": [f"{p.answered}/{p.total}" for p in progress.participants],
            "Last seen": [relative_time(p.last_seen, now) for p in progress.participants],
            "Group": [p.group or "" for p in progress.participants],
        }
    )


@dataclass(frozen=True)
class RoundTimer:
    round_id: int
    ends_at: datetime

    def remaining(self, now: datetime) -> timedelta:
        return max(self.ends_at - now, timedelta(0))


def timer_text(timer: RoundTimer, now: datetime) -> str:
    left = int(timer.remaining(now).total_seconds())
    return "Time is up" if left == 0 else f"{left // 60}:{left % 60:02d} left"


# --------------------------------------------------------------------------- links


def share_links(workshop: Workshop) -> None:
    base = app_base_url("live")
    join = page_url(base, "join", {state.Q_CODE: workshop.code})
    code, links = st.columns([1, 3])
    code.metric("Join code", workshop.code)
    with links:
        st.markdown("**Join link for participants**")
        st.code(join, language=None, wrap_lines=True)
        st.link_button(
            "Open the projector view",
            page_url(base, "present", {state.Q_CODE: workshop.code}),
            icon="📽️",
            help="Opens in a new tab: show it on the projector. It shows no facilitator controls.",
        )


# --------------------------------------------------------------------------- rounds


def _act(session: FacilitatorSession, rnd: Round, action: str) -> None:
    calls = {
        "open": (service().open_round, f"{rnd.short_label} is open."),
        "close": (service().close_round, f"{rnd.short_label} is closed."),
        "reveal": (service().reveal_round, f"{rnd.short_label}'s results are revealed."),
        "reopen": (service().reopen_round, f"{rnd.short_label} is open again."),
    }
    call, message = calls[action]
    with guard(f"Changing {rnd.short_label}"):
        call(session.key, rnd.id)
        done(message)


def _confirmed(label: str, warning: str, key: str) -> bool:
    """A button behind a popover that says what the action does.

    Each popover has its own key: without one, the "Close" popover drawn where
    "Open" was inherits its open state, and the first click only closes it."""
    with st.popover(label, key=f"{key}-popover"):
        st.write(warning)
        return st.button(f"Yes, {label.lower()}", key=key, type="primary")


@dataclass(frozen=True)
class _Action:
    name: str  # what ``_act`` does, and the end of the button's key
    label: str
    warning: str | None = None  # asked first in a popover, or None: a plain button


def _actions(workshop: Workshop, rnd: Round) -> tuple[_Action, ...]:
    """The state changes that make sense now, in the order they are drawn."""
    if rnd.state is RoundState.DRAFT:
        locks = (
            "Opening the first round **locks the setup for good**: priorities, criteria, scales and groups "
            "can no longer change."
        )
        return (_Action("open", "Open", None if workshop.setup_locked else locks),)
    if rnd.state is RoundState.OPEN:
        close = "Participants will no longer be able to change their answers (you can reopen the round)."
        return (_Action("close", "Close", close),)
    hides = (
        ", and the results are hidden from them until you reveal again." if rnd.state is RoundState.REVEALED else "."
    )
    reopen = _Action("reopen", "Reopen", "Participants will be able to change their answers again" + hides)
    if rnd.state is RoundState.CLOSED:
        return (_Action("reveal", "Reveal results"), reopen)
    return (reopen,)


def round_actions(session: FacilitatorSession, workshop: Workshop, rnd: Round) -> None:
    """The state changes that make sense now; the irreversible-feeling ones ask first."""
    act = f"{state.LIVE_ACTION_}{rnd.id}_"
    confirm = f"{state.LIVE_CONFIRM_}{rnd.id}_"
    columns = iter(st.columns(3))
    for action in _actions(workshop, rnd):
        with next(columns):
            if action.warning is None:
                clicked = st.button(action.label, key=act + action.name, type="primary")
            else:
                clicked = _confirmed(action.label, action.warning, confirm + action.name)
        if clicked:
            _act(session, rnd, action.name)
    if rnd.state in (RoundState.CLOSED, RoundState.REVEALED) and rnd.kind is RoundKind.WEIGHTING:
        with next(columns):
            adopt = st.button(
                "Use the room's weights",
                key=f"{state.LIVE_ADOPT_}{rnd.id}",
                help="Make the room's average allocation the criteria's weights (recorded in the audit log).",
            )
        if adopt:
            with guard("Adopting the room's weights"):
                service().adopt_room_weights(session.key, rnd.id)
                done("The criteria now carry the room's weights.")


NO_GROUPS = (
    "This workshop has **no stakeholder groups**: participants will not be asked their group when they join, "
    "and every analysis by group (groups counted equally, where groups disagree) will be empty. "
    "Add groups on the Setup page before you open the first round: opening it locks the setup."
)


def no_groups_warning(session: FacilitatorSession, workshop: Workshop) -> None:
    """Said before the first round opens (afterwards groups can no longer be added)."""
    if workshop.groups or workshop.setup_locked:
        return
    st.warning(NO_GROUPS, icon="👥")
    st.page_link("app_pages/setup.py", label="Add groups in Setup", icon="🛠️", query_params=session.query)


def rounds_list(session: FacilitatorSession, workshop: Workshop) -> None:
    no_groups_warning(session, workshop)
    if not workshop.rounds:
        st.info("No rounds yet: add one below.")
    for rnd in workshop.rounds:
        with st.container(border=True):
            st.markdown(f"**{rnd.labelled(md(rnd.title))}**  \n{STATE_BADGES[rnd.state]}")
            what = BALLOT_NOTE if rnd.young_ballot and rnd.kind is RoundKind.SCORING else KIND_NOTES[rnd.kind]
            what += " (a young people's ballot: no names)" if rnd.young_ballot and rnd.kind is RoundKind.RANKING else ""
            if rnd.kind is not RoundKind.WEIGHTING:
                count = f"{len(rnd.priority_ids)} priorities"
                what += f" ({count}" + (f", pick the top {rnd.pick_count})" if rnd.pick_count else ")")
            st.caption(f"Participants {what}.")
            round_actions(session, workshop, rnd)
            round_feedback_editor(session, workshop, rnd)
            consultation_controls(session, workshop, rnd)


def add_round_form(session: FacilitatorSession, workshop: Workshop) -> None:
    with st.expander("Add a round"):
        kind = st.radio(
            "Kind",
            list(RoundKind),
            format_func=lambda k: f"{k.value.capitalize()}: {KIND_NOTES[k]}",
            key=state.LIVE_NEW_ROUND_KIND,
        )
        title = st.text_input("Title", key=state.LIVE_NEW_ROUND_TITLE, max_chars=200)
        names = {p.id: p.name for p in workshop.priorities}
        chosen: Sequence[int] = ()
        pick = 0
        if kind is not RoundKind.WEIGHTING:
            chosen = st.multiselect(
                "Priorities",
                list(names),
                default=list(names),
                format_func=names.__getitem__,
                key=state.LIVE_NEW_ROUND_PRIORITIES,
            )
        if kind is RoundKind.RANKING:
            pick = st.number_input(
                "Pick the top N (0 = rank them all)",
                min_value=0,
                max_value=max(len(chosen), 1),
                value=0,
                step=1,
                key=state.LIVE_NEW_ROUND_PICK,
            )
        ballot = kind is not RoundKind.WEIGHTING and st.checkbox(
            "Young people's ballot",
            key=state.LIVE_NEW_ROUND_BALLOT,
            help=BALLOT_HELP,
        )
        if st.button("Add the round", key=state.LIVE_ADD_ROUND):
            with guard("Adding the round"):
                rnd = service().add_round(
                    session.key, session.workshop_id, kind, title, chosen, int(pick) or None, young_ballot=ballot
                )
                done(f"{rnd.label} added.")


def focus_round(workshop: Workshop) -> Round | None:
    """The round whose progress to watch: the open one, else the latest that ran, else the first."""
    return workshop.current_round or (workshop.rounds[0] if workshop.rounds else None)


# --------------------------------------------------------------------------- timer


def _start_timer(round_id: int) -> None:
    minutes = int(st.session_state[state.LIVE_TIMER_MINUTES])
    st.session_state[state.LIVE_TIMER] = RoundTimer(round_id, datetime.now(UTC) + timedelta(minutes=minutes))


def _stop_timer() -> None:
    st.session_state.pop(state.LIVE_TIMER, None)


def timer_controls(rnd: Round) -> None:
    """Set, start and stop the round timer (callbacks, so the buttons match the timer at once)."""
    minutes, start, stop = st.columns([2, 1, 1], vertical_alignment="bottom")
    minutes.number_input("Timer (minutes)", min_value=1, max_value=180, value=10, key=state.LIVE_TIMER_MINUTES)
    start.button("Start timer", key=state.LIVE_TIMER_START, on_click=_start_timer, args=(rnd.id,))
    if st.session_state.get(state.LIVE_TIMER) is not None:
        stop.button("Stop timer", key=state.LIVE_TIMER_STOP, on_click=_stop_timer)


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class ProgressSnapshot:
    round_id: int
    version: int
    fetched: float  # time.monotonic() of the read
    progress: Progress


def _progress(session: FacilitatorSession, round_id: int) -> Progress:
    """The round's progress, reloaded only when the workshop changed or presence is due a refresh."""
    snapshot = st.session_state.get(state.LIVE_PROGRESS)
    version = service().version(session.workshop_id)
    fresh = (
        snapshot is not None
        and (snapshot.round_id, snapshot.version) == (round_id, version)
        and time.monotonic() - snapshot.fetched < PRESENCE_REFRESH
    )
    if not fresh:
        snapshot = ProgressSnapshot(round_id, version, time.monotonic(), service().progress(session.key, round_id))
        st.session_state[state.LIVE_PROGRESS] = snapshot
    return snapshot.progress


def _last_progress(round_id: int) -> Progress | None:
    """The round's progress as last read, if it was (shown while the database is not answering)."""
    snapshot = st.session_state.get(state.LIVE_PROGRESS)
    return snapshot.progress if snapshot is not None and snapshot.round_id == round_id else None


@st.fragment(run_every=REFRESH_SECONDS)
def live_progress(session: FacilitatorSession, round_id: int) -> None:
    """The round timer, and who has joined and how far each has got (refreshes by itself).

    While the database is not answering, the timer runs on, the progress last
    read stays on screen and a small note says it is not being updated."""
    now = datetime.now(UTC)
    timer = st.session_state.get(state.LIVE_TIMER)
    if timer is not None and timer.round_id == round_id:
        (st.error if timer.remaining(now) == timedelta(0) else st.info)(timer_text(timer, now), icon="⏱️")
    with guard("Loading the progress"):
        progress = _last_progress(round_id)
        with outage.noted("live progress", PROGRESS_NOTE):
            progress = _progress(session, round_id)
        if progress is None:
            return
        joined, started, finished, answered = st.columns(4)
        joined.metric("Joined", progress.joined)
        started.metric("Started", progress.started)
        finished.metric("Finished", progress.done)
        answered.metric("Answers given", f"{percent_answered(progress):.0f}%")
        if not progress.participants:
            st.caption("Nobody has joined yet. Share the join code or the projector view.")
            return
        stuck = [p.label for p in progress.participants if is_stuck(p, now)]
        waiting = [p.label for p in progress.participants if not p.started]
        if stuck:
            st.warning(f"Not seen for over 2 minutes mid-way: {', '.join(map(md, stuck))}.")
        if waiting:
            st.caption(f"Not started: {', '.join(map(md, waiting))}.")
        st.dataframe(
            progress_table(progress, now),
            hide_index=True,
            column_config={
                "Progress": st.column_config.ProgressColumn("Progress", format="%.0f%%", min_value=0, max_value=100)
            },
        )


# --------------------------------------------------------------------------- follow-up round


@dataclass(frozen=True)
class Suggestion:
    priority_ids: tuple[int, ...]  # best first
    note: str


def _suggestion(session: FacilitatorSession, workshop: Workshop, source: Round) -> Suggestion:
    """The source round's suggested follow-up list: the Agree page's
    (``ranking.readings``, on the same cached computed order)."""
    try:
        computed = analysis.standing(Target(session.key, source.id, workshop.version, workshop.ranking), workshop)
    except NoResultsYet:
        return Suggestion((), f"Nobody answered {source.short_label}.")
    k = suggested_size(len(computed.names), workshop.shortlist_size)
    suggestion = suggest_followup(computed.names, computed.ranks, computed.high_spread, k)
    return Suggestion(
        tuple(computed.id_of(name) for name in suggestion.names),
        f"Suggested: the top {k} of {source.short_label} as it stands ({computed.basis}), and anything just "
        "below them that the room is divided on.",
    )


def followup_kind(
    label: str, notes: dict[RoundKind, str], chosen: int, kind_key: str, pick_key: str
) -> tuple[RoundKind, int]:
    """What a follow-up round asks of the room: re-score, or rank (pick the top N; 0 ranks them all)."""
    kind = st.radio(
        label,
        [RoundKind.SCORING, RoundKind.RANKING],
        format_func=notes.__getitem__,
        horizontal=True,
        key=kind_key,
    )
    pick = 0
    if kind is RoundKind.RANKING:
        pick = st.number_input(
            "Pick the top N (0 = rank them all)", min_value=0, max_value=max(chosen, 1), value=0, step=1, key=pick_key
        )
    return kind, int(pick)


def followup_form(session: FacilitatorSession, workshop: Workshop) -> None:
    sources = [
        r
        for r in workshop.rounds
        if r.kind is not RoundKind.WEIGHTING and r.state in (RoundState.CLOSED, RoundState.REVEALED)
    ]
    if not sources:
        st.caption("Close a scoring or ranking round to start a follow-up round on a shortlist of its priorities.")
        return
    by_id = {r.id: r for r in sources}
    source = by_id[
        st.selectbox(
            "From",
            list(by_id),
            index=len(by_id) - 1,
            format_func=lambda rid: by_id[rid].label,
            key=state.LIVE_FOLLOWUP_SOURCE,
        )
    ]
    suggestion = _suggestion(session, workshop, source)
    names = {p.id: p.name for p in workshop.priorities if p.id in source.priority_ids}
    st.caption(suggestion.note)
    chosen = st.multiselect(
        "Priorities for the follow-up round",
        list(names),
        default=list(suggestion.priority_ids),
        format_func=names.__getitem__,
        key=f"{state.LIVE_FOLLOWUP_PRIORITIES_}{source.id}",
    )
    st.caption(f"Chosen ({len(chosen)}): " + " · ".join(md(names[pid]) for pid in chosen) if chosen else "None chosen.")
    kind, pick = followup_kind(
        "Participants will", KIND_NOTES, len(chosen), state.LIVE_FOLLOWUP_KIND, state.LIVE_FOLLOWUP_PICK
    )
    title = st.text_input("Title (optional)", key=state.LIVE_FOLLOWUP_TITLE, max_chars=200)
    scoring = kind is RoundKind.SCORING and source.kind is RoundKind.SCORING
    feedback = feedback_inputs("live") if scoring else None
    if st.button("Create the follow-up round", key=state.LIVE_CREATE_FOLLOWUP, type="primary"):
        with guard("Creating the follow-up round"):
            rnd = service().create_followup_round(
                session.key, source.id, chosen, kind, title or None, int(pick) or None, feedback
            )
            done(f"{rnd.label} added ({len(rnd.priority_ids)} priorities). Open it when the room is ready.")
