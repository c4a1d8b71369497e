"""The Results page's round picker and the workshop's ranking options (stored at once, for everyone)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ranking.aggregate import Aggregation
from ranking.methods import Method, RankingOptions
from ui import state
from ui.services import service
from ui.session import facilitator, guard
from workshop.models import (
    Round,
    RoundKind,
    RoundState,
    Workshop,
)

AGGREGATION_LABELS = {Aggregation.MEAN: "Mean", Aggregation.MEDIAN: "Median"}


def pick_round(rounds: Sequence[Round]) -> Round | None:
    """The round to show, of those answered: by default the latest scoring round."""
    if not rounds:
        st.info("Results appear here once somebody has answered a round. Open a round from Live control.")
        st.page_link("app_pages/live.py", label="Go to Live control", icon="🎛️")
        return None
    scoring = [r for r in rounds if r.kind is RoundKind.SCORING]
    default = list(rounds).index(scoring[-1] if scoring else rounds[-1])
    by_id = {r.id: r for r in rounds}
    chosen = st.selectbox(
        "Round",
        list(by_id),
        index=default,
        format_func=lambda rid: f"{by_id[rid].label} ({by_id[rid].kind.value}, {by_id[rid].state.value})",
        key=state.RESULTS_ROUND,
    )
    rnd = by_id[chosen]
    if rnd.state is RoundState.OPEN:
        st.caption("This round is still open: the results change as answers come in.")
    return rnd


OPTIONS_CAPTION = (
    "This is the workshop's ranking method: changing it here changes it for the projector, participants' "
    "results, the Agree page and every export (the audit log records each change)."
)


def ranking_options(workshop: Workshop) -> RankingOptions:
    """The workshop's ranking options (stored by the service), with the
    controls that change them: changing a control stores the new choice at
    once, for everyone.  The controls always show what is stored, so a
    change made in another tab shows here on the next rerun."""
    stored = workshop.ranking
    st.session_state[state.RESULTS_METHOD] = stored.method
    st.session_state[state.RESULTS_AGGREGATION] = stored.aggregation
    st.session_state[state.RESULTS_BALANCED] = stored.balance_groups and bool(workshop.groups)
    with st.container(border=True):
        left, middle, right = st.columns([2, 2, 3])
        left.selectbox(
            "Ranking method",
            list(Method),
            format_func=lambda m: m.label,
            key=state.RESULTS_METHOD,
            on_change=_save_options,
            args=(workshop.id,),
        )
        middle.radio(
            "Combine the room's scores by their",
            list(Aggregation),
            format_func=AGGREGATION_LABELS.__getitem__,
            horizontal=True,
            key=state.RESULTS_AGGREGATION,
            on_change=_save_options,
            args=(workshop.id,),
        )
        right.toggle(
            "Each stakeholder group counts equally",
            disabled=not workshop.groups,
            help="Average within each group first, then across groups, so a partner that sent eight people "
            "does not outvote one that sent two.",
            key=state.RESULTS_BALANCED,
            on_change=_save_options,
            args=(workshop.id,),
        )
        st.caption(OPTIONS_CAPTION)
    return stored


def chosen_options() -> RankingOptions:
    """The options the Results page's controls hold now."""
    return RankingOptions(
        method=st.session_state[state.RESULTS_METHOD],
        aggregation=st.session_state[state.RESULTS_AGGREGATION],
        balance_groups=bool(st.session_state[state.RESULTS_BALANCED]),
    )


def _save_options(workshop_id: int) -> None:
    """Store the controls' choice as the workshop's ranking options (a widget
    callback: it runs before the page, so the page then reads the new ones)."""
    session = facilitator()
    if session is None:
        return
    with guard("Saving the ranking method"):
        saved = service().set_ranking_options(session.key, workshop_id, chosen_options()).ranking
        how = AGGREGATION_LABELS[saved.aggregation].lower()
        balanced = ", each stakeholder group counting equally" if saved.balance_groups else ""
        st.toast(f"Ranking method saved for the workshop: {saved.method.label} of the {how}{balanced}.", icon="✅")
