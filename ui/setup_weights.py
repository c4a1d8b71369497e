"""Setting the criteria's weights on the setup page: by direct entry, by
rank order (rank-order centroid, Barron & Barrett 1996), by pairwise
comparison (AHP, Saaty 1980) or by swing (DCLG 2009), with the method recorded for the board paper."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from ranking.model import RankingInputError
from ranking.ranks import min_ranks
from ranking.swing import swing_weights
from ranking.weights import SAATY_RANDOM_INDEX, ahp, rank_order_centroid
from ui import state
from ui.services import service
from ui.session import FacilitatorSession, guard
from workshop.models import Criterion, CriterionSwing, CriterionWeight, WeightMethod, Workshop

METHODS = (WeightMethod.DIRECT, WeightMethod.RANK_ORDER, WeightMethod.PAIRWISE, WeightMethod.SWING)
METHOD_LABELS = {
    WeightMethod.DIRECT: "Direct entry",
    WeightMethod.RANK_ORDER: "Rank order",
    WeightMethod.PAIRWISE: "Pairwise comparison (AHP)",
    WeightMethod.PARTICIPANTS: "the room's weighting round",
    WeightMethod.SWING: "Swing weights",
}
#: Pairwise steps: 0 = equally important; +s = the first criterion is (s + 1)
#: times as important as the second (Saaty's 1–9 scale); −s the other way round.
#: Listed from "first ×9" to "second ×9", so the slider reads left to right like "A vs B".
PAIR_STEPS = tuple(range(8, -9, -1))
MAX_AHP_CRITERIA = max(SAATY_RANDOM_INDEX)


def pairwise_matrix(n: int, steps: dict[tuple[int, int], int]) -> np.ndarray:
    """The reciprocal judgement matrix from the slider steps of each pair i < j."""
    matrix = np.ones((n, n))
    for (i, j), step in steps.items():
        value = step + 1.0 if step >= 0 else 1.0 / (1 - step)
        matrix[i, j], matrix[j, i] = value, 1.0 / value
    return matrix


def step_label(step: int, first: str, second: str) -> str:
    if step == 0:
        return "Equally important"
    name = first if step > 0 else second
    return f"{name} ×{abs(step) + 1}"


def default_ranks(criteria: Sequence[Criterion]) -> list[int]:
    """Importance ranks from the current weights (1 = heaviest; equal weights share a rank)."""
    return [int(r) for r in min_ranks(np.array([c.weight for c in criteria]))]


def shares_table(names: Sequence[str], values: np.ndarray, heading: str) -> pd.DataFrame:
    total = float(np.sum(values))
    shares = values / total * 100 if total > 0 else np.zeros(len(names))
    return pd.DataFrame({"Criterion": list(names), heading: shares})


def _share_column(heading: str) -> dict[str, st.column_config.Column]:
    return {heading: st.column_config.ProgressColumn(heading, format="%.1f%%", min_value=0, max_value=100)}


def current_weights(workshop: Workshop) -> None:
    names = [c.name for c in workshop.criteria]
    table = shares_table(names, np.array([c.weight for c in workshop.criteria]), "Weight")
    st.dataframe(table, hide_index=True, column_config=_share_column("Weight"))
    st.caption(f"Weights set by {METHOD_LABELS[workshop.weight_method].lower()}. The engine uses them as shares.")
    if workshop.weight_method is WeightMethod.SWING:
        given = ", ".join(f"{c.name} {c.swing:g}" for c in swing_order(workshop.criteria) if c.swing is not None)
        st.caption(f"Swings as given (first = 100): {given}.")


def _direct(criteria: Sequence[Criterion], tag: str) -> np.ndarray | None:
    st.caption("Give each criterion a number of points; only their proportions matter (25 and 50 = one third each).")
    columns = st.columns(min(len(criteria), 4))
    values = [
        columns[n % len(columns)].number_input(
            c.name, min_value=0.0, value=float(c.weight), step=1.0, key=f"{state.SETUP_DIRECT_WEIGHT_}{tag}_{c.id}"
        )
        for n, c in enumerate(criteria)
    ]
    if sum(values) <= 0:
        st.error("Give at least one criterion a weight above zero.")
        return None
    return np.array(values, dtype=float)


def _rank_order(criteria: Sequence[Criterion], tag: str) -> np.ndarray | None:
    st.caption(
        "Rank the criteria by importance (1 = most important; equal ranks are allowed). "
        "Rank-order centroid weights follow from the ranks alone."
    )
    options = list(range(1, len(criteria) + 1))
    defaults = default_ranks(criteria)
    columns = st.columns(min(len(criteria), 4))
    ranks = [
        columns[n % len(columns)].selectbox(
            c.name, options, index=defaults[n] - 1, key=f"{state.SETUP_RANK_}{tag}_{c.id}"
        )
        for n, c in enumerate(criteria)
    ]
    try:
        return rank_order_centroid(ranks) * 100
    except RankingInputError as error:
        st.error(f"Those ranks do not work: {error}.")
        return None


def _pairwise(criteria: Sequence[Criterion], tag: str) -> np.ndarray | None:
    n = len(criteria)
    if n < 2:
        st.info("Pairwise comparison needs at least two criteria.")
        return None
    if n > MAX_AHP_CRITERIA:
        st.warning(f"Pairwise comparison supports up to {MAX_AHP_CRITERIA} criteria; use rank order instead.")
        return None
    st.caption(
        "For each pair, which criterion matters more, and how much more? "
        "(1 = equally, 3 = moderately, 5 = strongly, 7 = very strongly, 9 = extremely.)"
    )
    steps = {}
    columns = st.columns(2, gap="large")
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    for number, (i, j) in enumerate(pairs):
        first, second = criteria[i].name, criteria[j].name
        with columns[number % 2]:
            steps[(i, j)] = st.select_slider(
                f"{first} vs {second}",
                options=PAIR_STEPS,
                value=0,
                format_func=lambda s, a=first, b=second: step_label(s, a, b),
                key=f"{state.SETUP_PAIR_}{tag}_{criteria[i].id}_{criteria[j].id}",
            )
    result = ahp(pairwise_matrix(n, steps), [c.name for c in criteria])
    message = f"Consistency ratio {result.cr:.3f} (Saaty: judgements are acceptably consistent up to 0.10)."
    if result.warning:
        st.warning(
            f"The {result.warning}. The weights below may not reflect what the room means; "
            "check the pairs with the biggest differences.",
            icon="⚠️",
        )
    else:
        st.caption(message)
    return result.weights * 100


def swing_order(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria in the order their swings were given (largest first), else by weight; ties keep their order."""
    if all(c.swing is not None for c in criteria):
        return sorted(criteria, key=lambda c: -(c.swing or 0.0))
    return sorted(criteria, key=lambda c: -c.weight)


