"""The Results page's Sensitivity tab: one-way thresholds, SMAA and the bootstrap, with their stored settings."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from ranking.robustness import SAMPLING_WORDS, RobustnessOptions, sampling_text
from ranking.sensitivity import WeightSampling
from ui import analysis, state
from ui.analysis import Target, cached_figure
from ui.figures import (
    acceptability_heatmap,
    bootstrap_bar,
    one_way_chart,
    smaa_top_bar,
    tornado,
)
from ui.results.shared import chart
from ui.services import service
from ui.session import facilitator, guard
from workshop.models import (
    MAX_CONCENTRATION,
    MAX_RESAMPLES,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_CONCENTRATION,
    MIN_RESAMPLES,
    MIN_SAMPLES,
    Round,
)

SAMPLING_LABELS = {mode: words[0].upper() + words[1:] for mode, words in SAMPLING_WORDS.items()}


ROBUSTNESS_CAPTION = (
    "These are the workshop's robustness settings: the exports use the same ones, so the board paper "
    "shows these figures (the audit log records each change)."
)
#: Each control of the sensitivity tab's two forms, and the RobustnessOptions field it holds.
ROBUSTNESS_KEYS = {
    state.RESULTS_SMAA_SAMPLING: "sampling",
    state.RESULTS_SMAA_SAMPLES: "samples",
    state.RESULTS_SMAA_SEED: "seed",
    state.RESULTS_SMAA_CONCENTRATION: "concentration",
    state.RESULTS_BOOT_RESAMPLES: "resamples",
    state.RESULTS_BOOT_SEED: "bootstrap_seed",
}


def _show_robustness(stored: RobustnessOptions) -> None:
    """Put the stored settings in the controls (so a change made in another tab shows here)."""
    for key, name in ROBUSTNESS_KEYS.items():
        st.session_state[key] = getattr(stored, name)


def _save_robustness() -> None:
    """Store the controls' settings as the workshop's (a form's submit callback: it runs before the page)."""
    session = facilitator()
    if session is None:
        return
    with guard("Saving the robustness settings"):
        chosen = RobustnessOptions(**{name: st.session_state[key] for key, name in ROBUSTNESS_KEYS.items()})
        service().set_robustness_options(session.key, session.workshop_id, chosen)
        st.toast("Robustness settings saved for the workshop and its exports.", icon="✅")


def smaa_controls(weights_round: Round | None) -> None:
    """Where SMAA's weights come from, how many, the seed and the concentration (stored on submit)."""

    def label(mode: WeightSampling) -> str:
        if mode is not WeightSampling.PARTICIPANTS:
            return SAMPLING_LABELS[mode]
        where = weights_round.short_label if weights_round else "no weighting round answered: around the agreed ones"
        return f"{SAMPLING_LABELS[mode]} ({where})"

    with st.form(state.RESULTS_SMAA_FORM, border=False):
        st.radio(
            "Draw weights from",
            list(WeightSampling),
            format_func=label,
            horizontal=True,
            key=state.RESULTS_SMAA_SAMPLING,
        )
        left, middle, right = st.columns(3)
        left.number_input(
            "Weight samples", min_value=MIN_SAMPLES, max_value=MAX_SAMPLES, step=1000, key=state.RESULTS_SMAA_SAMPLES
        )
        middle.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key=state.RESULTS_SMAA_SEED)
        right.number_input(
            "Concentration (around the agreed weights)",
            min_value=MIN_CONCENTRATION,
            max_value=MAX_CONCENTRATION,
            step=10.0,
            format="%g",
            key=state.RESULTS_SMAA_CONCENTRATION,
        )
        st.form_submit_button("Sample again", on_click=_save_robustness)


def bootstrap_controls() -> None:
    with st.form(state.RESULTS_BOOT_FORM, border=False):
        left, right = st.columns(2)
        left.number_input(
            "Resamples", min_value=MIN_RESAMPLES, max_value=MAX_RESAMPLES, step=100, key=state.RESULTS_BOOT_RESAMPLES
        )
        right.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key=state.RESULTS_BOOT_SEED)
        st.form_submit_button("Resample again", on_click=_save_robustness)


