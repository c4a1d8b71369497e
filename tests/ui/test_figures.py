"""ui.figures: every builder, built from real engine results on a small
seeded room, checked on the figure's data (no browser)."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from ranking import Criterion, Method, Priority, RankingOptions, ScoreSet
from ranking.consensus import Consensus, consensus
from ranking.io import read_criteria, read_priorities
from ranking.methods import RankingResult, rank
from ranking.palette import NEUTRAL, OTHER_COLOUR, TOP_COLOUR
from ranking.readings import contested_words
from ranking.sensitivity import bootstrap, method_agreement, one_way, smaa
from ranking.simulate import simulate_room
from ui.figures import (
    acceptability_heatmap,
    bootstrap_bar,
    contribution_bar,
    criterion_distribution,
    group_heatmap,
    method_agreement_heatmap,
    one_way_chart,
    ranking_bar,
    score_distribution,
    smaa_top_bar,
    tornado,
    weights_bar,
)
from ui.figures._style import TOP_MARK, finish, font_size

ROOT = Path(__file__).resolve().parents[2]
TOP = 3
LONG = "Supporting young people not in education, employment or training through transition to adulthood and into work"
PRIORITIES = (
    Priority("Keeping children safe", "Stay safe"),
    Priority("Neglect", "Stay safe"),
    Priority("Bullying and cyberbullying", "Stay safe"),
    Priority("Childhood obesity", "Be healthy"),
    Priority("Child and adolescent mental health (CAMHS)", "Be healthy"),
    Priority("Teenage pregnancy and sexual health", "Be healthy"),
    Priority("Attainment and achievement for all", "Enjoy and achieve"),
    Priority("Persistent absence from school", "Enjoy and achieve"),
    Priority("Young carers", "Make a positive contribution"),
    Priority(LONG, "Achieve economic well-being"),
)
CRITERIA = (
    Criterion("Scale of need", 30),
    Criterion("Severity of impact", 30),
    Criterion("Evidence that action works", 25),
    Criterion("Cost of action", 15, "cost"),
)
GROUPS = ("Health (NHS)", "Schools and colleges", "Police and youth justice")
#: The sample workshop's six stakeholder groups: long names that must share the heatmap's width.
SIX_GROUPS = (
    "Local authority children's services",
    "Health (NHS)",
    "Police and youth justice",
    "Schools and colleges",
    "Voluntary and community sector",
    "Young people's representatives",
)
SMAA_SEED = 4711
BOOT_SEED = 99


# --------------------------------------------------------------------------- engine results


@pytest.fixture(scope="module")
def room() -> ScoreSet:
    return simulate_room(PRIORITIES, CRITERIA, GROUPS, 18, np.random.default_rng(2024), dont_know=0.1)


@pytest.fixture(scope="module")
def ranking(room: ScoreSet) -> RankingResult:
    return rank(room)


@pytest.fixture(scope="module")
def room_consensus(room: ScoreSet) -> Consensus:
    return consensus(room, top=TOP)


@pytest.fixture(scope="module")
def sensitivity(room: ScoreSet):
    return one_way(room, RankingOptions(), TOP)


@pytest.fixture(scope="module")
def smaa_result(room: ScoreSet):
    return smaa(room, RankingOptions(), TOP, samples=2000, seed=SMAA_SEED)


@pytest.fixture(scope="module")
def boot(room: ScoreSet):
    return bootstrap(room, RankingOptions(), TOP, resamples=300, seed=BOOT_SEED)


@pytest.fixture(scope="module")
def agreement(room: ScoreSet):
    return method_agreement(room, TOP)


def tied_room() -> ScoreSet:
    """One analyst, one criterion: B and C tie for second, so the top 2 holds three."""
    names = ("A", "B", "C", "D & <E>")
    return ScoreSet(tuple(Priority(n) for n in names), (Criterion("value"),), [[5], [4], [4], [1]])


# --------------------------------------------------------------------------- helpers


def bars(fig: go.Figure) -> list[go.Bar]:
    return [t for t in fig.data if t.type == "bar"]


def tick_text(fig: go.Figure, axis: str = "yaxis") -> list[str]:
    return list(fig.layout[axis].ticktext)


def bold(text: str) -> bool:
    return text.startswith("<b>")


def all_text(fig: go.Figure) -> str:
    """Title and every annotation: what the room reads besides the data."""
    return " ".join([fig.layout.title.text or "", *(a.text or "" for a in fig.layout.annotations)])


def full_names(trace) -> list[str]:
    """Full priority names carried in a trace's hover (customdata, first column)."""
    data = np.asarray(trace.customdata, dtype=object)
    return [str(x) for x in (data if data.ndim == 1 else data[..., 0]).ravel()]


