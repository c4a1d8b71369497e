"""A follow-up round's card beside the earlier round: your earlier answer, the room's, "Keep my answers" and "Why?".

What is shown comes from ``WorkshopService.my_feedback`` (the room's lines are
``ranking.feedback.feedback_lines``: counts per scale point, "don't know" and the
median, by stakeholder group or the whole room as the facilitator set it).
It is read once per round and settings in this tab: the earlier round is
closed while this one is open, so its answers cannot change meanwhile.

"Keep my answers" is one action per card, not per round: the round is there to
re-think each priority in the light of the room's answers, so a participant
expects to decide card by card; keeping the whole round at once would skip
exactly that.  With the round set to pre-select, a card starts on the earlier
answers, kept (saved) the first time the card is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import streamlit as st

from ui import state
from ui.plain import md
from ui.save_notes import save_with_note, show_note
from ui.score_options import DONT_KNOW, cell_key, saved_option
from ui.services import service
from workshop.errors import WorkshopError
from workshop.feedback import MAX_REASON_LENGTH, QuestionFeedback, RoundFeedback, crossed, no_feedback
from workshop.models import Criterion, MyScores, Priority, Round, ScoreEntry

WHY_LABEL = "Why did you change? (optional)"


def feedback_of(token: str, rnd: Round) -> RoundFeedback:
    """The round's feedback for this participant, read once per round and settings; none, and nothing
    read, for a workshop's first round (feedback reads an earlier round: ``workshop.feedback.earlier_round``)."""
    cache = st.session_state.setdefault(state.EARLIER_FEEDBACK, {})
    found = cache.get(rnd.id)
    if found is None and rnd.number <= 1:  # no round comes before it: no two reads on every first draw
        found = cache[rnd.id] = (rnd.feedback, no_feedback(rnd), {})
    if found is None or found[0] != rnd.feedback:
        reasons = {(r.priority_id, r.criterion_id): r.reason for r in service().my_change_reasons(token, rnd.id)}
        found = (rnd.feedback, service().my_feedback(token, rnd.id), reasons)
        cache[rnd.id] = found
    return found[1]


def _saved_reason(rnd: Round, priority_id: int, criterion_id: int) -> str:
    found = st.session_state.get(state.EARLIER_FEEDBACK, {}).get(rnd.id)
    return (found[2].get((priority_id, criterion_id)) or "") if found else ""


def _answer_text(value: float | None) -> str:
    return DONT_KNOW if value is None else f"{value:g}"


def earlier_answers(criterion: Criterion, question: QuestionFeedback, feedback: RoundFeedback) -> None:
    """Your earlier answer (highlighted) and the room's earlier answers to one question, as a small table."""
    earlier = feedback.earlier
    assert earlier is not None
    if question.answered:
        mine = _answer_text(question.mine)
        st.markdown(f"**{md(criterion.name)}** · :orange-background[Your answer in {earlier.short_label}: **{mine}**]")
    else:
        st.markdown(f"**{md(criterion.name)}** · you did not answer this in {earlier.short_label}.")
    reading = question.reading
    if not reading.lines:
        st.caption(f"Too few answers in {earlier.short_label} to show the room's.")
        return
    points = reading.lines[0].points
    header = [f"**{p:g} (you)**" if question.answered and question.mine == p else f"{p:g}" for p in points]
    dont_know = f"**{DONT_KNOW} (you)**" if question.answered and question.mine is None else DONT_KNOW
    rows = [
        "| " + " | ".join([f"The room in {earlier.short_label}", *header, dont_know, "Median"]) + " |",
        "|" + "---|" * (len(points) + 3),
    ]
    for line in reading.lines:
        label = md(line.label) + (" (your group)" if line.label == feedback.own_group else "")
        median = "–" if line.median is None else f"{line.median:g}"
        rows.append("| " + " | ".join([label, *map(str, line.counts), str(line.dont_know), f"**{median}**"]) + " |")
    st.markdown("\n".join(rows))
    if reading.left_out:
        n = reading.left_out
        st.caption(f"{n} answer{' is' if n == 1 else 's are'} left out: from groups too small to show on their own.")


def _keep(token: str, rnd: Round, priority_id: int, criteria: Sequence[Criterion], key: str) -> None:
    def refresh() -> None:
        mine = service().my_scores(token, rnd.id)
        for criterion in criteria:
            entry = mine.entry(priority_id, criterion.id)
            if entry is not None:
                st.session_state[cell_key(rnd.id, priority_id, criterion.id)] = saved_option(criterion, entry)
                st.session_state[f"{cell_key(rnd.id, priority_id, criterion.id)}-why"] = ""

    note = save_with_note(
        key,
        lambda: service().keep_earlier_answers(token, rnd.id, priority_id),
        retry=partial(_keep, token, rnd, priority_id, criteria, key),
    )
    if note.ok:
        refresh()


def keep_button(
    token: str, rnd: Round, priority: Priority, criteria: Sequence[Criterion], feedback: RoundFeedback
) -> None:
    """ "Keep my Round 1 answers" for the card: one action for every criterion answered earlier."""
    if not feedback.mine(priority.id) or feedback.earlier is None:
        return
    key = f"{state.KEEP_EARLIER}-{rnd.id}-{priority.id}"
    st.button(
        f"Keep my {feedback.earlier.short_label} answers",
        key=key,
        icon=":material/history:",
        help=f"Score this priority as you did in {feedback.earlier.short_label} (every criterion you answered then).",
        on_click=_keep,
        args=(token, rnd, priority.id, criteria, key),
    )
    show_note(key)


def preselect(token: str, rnd: Round, priority: Priority, mine: MyScores, feedback: RoundFeedback) -> MyScores:
    """With the round set to pre-select: a card none of whose criteria is answered yet starts on the earlier
    answers, kept for this round as it is first shown.  Returns the participant's answers as they now are."""
    if not rnd.feedback.preselect or not feedback.mine(priority.id):
        return mine
    if any(e.priority_id == priority.id for e in mine.entries):
        return mine
    try:
        service().keep_earlier_answers(token, rnd.id, priority.id)
    except WorkshopError as error:
        st.error(error.message, icon="⚠️")
        return mine
    return service().my_scores(token, rnd.id)


def _save_reason(token: str, rnd: Round, entry: ScoreEntry, key: str) -> None:
    reason = st.session_state.get(key) or ""
    save_with_note(
        key,
        lambda: service().save_change_reason(token, rnd.id, entry.priority_id, entry.criterion_id, reason),
        retry=partial(_save_reason, token, rnd, entry, key),
    )


def why_changed(token: str, rnd: Round, priority: Priority, criterion: Criterion, question: QuestionFeedback) -> None:
    """ "Why did you change?" under a control whose answer moved across the scale since the earlier round."""
    if not rnd.feedback.ask_why or not question.answered:
        return
    key = cell_key(rnd.id, priority.id, criterion.id)
    choice = st.session_state.get(key)
    if choice is None:
        return
    now = None if choice == DONT_KNOW else float(choice)
    if not crossed(criterion, question.mine, now):
        return
    why = f"{key}-why"
    if why not in st.session_state:
        st.session_state[why] = _saved_reason(rnd, priority.id, criterion.id)
    st.text_area(
        WHY_LABEL,
        key=why,
        max_chars=MAX_REASON_LENGTH,
        height=80,
        help="You moved this answer across the scale since the earlier round. Saying why helps the room; it is "
        "shown without your name. Saved when you leave the box.",
        on_change=_save_reason,
        args=(token, rnd, ScoreEntry(priority.id, criterion.id, now), why),
    )
    show_note(why)