def sensitivity_tab(target: Target, top: int, weights_round: Round | None, robustness: RobustnessOptions) -> None:
    """One-way thresholds, SMAA and the bootstrap, with the workshop's stored
    robustness settings (shown in the controls, which store a change)."""
    ranking = analysis.scoring(target).ranking
    st.subheader("How far can each weight move before the top k changes?")
    with st.spinner("Moving each weight in turn…"):
        moved = analysis.sensitivity(target, top)
    chart(_tornado(target, top), "results-tornado")
    narrowest = min(moved.thresholds, key=lambda t: (t.upper or 1.0) - (t.lower or 0.0))
    criterion = st.selectbox(
        "Criterion",
        list(moved.criteria),
        index=moved.criteria.index(narrowest.criterion),
        key=f"{state.RESULTS_CRITERION_}{target.round_id}",
    )
    chart(_one_way(target, top, criterion), "results-one-way")

    _show_robustness(robustness)
    weights_id = weights_round.id if weights_round else None
    st.subheader("Random weights (SMAA)")
    st.caption(
        "Rank the priorities under thousands of weight vectors: how often does each make the top "
        f"{top}? “Around the agreed weights” draws from a Dirichlet distribution centred on them: the higher "
        "the concentration, the closer to the agreed weights (at 50, each weight give or take about a quarter)."
    )
    smaa_controls(weights_round)
    with st.spinner(f"Ranking the room under {robustness.samples:,} weight samples…"):
        sampled = analysis.stochastic(target, top, robustness, weights_id)
    st.markdown(
        f"**{sampled.samples:,} samples, {sampling_text(sampled.sampling, sampled.concentration)}, "
        f"seed {sampled.seed}** (the same seed gives the same result)."
    )
    chart(_smaa_top(target, top, robustness, weights_id), "results-smaa-top")
    shown = min(len(ranking.names), max(2 * top, 10))
    chart(_acceptability(target, top, robustness, weights_id, shown), "results-acceptability")

    st.subheader("Who happened to be in the room (bootstrap)")
    st.caption(
        "Draw the room again from its own participants, with replacement, and rank each new room with the "
        f"agreed weights: how often does each priority make the top {top}?"
    )
    bootstrap_controls()
    with st.spinner(f"Re-ranking {robustness.resamples:,} resampled rooms…"):
        boot = analysis.resampled(target, top, robustness)
    st.markdown(f"**{boot.resamples:,} resamples, seed {boot.seed}.**")
    chart(_bootstrap(target, top, robustness), "results-bootstrap")
    st.caption(ROBUSTNESS_CAPTION)


@cached_figure
def _tornado(target: Target, top: int) -> go.Figure:
    return tornado(analysis.sensitivity(target, top))


@cached_figure
def _one_way(target: Target, top: int, criterion: str) -> go.Figure:
    return one_way_chart(analysis.sensitivity(target, top), criterion)


@cached_figure
def _smaa_top(target: Target, top: int, robustness: RobustnessOptions, weights_id: int | None) -> go.Figure:
    sampled = analysis.stochastic(target, top, robustness, weights_id)
    return smaa_top_bar(sampled, analysis.scoring(target).ranking)


@cached_figure
def _acceptability(
    target: Target, top: int, robustness: RobustnessOptions, weights_id: int | None, shown: int
) -> go.Figure:
    sampled = analysis.stochastic(target, top, robustness, weights_id)
    return acceptability_heatmap(sampled, analysis.scoring(target).ranking, ranks=shown)


@cached_figure
def _bootstrap(target: Target, top: int, robustness: RobustnessOptions) -> go.Figure:
    return bootstrap_bar(analysis.resampled(target, top, robustness), analysis.scoring(target).ranking)