def header_room(fig: go.Figure) -> float:
    """Ems (type sizes) the figure leaves between its title and the plot, beyond what the title needs:
    the room for a top axis."""
    size = fig.layout.font.size
    bare = finish(go.Figure(), fig.layout.title.text, size == font_size(True), 1)
    return (fig.layout.margin.t - bare.layout.margin.t) / size


def subtitle(fig: go.Figure) -> str:
    return fig.layout.title.text.partition("<br><sup>")[2].removesuffix("</sup>")


def assert_first_at_the_top(fig: go.Figure) -> None:
    """The y categories run down from the first, the axis spanning exactly the rows (no autorange padding)."""
    rows = len(fig.layout.yaxis.categoryarray)
    assert fig.layout.yaxis.autorange is False
    assert tuple(fig.layout.yaxis.range) == (rows - 0.5, -0.5)


def assert_finite(fig: go.Figure) -> None:
    """No NaN or infinity in the data a trace needs to draw."""
    for trace in fig.data:
        for attr in ("x", "y", "z", "base"):
            if attr not in trace or trace[attr] is None:
                continue
            values = np.asarray(trace[attr], dtype=object).ravel()
            numbers = [v for v in values if isinstance(v, int | float | np.number)]
            assert all(math.isfinite(float(v)) for v in numbers), f"{trace.type}.{attr} has NaN/inf"


# --------------------------------------------------------------------------- ranking_bar


def test_ranking_bar_best_first_with_exactly_the_top_k_highlighted(ranking: RankingResult):
    fig = ranking_bar(ranking, TOP)
    (bar,) = fig.data
    order = ranking.order
    names = [ranking.names[i] for i in order]
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == names
    assert list(bar.x) == pytest.approx([ranking.scores[i] for i in order])
    assert list(bar.x) == sorted(bar.x, reverse=True)
    # best first at the top: categories in the room's order, axis reversed
    assert list(fig.layout.yaxis.categoryarray) == names
    assert_first_at_the_top(fig)
    top = set(ranking.top(TOP))
    assert len(top) == TOP
    assert [c == TOP_COLOUR for c in bar.marker.color] == [n in top for n in names]
    assert {c for c in bar.marker.color} == {TOP_COLOUR, OTHER_COLOUR}
    assert [bold(t) for t in tick_text(fig)] == [n in top for n in names]
    # the top k by more than colour (WCAG 1.4.1): starred, and the words do not name a colour
    assert [t.startswith(f"<b>{TOP_MARK} ") for t in tick_text(fig)] == [n in top for n in names]
    assert "blue" not in all_text(fig).lower() and f"{TOP_MARK} and bold: the top {TOP}" in all_text(fig)
    # rank prefix on the label; rank, full name and responses in the hover
    assert tick_text(fig)[0].startswith(f"<b>{TOP_MARK} 1. ")
    assert full_names(bar) == names
    data = np.asarray(bar.customdata, dtype=object)
    assert [int(r) for r in data[:, 1]] == [int(ranking.ranks[i]) for i in order]
    assert [int(r) for r in data[:, 3]] == [int(ranking.aggregate.counts[i].min()) for i in order]
    assert "customdata[0]" in bar.hovertemplate and "Responses" in bar.hovertemplate
    assert "equal scores share the better rank" in all_text(fig)


def test_ranking_bar_highlights_a_tie_at_the_cut_and_says_so():
    result = rank(tied_room())
    fig = ranking_bar(result, 2)
    (bar,) = fig.data
    assert list(bar.y) == ["A", "B", "C", "D & <E>"]
    assert list(bar.marker.color) == [TOP_COLOUR, TOP_COLOUR, TOP_COLOUR, OTHER_COLOUR]
    assert tick_text(fig)[1].startswith(f"<b>{TOP_MARK} 2. ") and tick_text(fig)[2].startswith(f"<b>{TOP_MARK} 2. ")
    assert "3 priorities share the top 2 places" in all_text(fig)
    # names are escaped for plotly's pseudo-HTML
    assert "&lt;E&gt;" in tick_text(fig)[3] and "<E>" not in tick_text(fig)[3]


def test_ranking_bar_marks_scores_resting_on_few_responses(room: ScoreSet):
    fewest = rank(room).aggregate.counts.min(axis=1)  # per priority, fewest answers on any criterion
    result = rank(room, RankingOptions(min_responses=int(fewest.max())))
    fig = ranking_bar(result, TOP)
    (bar,) = fig.data
    low = result.aggregate.low_response.any(axis=1)
    assert low.any() and not low.all()
    assert ["†" in t for t in bar.text] == [bool(low[i]) for i in result.order]
    assert f"† fewer than {fewest.max()} responses" in all_text(fig)


