"""The vectorised paths of issue 17 against simple reference loops.

* ``tie_counts`` (a sort per row) against the pairwise comparisons that
  define the tie rule (``ranking.ranks``);
* ``contest_points`` (Borda and Copeland from sorted ballots) against
  ``contest`` on ``participant_utilities``;
* chunked SMAA against one chunk and against ranking each sample with ``rank``;
* the column-wise long-file reader against the row-by-row one.

Hypothesis draws small rooms with "don't know" (NaN), priorities nobody
scored, integer scores (so exact ties) and ties within the tolerance.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ranking.methods as methods
import ranking.sensitivity as sensitivity
from ranking.aggregate import aggregate
from ranking.io import _parse_table, _read_long_scores, _read_long_scores_fast, read_scores
from ranking.methods import (
    Method,
    RankingOptions,
    _bit_counts,
    ballot_weights,
    bit_count_scratch,
    contest,
    contest_points,
    participant_matrix,
    participant_utilities,
    rank,
    tie_counts,
)
from ranking.model import Criterion, Priority, RankingInputError, ScoreSet
from ranking.ranks import TIE_TOLERANCE, min_ranks
from ranking.sensitivity import sample_weights, smaa

TAU = TIE_TOLERANCE
some = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- tie_counts


@some
@given(
    st.integers(1, 9).flatmap(
        lambda n: st.lists(
            st.lists(
                st.tuples(st.integers(0, 3), st.sampled_from([0.0, TAU / 2, TAU, 2 * TAU, 1e-17, 3e-10])),
                min_size=n,
                max_size=n,
            ),
            min_size=1,
            max_size=6,
        )
    )
)
def test_tie_counts_agree_with_the_pairwise_tie_rule(rows):
    values = np.array([[0.1 * base + noise for base, noise in row] for row in rows])
    n = values.shape[1]
    order, below, upto = tie_counts(values)
    np.testing.assert_array_equal(np.sort(order, axis=1), np.tile(np.arange(n), (len(values), 1)))
    beats = values[:, :, None] > values[:, None, :] + TAU  # [r, a, b]: a beats b
    sorted_ = lambda x: np.take_along_axis(x, order, axis=1)  # noqa: E731
    np.testing.assert_array_equal(below, sorted_(beats.sum(axis=2)))
    np.testing.assert_array_equal(upto, sorted_(n - beats.sum(axis=1)))
    np.testing.assert_array_equal(n - upto + 1, sorted_(min_ranks(values)))


def test_tie_counts_accept_minus_infinity():
    _, below, upto = tie_counts(np.array([[0.5, -np.inf, 0.5, -np.inf, 0.2]]))
    assert (5 - upto + 1)[0].tolist() == sorted(min_ranks(np.array([0.5, -np.inf, 0.5, -np.inf, 0.2])), reverse=True)
    assert below[0].tolist() == [0, 0, 2, 3, 3]


# --------------------------------------------------------------------------- rooms


@st.composite
def rooms(draw, max_priorities: int = 7) -> ScoreSet:
    """Integer scores 1–5 (exact ties), some NaN, maybe a priority nobody
    scored, maybe a participant who scored nothing, two groups."""
    participants = draw(st.integers(1, 7))
    priorities = draw(st.integers(2, max_priorities))
    criteria = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scores = rng.integers(1, 6, size=(participants, priorities, criteria)).astype(float)
    scores[rng.random(scores.shape) < draw(st.sampled_from([0.0, 0.2, 0.5]))] = np.nan
    if draw(st.booleans()):
        scores[:, rng.integers(priorities)] = np.nan  # nobody scored it
    if participants > 1 and draw(st.booleans()):
        scores[rng.integers(participants)] = np.nan  # scored nothing
    weights = rng.dirichlet(np.ones(criteria))
    return ScoreSet(
        tuple(Priority(f"P{i}") for i in range(priorities)),
        tuple(Criterion(f"c{c}", float(w)) for c, w in enumerate(weights)),
        scores,
        groups=tuple("xyy"[p % 3] for p in range(participants)),
    )


@some
@given(rooms(), st.booleans(), st.sampled_from([Method.BORDA, Method.COPELAND]), st.integers(0, 2**32 - 1))
def test_contest_points_equal_the_pairwise_contest(room, balanced, method, seed):
    agg = aggregate(room)
    if not agg.scored.any():
        return
    weights = np.random.default_rng(seed).dirichlet(np.ones(len(room.criteria)), 40)
    weights[0] = 1.0 / len(room.criteria)  # equal weights: more ties
    voters = ballot_weights(room, balanced)
    expected = contest(participant_utilities(room, weights, agg.matrix), voters, agg.scored, method)[1]
    table = participant_matrix(room, agg.matrix, "scale")[:, agg.scored]
    got = contest_points(table, voters, weights, method)
    np.testing.assert_allclose(got, expected[:, agg.scored], atol=1e-12)
    np.testing.assert_array_equal(min_ranks(got), min_ranks(expected[:, agg.scored]))


@pytest.mark.parametrize("priorities", [40, 70])  # 64-bit masks; past 64 the pairwise fallback
def test_copeland_points_with_many_priorities(priorities):
    rng = np.random.default_rng(priorities)
    room = ScoreSet(
        tuple(Priority(f"P{i}") for i in range(priorities)),
        (Criterion("a", 1), Criterion("b", 2)),
        rng.integers(1, 6, size=(9, priorities, 2)).astype(float),
    )
    agg = aggregate(room)
    weights = rng.dirichlet(np.ones(2), 5)
    voters = ballot_weights(room, False)
    expected = contest(participant_utilities(room, weights, agg.matrix), voters, agg.scored, Method.COPELAND)[1]
    got = contest_points(participant_matrix(room, agg.matrix, "scale"), voters, weights, Method.COPELAND)
    np.testing.assert_allclose(got, expected, atol=1e-12)


# --------------------------------------------------------------------------- SMAA


@some
@given(rooms(max_priorities=6), st.sampled_from(list(Method)), st.integers(0, 1000))
def test_smaa_equals_ranking_each_sample_with_rank(room, method, seed):
    options = RankingOptions(method=method)
    top = min(2, len(room.priorities))
    result = smaa(room, options, top=top, samples=40, seed=seed)
    weights = sample_weights(np.random.default_rng(seed), 40, "uniform", room.weights)
    results = [rank(room, options, weights=w) for w in weights]
    ranks = np.stack([r.ranks for r in results])
    scored = results[0].scored
    n = len(room.priorities)
    expected = np.stack([((ranks == r + 1) & scored).mean(axis=0) for r in range(n)], axis=1)
    np.testing.assert_array_equal(result.rank_acceptability, expected)
    np.testing.assert_array_equal(result.p_top, ((ranks <= top) & scored).mean(axis=0))
    first = (ranks == 1) & scored
    for i in range(n):
        if first[:, i].any():
            np.testing.assert_allclose(result.central_weights[i], weights[first[:, i]].mean(axis=0))
        else:
            assert np.isnan(result.central_weights[i]).all()


@pytest.mark.parametrize("method", list(Method))
def test_smaa_does_not_depend_on_the_chunk_size(method, monkeypatch):
    rng = np.random.default_rng(3)
    scores = rng.integers(1, 6, size=(5, 6, 3)).astype(float)
    scores[rng.random(scores.shape) < 0.2] = np.nan
    scores[:, 4] = np.nan
    room = ScoreSet(tuple(Priority(f"P{i}") for i in range(6)), tuple(Criterion(f"c{c}") for c in range(3)), scores)
    options = RankingOptions(method=method)
    whole = smaa(room, options, top=2, samples=500, seed=8)
    monkeypatch.setattr(sensitivity, "SMAA_CHUNK", 7)
    chunked = smaa(room, options, top=2, samples=500, seed=8)
    np.testing.assert_array_equal(chunked.rank_acceptability, whole.rank_acceptability)
    np.testing.assert_array_equal(chunked.p_top, whole.p_top)
    np.testing.assert_allclose(chunked.central_weights, whole.central_weights)
    assert whole.p_top[4] == 0 and not whole.rank_acceptability[4].any()


# --------------------------------------------------------------------------- the long-file reader

CRITERIA = (Criterion("Need", 2), Criterion("Cost", 1, "cost"), Criterion("Open", scale_min=None, scale_max=None))
NAMES = ["P1", "P2", " P1", "Zoë", "a, b", "NA", ""]
PRIORITIES = ["Obesity", "CAMHS", "NA", '"quoted"', "x;y", ""]
CRITERION_CELLS = ["Need", "cost", "Open", "Risk", ""]
SCORES = ["1", "5", "3.5", " 2 ", "", "0", "6", "abc", "1e999", "-40", "1e2"]
GROUPS = ["", "Health", "Police"]
THEMES = ["", "Be healthy", "Stay safe"]


def csv_cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(ch in text for ch in ',"\n;') else text


@st.composite
def long_files(draw) -> str:
    header = draw(st.permutations(["participant", "group", "priority", "theme", "criterion", "score"]))
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 25))):
        row = {
            "participant": draw(st.sampled_from(NAMES)),
            "group": draw(st.sampled_from(GROUPS)),
            "priority": draw(st.sampled_from(PRIORITIES)),
            "theme": draw(st.sampled_from(THEMES)),
            "criterion": draw(st.sampled_from(CRITERION_CELLS)),
            "score": draw(st.sampled_from(SCORES)),
        }
        lines.append(",".join(csv_cell(row[h]) for h in header))
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", ",,,,,", "  "])))
    return "\n".join(lines) + "\n"


def slow(text: str) -> ScoreSet:
    return _read_long_scores(_parse_table(text, "scores"), CRITERIA)


@pytest.mark.parametrize("by_pandas", [False, True], ids=["csv module", "pandas"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_files())
def test_fast_long_reader_gives_what_the_row_reader_gives(by_pandas, text):
    try:
        expected = slow(text)
    except RankingInputError as exc:
        assert _read_long_scores_fast(text, CRITERIA, by_pandas) is None
        with pytest.raises(RankingInputError) as info:
            read_scores(io.StringIO(text), CRITERIA)
        assert str(info.value) == str(exc)
        return
    got = _read_long_scores_fast(text, CRITERIA, by_pandas)
    assert got is not None
    assert got.priorities == expected.priorities
    assert got.participants == expected.participants
    assert got.groups == expected.groups
    np.testing.assert_array_equal(got.scores, expected.scores)


@pytest.mark.parametrize("by_pandas", [False, True], ids=["csv module", "pandas"])
def test_fast_long_reader_takes_a_room_with_quotes_blank_lines_and_padding(by_pandas):
    text = (
        'participant,group,priority,theme,criterion,score,,\n'
        'P1,Health,"Wellbeing, families",Be healthy,Need,4,,\n'
        '\n'
        ',,,,,,,\n'
        'P1,,"Wellbeing, families",,Cost,,\n'
        ' P2 ,Police,CAMHS,,Open,-40\n'
    )
    got = _read_long_scores_fast(text, CRITERIA, by_pandas)
    assert got is not None
    assert got.participants == ("P1", "P2") and got.groups == ("Health", "Police")
    assert got.priorities == (Priority("Wellbeing, families", "Be healthy"), Priority("CAMHS"))
    np.testing.assert_array_equal(got.scores, slow(text).scores)


def test_wide_files_are_left_to_the_row_reader():
    assert _read_long_scores_fast("priority,Need,Cost,Open\nA,1,2,3\n", CRITERIA) is None
    assert read_scores(io.StringIO("priority,Need,Cost,Open\nA,1,2,3\n"), CRITERIA).scores.shape == (1, 1, 3)


@some
@given(
    st.integers(1, 6),
    st.integers(2, 9),
    st.sampled_from([0.0, TAU / 2, TAU, 3e-10, 1e-7, 1e-5]),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_contest_points_on_tables_with_negative_values_and_near_ties(voters, n, nudge, balanced, seed):
    """The sort by float32 keys: negative utilities (and −0), exact ties,
    gaps within τ and gaps just past what a float32 key can tell apart."""
    rng = np.random.default_rng(seed)
    table = rng.integers(-2, 3, size=(voters, n, 2)).astype(float)
    table[rng.random(table.shape) < 0.3] *= -0.0
    table[:, :, 0] += nudge * rng.integers(0, 3, size=(voters, n))
    weights = rng.dirichlet(np.ones(2), 30)
    weights[0] = [0.5, 0.5]
    weights[1] = [1.0, 0.0]
    share = rng.integers(1, 3, size=voters).astype(float) if balanced else np.ones(voters)
    for method in (Method.BORDA, Method.COPELAND):
        utilities = np.einsum("pnc,sc->spn", table, weights)
        expected = contest(utilities, share, np.ones(n, dtype=bool), method)[1]
        got = contest_points(table, share, weights, method)
        np.testing.assert_allclose(got, expected, atol=1e-12)
        np.testing.assert_array_equal(min_ranks(got), min_ranks(expected))


@pytest.mark.parametrize("dtype", [np.uint32, np.uint64])
def test_bit_counts_count_each_bit_over_the_rows(dtype):
    """The in-place adder tree, odd and even row counts, its scratch reused
    for a narrower block and for fewer rows."""
    rng = np.random.default_rng(5)
    bits = 8 * np.dtype(dtype).itemsize
    scratch = bit_count_scratch(301, 40, dtype)
    for rows in (1, 2, 3, 5, 8, 31, 64, 301):
        words = rng.integers(0, 2**63, size=(rows, 37), dtype=np.uint64).astype(dtype) | dtype(rows % 2)
        expected = ((words[:, :, None] >> np.arange(bits, dtype=dtype)) & dtype(1)).sum(axis=0)
        np.testing.assert_array_equal(_bit_counts(words.copy(), bits, scratch), expected)
        np.testing.assert_array_equal(_bit_counts(words.copy(), bits), expected)


@pytest.mark.parametrize("balanced", [False, True])
def test_contest_points_in_many_small_chunks(balanced, monkeypatch):
    """Chunks of 1–3 samples sorted and 2–7 counted at a time (the last one
    short), with exact ties and gaps within τ: Copeland's words are written
    into a block of one buffer, ballot by ballot."""
    rng = np.random.default_rng(11)
    voters, n = 9, 6
    table = rng.integers(1, 4, size=(voters, n, 2)).astype(float)
    table[:, :, 0] += TAU / 2 * rng.integers(0, 3, size=(voters, n))
    weights = rng.dirichlet(np.ones(2), 25)
    weights[3] = [0.5, 0.5]
    share = rng.integers(1, 3, size=voters).astype(float) if balanced else np.ones(voters)
    expected = {
        method: contest(np.einsum("pnc,sc->spn", table, weights), share, np.ones(n, dtype=bool), method)[1]
        for method in (Method.BORDA, Method.COPELAND)
    }
    for contest_cells, count_cells in ((voters * n, 2 * voters * n), (3 * voters * n, 7 * voters * n)):
        monkeypatch.setattr(methods, "CONTEST_CELLS", contest_cells)
        monkeypatch.setattr(methods, "COUNT_CELLS", count_cells)
        for method, points in expected.items():
            np.testing.assert_allclose(contest_points(table, share, weights, method), points, atol=1e-12)
