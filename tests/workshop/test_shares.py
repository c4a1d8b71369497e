"""The share rules of ``workshop.shares``: balanced coverage (a property) and shares by theme."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.errors import InvalidInput
from workshop.models import Priority
from workshop.shares import balanced_share, round_themes, share_rng, theme_share


@settings(max_examples=200, deadline=None)
@given(
    priorities=st.integers(1, 40),
    size=st.integers(1, 40),
    participants=st.integers(0, 120),
    seed=st.integers(0, 2**32 - 1),
)
def test_balanced_shares_keep_every_priority_within_one_answer_of_the_others(priorities, size, participants, seed):
    """When everyone has answered their share, every priority's answer count is within one of the others
    (and after every single share too), and each share is ``size`` distinct priorities (or all of them)."""
    counts = np.zeros(priorities, dtype=int)
    for number in range(1, participants + 1):
        share = balanced_share(counts, size, share_rng(seed, number))
        assert len(set(share)) == len(share) == min(size, priorities)
        counts[list(share)] += 1
        assert counts.max() - counts.min() <= 1
    assert counts.sum() == participants * min(size, priorities)


def test_ties_are_broken_at_random_but_the_same_way_for_the_same_seed():
    firsts = {balanced_share([0] * 10, 3, share_rng(1, n)) for n in range(1, 30)}
    assert len(firsts) > 5  # not always the first three
    assert balanced_share([0] * 10, 3, share_rng(1, 4)) == balanced_share([0] * 10, 3, share_rng(1, 4))


def test_the_least_given_come_first():
    assert balanced_share([3, 0, 3, 1, 0], 3, share_rng(0, 1)) == (1, 3, 4)


def test_a_share_by_theme():
    themes = ["Be healthy", "Stay safe", "Be healthy"]
    listed = [Priority(id=i, position=i, name=f"P{i}", theme=theme, evidence="") for i, theme in enumerate(themes)]
    assert theme_share(listed, ["be healthy "]) == (0, 2)
    assert round_themes(listed) == ("Be healthy", "Stay safe")
    with pytest.raises(InvalidInput, match="Choose at least one theme"):
        theme_share(listed, [" "])
    with pytest.raises(InvalidInput, match="'Enjoy' is not one of this round's themes"):
        theme_share(listed, ["Enjoy"])