def test_long_names_wrap_and_truncate_on_the_axis_but_not_in_the_hover(ranking: RankingResult):
    fig = ranking_bar(ranking, TOP)
    (bar,) = fig.data
    at = list(bar.y).index(LONG)
    label = tick_text(fig)[at]
    assert label.count("<br>") == 1 and label.endswith("…")
    assert LONG not in label
    assert full_names(bar)[at] == LONG


def test_top_must_be_a_place_in_the_ranking(ranking: RankingResult):
    for bad in (0, len(PRIORITIES) + 1, 2.5, True):
        with pytest.raises(ValueError):
            ranking_bar(ranking, bad)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (RankingOptions(), "Weighted sum of the room's mean scores"),
        (RankingOptions(aggregation="median"), "Weighted sum of the room's median scores"),
        (
            RankingOptions(balance_groups=True),
            "Weighted sum of the room's mean scores, each stakeholder group counting equally",
        ),
        (
            RankingOptions(method=Method.TOPSIS, aggregation="median"),
            "TOPSIS closeness to the ideal, from the room's median scores",
        ),
        (RankingOptions(method=Method.BORDA), "Borda count of each participant's own ranking"),
        (
            RankingOptions(method=Method.COPELAND, balance_groups=True),
            "Copeland: head-to-head majorities over each participant's own ranking, "
            "each stakeholder group counting equally",
        ),
    ],
)
def test_ranking_bar_subtitle_says_how_the_scores_were_made(room: ScoreSet, options: RankingOptions, expected: str):
    assert subtitle(ranking_bar(rank(room, options), TOP)) == expected


def test_ranking_bar_subtitle_can_be_given(ranking: RankingResult):
    fig = ranking_bar(ranking, TOP, subtitle="Police & <youth> justice's scores only")
    assert subtitle(fig) == "Police &amp; &lt;youth&gt; justice's scores only"
    assert "mean scores" not in fig.layout.title.text


def test_ranking_bar_on_the_projector_reads_at_1600_by_900():
    """The sample workshop's 32 priorities: big type, a two-line label's room per row, the top 5 on the first screen."""
    sample = ROOT / "data" / "sample"
    priorities, criteria = read_priorities(sample / "priorities.csv"), read_criteria(sample / "criteria.csv")
    fig = ranking_bar(rank(simulate_room(priorities, criteria, SIX_GROUPS, 30, np.random.default_rng(7))), 5, big=True)
    size = fig.layout.font.size
    assert size >= 20
    rows = len(fig.data[0].y)
    row = (fig.layout.height - fig.layout.margin.t - fig.layout.margin.b) / rows
    assert row >= 2 * 1.3 * size  # plotly sets label lines 1.3 apart
    assert fig.layout.margin.t + 5 * row <= 900


# --------------------------------------------------------------------------- contribution_bar


def test_contribution_bar_stacks_to_the_weighted_sum(ranking: RankingResult):
    fig = contribution_bar(ranking, TOP)
    stacked = bars(fig)
    assert [b.name for b in stacked] == list(ranking.criterion_names)
    assert fig.layout.barmode == "stack"
    order = ranking.order
    names = [ranking.names[i] for i in order]
    for c, bar in enumerate(stacked):
        assert list(bar.y) == names
        assert list(bar.x) == pytest.approx([ranking.weighted[i, c] for i in order])
        assert [o == 1.0 for o in bar.marker.opacity] == [ranking.ranks[i] <= TOP for i in order]
        assert full_names(bar) == names
    total = np.sum([b.x for b in stacked], axis=0)
    assert total == pytest.approx([ranking.scores[i] for i in order])
    (label,) = [t for t in fig.data if t.type == "scatter"]  # the total at the end of each stack
    assert list(label.x) == pytest.approx(total)
    assert "score" in fig.layout.title.text


def test_contribution_bar_leaves_room_for_the_printed_totals(ranking: RankingResult):
    """The totals are printed past the bars: the axis runs on past the best, so no legend covers them."""
    fig = contribution_bar(ranking, TOP)
    (label,) = [t for t in fig.data if t.type == "scatter"]
    low, high = fig.layout.xaxis.range
    assert low == 0 and high >= 1.15 * max(label.x)
    assert label.cliponaxis is False and label.textposition == "middle right"


