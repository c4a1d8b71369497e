"""The results and agreement pages' caches: cached wrappers over the service and the engine.

**Caching.**  Every computation is keyed by a ``Target`` (the facilitator's
key, the round, the workshop's change counter and the ranking options) plus
its own settings, so a rerun with nothing changed costs a dictionary look-up,
another facilitator tab (or the projector) reuses what one tab computed, and
any new answer moves the counter and so misses the cache.  The key is part of
the cache key: a wrong key never reaches a cached result, because the first
call with it goes to the service, which refuses it.  Engine results are frozen
dataclasses holding read-only arrays, so ``st.cache_resource`` shares one
object between sessions safely; figures, which are mutable, are cached as
plain dicts and drawn afresh (``cached_figure``).  ``MAX_ENTRIES`` bounds the memory.

The rules these pages follow are pure functions elsewhere: a round's computed
order, the proposed shortlist and a decision's departures in
``workshop.standing``, a stakeholder group's ranking in ``workshop.results``,
the readings in ``ranking.readings``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ParamSpec

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ranking.consensus import Consensus, consensus
from ranking.methods import RankingOptions, RankingResult, rank
from ranking.robustness import RobustnessOptions, resampled_rooms, weight_samples
from ranking.sensitivity import (
    BootstrapResult,
    MethodAgreement,
    OneWayResult,
    SMAAResult,
    method_agreement,
    one_way,
)
from ui.services import service
from workshop import results as results_rules
from workshop import standing as workshop_standing
from workshop.converging import ConsensusSummary
from workshop.decision import Drift
from workshop.errors import InvalidInput
from workshop.models import Decision, Round, RoundKind, RoundState, Workshop
from workshop.results import Basis, RoundResults, ScoringResults, WeightingResults
from workshop.standing import Standing

P = ParamSpec("P")

MAX_ENTRIES = 64


@dataclass(frozen=True)
class Target:
    """Which results to analyse; with each computation's settings, its cache key."""

    key: str
    round_id: int
    version: int
    options: RankingOptions = field(default_factory=RankingOptions)


# --------------------------------------------------------------------------- cached reads


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def results(target: Target) -> RoundResults:
    """The round's results from the service (which checks the key)."""
    return service().results(target.key, target.round_id, target.options)


def scoring(target: Target) -> ScoringResults:
    found = results(target)
    if not isinstance(found, ScoringResults):
        raise InvalidInput("That analysis needs a scoring round.")
    return found


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def answered_rounds(key: str, round_ids: tuple[int, ...], version: int) -> tuple[int, ...]:
    """Those of ``round_ids`` somebody has answered (``version`` keys the cache)."""
    return tuple(r for r in round_ids if service().progress(key, r).started)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def latest_decision(key: str, workshop_id: int, version: int) -> Decision | None:
    return service().decision(key, workshop_id)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def decision_drift(key: str, workshop_id: int, version: int) -> Drift | None:
    """How the latest decision's basis round ranks now against what it was measured against."""
    return service().decision_drift(key, workshop_id)


def rounds_answered(key: str, workshop: Workshop) -> tuple[Round, ...]:
    """The workshop's rounds that somebody has answered, in order."""
    started = tuple(r.id for r in workshop.rounds if r.state is not RoundState.DRAFT)
    answered = answered_rounds(key, started, workshop.version)
    return tuple(r for r in workshop.rounds if r.id in answered)


def weighting_round(rounds: Sequence[Round]) -> Round | None:
    """The latest answered weighting round: where participants' own weights come from."""
    weighting = [r for r in rounds if r.kind is RoundKind.WEIGHTING]
    return weighting[-1] if weighting else None


def own_weights(target: Target, weights_round: int) -> WeightingResults:
    found = results(Target(target.key, weights_round, target.version))
    if not isinstance(found, WeightingResults):
        raise InvalidInput("Participants' own weights come from a weighting round.")
    return found


# --------------------------------------------------------------------------- cached analyses


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def room_consensus(target: Target, top: int) -> Consensus:
    return consensus(scoring(target).score_set, target.options, top)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def consensus_rule(target: Target) -> ConsensusSummary:
    """The round under the workshop's stored consensus rule (the service's one reading; the version keys it)."""
    return service().consensus(target.key, target.round_id)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def agreement(target: Target, top: int) -> MethodAgreement:
    return method_agreement(scoring(target).score_set, top, target.options)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def sensitivity(target: Target, top: int) -> OneWayResult:
    return one_way(scoring(target).score_set, target.options, top)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def stochastic(target: Target, top: int, robustness: RobustnessOptions, weights_round: int | None) -> SMAAResult:
    """SMAA-2 with the workshop's robustness settings (the cache keys on them);
    participants' own weights come from ``weights_round``, the latest answered
    weighting round (``weighting_round``), as in the exports."""
    vectors = own_weights(target, weights_round).own_weights if weights_round is not None else None
    return weight_samples(scoring(target).score_set, target.options, top, robustness, vectors)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def resampled(target: Target, top: int, robustness: RobustnessOptions) -> BootstrapResult:
    """The participant bootstrap with the workshop's robustness settings."""
    return resampled_rooms(scoring(target).score_set, target.options, top, robustness)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def group_ranking(target: Target, group: str, basis: Basis, weights_round: int | None) -> RankingResult:
    """The ranking as one stakeholder group would have it (``workshop.results.group_ranking``)."""
    weighting = own_weights(target, weights_round) if weights_round is not None else None
    return results_rules.group_ranking(scoring(target), group, basis, weighting)


# --------------------------------------------------------------------------- figures

#: The figure drawings ``cached_figure`` has registered, by name.
DRAWINGS: dict[str, Callable[..., go.Figure]] = {}


def cached_figure(draw: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """``draw`` with its figure cached between reruns and sessions, keyed by
    everything it is given.

    A drawing takes only hashable inputs (the ``Target``, k, settings) and
    fetches its data through the cached analyses here, so the cache key is its
    arguments themselves and a missed key cannot happen.  The cache holds the
    figure as a plain dict (``st.cache_data`` hands each caller its own copy)
    and every call builds a fresh ``go.Figure`` from it, so no session can
    change another's figure."""
    name = f"{draw.__module__}.{draw.__qualname__}"
    DRAWINGS[name] = draw

    @functools.wraps(draw)
    def fresh(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        return go.Figure(figure(name, *args, **kwargs), _validate=False)  # validated when first drawn

    return fresh


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def figure(name: str, *args: object, **kwargs: object) -> dict:
    """The figure of drawing ``name`` (see ``cached_figure``) for these arguments, as a dict."""
    return DRAWINGS[name](*args, **kwargs).to_plotly_json()


def what_if(target: Target, weights: Sequence[float]) -> RankingResult:
    """The room's ranking under other weights: cheap, so not cached (a slider has many positions)."""
    return rank(scoring(target).score_set, target.options, weights=np.asarray(weights, dtype=float))


def standing(target: Target, workshop: Workshop) -> Standing:
    """A round's computed order (``workshop.standing``), with the room's spread for a scoring round."""
    found = results(target)
    spread = None
    if isinstance(found, ScoringResults):
        spread = room_consensus(target, workshop.shortlist_places(len(found.ranking.names))).high_spread
    return workshop_standing.standing(found, workshop.priorities, target.version, spread)
