"""The agreement page's parts: narrowing a round's list for another round,
agreeing the shortlist (the constrained top k proposed, the facilitator's
changes, a reason for every choice and every departure) and the recorded
decision.

The rules (what counts as a departure, what a decision still lacks) are
pure functions in ``workshop.standing``, what to suggest ``ranking.readings``'; the service records and
checks the decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ranking.model import RankingInputError
from ranking.readings import NOT_SCORED, suggest_followup, suggested_size
from ranking.shortlist import ADDED, Shortlist, ShortlistConstraints
from ui import analysis, state
from ui.analysis import Target
from ui.feedback_widgets import feedback_inputs
from ui.live_widgets import followup_kind
from ui.plain import md
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import done
from workshop.errors import InvalidInput
from workshop.models import DecisionDraft, DepartureReason, Round, RoundKind, RoundState, ShortlistEntry, Workshop
from workshop.standing import Standing, changes, decision_problems, proposal

NEXT_ROUND_KINDS = {
    RoundKind.SCORING: "score them again on the criteria",
    RoundKind.RANKING: "rank them (or pick their top N)",
}


def computed_order(session: FacilitatorSession, workshop: Workshop, rnd: Round) -> Standing:
    """A round's computed order, ranked with the workshop's ranking options (set on the Results page)."""
    return analysis.standing(Target(session.key, rnd.id, workshop.version, workshop.ranking), workshop)


def _round_picker(label: str, rounds: Sequence[Round], key: str) -> Round:
    by_id = {r.id: r for r in rounds}
    chosen = st.selectbox(label, list(by_id), index=len(by_id) - 1, format_func=lambda i: by_id[i].label, key=key)
    return by_id[chosen]


# --------------------------------------------------------------------------- narrowing


def narrowing(session: FacilitatorSession, workshop: Workshop, answered: Sequence[Round]) -> None:
    """Choose the priorities that go to another round, and create it (as a draft)."""
    sources = [
        r for r in answered if r.kind is not RoundKind.WEIGHTING and r.state in (RoundState.CLOSED, RoundState.REVEALED)
    ]
    if not sources:
        st.info("Close a scoring or ranking round that people have answered to narrow its list for another round.")
        return
    source = _round_picker("From", sources, state.AGREE_SOURCE)
    computed = computed_order(session, workshop, source)
    n = len(computed.names)
    size = st.number_input(
        "Suggest the top",
        min_value=1,
        max_value=n,
        value=suggested_size(n, workshop.shortlist_size),
        step=1,
        key=f"{state.AGREE_SIZE_}{source.id}",
    )
    suggestion = suggest_followup(computed.names, computed.ranks, computed.high_spread, int(size))
    st.caption(
        f"Suggested: the top {int(size)} of the computed ranking ({computed.basis}), and anything just below "
        "them that the room is divided on."
    )
    st.dataframe(
        pd.DataFrame({"Priority": suggestion.names, "Why": suggestion.reasons}), hide_index=True, width="stretch"
    )
    names = [computed.names[i] for i in computed.order]
    chosen = st.multiselect(
        "Priorities for the next round",
        names,
        default=list(suggestion.names),
        format_func=computed.label,
        key=f"{state.AGREE_FOLLOWUP_}{source.id}-{int(size)}",
    )
    kind, pick = followup_kind(
        "In the next round participants will", NEXT_ROUND_KINDS, len(chosen), state.AGREE_KIND, state.AGREE_PICK
    )
    title = st.text_input("Title (optional)", max_chars=200, key=state.AGREE_TITLE)
    scoring = kind is RoundKind.SCORING and source.kind is RoundKind.SCORING
    feedback = feedback_inputs("agree") if scoring else None
    if st.button(f"Create a round on these {len(chosen)}", type="primary", key=state.AGREE_CREATE):
        with guard("Creating the round"):
            ids = [computed.id_of(name) for name in chosen]
            rnd = service().create_followup_round(
                session.key, source.id, ids, kind, title or None, int(pick) or None, feedback
            )
            done(f"{rnd.label} created with {len(rnd.priority_ids)} priorities. Open it from Live control.")


# --------------------------------------------------------------------------- agreeing


def constraints(computed: Standing, top: int) -> ShortlistConstraints:
    names = [computed.names[i] for i in computed.order]
    cap_column, include_column, exclude_column = st.columns([1, 2, 2])
    cap = cap_column.number_input(
        "At most per theme (0: no limit)",
        min_value=0,
        max_value=top,
        value=0,
        step=1,
        key=f"{state.AGREE_CAP_}{computed.round.id}",
    )
    include = include_column.multiselect("Must include", names, key=f"{state.AGREE_INCLUDE_}{computed.round.id}")
    exclude = exclude_column.multiselect("Must exclude", names, key=f"{state.AGREE_EXCLUDE_}{computed.round.id}")
    try:
        return ShortlistConstraints(int(cap) or None, tuple(include), tuple(exclude))
    except RankingInputError as exc:
        raise InvalidInput(f"Those constraints contradict each other: {exc}.") from None


def show_proposal(computed: Standing, proposed: Shortlist) -> None:
    themes = {p.name: p.theme for p in computed.priorities}
    st.dataframe(
        pd.DataFrame(
            {
                "Place": range(1, len(proposed.chosen) + 1),
                "Priority": proposed.chosen,
                "Computed rank": pd.array([computed.rank_of(n) for n in proposed.chosen], "Int64"),
                "Theme": [themes[n] for n in proposed.chosen],
            }
        ).style.format(subset=["Computed rank"], na_rep=NOT_SCORED),
        hide_index=True,
        width="stretch",
    )
    for departure in proposed.adjustments:
        verb = "Brought in" if departure.change == ADDED else "Left out"
        rank = rank_words(computed, departure.priority)
        st.markdown(f"- **{verb}: {md(departure.priority)}** ({rank}): {md(departure.reason)}.")


def rank_words(computed: Standing, name: str) -> str:
    rank = computed.rank_of(name)
    return NOT_SCORED if rank is None else f"computed rank {rank}"


def unscored_warning(computed: Standing, agreed: Sequence[str]) -> None:
    """Say plainly when the shortlist holds a priority nobody scored."""
    chosen = [name for name in agreed if name in computed.unscored]
    if chosen:
        st.warning(
            f"Nobody has scored {', '.join(f'“{md(n)}”' for n in chosen)} in {md(computed.round.label)}: "
            "the room has given no view of it. Putting it on the shortlist is a departure from the computed "
            "ranking and needs its reason."
        )


def agreeing(session: FacilitatorSession, workshop: Workshop, answered: Sequence[Round]) -> None:
    """Propose the constrained top k, let the facilitator change it, and record it with the reasons."""
    bases = [r for r in answered if r.kind is not RoundKind.WEIGHTING]
    if not bases:
        st.info("Once people have answered a scoring or ranking round, its top priorities are proposed here.")
        return
    basis = _round_picker("Measured against the results of", bases, state.AGREE_BASIS)
    computed = computed_order(session, workshop, basis)
    top = workshop.shortlist_places(len(computed.names))
    change = " (the workshop's ranking method, set on the Results page)" if basis.kind is RoundKind.SCORING else ""
    st.caption(f"Computed ranking: {computed.basis}{change}.")
    if computed.unscored:
        st.info(
            f"Nobody has scored {len(computed.unscored)} of the priorities in {md(computed.round.label)}; they are "
            "listed last as “not scored” and are never proposed."
        )
    proposed = proposal(computed, top, constraints(computed, top))
    st.markdown(f"**Proposed: the {top} with the highest total score that meet the constraints**")
    show_proposal(computed, proposed)

    names = [computed.names[i] for i in computed.order]
    agreed = st.multiselect(
        f"The agreed {top}, in order (accept the proposal or change it)",
        names,
        default=list(proposed.chosen),
        max_selections=top,
        format_func=computed.label,
        key=f"{state.AGREE_SHORTLIST_}{basis.id}-{'-'.join(str(computed.id_of(n)) for n in proposed.chosen)}",
    )
    unscored_warning(computed, agreed)
    st.markdown("**Why each priority is on the shortlist**")
    rationales = {
        name: st.text_area(f"Why “{md(name)}”?", key=f"{state.AGREE_RATIONALE_}{computed.id_of(name)}", height=68)
        for name in agreed
    }
    departures = changes(agreed, computed, top)
    proposal_reasons = {d.priority: d.reason for d in proposed.adjustments}
    reasons = {}
    if departures:
        st.markdown(f"**Why the shortlist departs from the computed top {top}**")
        for change in departures:
            verb = "bring in" if change.added else "leave out"
            why = proposal_reasons.get(change.name)
            reasons[change.name] = st.text_area(
                f"Why {verb} “{md(change.name)}” ({change.rank_words})?",
                key=f"{state.AGREE_CHANGE_}{change.priority_id}",
                help=f"The proposal's reason: {why}." if why else None,
                height=68,
            )
    decided_by = st.text_input("Decided by", max_chars=200, key=state.AGREE_DECIDED_BY)
    note = st.text_area("Note for the record (optional)", key=state.AGREE_NOTE, height=68)
    if st.button("Record the decision", type="primary", key=state.AGREE_RECORD):
        with guard("Recording the decision"):
            problems = decision_problems(agreed, top, rationales, departures, reasons, decided_by)
            if problems:
                raise InvalidInput("The decision was not recorded. Still needed:", problems)
            draft = DecisionDraft(
                shortlist=tuple(ShortlistEntry(computed.id_of(n), rationales[n]) for n in agreed),
                decided_by=decided_by,
                reasons=tuple(DepartureReason(c.priority_id, reasons[c.name]) for c in departures),
                round_id=basis.id,
                note=note,
            )
            service().record_decision(session.key, workshop.id, draft)
            done("The decision is recorded.")


# --------------------------------------------------------------------------- the record
