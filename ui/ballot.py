"""The young people's ballot on a phone: the plain privacy notice, then one priority per screen with
one question and big answer buttons, the answers given, and what everyone said once revealed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import outage, state
from ui.plain import md
from ui.save_notes import follow_closed_round, save_with_note, show_note
from ui.scoring_cards import bring_into_view
from ui.services import service
from workshop.ballot import BALLOT_ANSWERS, BALLOT_QUESTION, NOT_SURE, PRIVACY_NOTICE, answer_words
from workshop.models import MyScores, Priority, Round, Workshop
from workshop.results import ScoringView
from workshop.said import consultation_rounds, evidence_sentence, said

#: Big targets (WCAG 2.5.5's 44 px and more) and nothing wider than the phone.
BALLOT_STYLE = """<style>
[class*="st-key-ballot-answer-"] button, [class*="st-key-ballot-nav-"] button {
  min-height: 3.5rem; font-size: 1.15rem; white-space: normal; overflow-wrap: anywhere;}
[class*="st-key-ballot-card"] h3 {font-size: 1.6rem; overflow-wrap: anywhere;}
</style>"""
#: The answers top to bottom: the most important first, "Not sure" last (value None).
CHOICES: tuple[tuple[int | None, str], ...] = (
    *((value, BALLOT_ANSWERS[value - 1]) for value in range(len(BALLOT_ANSWERS), 0, -1)),
    (None, NOT_SURE),
)


def ballot_notice() -> None:
    """What the ballot keeps and what it does not, before the first question (plain words)."""
    st.info("  \n".join(PRIVACY_NOTICE), icon=":material/lock:")


def _screen_key(round_id: int) -> str:
    return f"{state.BALLOT_SCREEN}-{round_id}"


def _note_key(round_id: int) -> str:
    return f"{state.BALLOT_SCREEN}-note-{round_id}"


def _go(round_id: int, to: int) -> None:
    st.session_state[_screen_key(round_id)] = to
    st.session_state[state.CARD_MOVED] = True


def _answer(token: str, round_id: int, priority_id: int, value: int | None, then: int) -> None:
    note = save_with_note(
        _note_key(round_id), lambda: service().save_ballot_answer(token, round_id, priority_id, value)
    )
    if note.ok:
        _go(round_id, then)


def _answered(mine: MyScores) -> dict[int, float | None]:
    return {e.priority_id: e.value for e in mine.entries}


def _done_screen(rnd: Round, total: int, answered: int) -> None:
    with st.container(border=True, key="ballot-card-done"):
        st.subheader("Thank you!", anchor="ballot-done")
        st.markdown(f"You answered {answered} of {total}. Your answers are saved.")
        if answered < total:
            st.markdown("You can go back and answer the rest, or stop here.")
        st.button(
            "Check my answers", key="ballot-nav-check", icon=":material/edit:", on_click=_go, args=(rnd.id, 0)
        )


@st.fragment
@outage.handled("ballot")
def ballot_form(token: str, rnd: Round, priorities: tuple[Priority, ...]) -> None:
    """One priority per screen: its plain title and sentence, the question, four big answers; an
    answer is saved at once and the next priority shown."""
    follow_closed_round()
    st.html(BALLOT_STYLE)
    mine = _answered(service().my_scores(token, rnd.id))
    total = len(priorities)
    position = min(st.session_state.setdefault(_screen_key(rnd.id), 0), total)
    done = sum(p.id in mine for p in priorities)
    st.progress(done / total if total else 1.0, text=f"{done} of {total} answered")
    show_note(_note_key(rnd.id))
    if position == 0 and not mine:
        ballot_notice()
    if position >= total:
        _done_screen(rnd, total, done)
        if st.session_state.pop(state.CARD_MOVED, False):
            bring_into_view("ballot-done")
        return
    priority = priorities[position]
    anchor = f"ballot-{priority.id}"
    with st.container(border=True, key=f"ballot-card-{priority.id}"):
        st.caption(f"{position + 1} of {total}")
        st.subheader(md(priority.ballot_title), anchor=anchor)
        if priority.ballot_sentence:
            st.markdown(md(priority.ballot_sentence))
        st.markdown(f"**{BALLOT_QUESTION}**")
        chosen = mine.get(priority.id, "unanswered")
        for value, words in CHOICES:
            picked = priority.id in mine and (chosen is None if value is None else chosen == value)
            st.button(
                f"✓ {words}" if picked else words,
                key=f"ballot-answer-{priority.id}-{value or 0}",
                type="primary" if picked else "secondary",
                width="stretch",
                on_click=_answer,
                args=(token, rnd.id, priority.id, value, position + 1),
                help="Your answer" if picked else None,
            )
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Back",
            key="ballot-nav-back",
            icon=":material/arrow_back:",
            disabled=position == 0,
            on_click=_go,
            args=(rnd.id, position - 1),
        )
        st.button(
            "Skip",
            key="ballot-nav-skip",
            icon=":material/arrow_forward:",
            icon_position="right",
            on_click=_go,
            args=(rnd.id, position + 1),
        )
    if st.session_state.pop(state.CARD_MOVED, False):
        bring_into_view(anchor)


def my_ballot_answers(token: str, rnd: Round, priorities: tuple[Priority, ...]) -> None:
    """The participant's own answers, in words (a closed ballot)."""
    mine = _answered(service().my_scores(token, rnd.id))
    rows = [
        (p.ballot_title, answer_words(mine[p.id]) if p.id in mine else "Not answered") for p in priorities
    ]
    st.dataframe(pd.DataFrame(rows, columns=["Idea", "Your answer"]), hide_index=True, width="stretch")


def ballot_result(view: ScoringView, workshop: Workshop) -> None:
    """What everyone said, in the ballot's own words: the ideas in the order the engine ranked them."""
    result = said(view.ranking, view.round, workshop)
    n = len(result.top_rows)
    tied = f" ({n}, with ties)" if n > result.top else ""
    st.markdown(f"**What everyone said.** The top {result.top} ideas{tied} are marked ★.")
    rows = [(r.rank_text, ("★ " if r.in_top else "") + r.title, r.answers) for r in result.rows]
    st.dataframe(
        pd.DataFrame(rows, columns=["Place", "Idea", "Answers"]), hide_index=True, width="stretch"
    )


def card_evidence(token: str, workshop: Workshop, rnd: Round) -> dict[int, tuple[str, ...]]:
    """What earlier consultations said of each priority, one sentence each, for this round's cards
    (none when no consultation has run before it, without asking the service)."""
    if rnd.young_ballot or not consultation_rounds(workshop, before=rnd):
        return {}
    found = service().consultation_evidence(token, rnd.id)
    lines = {pid: tuple(s for s in (evidence_sentence(f, pid) for f in found) if s) for pid in rnd.priority_ids}
    return {pid: sentences for pid, sentences in lines.items() if sentences}
