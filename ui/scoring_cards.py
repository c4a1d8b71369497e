"""Scoring one priority at a time: a card per priority, a control per criterion (each its own fragment),
the jump list and Previous / Next."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import streamlit as st

from ui import outage, state
from ui.earlier_answers import earlier_answers, feedback_of, keep_button, preselect, why_changed
from ui.plain import md
from ui.review_mark import carried_mark
from ui.save_notes import follow_closed_round, save_with_note, show_note
from ui.score_options import (
    DONT_KNOW,
    answered_count,
    cell_key,
    option_label,
    position_key,
    progress,
    saved_option,
    score_options,
)
from ui.services import service
from workshop.feedback import QuestionFeedback, RoundFeedback
from workshop.models import (
    Criterion,
    MyScores,
    Priority,
    Round,
    ScoreEntry,
)


def _save_cell(token: str, round_id: int, priority_id: int, criterion: Criterion, key: str) -> None:
    choice = st.session_state[key]
    if choice is None:
        return

    def undo() -> None:
        entry = service().my_scores(token, round_id).entry(priority_id, criterion.id)
        st.session_state[key] = saved_option(criterion, entry)

    # A scale point goes to the service as it is: a crafted value that is no option (a radio hands back
    # any text its client sends) is the service's to refuse, with a message, like any other bad score.
    value = None if choice == DONT_KNOW else choice
    if f"{key}-why" in st.session_state:  # a changed answer's reason no longer holds (the store drops it too)
        st.session_state[f"{key}-why"] = ""
    save_with_note(
        key,
        lambda: service().save_score(token, round_id, priority_id, criterion.id, value),
        undo,
        retry=partial(_save_cell, token, round_id, priority_id, criterion, key),
    )


def seed_control(key: str, criterion: Criterion, entry: ScoreEntry | None) -> None:
    """Prefill a control with the saved answer, the first time it is drawn in this session."""
    if key not in st.session_state:
        st.session_state[key] = saved_option(criterion, entry)


@st.fragment
def score_control(
    token: str, rnd: Round, priority: Priority, criterion: Criterion, earlier: QuestionFeedback | None = None
) -> None:
    """One criterion's control for one priority (prefilled by ``seed_control``) and its note; in a
    follow-up round that asks, "Why did you change?" under an answer moved across the scale.

    A fragment of its own, inside the cards' fragment: an answer reruns this
    control alone, not the other criteria, the progress bar, the jump list,
    the card's text or the buttons.  Answering is most of what a room of
    hundreds does, and this cut a save's cost on the server by about 40%
    (bench/RESULTS.md); the progress and the jump list's marks catch up when
    the participant moves to another card.  (Rerunning the progress too, with
    ``st.rerun([control, progress])`` from the save's callback, costs a second
    script run per answer: about 60% more server time per save, measured.)
    """
    follow_closed_round()
    key = cell_key(rnd.id, priority.id, criterion.id)
    st.radio(
        md(criterion.name),
        score_options(criterion),
        index=None,
        format_func=lambda option: md(option_label(criterion, option)),
        key=key,
        help=md(criterion.description) if criterion.description else None,
        on_change=_save_cell,
        args=(token, rnd.id, priority.id, criterion, key),
    )
    show_note(key)
    if earlier is not None:
        why_changed(token, rnd, priority, criterion, earlier)


def card_anchor(priority: Priority) -> str:
    return f"priority-{priority.id}"


def priority_card(
    token: str,
    rnd: Round,
    priority: Priority,
    criteria: Sequence[Criterion],
    mine: MyScores,
    feedback: RoundFeedback | None = None,
    evidence: Sequence[str] = (),
) -> None:
    """The card: the priority, what an earlier consultation said of it, and a control per criterion; in a
    follow-up round, beside each control the earlier answers (``ui.earlier_answers``), and "Keep my answers"
    for the card."""
    with st.container(border=True):
        st.subheader(priority.name, anchor=card_anchor(priority))
        if priority.theme:
            st.caption(f"Theme: {md(priority.theme)}")
        for sentence in evidence:  # what an earlier consultation said (workshop.said.evidence_sentence)
            st.markdown(f":material/campaign: {md(sentence)}")
        if priority.description:
            st.markdown(priority.description)
        carried_mark(rnd.workshop_id, priority.name)
        if priority.evidence:
            with st.expander("Evidence"):
                st.markdown(priority.evidence)
        if feedback is not None and feedback.earlier is not None:
            keep_button(token, rnd, priority, criteria, feedback)
        for criterion in criteria:
            seed_control(cell_key(rnd.id, priority.id, criterion.id), criterion, mine.entry(priority.id, criterion.id))
            question = feedback.of(priority.id, criterion.id) if feedback is not None else None
            if question is not None and feedback is not None:
                earlier_answers(criterion, question, feedback)
            score_control(token, rnd, priority, criterion, question)


def _move(key: str, to: int) -> None:
    st.session_state[key] = to
    st.session_state[state.CARD_MOVED] = True


def bring_into_view(anchor: str) -> None:
    """Scroll the new card's heading into view and give it the focus.

    Previous / Next sit below the card: without this, the next card would
    open scrolled to its end.  Focusing the heading (not a control) lets
    Tab continue into the card from its top, as a screen reader expects."""
    st.html(
        f"""<script>
        setTimeout(() => {{
          const heading = document.getElementById({anchor!r});
          if (heading) {{
            heading.setAttribute("tabindex", "-1");
            heading.scrollIntoView({{block: "start"}});
            heading.focus({{preventScroll: true}});
          }}
        }}, 100);
        </script>""",
        unsafe_allow_javascript=True,
    )


def _card_label(priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores) -> Callable[[int], str]:
    def label(position: int) -> str:
        priority = priorities[position]
        answered = answered_count(mine, priority, criteria)
        mark = "✓" if answered == len(criteria) else f"{answered}/{len(criteria)}" if answered else "○"
        return f"{position + 1}. {priority.name}  ({mark})"

    return label


def _jump(key: str, jump_key: str) -> None:
    # Only the list on screen may move the card: a rerun already in flight when Next was pressed
    # re-sends the previous list's value, which would otherwise jump back (bench/RESULTS.md).
    if st.session_state.get(f"{key}-jump-shown") == jump_key:
        st.session_state[key] = st.session_state[jump_key]


def jump_list(
    key: str, position: int, priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores
) -> None:
    """Go to any priority; each marked ✓ (done), 2/5 (partly) or ○ (not started).

    The list is drawn afresh (a new widget key) whenever the position or the
    number of answers changes: a selectbox keeps showing the old text of its
    chosen option when only the option's text has changed."""
    answered = sum(answered_count(mine, p, criteria) for p in priorities)
    jump_key = f"{key}-jump-{position}-{answered}"
    st.session_state[f"{key}-jump-shown"] = jump_key
    st.selectbox(
        "Go to priority",
        range(len(priorities)),
        index=position,
        format_func=_card_label(priorities, criteria, mine),
        key=jump_key,
        on_change=_jump,
        args=(key, jump_key),
        help="✓ all criteria answered · 2/5 partly answered · ○ not started. Type to search.",
    )


