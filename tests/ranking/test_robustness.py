"""ranking.robustness: the one set of SMAA and bootstrap settings a workshop
stores, and the two readings made with it (the same numbers as the engine's
``smaa`` and ``bootstrap`` called with those settings)."""

from __future__ import annotations

import numpy as np
import pytest

from ranking.methods import RankingOptions
from ranking.model import RankingInputError
from ranking.robustness import (
    RobustnessOptions,
    resampled_rooms,
    robustness_text,
    sampling_used,
    weight_samples,
)
from ranking.sensitivity import WeightSampling, bootstrap, smaa
from tests.ranking.test_sensitivity import small_room

OPTIONS = RobustnessOptions(
    WeightSampling.AROUND, samples=800, seed=5, concentration=20, resamples=120, bootstrap_seed=6
)


def test_the_readings_are_the_engines_with_the_stored_settings():
    room = small_room(3)
    found = weight_samples(room, RankingOptions(), 2, OPTIONS)
    direct = smaa(room, RankingOptions(), 2, samples=800, sampling="around", concentration=20, seed=5)
    assert np.array_equal(found.p_top, direct.p_top) and (found.seed, found.samples) == (5, 800)
    boot = resampled_rooms(room, RankingOptions(), 2, OPTIONS)
    assert np.array_equal(boot.p_top, bootstrap(room, RankingOptions(), 2, 120, 6).p_top)


def test_another_seed_gives_other_samples():
    room = small_room(3)
    other = RobustnessOptions(**{**OPTIONS.__dict__, "seed": 6})
    a, b = (weight_samples(room, RankingOptions(), 2, o) for o in (OPTIONS, other))
    assert not np.array_equal(a.rank_acceptability, b.rank_acceptability)


def test_participants_own_weights_need_someone_who_shared_some():
    own = RobustnessOptions(WeightSampling.PARTICIPANTS)
    assert sampling_used(own, None) is WeightSampling.AROUND
    assert sampling_used(own, np.zeros((3, 3))) is WeightSampling.AROUND
    assert sampling_used(own, np.array([[0, 0, 0], [1, 2, 3]])) is WeightSampling.PARTICIPANTS
    assert sampling_used(RobustnessOptions(WeightSampling.UNIFORM), np.ones((2, 3))) is WeightSampling.UNIFORM
    room = small_room(4)
    found = weight_samples(room, RankingOptions(), 2, RobustnessOptions(WeightSampling.PARTICIPANTS, samples=200))
    assert found.sampling is WeightSampling.AROUND  # and the result says so


def test_the_sampling_is_parsed_and_an_unknown_one_refused():
    assert RobustnessOptions("uniform").sampling is WeightSampling.UNIFORM
    with pytest.raises(RankingInputError, match="weight sampling must be one of uniform, around, participants"):
        RobustnessOptions("gaussian")


def test_the_settings_in_words():
    assert robustness_text(OPTIONS) == (
        "SMAA: 800 weight samples, around the agreed weights (concentration 20), seed 5; "
        "bootstrap: 120 resamples, seed 6"
    )
