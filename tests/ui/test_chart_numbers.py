"""ui.alt_text.figure_numbers: every chart's numbers as a table beside it (issue 13, WCAG 1.1.1),
read from the figures the builders make from real engine results (no browser)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ranking import RankingOptions, ScoreSet
from ranking.consensus import consensus
from ranking.methods import rank
from ranking.sensitivity import bootstrap, method_agreement, one_way, smaa
from ranking.simulate import simulate_room
from tests.ui.test_figures import CRITERIA, GROUPS, PRIORITIES, TOP
from ui.alt_text import LINE_POINTS
from ui.alt_text import figure_numbers as read_numbers
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
from ui.figures._style import TOP_MARK

PEOPLE = 18


def numbers(fig: go.Figure) -> pd.DataFrame:
    """The chart's table, the same from the figure cache's copy (``to_plotly_json``: numpy arrays as base64)."""
    table = read_numbers(fig)
    assert table.equals(read_numbers(go.Figure(fig.to_plotly_json(), _validate=False)))
    return table


@pytest.fixture(scope="module")
def room() -> ScoreSet:
    return simulate_room(PRIORITIES, CRITERIA, GROUPS, PEOPLE, np.random.default_rng(2024), dont_know=0.1)


def test_the_ranking_bar_table_has_every_priority_best_first_with_its_score_and_the_top_k_starred(room):
    result = rank(room)
    table = numbers(ranking_bar(result, TOP))
    assert list(table.columns) == ["Item", "Weighted score (0–1)"]
    order = list(result.order)
    assert list(table["Weighted score (0–1)"]) == [f"{result.scores[i]:.3f}" for i in order]
    assert [row.startswith(f"{TOP_MARK} ") for row in table["Item"]] == [result.ranks[i] <= TOP for i in order]
    assert table["Item"][0] == f"{TOP_MARK} 1. {result.names[order[0]]}"
    # a name too long for its tick label is given whole
    long = result.names.index(PRIORITIES[-1].name)
    assert table["Item"][order.index(long)].endswith(f"{result.ranks[long]}. {PRIORITIES[-1].name}")


def test_the_weights_and_contribution_tables_have_one_column_per_series(room):
    criteria = [c.name for c in CRITERIA]
    table = numbers(weights_bar(criteria, [[0.4, 0.3, 0.2, 0.1], [0.25] * 4], ["The room", "You"]))
    assert list(table.columns) == ["Item", "The room", "You"]
    assert list(table["Item"]) == criteria
    assert list(table["The room"]) == ["40.0%", "30.0%", "20.0%", "10.0%"]
    one = numbers(weights_bar(criteria, [0.4, 0.3, 0.2, 0.1], ["The room"]))
    assert list(one.columns) == ["Item", "The room"]
    result = rank(room)
    stacked = numbers(contribution_bar(result, TOP))
    assert list(stacked.columns) == ["Item", *criteria]
    i = result.order[0]
    assert list(stacked.iloc[0, 1:]) == [f"{w:.3f}" for w in result.weighted[i]]


def test_the_distribution_tables_count_and_summarise_the_answers(room):
    result = rank(room)
    counts = numbers(criterion_distribution(room, result.names[0]))
    assert list(counts["Item"]) == [c.name + (" (lower is better)" if c.is_cost else "") for c in CRITERIA]
    given = counts.drop(columns="Item").astype(int)
    assert (given.sum(axis=1) == PEOPLE).all()  # every participant counted once per criterion, "don't know" too
    found = consensus(room, top=TOP)
    spread = numbers(score_distribution(found))
    assert list(spread.columns[:6]) == ["Item", "Points", "Lowest", "Median", "Mean", "Highest"]
    assert (spread["Points"] == str(PEOPLE)).all()
    i = found.room.order[0]
    assert spread["Median"][0] == f"{np.nanmedian(found.utilities[:, i]):.3f}"
    contested = {found.room.names[i] for i in range(len(found.room.names)) if found.contested[i]}
    if contested:
        marked = spread[spread["Contested"] == "yes"]["Item"].str.replace(r"^(★ )?(\d+\. |– )", "", regex=True)
        assert set(marked) == contested


def test_the_heatmap_tables_print_each_cell(room):
    found = consensus(room, top=TOP)
    groups = numbers(group_heatmap(found, "rank"))
    assert list(groups.columns) == ["Item", "Whole room", *(f"{v.group} (n = {v.size})" for v in found.groups)]
    agreement = method_agreement(room, TOP)
    methods = numbers(method_agreement_heatmap(agreement))
    assert list(methods.columns[1:]) == [m.label for m in agreement.methods]
    assert methods.iloc[0, 1].endswith(TOP_MARK)
    sampled = smaa(room, RankingOptions(), TOP, samples=500, seed=1)
    shares = numbers(acceptability_heatmap(sampled, rank(room), ranks=4))
    assert list(shares.columns) == ["Item", "1", "2", "3", "4"]
    assert all(cell.endswith("%") for cell in shares.iloc[:, 1:].to_numpy().ravel())


def test_the_sensitivity_tables_give_ranges_probabilities_and_lines(room):
    moved = one_way(room, RankingOptions(), TOP)
    ranges = numbers(tornado(moved))
    assert list(ranges.columns) == ["Item", f"Top {TOP} unchanged", "Agreed weight"]
    assert all("–" in cell for cell in ranges[f"Top {TOP} unchanged"])
    lines = numbers(one_way_chart(moved, CRITERIA[0].name))
    assert len(lines) == LINE_POINTS and lines.iloc[0, 0] == "0.0%" and lines.iloc[-1, 0] == "100.0%"
    assert len(lines.columns) == 1 + TOP + 3
    result = rank(room)
    for fig in (
        smaa_top_bar(smaa(room, RankingOptions(), TOP, samples=500, seed=1), result),
        bootstrap_bar(bootstrap(room, RankingOptions(), TOP, resamples=100, seed=2), result),
    ):
        table = numbers(fig)
        assert len(table) == len(PRIORITIES) and table.iloc[:, 1].str.endswith("%").all()
