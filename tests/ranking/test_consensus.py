"""Disagreement analysis: spread, Kendall's W, group views, contested flags."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ranking import Criterion, Method, Priority, RankingInputError, RankingOptions, ScoreSet
from ranking.consensus import (
    MIN_COMPARED,
    consensus,
    kendall_w,
    mid_ranks,
    spearman,
)

NAN = np.nan
ONE_TO_FIVE = (Criterion("value"),)  # scale 1..5: utility = (x − 1)/4


def room(scores, names="ABCDEFGH", groups=(), criteria=ONE_TO_FIVE) -> ScoreSet:
    """participants × priorities (one criterion) or participants × priorities × criteria."""
    s = np.asarray(scores, dtype=float)
    if s.ndim == 2:
        s = s[:, :, None]
    priorities = tuple(Priority(n) for n in names[: s.shape[1]])
    return ScoreSet(priorities, criteria, s, groups=tuple(groups))


# --------------------------------------------------------------------------- Kendall's W


def test_kendall_w_siegel_1956_three_executives_six_applicants():
    """Siegel (1956) Nonparametric Statistics for the Behavioral Sciences,
    Kendall coefficient of concordance: three executives rank six job
    applicants; rank sums 8 14 11 11 11 8, s = 25.5, W = 0.16."""
    ranks = np.array([[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]], dtype=float)
    result = kendall_w(-ranks)  # rank 1 = best = highest score
    assert result.rank_sums.tolist() == [8, 14, 11, 11, 11, 8]
    assert result.s == 25.5
    assert result.ties == 0
    assert result.w == pytest.approx(25.5 / 157.5)
    assert round(result.w, 2) == 0.16


# irr::anxiety (Gamer, Lemon, Fellows & Singh, R package "irr"): 20 subjects rated by 3 raters.
ANXIETY = np.array(
    [
        [3, 3, 2], [3, 6, 1], [3, 4, 4], [4, 6, 4], [5, 2, 3], [5, 4, 2], [2, 2, 1], [3, 4, 6], [5, 3, 1], [2, 3, 1],
        [2, 2, 1], [6, 3, 2], [1, 3, 3], [5, 3, 3], [2, 2, 1], [2, 2, 1], [1, 1, 3], [2, 3, 3], [4, 3, 2], [3, 4, 2],
    ],
    dtype=float,
)  # fmt: skip


def test_kendall_w_with_ties_irr_anxiety():
    """R package irr, ``kendall(anxiety, correct = TRUE)``: Wt = 0.54,
    Chisq(19) = 30.8, p-value = 0.0429 (heavily tied ratings)."""
    result = kendall_w(ANXIETY.T)
    assert (result.m, result.n, result.df) == (3, 20, 19)
    assert round(result.w, 2) == 0.54
    assert round(result.chi_square, 1) == 30.8


def test_kendall_w_matches_the_siegel_castellan_formula():
    """Siegel & Castellan (1988) eq. 9.16, computed here from scipy's mid-ranks:
    W = (12 Σ R² − 3 m² n (n+1)²) / (m² n (n² − 1) − m Σ T)."""
    stats = pytest.importorskip("scipy.stats")
    x = ANXIETY.T
    m, n = x.shape
    ranks = np.vstack([stats.rankdata(row) for row in x])
    ties = sum(((c := np.unique(row, return_counts=True)[1]) ** 3 - c).sum() for row in x)
    expected = (12 * (ranks.sum(axis=0) ** 2).sum() - 3 * m**2 * n * (n + 1) ** 2) / (m**2 * n * (n**2 - 1) - m * ties)
    result = kendall_w(x)
    assert result.ties == ties == 1674
    assert result.w == pytest.approx(expected, rel=1e-12)


def test_kendall_w_hand_worked_with_a_tie():
    # rater 1: 3 2 2 → ranks 1 2.5 2.5 (one tie of 2: T = 6); rater 2: 3 2 1 → 1 2 3.
    # R = 2, 4.5, 5.5; mean 4; S = 4 + 0.25 + 2.25 = 6.5; W = 12·6.5/(4·24 − 2·6) = 78/84.
    result = kendall_w([[3, 2, 2], [3, 2, 1]])
    assert result.ranks.tolist() == [[1, 2.5, 2.5], [1, 2, 3]]
    assert result.s == 6.5 and result.ties == 6
    assert result.w == pytest.approx(78 / 84)


def test_kendall_w_is_one_for_identical_rankings_even_with_ties():
    assert kendall_w([[4, 3, 2, 1]] * 5).w == pytest.approx(1.0)
    assert kendall_w([[4, 3, 3, 1]] * 5).w == pytest.approx(1.0)


def test_kendall_w_is_zero_for_opposite_rankings():
    assert kendall_w([[1, 2, 3], [3, 2, 1]]).w == 0.0


def test_kendall_w_undefined_without_anything_to_rank():
    assert np.isnan(kendall_w([[1.0], [2.0]]).w)  # one item
    assert np.isnan(kendall_w([[2, 2, 2], [1, 1, 1]]).w)  # everything tied


def incomplete_w_by_hand(x: np.ndarray) -> tuple[float, float]:
    """Brueckl (2011), R ``irrNA::kendallNA``, written as a plain loop over pairs of raters: (W, mean ρ)."""
    x = x[(~np.isnan(x)).sum(axis=1) >= 2]
    pairs = []
    for a in range(len(x)):
        for b in range(a):
            both = ~np.isnan(x[a]) & ~np.isnan(x[b])
            rho = spearman(x[a, both], x[b, both]) if both.sum() >= 2 else np.nan
            pairs.append((0.0 if np.isnan(rho) else rho, max(both.sum() - 1, 0)))
    rho, weight = np.array(pairs).T
    mean_rho = (rho * weight).sum() / weight.sum()
    k = (~np.isnan(x)).sum(axis=0).mean()
    return (1 + mean_rho * (k - 1)) / k, mean_rho


def test_kendall_w_incomplete_brueckl_2011_hand_worked():
    """Kendall (1962) p. 95, W = (1 + (k − 1) ρ̄)/k, over incomplete rankings
    (Brueckl 2011; R irrNA::kendallNA).  Raters 1 and 2 share A, B, C in the
    same order (ρ = 1, weight 2); rater 3 shares B, C with each of them, in
    the opposite order (ρ = −1, weight 1 each).  ρ̄ = 0/4 = 0;
    k = (2 + 3 + 3 + 1)/4 = 9/4 raters per item, so W = 4/9."""
    x = np.array([[4, 3, 2, 1], [3, 2, 1, NAN], [NAN, 1, 2, NAN]])
    result = kendall_w(x)
    assert not result.complete
    assert result.mean_rho == pytest.approx(0.0)
    assert result.raters_per_item == pytest.approx(9 / 4)
    assert result.w == pytest.approx(4 / 9)
    assert result.chi_square == pytest.approx(3.0) and result.df == 3
    assert result.ranks[1].tolist()[:3] == [1, 2, 3] and np.isnan(result.ranks[1, 3])


def test_kendall_w_incomplete_gives_siegel_1956_on_complete_rankings():
    """The generalisation (Kendall 1962 p. 95) equals the classic W on complete untied
    rankings: Siegel (1956)'s three executives still read W = 0.16 beside a rater who
    ranked one applicant or none (left out), and one blank goes down the pairwise path."""
    ranks = np.array([[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]], dtype=float)
    one_item = np.array([[NAN, NAN, 3, NAN, NAN, NAN]])
    assert kendall_w(np.vstack([-ranks, one_item])).w == pytest.approx(25.5 / 157.5)
    result = kendall_w(np.vstack([-ranks, np.full((1, 6), NAN)]))
    assert result.w == pytest.approx(25.5 / 157.5) and result.m == 3
    partial = -ranks.copy()
    partial[2, 0] = NAN  # one blank: now incomplete
    got = kendall_w(partial)
    assert not got.complete
    assert got.w == pytest.approx(incomplete_w_by_hand(partial)[0])


@settings(max_examples=150, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(2, 6), st.integers(2, 7)), elements=st.integers(0, 4).map(float)),
    st.data(),
)
def test_property_incomplete_w_matches_the_pairwise_definition(x, data):
    x = np.where(data.draw(arrays(bool, x.shape)), NAN, x)
    result = kendall_w(x)
    if result.complete or np.isnan(result.w):
        return  # the classic formula, or no pair of raters with a defined ρ
    expected, mean_rho = incomplete_w_by_hand(x)
    assert result.w == pytest.approx(expected, abs=1e-12)
    assert result.mean_rho == pytest.approx(mean_rho, abs=1e-12)
    assert -1 - 1e-12 <= result.mean_rho <= 1 + 1e-12


@settings(max_examples=300, deadline=None)
@given(arrays(float, st.tuples(st.integers(1, 6), st.integers(2, 8)), elements=st.integers(0, 4).map(float)))
def test_kendall_w_lies_in_zero_one(x):
    w = kendall_w(x).w
    if np.isnan(w):
        assert (x == x[:, :1]).all()  # only when every rater tied everything
    else:
        assert -1e-12 <= w <= 1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(2, 6), st.integers(2, 8)), elements=st.integers(0, 4).map(float)), st.randoms()
)
def test_kendall_w_ignores_the_order_of_raters_and_items(x, rnd):
    rows, cols = list(range(x.shape[0])), list(range(x.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    np.testing.assert_allclose(kendall_w(x[rows][:, cols]).w, kendall_w(x).w, equal_nan=True)


def random_room(seed: int, participants: int = 60, priorities: int = 12) -> ScoreSet:
    """Scores drawn uniformly at random; half of each participant's priorities skipped and half
    of the remaining cells "don't know"."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(1, 6, size=(participants, priorities, 3)).astype(float)
    scores[rng.random(scores.shape) < 0.5] = NAN
    scores[rng.random(scores.shape[:2]) < 0.5] = NAN
    criteria = tuple(Criterion(name) for name in ("need", "reach", "evidence"))
    return room(scores, names=[f"P{i}" for i in range(priorities)], criteria=criteria)


