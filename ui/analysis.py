"""What the results and agreement pages compute: cached wrappers over the
service and the engine, and the few rules of their own they follow.

**Caching.**  Every computation is keyed by a ``Target`` (the facilitator's
key, the round, the workshop's change counter and the ranking options) plus
its own settings, so a rerun with nothing changed costs a dictionary look-up,
another facilitator tab (or the projector) reuses what one tab computed, and
any new answer moves the counter and so misses the cache.  The key is part of
the cache key: a wrong key never reaches a cached result, because the first
call with it goes to the service, which refuses it.  Engine results are frozen
dataclasses holding read-only arrays, so ``st.cache_resource`` shares one
object between sessions safely; ``MAX_ENTRIES`` bounds the memory.

**Rules** (pure, unit-tested): where an agreed shortlist departs from the
computed ranking (``changes``, the service's own rule from
``workshop.decision``) and what a decision still lacks before it may
be recorded (``decision_problems``).  Readings shown in more than one place
(the follow-up suggestion, Kendall's W in words, "not scored", the tie rule)
are ``ranking.readings``'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ranking.consensus import HIGH_SPREAD, Consensus, consensus
from ranking.methods import RankingOptions, RankingResult, rank
from ranking.model import Priority as EnginePriority
from ranking.ranks import display_order
from ranking.readings import rank_label
from ranking.robustness import RobustnessOptions, resampled_rooms, weight_samples
from ranking.sensitivity import (
    BootstrapResult,
    MethodAgreement,
    OneWayResult,
    SMAAResult,
    method_agreement,
    one_way,
)
from ranking.shortlist import Shortlist, ShortlistConstraints, shortlist
from ui.services import service
from workshop.decision import Departure, Drift, Measurement, departure_request, departures
from workshop.errors import InvalidInput
from workshop.models import Decision, Priority, Round, RoundKind, RoundState, Workshop
from workshop.results import (
    RankingRoundResults,
    RoundResults,
    ScoringResults,
    WeightingResults,
    basis_words,
    measurement,
)

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


class Basis(StrEnum):
    """What a stakeholder group's what-if ranking rests on."""

    SCORES = "the group's scores, the agreed weights"
    WEIGHTS = "everyone's scores, the group's weights"
    BOTH = "the group's scores and weights"


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def group_ranking(target: Target, group: str, basis: Basis, weights_round: int | None) -> RankingResult:
    """The ranking as one stakeholder group would have it.

    A group's weights are the mean of its members' own (normalised)
    allocations in the weighting round, as the room's are of everyone's."""
    score_set = scoring(target).score_set
    weights = None
    if basis is not Basis.SCORES:
        if weights_round is None:
            raise InvalidInput("A group's own weights come from a weighting round that somebody answered.")
        room = own_weights(target, weights_round)
        rows = [n for n, p in enumerate(room.participants) if p.group == group]
        if not rows:
            raise InvalidInput(f"Nobody from {group} shared points in the weighting round.")
        weights = room.own_weights[rows].mean(axis=0)
    if basis is not Basis.WEIGHTS:
        members = np.flatnonzero(np.array(score_set.groups, dtype=object) == group)
        if not members.size:
            raise InvalidInput(f"Nobody from {group} scored this round.")
        score_set = score_set.subset(members)
    return rank(score_set, target.options, weights=weights)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def figure(name: str, identity: tuple[object, ...], _build: Callable[[], go.Figure]) -> go.Figure:
    """The chart ``_build`` draws, built once per ``name`` and ``identity``
    (everything the chart depends on: the Target, k, settings).  Building a
    plotly figure costs more than computing most of what it shows; a figure is
    mutable, but ``st.plotly_chart`` only reads it (it serialises a copy), so
    one can be shared."""
    return _build()


def what_if(target: Target, weights: Sequence[float]) -> RankingResult:
    """The room's ranking under other weights: cheap, so not cached (a slider has many positions)."""
    return rank(scoring(target).score_set, target.options, weights=np.asarray(weights, dtype=float))


# --------------------------------------------------------------------------- a round's computed order