def next_unanswered(
    position: int, priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores
) -> int:
    """The next priority after ``position`` (wrapping round) with a criterion unanswered, else ``position``."""
    n = len(priorities)
    for step in range(1, n + 1):
        candidate = (position + step) % n
        if answered_count(mine, priorities[candidate], criteria) < len(criteria):
            return candidate
    return position


def card_navigation(
    key: str, position: int, priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores
) -> None:
    """Previous / Next / Next unanswered: buttons, so the keyboard can reach them (Tab, Enter)."""
    last = len(priorities) - 1
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Previous",
            icon=":material/arrow_back:",
            key=f"{key}-previous",
            disabled=position == 0,
            on_click=_move,
            args=(key, position - 1),
        )
        st.button(
            "Next",
            icon=":material/arrow_forward:",
            icon_position="right",
            key=f"{key}-next",
            type="primary",
            disabled=position == last,
            on_click=_move,
            args=(key, position + 1),
        )
        target = next_unanswered(position, priorities, criteria, mine)
        st.button(
            "Next unanswered",
            icon=":material/skip_next:",
            key=f"{key}-unanswered",
            disabled=target == position,
            on_click=_move,
            args=(key, target),
        )


@st.fragment
@outage.handled("scoring cards")
def scoring_cards(
    token: str,
    rnd: Round,
    priorities: tuple[Priority, ...],
    criteria: tuple[Criterion, ...],
    evidence: Mapping[int, tuple[str, ...]] | None = None,
) -> None:
    """One priority card at a time, with progress and navigation; ``evidence``: what earlier
    consultations said of each priority (``ui.ballot.card_evidence``)."""
    follow_closed_round()
    mine = service().my_scores(token, rnd.id)
    key = position_key(rnd.id)
    position = st.session_state.setdefault(key, 0)
    feedback = feedback_of(token, rnd)
    if feedback.earlier is not None:
        mine = preselect(token, rnd, priorities[position], mine, feedback)
    progress(mine, priorities, criteria)
    jump_list(key, position, priorities, criteria, mine)
    shown = priorities[position]
    priority_card(token, rnd, shown, criteria, mine, feedback, evidence=(evidence or {}).get(shown.id, ()))
    card_navigation(key, position, priorities, criteria, mine)
    if st.session_state.pop(state.CARD_MOVED, False):
        bring_into_view(card_anchor(priorities[position]))