def test_kendall_w_incomplete_brueckl_2011_a_random_room_with_many_dont_knows_reads_no_agreement():
    """A room answering at random agrees with nobody: W sits at its chance level 1/k (k raters
    per priority, Kendall 1962) and reads "very weak".  Filling "don't know" with the room's
    aggregate gave every participant the room's order there and read W ≈ 0.57 for seed 0."""
    found = [consensus(random_room(seed), top=3).concordance for seed in range(20)]
    assert all(not c.complete for c in found)
    assert all(c.w < 0.1 for c in found), [round(c.w, 3) for c in found]
    assert np.mean([c.mean_rho for c in found]) == pytest.approx(0.0, abs=0.01)
    assert np.mean([c.w for c in found]) == pytest.approx(np.mean([1 / c.raters_per_item for c in found]), abs=0.01)


def test_concordance_ranks_each_participant_on_the_criteria_they_scored():
    # P1 scored A and B on "need" only, P2 everything; "don't know" is not filled from the room.
    criteria = (Criterion("need"), Criterion("reach"))
    scores = room([[[5, NAN], [1, NAN], [NAN, NAN]], [[5, 5], [3, 3], [1, 1]]], criteria=criteria)
    concordance = consensus(scores, top=1).concordance
    assert concordance.ranks[0, :2].tolist() == [1, 2] and np.isnan(concordance.ranks[0, 2])
    assert concordance.w == pytest.approx(1.0)  # the one pair agrees on A over B