@pytest.mark.parametrize("method", [Method.TOPSIS, Method.BORDA, Method.COPELAND])
def test_contribution_bar_says_when_the_bars_are_not_the_score(room: ScoreSet, method: Method):
    result = rank(room, RankingOptions(method=method))
    fig = contribution_bar(result, TOP)
    assert len(fig.data) == len(CRITERIA) and all(t.type == "bar" for t in fig.data)
    order = result.order
    for c, bar in enumerate(fig.data):
        assert list(bar.x) == pytest.approx([result.weighted[i, c] for i in order])
    title = fig.layout.title.text
    assert "weighted normalised" in title and "not" in title
    if method is Method.TOPSIS:
        assert title.startswith("TOPSIS")


# --------------------------------------------------------------------------- score_distribution


def test_score_distribution_spreads_each_priority_and_marks_the_contested(room_consensus: Consensus):
    fig = score_distribution(room_consensus)
    room = room_consensus.room
    order_names = [room.names[i] for i in room.order]
    boxes = [t for t in fig.data if t.type == "box"]
    assert [b.name for b in boxes] == [f"Top {TOP}", "Others"]
    assert list(fig.layout.yaxis.categoryarray) == order_names
    assert_first_at_the_top(fig)
    top_box, rest_box = boxes
    assert set(top_box.y) == set(room.top(TOP)) and set(rest_box.y).isdisjoint(room.top(TOP))
    assert top_box.marker.color == TOP_COLOUR and rest_box.marker.color == OTHER_COLOUR
    # every participant's utility for every priority, nothing invented
    for box in boxes:
        for name in set(box.y):
            i = room.names.index(name)
            mine = np.asarray(box.x)[np.asarray(box.y) == name]
            assert sorted(mine) == pytest.approx(sorted(room_consensus.utilities[:, i]))
        assert full_names(box) == list(box.y)
    (marks,) = [t for t in fig.data if t.type == "scatter"]
    contested = [room.names[i] for i in room.order if room_consensus.contested[i]]
    assert contested
    assert list(marks.y) == contested
    flags = [(room_consensus.high_spread[i], room_consensus.near_cutoff[i]) for i in map(room.names.index, contested)]
    assert [row[1] for row in marks.customdata] == [contested_words(*flag) for flag in flags]
    assert "Kendall's W" in fig.layout.title.text


def test_score_distribution_of_one_priority(room_consensus: Consensus):
    name = room_consensus.room.names[room_consensus.room.order[-1]]
    fig = score_distribution(room_consensus, name)
    boxes = [t for t in fig.data if t.type == "box"]
    assert len(boxes) == 1 and set(boxes[0].y) == {name}
    assert len(boxes[0].x) == len(room_consensus.participants)
    with pytest.raises(ValueError, match="unknown priority"):
        score_distribution(room_consensus, "Not a priority")


# --------------------------------------------------------------------------- criterion_distribution


def test_criterion_distribution_counts_every_scale_point_and_dont_know():
    nan = np.nan
    scores = np.array(
        [  # participants × priorities × criteria
            [[1, 2], [5, 5]],
            [[3, 2], [5, 5]],
            [[3, nan], [5, 5]],
            [[nan, nan], [5, 5]],
            [[5, 1], [5, 5]],
        ]
    )
    score_set = ScoreSet(
        (Priority("Neglect"), Priority("Young carers")),
        (Criterion("Severity"), Criterion("Cost", direction="cost")),
        scores,
    )
    fig = criterion_distribution(score_set, "Neglect")
    assert [t.name for t in fig.data] == ["1", "2", "3", "4", "5", "Don't know"]
    assert all(list(t.y) == ["Severity", "Cost"] for t in fig.data)
    counts = {t.name: list(t.x) for t in fig.data}
    assert counts == {
        "1": [1, 1],
        "2": [0, 2],
        "3": [2, 0],
        "4": [0, 0],
        "5": [1, 0],
        "Don't know": [1, 2],
    }
    assert fig.layout.barmode == "stack"
    assert "lower is better" in tick_text(fig)[1] and "lower is better" not in tick_text(fig)[0]
    assert "Neglect" in fig.layout.title.text


def test_criterion_distribution_accounts_for_every_participant(room: ScoreSet):
    fig = criterion_distribution(room, LONG)
    totals = np.sum([t.x for t in fig.data], axis=0)
    assert list(totals) == [len(room.participants)] * len(CRITERIA)


# --------------------------------------------------------------------------- group_heatmap