def _swing(criteria: Sequence[Criterion], tag: str) -> tuple[np.ndarray, list[CriterionSwing]] | None:
    st.caption(
        "Imagine each criterion moving from the worst to the best point of its scale. Put first the criterion "
        "whose swing matters most and give it 100; give each other a number from 0 to 100 saying how much its "
        "swing matters compared with the first. The weights are those numbers divided by their total."
    )
    by_name = {c.name: c for c in criteria}
    start = swing_order(criteria)
    top = max(c.weight for c in criteria) or 1.0
    order, swings = [], []
    for place, default in enumerate(start):
        left, right = st.columns([3, 1])
        name = left.selectbox(
            f"Place {place + 1}",
            list(by_name),
            index=list(by_name).index(default.name),
            key=f"{state.SETUP_SWING_ORDER_}{tag}_{place}",
        )
        value = default.swing if default.swing is not None else round(100 * default.weight / top)
        swing = right.number_input(
            "Swing",
            min_value=0.0,
            max_value=100.0,
            value=100.0 if place == 0 else float(value),
            step=5.0,
            format="%g",
            disabled=place == 0,
            key=f"{state.SETUP_SWING_}{tag}_{place}",
        )
        order.append(by_name[name])
        swings.append(100.0 if place == 0 else float(swing))
    twice = [n for n in by_name if [c.name for c in order].count(n) > 1]
    if twice:
        st.error(f"List each criterion once: '{twice[0]}' is in more than one place.")
        return None
    try:
        found = swing_weights([(c.name, v) for c, v in zip(order, swings, strict=True)])
    except RankingInputError as error:
        st.error(f"Those swings do not work: {error}.")
        return None
    weights = np.array([found.weight_of(c.name) for c in criteria]) * 100
    return weights, [CriterionSwing(c.id, v) for c, v in zip(order, swings, strict=True)]


def weights_section(session: FacilitatorSession, workshop: Workshop, tag: str, locked: bool) -> None:
    criteria = workshop.criteria
    if not criteria:
        st.info("Add criteria first; then set their weights here.")
        return
    current_weights(workshop)
    if locked:
        return
    default = METHODS.index(workshop.weight_method) if workshop.weight_method in METHODS else 0
    method = st.radio(
        "Set the weights by",
        METHODS,
        index=default,
        format_func=METHOD_LABELS.__getitem__,
        horizontal=True,
        key=state.SETUP_WEIGHT_METHOD,
    )
    swings: list[CriterionSwing] = []
    if method is WeightMethod.SWING:
        found = _swing(criteria, tag)
        proposed, swings = (None, []) if found is None else found
    else:
        proposed = {
            WeightMethod.DIRECT: _direct,
            WeightMethod.RANK_ORDER: _rank_order,
            WeightMethod.PAIRWISE: _pairwise,
        }[method](criteria, tag)
    if proposed is None:
        return
    heading = "Proposed weight"
    st.dataframe(
        shares_table([c.name for c in criteria], proposed, heading),
        hide_index=True,
        column_config=_share_column(heading),
    )
    if st.button("Use these weights", key=state.SETUP_SAVE_WEIGHTS, type="primary"):
        with guard("Saving the weights"):
            if method is WeightMethod.SWING:
                service().set_swing_weights(session.key, session.workshop_id, swings)
            else:
                weights = [CriterionWeight(c.id, float(w)) for c, w in zip(criteria, proposed, strict=True)]
                service().set_weights(session.key, session.workshop_id, weights, method)
            st.session_state[state.FLASH] = f"Weights saved ({METHOD_LABELS[method].lower()})."
            st.rerun()