# --------------------------------------------------------------------------- ranks and Spearman


def test_mid_ranks_share_the_places_of_a_tie():
    assert mid_ranks([10, 7, 7, 1]).tolist() == [1, 2.5, 2.5, 4]
    assert mid_ranks([0.1 + 0.2, 0.3]).tolist() == [1.5, 1.5]  # within TIE_TOLERANCE
    assert mid_ranks([NAN, 2, NAN]).tolist() == [2.5, 1, 2.5]  # NaN last, as in min_ranks


def test_spearman_hand_and_reference():
    assert spearman([4, 3, 2, 1], [40, 30, 20, 10]) == pytest.approx(1.0)
    assert spearman([4, 3, 2, 1], [1, 2, 3, 4]) == pytest.approx(-1.0)
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))
    stats = pytest.importorskip("scipy.stats")
    a, b = [5, 3, 3, 1, 4, 2], [2, 3, 1, 1, 5, 4]
    assert spearman(a, b) == pytest.approx(stats.spearmanr(a, b).statistic)


# --------------------------------------------------------------------------- spread


def test_spread_hand_worked():
    # utilities P1: 1 .75 .5 0; P2: 1 .25 .5 1.  Population std and linear IQR of two
    # values are both half their gap: 0, .25, 0, .5.
    result = consensus(room([[5, 4, 3, 1], [5, 2, 3, 5]]), top=1)
    np.testing.assert_allclose(result.utilities, [[1, 0.75, 0.5, 0], [1, 0.25, 0.5, 1]])
    np.testing.assert_allclose(result.std, [0, 0.25, 0, 0.5])
    np.testing.assert_allclose(result.iqr, [0, 0.25, 0, 0.5])
    # 75th percentile of (0, 0, .25, .5) = .3125: only D is high spread (and above the floor).
    assert result.spread_quartile == pytest.approx(0.3125)
    # Room scores 1, .5, .5, .5 (ranks 1 2 2 2): with k = 1 every place 1..3 is near the line.
    assert result.near_cutoff.tolist() == [True] * 4
    assert result.high_spread.tolist() == [False, False, False, True]
    assert result.contested.all()
    assert not result.utilities.flags.writeable


