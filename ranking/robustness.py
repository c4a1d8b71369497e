"""How robust the top k is: the one set of stochastic settings a workshop
stores (``RobustnessOptions``) and the two readings made with them.

A workshop has one ``RobustnessOptions``; the Results page and every export
run SMAA (``weight_samples``) and the participant bootstrap
(``resampled_rooms``) with it, so "the chance of a top-5 place" in the board
paper is the number the room saw on the screen.  There is one setting for
every ranking method: the screen and the paper never differ because a
method is slow.

**Participants' own weights without any.**  Sampling the participants' own
weight vectors needs a weighting round in which somebody shared points.
Without one, ``weight_samples`` draws around the agreed weights instead
(the default mode) and the result says so (``SMAAResult.sampling``): the
setting is the workshop's, and a workshop may hold it before any weighting
round has been answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ranking.methods import RankingOptions
from ranking.model import ScoreSet
from ranking.sensitivity import (
    DEFAULT_CONCENTRATION,
    BootstrapResult,
    SMAAResult,
    WeightSampling,
    bootstrap,
    smaa,
)

#: The defaults: what the Results page draws for a typical room under the
#: weighted sum and TOPSIS in well under a second (bench/RESULTS.md), and
#: what every export then uses too.
DEFAULT_SAMPLES = 10_000
DEFAULT_RESAMPLES = 1_000
DEFAULT_SEED = 0


@dataclass(frozen=True)
class RobustnessOptions:
    """The stochastic sensitivity settings: SMAA-2's weight sampling (where
    the weight vectors come from, how many, the seed, and the Dirichlet
    concentration when drawing around the agreed weights) and the participant
    bootstrap's resamples and seed.  The workshop's bounds on each are checked
    where a workshop stores them (``workshop.models.workshop_robustness``)."""

    sampling: WeightSampling = WeightSampling.AROUND
    samples: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    concentration: float = DEFAULT_CONCENTRATION
    resamples: int = DEFAULT_RESAMPLES
    bootstrap_seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        object.__setattr__(self, "sampling", WeightSampling.parse(self.sampling))


def sampling_used(options: RobustnessOptions, participant_vectors: np.ndarray | None) -> WeightSampling:
    """The sampling ``weight_samples`` uses: the stored one, except
    participants' own weights when nobody shared any (then around the agreed weights)."""
    if options.sampling is WeightSampling.PARTICIPANTS:
        vectors = None if participant_vectors is None else np.asarray(participant_vectors, dtype=float)
        if vectors is None or not vectors.size or not (vectors.sum(axis=1) > 0).any():
            return WeightSampling.AROUND
    return options.sampling


def weight_samples(
    score_set: ScoreSet,
    ranking: RankingOptions,
    top: int,
    options: RobustnessOptions,
    participant_vectors: np.ndarray | Sequence[Sequence[float]] | None = None,
) -> SMAAResult:
    """SMAA-2 of the room under the workshop's robustness settings
    (``participant_vectors``: the latest weighting round's own weights, if any)."""
    vectors = None if participant_vectors is None else np.asarray(participant_vectors, dtype=float)
    sampling = sampling_used(options, vectors)
    return smaa(
        score_set,
        ranking,
        top,
        samples=options.samples,
        sampling=sampling,
        concentration=options.concentration,
        participant_vectors=vectors if sampling is WeightSampling.PARTICIPANTS else None,
        seed=options.seed,
    )


def resampled_rooms(
    score_set: ScoreSet, ranking: RankingOptions, top: int, options: RobustnessOptions
) -> BootstrapResult:
    """The participant bootstrap under the workshop's robustness settings."""
    return bootstrap(score_set, ranking, top, options.resamples, options.bootstrap_seed)


#: Where SMAA's weight vectors come from, in words (the screen's choices and every export's).
SAMPLING_WORDS = {
    WeightSampling.UNIFORM: "any weights at all (uniform)",
    WeightSampling.AROUND: "around the agreed weights",
    WeightSampling.PARTICIPANTS: "participants' own weights",
}


def sampling_text(sampling: WeightSampling, concentration: float) -> str:
    """'around the agreed weights (concentration 50)', 'any weights at all (uniform)', …"""
    words = SAMPLING_WORDS[sampling]
    return f"{words} (concentration {concentration:g})" if sampling is WeightSampling.AROUND else words


def robustness_text(options: RobustnessOptions) -> str:
    """The settings in one line, as the audit log records them."""
    return (
        f"SMAA: {options.samples:,} weight samples, {sampling_text(options.sampling, options.concentration)}, "
        f"seed {options.seed}; bootstrap: {options.resamples:,} resamples, seed {options.bootstrap_seed}"
    )
