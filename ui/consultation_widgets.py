"""Consultation rounds on screen: the facilitator's settings, closing time and coverage; the participant's share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from ui import state
from ui.plain import md
from ui.qr import app_base_url, page_url
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import done
from workshop.consultation_facts import answers_meaning, coverage_words
from workshop.models import (
    DEFAULT_SHARE_MINIMUM,
    Priority,
    Round,
    RoundCoverage,
    RoundKind,
    RoundState,
    ShareMode,
    Workshop,
    deadline_words,
)
from workshop.shares import round_themes

EVERY = "every"
SHARE_CHOICES = {
    EVERY: "Every participant answers every priority",
    ShareMode.BALANCED.value: "Each answers a few, balanced across the list",
    ShareMode.THEMES.value: "Each answers the themes they choose",
}


def closing_time(day: date, at: time) -> datetime:
    """The closing time a facilitator picks (a date and a time, read as UTC)."""
    return datetime.combine(day, at, tzinfo=UTC)


def audience_names(workshop: Workshop, rnd: Round) -> tuple[str, ...]:
    return tuple(g.name for g in workshop.groups if g.id in rnd.audience)


def audience_links(workshop: Workshop, rnd: Round) -> tuple[tuple[str, str], ...]:
    """(group, join link) for each group of a round's audience: the link puts a participant in that group."""
    base = app_base_url("live")
    return tuple(
        (name, page_url(base, "join", {state.Q_CODE: workshop.code, state.Q_GROUP: name}))
        for name in audience_names(workshop, rnd)
    )


# --------------------------------------------------------------------------- the facilitator


def consultation_controls(session: FacilitatorSession, workshop: Workshop, rnd: Round) -> None:
    """Under a round on the Live page: who it is for, its share and closing time; the settings of a draft
    scoring round; opening it until a closing time; extending it."""
    if rnd.kind is not RoundKind.SCORING:
        return
    said = []
    if rnd.audience:
        said.append("For " + ", ".join(audience_names(workshop, rnd)) + ".")
    if rnd.share is not None:
        said.append(f"Each participant answers {rnd.share.describe}.")
    if rnd.deadline_sentence:
        said.append(rnd.deadline_sentence)
    if said:
        st.caption(md(" ".join(said)))
    for name, link in audience_links(workshop, rnd):
        st.caption(md(f"Join link for {name}:"))
        st.code(link, language=None, wrap_lines=True)
    if rnd.state is RoundState.DRAFT:
        with st.expander("Make it a consultation (open for days, an audience, a share)"):
            settings_form(session, workshop, rnd)
            open_until_form(session, rnd)
    elif rnd.closes_at is not None and (rnd.state is RoundState.OPEN or rnd.closed_by_deadline):
        with st.expander("Extend the closing time"):
            extend_form(session, rnd)


def settings_form(session: FacilitatorSession, workshop: Workshop, rnd: Round) -> None:
    with st.form(f"{state.LIVE_CONSULT_FORM_}{rnd.id}", border=False):
        audience = st.multiselect(
            "For these stakeholder groups (none: everyone)",
            [g.name for g in workshop.groups],
            default=list(audience_names(workshop, rnd)),
            key=f"{state.LIVE_CONSULT_AUDIENCE_}{rnd.id}",
        )
        current = EVERY if rnd.share is None else rnd.share.mode.value
        choice = st.radio(
            "What each participant answers",
            list(SHARE_CHOICES),
            index=list(SHARE_CHOICES).index(current),
            format_func=SHARE_CHOICES.get,
            key=f"{state.LIVE_CONSULT_SHARE_}{rnd.id}",
        )
        size = st.number_input(
            "Priorities each (a balanced share)",
            min_value=1,
            max_value=max(1, len(rnd.priority_ids)),
            value=min(len(rnd.priority_ids), (rnd.share.size if rnd.share and rnd.share.size else 8)),
            key=f"{state.LIVE_CONSULT_SIZE_}{rnd.id}",
        )
        minimum = st.number_input(
            "Answers a priority needs before its place is read with confidence",
            min_value=0,
            value=rnd.share.minimum if rnd.share else DEFAULT_SHARE_MINIMUM,
            key=f"{state.LIVE_CONSULT_MINIMUM_}{rnd.id}",
        )
        saved = st.form_submit_button("Save these settings")
    if saved:
        mode = None if choice == EVERY else ShareMode(choice)
        with guard(f"Setting {rnd.short_label} up"):
            service().set_consultation(
                session.key,
                rnd.id,
                audience=audience,
                share_mode=mode,
                share_size=int(size) if mode is ShareMode.BALANCED else None,
                minimum=int(minimum),
            )
            done(f"{rnd.short_label}'s consultation settings are saved.")


def _when(key: str, default: datetime) -> datetime:
    left, right = st.columns(2)
    day = left.date_input("Closing date", value=default.date(), key=f"{key}-date")
    at = right.time_input("Closing time (UTC)", value=default.time(), key=f"{key}-time", step=timedelta(minutes=15))
    return closing_time(day, at)