def test_group_heatmap_rows_follow_where_groups_disagree(room_consensus: Consensus):
    room = room_consensus.room
    disagree = room_consensus.where_groups_disagree()
    assert disagree, "the seeded room should have groups that disagree"
    fig = group_heatmap(room_consensus)
    (heat,) = fig.data
    rows = list(heat.y)
    assert rows[: len(disagree)] == list(disagree)
    rest = [room.names[i] for i in room.order if room.names[i] not in disagree]
    assert rows[len(disagree) :] == rest
    assert list(fig.layout.yaxis.categoryarray) == rows
    index = [room.names.index(n) for n in rows]
    expected = np.column_stack([room.ranks, room_consensus.group_ranks])[index]
    assert np.array_equal(np.asarray(heat.z), expected)
    assert np.array_equal(np.asarray(heat.text), expected.astype(str))  # annotated cells
    assert heat.texttemplate == "%{text}"
    assert len(fig.layout.xaxis.ticktext) == 1 + len(GROUPS)
    assert [bold(t) for t in tick_text(fig)] == [room.ranks[i] <= TOP for i in index]
    assert full_names(heat) == [n for n in rows for _ in range(1 + len(GROUPS))]


def test_group_heatmap_puts_the_agreed_priorities_after_the_disputed_in_the_rooms_order():
    scores = np.array([[5, 4, 3, 1], [5, 4, 3, 1], [5, 3, 4, 1], [5, 3, 4, 1]], dtype=float)[:, :, None]
    score_set = ScoreSet(
        tuple(Priority(n) for n in "ABCD"), (Criterion("value"),), scores, groups=("G1", "G1", "G2", "G2")
    )
    split = consensus(score_set, top=2)
    assert split.where_groups_disagree() == ("B", "C")
    fig = group_heatmap(split)
    assert list(fig.data[0].y) == ["B", "C", "A", "D"]
    assert "The first 2 rows are where the groups' ranks differ" in all_text(fig)


def test_group_heatmap_of_scores(room_consensus: Consensus):
    room = room_consensus.room
    fig = group_heatmap(room_consensus, "score")
    (heat,) = fig.data
    index = [room.names.index(n) for n in heat.y]
    expected = np.column_stack([room.scores, *(v.scores for v in room_consensus.groups)])[index]
    assert np.asarray(heat.z) == pytest.approx(expected)
    assert heat.reversescale  # dark = best, as for ranks
    with pytest.raises(ValueError):
        group_heatmap(room_consensus, "median")


def test_group_heatmap_headers_of_six_long_group_names_slant_clear_of_the_title():
    room = simulate_room(PRIORITIES, CRITERIA, SIX_GROUPS, 30, np.random.default_rng(11))
    split = consensus(room, top=TOP)
    fig = group_heatmap(split)
    headers = list(fig.layout.xaxis.ticktext)
    assert len(headers) == 1 + len(SIX_GROUPS)
    assert fig.layout.xaxis.side == "top" and fig.layout.xaxis.tickangle == 45
    names = [header.split("<br>")[0] for header in headers[1:]]
    assert all(len(name) <= 30 for name in names)
    assert "Local authority children's…" in names  # cut short; the full name is in the hover
    assert [header.split("<br>")[-1] for header in headers[1:]] == [f"(n = {v.size})" for v in split.groups]
    hover = np.asarray(fig.data[0].customdata, dtype=object)[0, :, 1]
    assert list(hover[1:]) == [f"{v.group} (n = {v.size})" for v in split.groups]
    # the slanted names (at least half an em a character, at 45°) fit between the title and the plot
    longest = max(len(name) for name in names)
    assert header_room(fig) >= 0.5 * longest * math.sin(math.pi / 4)


def test_group_heatmap_without_groups_says_there_is_nothing_to_compare():
    fig = group_heatmap(consensus(tied_room(), top=2))
    (heat,) = fig.data
    assert np.asarray(heat.z).shape == (4, 1)
    assert "Fewer than two stakeholder groups" in all_text(fig)


# --------------------------------------------------------------------------- one_way_chart


def shapes(fig: go.Figure, kind: str) -> list:
    return [s for s in fig.layout.shapes if s.type == kind]


@pytest.mark.parametrize("c", range(len(CRITERIA)))
def test_one_way_chart_shades_the_stable_interval_and_marks_the_agreed_weight(sensitivity, c: int):
    criterion = sensitivity.criteria[c]
    interval = sensitivity.interval(criterion)
    fig = one_way_chart(sensitivity, criterion)
    (band,) = shapes(fig, "rect")
    assert band.x0 == (0.0 if interval.lower is None else interval.lower)
    assert band.x1 == (1.0 if interval.upper is None else interval.upper)
    (agreed,) = shapes(fig, "line")
    assert agreed.x0 == agreed.x1 == pytest.approx(sensitivity.weights[c])
    lines = [t for t in fig.data if t.type == "scatter"]
    names = full_names_of_lines(lines)
    k = len(sensitivity.current_top)
    assert set(names[:k]) == set(sensitivity.current_top)  # the top k first, solid
    assert all(t.line.dash == "solid" for t in lines[:k]) and all(t.line.dash == "dash" for t in lines[k:])
    assert len(lines) >= TOP + 3
    assert set(interval.top_below) | set(interval.top_above) <= set(names)  # who would come in is drawn
    for line, name in zip(lines, names, strict=True):
        i = sensitivity.priorities.index(name)
        assert list(line.x) == pytest.approx(sensitivity.grid)
        assert list(line.y) == pytest.approx(sensitivity.sweep_scores[c, :, i])
    assert criterion in fig.layout.title.text
    assert "solved exactly" in all_text(fig)