def test_dont_know_takes_the_room_aggregate():
    # Room means: A 3, B 3.  P1 said "don't know" for B, so their B is the room's 3 → 0.5.
    result = consensus(room([[5, NAN], [1, 3]]), top=1)
    np.testing.assert_allclose(result.utilities, [[1, 0.5], [0, 0.5]])
    np.testing.assert_allclose(result.std, [0.5, 0])


def test_a_participant_who_scored_nothing_is_left_out():
    scores = room([[5, 1, 3], [NAN, NAN, NAN], [4, 2, 3]])
    result = consensus(scores, top=1)
    assert result.participants == ("P1", "P3")
    assert result.utilities.shape == (2, 3)
    assert result.concordance.m == 2


def test_criterion_spread_ignores_dont_know():
    criteria = (Criterion("need"), Criterion("evidence"))
    scores = [
        [[5, 2], [1, NAN]],
        [[3, 4], [1, NAN]],
        [[1, NAN], [2, NAN]],
    ]
    result = consensus(room(scores, criteria=criteria), top=1)
    np.testing.assert_allclose(result.criterion_std[0], [np.std([5, 3, 1]), 1.0])
    assert result.criterion_std[1, 0] == pytest.approx(np.std([1, 1, 2]))
    assert np.isnan(result.criterion_std[1, 1])  # nobody answered


def test_a_unanimous_room_has_no_high_spread_and_w_one():
    scores = room([[5, 4, 3, 2, 1]] * 4)
    result = consensus(scores, top=2)
    assert (result.std == 0).all() and (result.iqr == 0).all()
    assert result.kendall_w == pytest.approx(1.0)
    assert not result.high_spread.any()


def test_small_differences_stay_below_the_floor():
    # Spreads of at most 1/8 of a point on a 1–5 scale: the top quarter exists but is tiny.
    scores = room([[5, 4, 3, 2, 1], [5, 4, 3, 2, 1.5], [4.5, 4, 3, 2, 1]])
    result = consensus(scores, top=2, cutoff_places=0)
    assert result.std.max() < 0.125
    assert not result.contested.any()
    assert not result.high_spread.any() and not result.near_cutoff.any()


def test_lowering_the_floor_flags_the_top_quarter():
    scores = room([[5, 4, 3, 2, 1], [5, 4, 3, 2, 1.5], [4.5, 4, 3, 2, 1]])
    result = consensus(scores, top=2, cutoff_places=0, spread_floor=0.0)
    # A and E spread equally (one participant half a point off); the rest agree.
    assert result.high_spread.tolist() == [True, False, False, False, True]
    assert not result.near_cutoff.any()


