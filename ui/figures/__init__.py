"""Plotly figure builders: pure functions from the engine's results to ``go.Figure``.

No streamlit here: pages render the figures (``st.plotly_chart``) and tests
inspect them.  The shared look (colours, labels, sizes) is in ``_style``.
"""

from .consensus import consensus_bars
from .disagreement import criterion_distribution, group_heatmap, score_distribution
from .results import NOT_SCORED, contribution_bar, ranking_bar, score_text, weights_bar
from .robustness import (
    acceptability_heatmap,
    bootstrap_bar,
    method_agreement_heatmap,
    one_way_chart,
    smaa_top_bar,
    tornado,
)

__all__ = [
    "NOT_SCORED",
    "acceptability_heatmap",
    "bootstrap_bar",
    "consensus_bars",
    "contribution_bar",
    "criterion_distribution",
    "group_heatmap",
    "method_agreement_heatmap",
    "one_way_chart",
    "ranking_bar",
    "score_distribution",
    "score_text",
    "smaa_top_bar",
    "tornado",
    "weights_bar",
]