def full_names_of_lines(lines: list[go.Scatter]) -> list[str]:
    return [t.customdata[0] for t in lines]


def test_one_way_chart_keeps_the_agreed_weights_label_clear_of_the_title(sensitivity):
    fig = one_way_chart(sensitivity, CRITERIA[0].name)
    (mark,) = [a for a in fig.layout.annotations if a.text.startswith("agreed")]
    assert mark.yref == "y domain" and mark.y >= 1  # above the plot, where the title was
    assert header_room(fig) >= 1.3


def test_one_way_chart_show_and_bounds_in_the_caption(sensitivity):
    bounded = next(t for t in sensitivity.thresholds if t.lower is not None or t.upper is not None)
    fig = one_way_chart(sensitivity, bounded.criterion, show=1)
    lines = [t for t in fig.data if t.type == "scatter"]
    must = set(sensitivity.current_top) | set(bounded.top_below) | set(bounded.top_above)
    assert set(full_names_of_lines(lines)) == must
    text = all_text(fig)
    if bounded.lower is not None:
        assert f"Below {bounded.lower:.1%}" in text
    if bounded.upper is not None:
        assert f"Above {bounded.upper:.1%}" in text
    with pytest.raises(ValueError):
        one_way_chart(sensitivity, bounded.criterion, show=0)


def test_one_way_chart_of_a_searched_method_says_so(room: ScoreSet):
    result = one_way(room, RankingOptions(method=Method.TOPSIS), TOP, grid=21)
    fig = one_way_chart(result, result.criteria[0])
    assert "found by search" in all_text(fig)
    assert "TOPSIS" in fig.layout.yaxis.title.text


def test_one_way_on_a_tie_at_the_cut_says_any_change_alters_the_top_k():
    score_set = ScoreSet(
        (Priority("X"), Priority("Y"), Priority("Z")), (Criterion("a"), Criterion("b")), [[5, 1], [1, 5], [2, 2]]
    )
    result = one_way(score_set, RankingOptions(), 1)
    assert result.current_top == ("X", "Y")
    fig = one_way_chart(result, "a")
    assert "sits on a tie at the cut" in all_text(fig)
    assert "Below 50.0%: “X” drops out" in all_text(fig) and "Above 50.0%: “Y” drops out" in all_text(fig)
    assert list(tornado(result).data[0].text) == ["on a tie", "on a tie"]


# --------------------------------------------------------------------------- tornado


def test_tornado_most_sensitive_first_bars_span_the_stable_interval(sensitivity):
    fig = tornado(sensitivity)
    (bar,) = bars(fig)
    (agreed,) = [t for t in fig.data if t.type == "scatter"]
    by_name = {t.criterion: t for t in sensitivity.thresholds}
    rows = list(bar.y)
    assert sorted(rows) == sorted(sensitivity.criteria)
    lower = [1.0 * (0 if by_name[n].lower is None else by_name[n].lower) for n in rows]
    upper = [1.0 * (1 if by_name[n].upper is None else by_name[n].upper) for n in rows]
    assert list(bar.base) == pytest.approx(lower)
    assert list(np.add(bar.base, bar.x)) == pytest.approx(upper)
    widths = list(bar.x)
    assert widths == sorted(widths)  # narrowest (most sensitive) on top
    assert_first_at_the_top(fig)
    assert list(fig.layout.yaxis.categoryarray) == rows
    assert list(agreed.y) == rows
    assert list(agreed.x) == pytest.approx([by_name[n].weight for n in rows])


# --------------------------------------------------------------------------- SMAA and bootstrap


def test_smaa_top_bar_sorted_with_seed_and_samples_in_the_title(smaa_result, ranking: RankingResult):
    fig = smaa_top_bar(smaa_result, ranking)
    (bar,) = fig.data
    assert list(bar.x) == sorted(bar.x, reverse=True)
    assert list(bar.x) == pytest.approx([smaa_result.p_top[smaa_result.priorities.index(n)] for n in bar.y])
    title = fig.layout.title.text
    assert f"seed {SMAA_SEED}" in title and "2,000 weight samples" in title
    top = set(ranking.top(TOP))
    assert [c == TOP_COLOUR for c in bar.marker.color] == [n in top for n in bar.y]
    assert [bold(t) for t in tick_text(fig)] == [n in top for n in bar.y]
    assert full_names(bar) == list(bar.y)