# --------------------------------------------------------------------------- near the cut-off


def one_voice(values) -> ScoreSet:
    return room([values], names="ABCDEFGH")


def near(result) -> list[str]:
    return [name for name, flag in zip(result.names, result.near_cutoff, strict=True) if flag]


def test_near_the_cutoff_is_two_places_either_side_of_the_line():
    result = consensus(one_voice([5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5]), top=4)
    assert near(result) == ["C", "D", "E", "F"]  # places 3, 4, 5, 6
    assert near(consensus(one_voice([5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5]), top=4, cutoff_places=1)) == ["D", "E"]


def test_a_tie_straddling_the_line_is_near_it_however_high_it_starts():
    # Six tied at the top share places 1..6; with k = 5 they straddle the line.
    result = consensus(one_voice([5, 5, 5, 5, 5, 5, 2, 1]), top=5)
    assert near(result) == ["A", "B", "C", "D", "E", "F", "G"]


def test_a_tie_wholly_above_the_line_is_not_near_it():
    # A, B, C share places 1..3; k = 5 → near means places 4..7.
    result = consensus(one_voice([5, 5, 5, 4, 3.5, 3, 2, 1]), top=5)
    assert near(result) == ["D", "E", "F", "G"]


def test_no_line_when_everything_is_shortlisted():
    assert near(consensus(one_voice([5, 4, 3]), top=3)) == []


@pytest.mark.parametrize("top", [0, 4, 1.5, True])
def test_top_must_be_a_whole_number_in_range(top):
    with pytest.raises(RankingInputError, match="shortlist size must be a whole number from 1 to 3"):
        consensus(one_voice([5, 4, 3]), top=top)


def test_bad_thresholds_are_refused():
    with pytest.raises(RankingInputError, match="spread floor"):
        consensus(one_voice([5, 4, 3]), top=1, spread_floor=-0.1)
    with pytest.raises(RankingInputError, match="places either side"):
        consensus(one_voice([5, 4, 3]), top=1, cutoff_places=-1)


# --------------------------------------------------------------------------- groups


def test_group_views_hand_worked():
    # Schools (2): A5 B4 C2 D1; Police (1): A2 B3 C4 D5; a visitor with no group.
    # Room means (visitor 3 everywhere): A 3.75, B 3.5, C 2.75, D 2.5 → ranks 1 2 3 4.
    scores = room(
        [[5, 4, 2, 1], [5, 4, 2, 1], [2, 3, 4, 5], [3, 3, 3, 3]],
        groups=("Schools", "Schools", "Police", ""),
    )
    result = consensus(scores, top=2)
    assert result.room.ranks.tolist() == [1, 2, 3, 4]
    schools, police = result.groups
    assert (schools.group, schools.size, police.group, police.size) == ("Schools", 2, "Police", 1)
    np.testing.assert_allclose(schools.scores, [1, 0.75, 0.25, 0])
    assert schools.ranks.tolist() == [1, 2, 3, 4] and schools.spearman == pytest.approx(1.0)
    assert police.ranks.tolist() == [4, 3, 2, 1] and police.spearman == pytest.approx(-1.0)
    assert result.group_ranks.tolist() == [[1, 4], [2, 3], [3, 2], [4, 1]]
    assert result.group_rank_range.tolist() == [3, 1, 1, 3]
    # widest gap first, then the room's rank
    assert result.where_groups_disagree() == ("A", "D", "B", "C")
    table = result.group_table()
    assert list(table.columns) == ["priority", "room", "Schools", "Police", "range"]
    assert table["Police"].tolist() == [4, 3, 2, 1]


def test_groups_use_the_same_options():
    scores = room([[5, 4, 2, 1], [5, 4, 2, 1], [2, 3, 4, 5]], groups=("Schools", "Schools", "Police"))
    result = consensus(scores, RankingOptions(method=Method.BORDA), top=2)
    assert result.room.method is Method.BORDA
    assert result.groups[1].scores.tolist() == [0, 1, 2, 3]  # Police's own Borda points


