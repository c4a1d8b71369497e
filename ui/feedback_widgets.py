"""The facilitator's side of feedback between rounds: a round's settings, attrition on Live, the reasons on Results.

The settings are set where a follow-up round is created (Live control and
Agree) and can be changed on a follow-up scoring round until it has run
(Live control's list of rounds); the service checks them
(``WorkshopService.set_round_feedback``).  The preview of what the room sees
is the service's ``round_feedback``: the same lines, from the same function
(``ranking.feedback.feedback_lines``), as each participant's card.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import outage, state
from ui.plain import md
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import done
from workshop.feedback import Attrition, RoundFeedback, earlier_round
from workshop.models import FeedbackSettings, FeedbackSplit, Round, RoundKind, RoundState, Workshop

ATTRITION_REFRESH = 10  # seconds
SPLITS = {
    FeedbackSplit.GROUPS: "By stakeholder group (shown separately)",
    FeedbackSplit.ROOM: "The whole room",
}


def feedback_inputs(form: str, current: FeedbackSettings | None = None) -> FeedbackSettings:
    """The three settings, as a scoring follow-up round takes them (the defaults unless ``current``)."""
    now = current or FeedbackSettings()
    st.markdown("**Feedback between rounds**")
    split = st.radio(
        "Show each participant the room's earlier answers",
        list(SPLITS),
        index=list(SPLITS).index(now.split),
        format_func=SPLITS.__getitem__,
        key=f"{state.FEEDBACK_SPLIT_}{form}",
        help="Beside every question each participant sees their own earlier answer and how many gave each point, "
        "with the median. Split by group is what the trials of group feedback recommend; groups with fewer than "
        "three answers are pooled.",
    )
    preselect = st.checkbox(
        "Start each card on the participant's earlier answers",
        value=now.preselect,
        key=f"{state.FEEDBACK_PRESELECT_}{form}",
        help="Off by default, so that people re-think; either way each card has a 'Keep my answers' button.",
    )
    ask_why = st.checkbox(
        "Ask why answers changed",
        value=now.ask_why,
        key=f"{state.FEEDBACK_ASK_WHY_}{form}",
        help="A participant who moves an answer between the bottom and the top third of the scale is asked why "
        "(optional). The reasons appear without names on the Results page and in the board paper.",
    )
    return FeedbackSettings(split, preselect, ask_why)


def round_feedback_editor(session: FacilitatorSession, workshop: Workshop, rnd: Round) -> None:
    """Change a follow-up scoring round's settings before or while it runs."""
    earlier = earlier_round(workshop.rounds, rnd)
    if earlier is None or rnd.state not in (RoundState.DRAFT, RoundState.OPEN):
        return
    with st.expander(f"Feedback from {earlier.short_label}"):
        chosen = feedback_inputs(str(rnd.id), rnd.feedback)
        if st.button(
            "Save the feedback settings", key=f"{state.FEEDBACK_SAVE_}{rnd.id}", disabled=chosen == rnd.feedback
        ):
            with guard("Saving the feedback settings"):
                service().set_round_feedback(session.key, rnd.id, chosen)
                done(f"{rnd.short_label}'s feedback settings are saved.")


# --------------------------------------------------------------------------- attrition


def completion_table(found: Attrition) -> pd.DataFrame:
    """Finished / joined per stakeholder group (rows) and round (columns)."""
    groups = list(dict.fromkeys(g.group for c in found.completion for g in c.groups))
    table = {"Stakeholder group": groups}
    for c in found.completion:
        by_group = {g.group: g for g in c.groups}
        table[c.round.short_label] = [
            f"{by_group[g].finished} of {by_group[g].joined}" if g in by_group else "–" for g in groups
        ]
    return pd.DataFrame(table)


@st.fragment(run_every=ATTRITION_REFRESH)
def attrition_panel(session: FacilitatorSession, round_id: int) -> None:
    """Completion by round × group, who answered the previous round but not this one, and the list of
    those still to finish, to copy (the code block's copy button) or download."""
    with guard("Loading who is still to finish"), outage.noted("attrition"):
        found = service().attrition(session.key, round_id)
        st.markdown("**Completion by round and stakeholder group** (finished of those in the room)")
        st.dataframe(completion_table(found), hide_index=True)
        if found.previous is not None:
            if found.dropped:
                names = ", ".join(map(md, found.dropped))
                st.warning(f"Answered {found.previous.short_label} but nothing of this round yet: {names}.")
            else:
                st.caption(f"Everyone who answered {found.previous.short_label} has started this round.")
        if not found.to_finish:
            st.success("Everyone in the room has finished this round.", icon="✅")
            return
        st.markdown(f"**Still to finish ({len(found.to_finish)})**: copy the list with the button at its top right.")
        st.code(found.copy_text, language=None)
        st.download_button(
            "Download the list",
            found.copy_text + "\n",
            file_name="still-to-finish.txt",
            mime="text/plain",
            key=f"{state.LIVE_TO_FINISH_}{round_id}",
            icon=":material/download:",
        )


# --------------------------------------------------------------------------- results


def feedback_preview_table(feedback: RoundFeedback, workshop: Workshop) -> pd.DataFrame:
    """What the room saw beside each question: the lines of ``ranking.feedback``, one row each."""
    priorities = {p.id: p.name for p in workshop.priorities}
    criteria = {c.id: c.name for c in workshop.criteria}
    rows = [
        {
            "Priority": priorities[q.priority_id],
            "Criterion": criteria[q.criterion_id],
            "Shown as": line.label,
            "Answers": line.answers,
            "Don't know": line.dont_know,
            "Median": line.median,
            "Counts (low to high)": " · ".join(f"{p:g}: {n}" for p, n in zip(line.points, line.counts, strict=True)),
        }
        for q in feedback.questions
        for line in q.reading.lines
    ]
    return pd.DataFrame(rows)


def results_feedback(session: FacilitatorSession, workshop: Workshop, rnd: Round) -> None:
    """For a follow-up scoring round: its settings, the reasons given for changes, what the room saw."""
    if rnd.kind is not RoundKind.SCORING:
        return
    earlier = earlier_round(workshop.rounds, rnd)
    if earlier is None:
        return
    st.subheader("Feedback between rounds")
    split = SPLITS[rnd.feedback.split].lower()
    st.caption(
        f"Participants saw their own {earlier.short_label} answers and the room's ({split})"
        + ("; cards started on their earlier answers" if rnd.feedback.preselect else "")
        + ("; asked why when an answer moved across the scale." if rnd.feedback.ask_why else ".")
    )
    with guard("Reading the reasons for changes"):
        reasons = service().change_reasons(session.key, rnd.id)
        st.markdown("**Why answers changed**")
        if reasons:
            st.dataframe(
                pd.DataFrame(
                    {
                        "Priority": [r.priority for r in reasons],
                        "Criterion": [r.criterion for r in reasons],
                        f"{earlier.short_label}": [r.before for r in reasons],
                        f"{rnd.short_label}": [r.after for r in reasons],
                        "Reason": [r.reason for r in reasons],
                    }
                ),
                hide_index=True,
            )
            st.caption("Shown without names or participant numbers.")
        elif rnd.feedback.ask_why:
            st.caption("No reasons given yet.")
        else:
            st.caption("This round did not ask why answers changed.")
    with st.expander(f"What the room saw from {earlier.short_label}"), guard("Reading the feedback"):
        st.dataframe(feedback_preview_table(service().round_feedback(session.key, rnd.id), workshop), hide_index=True)