def test_probability_bars_without_a_ranking_highlight_nothing(smaa_result, boot):
    for fig in (smaa_top_bar(smaa_result), bootstrap_bar(boot)):
        (bar,) = fig.data
        assert set(bar.marker.color) == {NEUTRAL}
        assert not any(bold(t) for t in tick_text(fig))


def test_probability_bars_refuse_a_ranking_of_other_priorities(smaa_result, boot):
    other = rank(tied_room())
    with pytest.raises(ValueError, match="different priorities"):
        smaa_top_bar(smaa_result, other)
    with pytest.raises(ValueError, match="different priorities"):
        bootstrap_bar(boot, other)
    with pytest.raises(ValueError, match="different priorities"):
        acceptability_heatmap(smaa_result, other)


def test_acceptability_heatmap_rows_match_the_bar_and_ranks_the_columns(smaa_result, ranking: RankingResult):
    bar_order = list(smaa_top_bar(smaa_result, ranking).data[0].y)
    fig = acceptability_heatmap(smaa_result, ranking)
    (heat,) = fig.data
    assert list(heat.y) == bar_order
    index = [smaa_result.priorities.index(n) for n in bar_order]
    assert np.asarray(heat.z) == pytest.approx(smaa_result.rank_acceptability[index])
    assert list(heat.x) == list(range(1, len(PRIORITIES) + 1))
    (cut,) = shapes(fig, "line")
    assert cut.x0 == cut.x1 == TOP + 0.5
    assert f"seed {SMAA_SEED}" in fig.layout.title.text
    short = acceptability_heatmap(smaa_result, ranks=4)
    assert np.asarray(short.data[0].z).shape == (len(PRIORITIES), 4)
    assert "Ranks after 4 are not shown" in all_text(short)
    with pytest.raises(ValueError):
        acceptability_heatmap(smaa_result, ranks=0)


def test_acceptability_heatmap_keeps_its_rank_axis_clear_of_the_title(smaa_result, ranking: RankingResult):
    fig = acceptability_heatmap(smaa_result, ranking)
    assert fig.layout.xaxis.side == "top" and fig.layout.xaxis.title.text == "Rank"
    assert header_room(fig) >= 2 * 1.3  # a line of rank numbers and the axis title, lines 1.3 apart


def test_bootstrap_bar_sorted_with_resamples_and_seed(boot, ranking: RankingResult):
    fig = bootstrap_bar(boot, ranking)
    (bar,) = fig.data
    assert list(bar.x) == sorted(bar.x, reverse=True)
    assert list(bar.x) == pytest.approx([boot.p_top[boot.priorities.index(n)] for n in bar.y])
    title = fig.layout.title.text
    assert "different subset of the room" in title and f"seed {BOOT_SEED}" in title and "300 resamples" in title
    top = set(ranking.top(TOP))
    assert [c == TOP_COLOUR for c in bar.marker.color] == [n in top for n in bar.y]
    # equal probabilities fall back on the room's rank
    ranks = [int(ranking.ranks[ranking.names.index(n)]) for n in bar.y]
    for a in range(len(ranks) - 1):
        if bar.x[a] == bar.x[a + 1]:
            assert ranks[a] <= ranks[a + 1]


# --------------------------------------------------------------------------- method agreement


def test_method_agreement_heatmap_ranks_side_by_side_with_agreed_marked(agreement):
    fig = method_agreement_heatmap(agreement)
    (heat,) = fig.data
    assert list(heat.x) == [m.label for m in agreement.methods]
    in_any = {n for top in agreement.tops for n in top}
    rows = list(heat.y)
    assert set(rows) == in_any
    mean = {n: agreement.ranks[:, agreement.priorities.index(n)].mean() for n in rows}
    assert [mean[n] for n in rows] == sorted(mean[n] for n in rows)
    index = [agreement.priorities.index(n) for n in rows]
    ranks = agreement.ranks[:, index].T
    # each method's rank, starred in its top k: the blue cells by more than colour
    starred = np.where(ranks <= TOP, np.char.add(ranks.astype(str), f" {TOP_MARK}"), ranks.astype(str))
    assert np.array_equal(np.asarray(heat.text), starred)
    assert np.array_equal(np.asarray(heat.z), (ranks <= TOP).astype(int))
    assert [t.startswith("✓") or t.startswith("<b>✓") for t in tick_text(fig)] == [n in agreement.agreed for n in rows]


def test_method_agreement_heatmap_keeps_its_method_names_clear_of_the_title(agreement):
    fig = method_agreement_heatmap(agreement)
    assert fig.layout.xaxis.side == "top"
    assert header_room(fig) >= 1.3