def test_a_group_that_cannot_be_ranked_is_named():
    # "x" has no scale, so its range comes from the scores, and group G2 never scored it.
    criteria = (Criterion("x", scale_min=None, scale_max=None), Criterion("y"))
    scores = room([[[1, 2], [3, 4]], [[NAN, 2], [NAN, 5]]], criteria=criteria, groups=("G1", "G2"))
    with pytest.raises(RankingInputError, match="group 'G2': criterion 'x' has no scores at all"):
        consensus(scores, top=1)


def test_a_group_that_skipped_half_the_list_is_compared_on_what_it_scored():
    # Schools (2) score all eight; Police (1) scores only E–H, in the room's own order.  Room means:
    # A 5, B 4.5, C 4, E 3.67, D 3.5, F 3, G 2.33, H 1.67.  Counting A–D as Police's last gave ρ < 0.
    schools = [5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5]
    scores = room([schools, schools, [NAN] * 4 + [5, 4, 3, 2]], groups=("Schools", "Schools", "Police"))
    police = consensus(scores, top=2).groups[1]
    assert police.group == "Police" and police.compared == 4
    assert police.spearman == pytest.approx(1.0)


def test_a_group_with_too_few_priorities_in_common_has_no_spearman():
    schools = [5, 4, 3, 2]
    scores = room([schools, [NAN, NAN, 1, 5]], groups=("Schools", "Police"))
    police = consensus(scores, top=1).groups[1]
    assert police.compared == 2 < MIN_COMPARED
    assert np.isnan(police.spearman)  # over two priorities ρ is ±1 whatever the group thinks


def test_no_groups_no_views():
    result = consensus(room([[5, 4, 3]]), top=1)
    assert result.groups == ()
    assert result.group_ranks.shape == (3, 0)
    assert result.where_groups_disagree() == ()


def test_a_group_identical_to_the_room_has_spearman_one():
    # Each group holds the same two people, so each group's mean is the room's.
    people = [[5, 4, 2, 1, 3], [1, 4, 5, 2, 3]]
    scores = room(people + people, groups=("Schools", "Schools", "Police", "Police"))
    result = consensus(scores, top=2)
    for view in result.groups:
        np.testing.assert_allclose(view.scores, result.room.scores)
        assert view.spearman == pytest.approx(1.0)
    assert result.where_groups_disagree() == ()


@settings(max_examples=60, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=st.integers(1, 5).map(float)),
    st.sampled_from(list(Method)),
)
def test_property_a_copied_group_agrees_with_the_room(people, method):
    p = people.shape[0]
    scores = room(np.vstack([people, people]), groups=("Schools",) * p + ("Police",) * p)
    result = consensus(scores, RankingOptions(method=method), top=1)
    everything_tied = np.ptp(result.room.scores) <= 1e-9
    for view in result.groups:
        np.testing.assert_allclose(view.scores, result.room.scores, atol=1e-12)
        if everything_tied or view.compared < MIN_COMPARED:
            assert np.isnan(view.spearman)  # nothing (or too little) to correlate
        else:
            assert view.spearman == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        float, st.tuples(st.integers(1, 6), st.integers(2, 6), st.integers(1, 3)), elements=st.integers(1, 5).map(float)
    ),
    st.data(),
)
def test_property_consensus_is_consistent(scores, data):
    n, c = scores.shape[1], scores.shape[2]
    top = data.draw(st.integers(1, n))
    criteria = tuple(Criterion(f"C{i}") for i in range(c))
    result = consensus(room(scores, criteria=criteria), top=top)
    assert np.isnan(result.kendall_w) or 0 <= result.kendall_w <= 1 + 1e-12
    assert (result.std >= 0).all() and (result.iqr >= -1e-12).all()
    assert result.contested.tolist() == (result.high_spread | result.near_cutoff).tolist()
    assert not (result.high_spread & ~result.room.scored).any()
    table = result.table()
    assert table["priority"].tolist() == [result.names[i] for i in result.room.order]