@dataclass(frozen=True, eq=False)
class Standing:
    """A round's computed order, whatever the round's kind: what a follow-up
    round, the proposed shortlist and a decision's departures are measured
    against.

    It offers what ``ranking.shortlist.shortlist`` reads of a ranking
    (``names``, ``priorities`` with their themes, ``ranks``, ``scores``,
    ``order``, ``top``), so a ranking round's Borda tally can be shortlisted
    under constraints like a scoring round's ranking.  ``high_spread`` marks
    the priorities the room is divided on (scoring rounds only).  A priority
    nobody scored has a NaN score (``ranking.methods``): it is never in the
    top k and has no computed rank (``rank_of`` gives None).
    """

    round: Round
    priority_ids: tuple[int, ...]
    priorities: tuple[EnginePriority, ...]
    ranks: np.ndarray
    scores: np.ndarray
    high_spread: tuple[bool, ...]
    basis: str
    #: The same ranking as a decision freezes it: what its departures are derived from (``workshop.decision``).
    measurement: Measurement

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.priorities)

    @property
    def order(self) -> list[int]:
        return display_order(self.ranks, self.names)

    @property
    def scored(self) -> np.ndarray:
        return ~np.isnan(np.asarray(self.scores, dtype=float))

    @property
    def unscored(self) -> tuple[str, ...]:
        return tuple(self.names[i] for i in self.order if not self.scored[i])

    def top(self, k: int) -> tuple[str, ...]:
        return tuple(self.names[i] for i in self.order if self.ranks[i] <= k and self.scored[i])

    def rank_of(self, name: str) -> int | None:
        """The computed rank, or None for a priority nobody scored (it has none)."""
        i = self.names.index(name)
        return int(self.ranks[i]) if self.scored[i] else None

    def label(self, name: str) -> str:
        """'3. Name', or 'Name (not scored)'."""
        return rank_label(name, self.rank_of(name))

    def id_of(self, name: str) -> int:
        return self.priority_ids[self.names.index(name)]


def standing(target: Target, workshop: Workshop) -> Standing:
    """The computed order of a scoring round (with the room's spread) or of a ranking round (Borda)."""
    found = results(target)
    ids = {p.name: p.id for p in workshop.priorities}
    if isinstance(found, ScoringResults):
        ranking = found.ranking
        spread = room_consensus(target, min(workshop.shortlist_size, len(ranking.names)))
        return Standing(
            round=found.round,
            priority_ids=tuple(ids[n] for n in ranking.names),
            priorities=ranking.priorities,
            ranks=ranking.ranks,
            scores=ranking.scores,
            high_spread=tuple(HIGH_SPREAD in reason for reason in spread.reasons),
            basis=basis_words(found),
            measurement=measurement(found, workshop.priorities, target.version),
        )
    if isinstance(found, RankingRoundResults):
        tally = found.tally
        return Standing(
            round=found.round,
            priority_ids=tuple(p.id for p in tally.priorities),
            priorities=tuple(_engine_priority(p) for p in tally.priorities),
            ranks=tally.ranks,
            scores=tally.points,
            high_spread=(False,) * len(tally.priorities),
            basis=f"Borda count of {tally.ballots} rankings",
            measurement=measurement(found, workshop.priorities, target.version),
        )
    raise InvalidInput("A weighting round ranks criteria, not priorities: choose a scoring or ranking round.")


def _engine_priority(priority: Priority) -> EnginePriority:
    return EnginePriority(priority.name, priority.theme, priority.description)


def proposal(computed: Standing, k: int, constraints: ShortlistConstraints) -> Shortlist:
    """The constrained top k (``ranking.shortlist``, cheap: not cached), or
    InvalidInput saying why the constraints cannot be met."""
    try:
        return shortlist(computed, k, constraints)
    except ValueError as exc:
        raise InvalidInput(f"No shortlist fits those constraints: {exc}.") from None


# --------------------------------------------------------------------------- rules


def changes(agreed: Sequence[str], computed: Standing, k: int) -> tuple[Departure, ...]:
    """Departures of ``agreed`` from the computed top ``k``: the service's own
    rule (``workshop.decision.departures``) on the same computed ranking."""
    names = {pid: name for name, pid in zip(computed.names, computed.priority_ids, strict=True)}
    return departures(computed.measurement, [computed.id_of(n) for n in agreed], names, k)


def decision_problems(
    agreed: Sequence[str],
    k: int,
    rationales: Mapping[str, str],
    found: Sequence[Departure],
    reasons: Mapping[str, str],
    decided_by: str,
) -> tuple[str, ...]:
    """Everything that must be fixed before the decision can be recorded (the
    service checks the same again and refuses what is missing)."""
    problems = []
    if len(agreed) != k:
        problems.append(f"The shortlist has {len(agreed)} priorities; it needs exactly {k}.")
    problems += [f"Give the reason for choosing '{name}'." for name in agreed if not rationales.get(name, "").strip()]
    problems += [departure_request(d) for d in found if not reasons.get(d.name, "").strip()]
    if not decided_by.strip():
        problems.append("Say who made the decision.")
    return tuple(problems)