# --------------------------------------------------------------------------- weights_bar


def test_weights_bar_one_series_per_label(room: ScoreSet):
    allocation = np.array([0.4, 0.2, 0.2, 0.2])
    fig = weights_bar(room.criterion_names, [allocation, room.weights], ["Room's allocation", "Agreed"])
    assert [t.name for t in fig.data] == ["Room's allocation", "Agreed"]
    assert list(fig.data[0].x) == pytest.approx(allocation)
    assert list(fig.data[1].x) == pytest.approx(room.weights)
    assert all(list(t.y) == list(room.criterion_names) for t in fig.data)
    assert fig.layout.barmode == "group" and fig.layout.xaxis.tickformat == ".0%"
    single = weights_bar(room.criterion_names, room.weights, ["Agreed"])
    assert len(single.data) == 1 and not single.layout.showlegend
    with pytest.raises(ValueError):
        weights_bar(room.criterion_names, [allocation], ["Room", "Agreed"])


# --------------------------------------------------------------------------- every figure


BUILDERS: dict[str, Callable[[dict], go.Figure]] = {
    "ranking_bar": lambda r: ranking_bar(r["ranking"], TOP, big=r["big"]),
    "contribution_bar": lambda r: contribution_bar(r["ranking"], TOP, big=r["big"]),
    "score_distribution": lambda r: score_distribution(r["consensus"], big=r["big"]),
    "criterion_distribution": lambda r: criterion_distribution(r["room"], LONG, big=r["big"]),
    "group_heatmap": lambda r: group_heatmap(r["consensus"], big=r["big"]),
    "one_way_chart": lambda r: one_way_chart(r["one_way"], CRITERIA[0].name, big=r["big"]),
    "tornado": lambda r: tornado(r["one_way"], big=r["big"]),
    "smaa_top_bar": lambda r: smaa_top_bar(r["smaa"], r["ranking"], big=r["big"]),
    "acceptability_heatmap": lambda r: acceptability_heatmap(r["smaa"], r["ranking"], big=r["big"]),
    "bootstrap_bar": lambda r: bootstrap_bar(r["bootstrap"], r["ranking"], big=r["big"]),
    "method_agreement_heatmap": lambda r: method_agreement_heatmap(r["agreement"], big=r["big"]),
    "weights_bar": lambda r: weights_bar(r["room"].criterion_names, r["room"].weights, ["Agreed"], big=r["big"]),
}


@pytest.fixture(scope="module")
def results(room, ranking, room_consensus, sensitivity, smaa_result, boot, agreement) -> dict:
    return {
        "room": room,
        "ranking": ranking,
        "consensus": room_consensus,
        "one_way": sensitivity,
        "smaa": smaa_result,
        "bootstrap": boot,
        "agreement": agreement,
    }


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_figure_is_finite_serialisable_and_bigger_for_the_projector(results: dict, builder: str):
    normal = BUILDERS[builder]({**results, "big": False})
    big = BUILDERS[builder]({**results, "big": True})
    for fig in (normal, big):
        assert isinstance(fig, go.Figure) and fig.data
        assert fig.layout.title.text
        assert_finite(fig)
        assert fig.to_json()
    assert big.layout.font.size > normal.layout.font.size
    assert big.layout.height >= normal.layout.height
    for fig in (normal, big):  # the title pinned near the top, above the plot (and anything over it)
        title = fig.layout.title
        assert title.yref == "container" and title.yanchor == "top" and title.x == 0
        assert 0 < (1 - title.y) * fig.layout.height < fig.layout.margin.t / 2


def test_figures_are_pure():
    """ui/figures builds figures only: no streamlit, no store."""
    for path in (ROOT / "ui" / "figures").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        names |= {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        assert not names & {"streamlit", "sqlalchemy", "workshop"}, path.name


def test_the_consensus_chart_stacks_each_priority_to_the_whole_and_marks_in_and_out():
    from ranking.consensus_rule import Status
    from ui.figures import consensus_bars

    fig = consensus_bars(
        ["A", "B", "C"], [0.8, 0.1, None], [0.1, 0.7, None], [Status.IN, Status.OUT, Status.NONE], 0.7, "Consensus"
    )
    high, middle, low = (list(t.x) for t in fig.data)
    assert high == [0.8, 0.1, 0.0] and low == [0.1, 0.7, 0.0]
    assert middle == pytest.approx([0.1, 0.2, 0.0])  # nobody answered C: no bar at all
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0].startswith("<b>IN · A") and ticks[1].startswith("<b>OUT · B") and ticks[2] == "C"
    assert fig.layout.shapes[0].x0 == 0.7