def open_until_form(session: FacilitatorSession, rnd: Round) -> None:
    soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=14)
    with st.form(f"{state.LIVE_CONSULT_OPEN_}{rnd.id}", border=False):
        when = _when(f"{state.LIVE_CONSULT_OPEN_}{rnd.id}", soon.replace(hour=17))
        st.caption(
            "It closes by itself at that time, whether or not this page is open. You can extend it or close it early."
        )
        clicked = st.form_submit_button("Open until then", type="primary")
    if clicked:
        with guard(f"Opening {rnd.short_label}"):
            service().open_round(session.key, rnd.id, closes_at=when)
            done(f"{rnd.short_label} is open until {deadline_words(when)}.")


def extend_form(session: FacilitatorSession, rnd: Round) -> None:
    assert rnd.closes_at is not None
    with st.form(f"{state.LIVE_CONSULT_EXTEND_}{rnd.id}", border=False):
        when = _when(f"{state.LIVE_CONSULT_EXTEND_}{rnd.id}", rnd.closes_at + timedelta(days=7))
        clicked = st.form_submit_button("Extend")
    if clicked:
        with guard(f"Extending {rnd.short_label}"):
            service().extend_round(session.key, rnd.id, when)
            done(f"{rnd.short_label} is open until {deadline_words(when)}.")


def watched_round(workshop: Workshop, focus: Round | None) -> Round | None:
    """With consultations for several audiences open at once, which one to watch (the first by default)."""
    running = [r for r in workshop.rounds if r.state is RoundState.OPEN]
    if len(running) < 2:
        return focus
    labels = {r.id: r.label for r in running}
    chosen = st.selectbox("Watch", list(labels), format_func=labels.get, key=state.LIVE_WATCH)
    return next(r for r in running if r.id == chosen)


def coverage_frame(coverage: RoundCoverage) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Priority": [p.name for p in coverage.priorities],
            "Given to": [p.given for p in coverage.priorities],
            "Answers": [p.answers for p in coverage.priorities],
            f"Below {coverage.minimum}": [p.answers < coverage.minimum for p in coverage.priorities],
        }
    )


def coverage_sentence(coverage: RoundCoverage, still_open: bool = True) -> str:
    """ "3 of 32 priorities have fewer than 10 answers so far." ("so far" only while the round is open)."""
    below = len(coverage.below)
    if not below:
        return f"Every priority has at least {coverage.minimum} answers."
    when = " so far" if still_open else ""
    return f"{below} of {len(coverage.priorities)} priorities have fewer than {coverage.minimum} answers{when}."


def coverage_panel(session: FacilitatorSession, rnd: Round) -> None:
    """How far a consultation round has covered its list: given, answered, and which are below the
    minimum (the coverage the board paper states, ``WorkshopService.coverage``)."""
    if not (rnd.is_consultation and rnd.priority_ids):
        return
    coverage = service().coverage(session.key, rnd.id)
    st.markdown(f"**Coverage** — {coverage_sentence(coverage, rnd.state is RoundState.OPEN)}")
    st.caption(coverage_words(coverage))  # the board paper's very words (workshop.consultation_facts)
    st.dataframe(coverage_frame(coverage), hide_index=True, width="stretch")
    st.caption(answers_meaning(rnd))


# --------------------------------------------------------------------------- the participant


def share_priorities(token: str, rnd: Round, priorities: Sequence[Priority]) -> tuple[Priority, ...] | None:
    """The participant's share of the round's priorities (in their order), with what is left to do;
    None while a participant of a round shared by themes has not chosen theirs (the choice is shown)."""
    if rnd.deadline_sentence:
        back = " You can come back through your link until then." if rnd.state is RoundState.OPEN else ""
        st.caption(md(rnd.deadline_sentence + back))
    if rnd.share is None:
        return tuple(priorities)
    with guard("Reading your share"):
        mine = service().my_share(token, rnd.id)
        if not mine.chosen and rnd.share.mode is ShareMode.THEMES and rnd.state is RoundState.OPEN:
            theme_choice(token, rnd, priorities)
            return None
        chosen = set(mine.priority_ids)
        left = len(mine.left)
        if chosen:
            st.markdown(share_sentence(len(chosen), len(priorities), left, rnd.state is RoundState.OPEN))
        return tuple(p for p in priorities if p.id in chosen)
    return None


def share_sentence(share: int, listed: int, left: int, still_open: bool) -> str:
    """What a participant has left to do of their share (or, once the round has closed, what they did)."""
    if not still_open:
        return f"You answered **{share - left}** of the {share} priorities you were asked about."
    done = "all answered, thank you." if not left else f"**{left}** left to answer."
    return f"You are asked about **{share}** of the {listed} priorities: {done}"


def theme_choice(token: str, rnd: Round, priorities: Sequence[Priority]) -> None:
    with st.form(f"{state.PARTICIPANT_THEMES_}{rnd.id}"):
        themes = st.multiselect("Choose the themes you want to answer about", list(round_themes(priorities)))
        chosen = st.form_submit_button("Start", type="primary")
    if chosen:
        with guard("Choosing your themes"):
            service().choose_themes(token, rnd.id, themes)
            st.rerun()
