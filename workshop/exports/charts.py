"""Static charts for the board paper (PNG, drawn with matplotlib).

Why matplotlib and not the app's plotly figures (``ui/figures``) through
kaleido: ``workshop/`` must not import ``ui/``, and the management CLI
renders exports with no UI at all, so the charts have to be built here from
``ExportContent``.  Kaleido would also start a headless Chromium for every
export (it works here with Debian's chromium, at about 4 s an image), which
a council's server may not have; matplotlib draws in-process, offline, in
well under a second for all five charts.

The look follows ``ui/figures``: the Okabe–Ito palette (distinguishable
with the common colour-vision deficiencies), the computed top k in blue
against grey, priorities best first from the top.  The palette is the
same constants (``ranking.palette``), which both layers may import.

Figures are ``matplotlib.figure.Figure`` objects, never pyplot: no global
state, so exports can run in parallel threads of the app server.  Text is
passed to matplotlib with ``$`` escaped, so a name can never switch on
mathtext.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ranking.palette import BLUE, GREEN, ORANGE, OTHER_COLOUR, PURPLE, SKY_BLUE, VERMILLION, YELLOW
from ranking.readings import NOT_SCORED
from workshop.exports.model import Analysis, ExportContent, Weighting

LIGHT_BLUE = "#A6CEE3"
INK = "#1A1A1A"
GREY = OTHER_COLOUR
SERIES = (BLUE, ORANGE, SKY_BLUE, GREEN, VERMILLION, PURPLE, YELLOW, INK)
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")

WIDTH_IN = 6.7  # A4 less 2 cm margins each side, in inches
ROW_IN = 0.3
DPI = 200
FONT = 8


@dataclass(frozen=True)
class Chart:
    """One image: ``alt`` says in words what it shows (HTML alt text, Word caption)."""

    name: str
    title: str
    alt: str
    png: bytes
    width_px: int
    height_px: int


@dataclass(frozen=True)
class Charts:
    ranking: Chart
    weights: Chart
    groups: Chart | None  # None without stakeholder groups
    robustness: Chart
    one_way: Chart


def plain(text: str) -> str:
    """Text for matplotlib: ``$`` escaped so it never starts mathtext."""
    return text.replace("$", r"\$")


def short(name: str, width: int = 42, lines: int = 2) -> str:
    parts = textwrap.wrap(name, width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1][: width - 1] + "…"]
    return plain("\n".join(parts))


def _figure(rows: int, extra: float = 1.1) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(WIDTH_IN, max(1.8, rows * ROW_IN + extra)), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=FONT)
    return fig, ax


def _png(fig: Figure, name: str, title: str, alt: str) -> Chart:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    width, height = (round(float(v) * DPI) for v in fig.get_size_inches())
    return Chart(name, title, alt, out.getvalue(), width, height)


def _legend(fig: Figure, columns: int, title: str = "") -> None:
    """The legend above the plot, across the whole figure."""
    fig.legend(
        loc="outside upper center",
        ncol=columns,
        fontsize=FONT - 1,
        frameon=False,
        title=title or None,
        title_fontsize=FONT - 1,
    )


def _names_axis(ax: Axes, names: Sequence[str], bold: Sequence[bool]) -> None:
    ax.set_yticks(range(len(names)), [short(n) for n in names], fontsize=FONT)
    for tick, strong in zip(ax.get_yticklabels(), bold, strict=True):
        tick.set_fontweight("bold" if strong else "normal")
    ax.set_ylim(len(names) - 0.5, -0.5)


def ranking_chart(analysis: Analysis, agreed: Sequence[str]) -> Chart:
    """The computed ranking, best first, with the cut-off line.  Under the
    weighted sum each bar is split into what each criterion contributes (the
    score is the sum); under TOPSIS, Borda and Copeland, whose scores are not
    such a sum, each bar is the method's score, the computed top in blue.  A
    priority nobody scored has no bar and reads "not scored"."""
    rows = analysis.ranking.rows
    names = [r.name for r in rows]
    fig, ax = _figure(len(rows), extra=1.4)
    stacked = analysis.method == "Weighted sum"
    if stacked:
        left = np.zeros(len(rows))
        for c, criterion in enumerate(analysis.criteria):
            values = np.array([analysis.cell(n, criterion).contribution or 0.0 for n in names])
            ax.barh(
                range(len(rows)),
                values,
                left=left,
                color=SERIES[(c + 1) % len(SERIES)],
                label=plain(criterion),
                height=0.7,
                edgecolor="white",
                linewidth=0.4,
            )
            left += values
        longest = float(left.max()) if len(rows) else 0.0
        right = max(1.0, longest * 1.2)
        digits = ".3f"
    else:
        scores = np.array([r.score if r.score is not None else 0.0 for r in rows])
        ax.barh(range(len(rows)), scores, color=[BLUE if r.in_top else GREY for r in rows], height=0.7)
        longest = float(scores.max()) if len(rows) else 0.0
        right = max(1.0, longest * 1.25)
        digits = ".3f" if analysis.ranking.score_label.endswith("(0–1)") else ".1f"
    for y, row in enumerate(rows):
        mark = "  ✓ agreed" if row.name in agreed else ""
        value = NOT_SCORED if row.score is None else f"{row.score:{digits}}"
        ax.text((row.score or 0.0) + 0.008 * right, y, f"{value}{mark}", va="center", fontsize=FONT - 1, color=INK)
    cut = sum(r.in_top for r in rows)
    if cut < len(rows):
        ax.axhline(cut - 0.5, color=INK, linestyle="--", linewidth=0.8)
        ax.text(right, cut - 0.55, f"computed top {analysis.top}", va="bottom", ha="right", fontsize=FONT - 1)
    _names_axis(ax, names, [r.in_top for r in rows])
    ax.set_xlim(0, right)
    ax.set_xlabel(f"{analysis.ranking.score_label}: {plain(analysis.method_text)}", fontsize=FONT)
    if stacked:
        _legend(fig, 3)
    split = ", each bar split by criterion" if stacked else ""
    alt = (
        f"Bar chart of the {len(rows)} priorities of {analysis.round.label}, best first{split}. "
        f"Computed top {analysis.top}: " + "; ".join(r.name for r in rows if r.in_top) + "."
    )
    return _png(
        fig, "ranking", "The computed ranking" + (" and what each criterion contributes" if stacked else ""), alt
    )


def weights_chart(weighting: Weighting) -> Chart:
    """The weights used (bars) and, after a weighting round, each group's mean allocation (dots)."""
    rows = weighting.rows
    fig, ax = _figure(len(rows), extra=1.3 if weighting.groups else 0.9)
    ax.barh(range(len(rows)), [r.share for r in rows], color=LIGHT_BLUE, height=0.6, label="Weight used")
    for y, r in enumerate(rows):
        ax.text(0.004, y, f"{100 * r.share:.0f}%", va="center", fontsize=FONT - 1, color=INK)
    for g, group in enumerate(weighting.groups):
        ax.scatter(
            [r.group_shares[g] for r in rows],
            range(len(rows)),
            s=30,
            marker=MARKERS[g % len(MARKERS)],
            color=SERIES[(g + 1) % len(SERIES)],
            edgecolor=INK,
            linewidth=0.4,
            zorder=3,
            label=plain(group),
        )
    _names_axis(ax, [r.criterion for r in rows], [False] * len(rows))
    top = max((v or 0.0) for r in rows for v in (r.share, *r.group_shares))
    ax.set_xlim(0, max(0.5, top * 1.1))
    ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    ax.set_xlabel("Weight (share of the total)", fontsize=FONT)
    if weighting.groups:
        _legend(fig, 3, "Bars: the weight used.  Markers: each stakeholder group's mean allocation")
    alt = "Bar chart of the criteria weights: " + "; ".join(f"{r.criterion} {100 * r.share:.0f}%" for r in rows) + "."
    return _png(fig, "weights", "Criteria weights", alt)


def groups_chart(analysis: Analysis) -> Chart | None:
    """Heatmap of the rank each stakeholder group gives each priority (a
    blank "–" cell where the room or the group did not score it)."""
    if not analysis.groups:
        return None
    rows = analysis.disagreement
    groups = [g.group for g in analysis.groups]
    ranks = np.array([[d.rank, *d.group_ranks] for d in rows], dtype=float)  # None → NaN: not scored
    n = len(rows)
    fig = Figure(figsize=(WIDTH_IN, max(2.4, n * 0.27 + 1.8)), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(ranks, cmap="Blues_r", aspect="auto", vmin=1, vmax=max(n, 2) * 1.25)
    for (y, x), value in np.ndenumerate(ranks):
        ax.text(
            x,
            y,
            "–" if np.isnan(value) else f"{value:.0f}",
            ha="center",
            va="center",
            fontsize=FONT - 1,
            color="white" if value <= n * 0.55 else INK,
            fontweight="bold" if x == 0 else "normal",
        )
    ax.set_xticks(range(len(groups) + 1), ["Whole room", *(short(g, 18, 2) for g in groups)], fontsize=FONT - 1)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, rotation=30)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("left")
    _names_axis(ax, [d.name for d in rows], [d.rank is not None and d.rank <= analysis.top for d in rows])
    ax.axvline(0.5, color="white", linewidth=3)
    ax.tick_params(axis="y", length=0)
    ax.spines[:].set_visible(False)
    alt = (
        f"Heatmap of the rank each of the {len(groups)} stakeholder groups gives each priority, darker for a "
        "better rank, beside the whole room's rank."
    )
    return _png(fig, "groups", "How each stakeholder group ranks the priorities", alt)


def robustness_chart(analysis: Analysis, agreed: Sequence[str]) -> Chart:
    """Chance of being in the top k: under other weights (SMAA) and other rooms (bootstrap)."""
    s = analysis.sensitivity
    shown = [
        p
        for p in s.priorities
        if (p.rank is not None and p.rank <= 2 * s.top) or p.name in agreed or p.smaa_p_top > 0.01
    ]
    fig, ax = _figure(len(shown), extra=1.3)
    ys = np.arange(len(shown))
    ax.barh(
        ys - 0.18,
        [p.smaa_p_top for p in shown],
        height=0.34,
        color=BLUE,
        label=f"Other weights (SMAA: {s.smaa_samples:,} samples, seed {s.smaa_seed})",
    )
    ax.barh(
        ys + 0.18,
        [p.bootstrap_p_top for p in shown],
        height=0.34,
        color=ORANGE,
        label=f"Other rooms (bootstrap: {s.bootstrap_resamples:,} resamples, seed {s.bootstrap_seed})",
    )
    for y, p in enumerate(shown):
        mark = "  ✓ agreed" if p.name in agreed else ""
        ax.text(
            1.03,
            y,
            f"{100 * p.smaa_p_top:.0f}% / {100 * p.bootstrap_p_top:.0f}%{mark}",
            va="center",
            fontsize=FONT - 1,
        )
    _names_axis(ax, [p.name for p in shown], [p.name in s.computed_top for p in shown])
    ax.set_xlim(0, 1.4)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    ax.spines["bottom"].set_bounds(0, 1)
    ax.set_xlabel(f"Chance of being in the top {s.top}", fontsize=FONT)
    _legend(fig, 1)
    alt = (
        f"Paired bar chart of each priority's chance of a top {s.top} place when the weights vary (SMAA) and "
        "when the room is resampled (bootstrap)."
    )
    return _png(fig, "robustness", f"How likely each priority is to be in the top {s.top}", alt)


def one_way_chart(analysis: Analysis) -> Chart:
    """For each criterion, the range of its weight over which the top k holds."""
    thresholds = analysis.sensitivity.thresholds
    fig, ax = _figure(len(thresholds), extra=1.0)
    for y, t in enumerate(thresholds):
        low = t.lower if t.lower is not None else 0.0
        high = t.upper if t.upper is not None else 1.0
        ax.barh(y, high - low, left=low, height=0.5, color=LIGHT_BLUE)
        ax.plot([t.weight, t.weight], [y - 0.33, y + 0.33], color=INK, linewidth=2.5)
        if t.lower is not None:
            ax.text(low - 0.01, y, f"{100 * low:.0f}%", ha="right", va="center", fontsize=FONT - 1)
        if t.upper is not None:
            ax.text(high + 0.01, y, f"{100 * high:.0f}%", ha="left", va="center", fontsize=FONT - 1)
    _names_axis(ax, [t.criterion for t in thresholds], [False] * len(thresholds))
    ax.set_xlim(-0.08, 1.08)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    ax.spines["bottom"].set_bounds(0, 1)
    ax.set_xlabel(
        "Weight of the criterion, the others rescaled in proportion\n"
        f"Shaded: the top {analysis.top} is unchanged.  Black line: the agreed weight.",
        fontsize=FONT - 1,
    )
    alt = "Range chart of the weights between which the top stays the same: " + " ".join(t.plain for t in thresholds)
    return _png(fig, "one-way", f"How far each weight can move before the top {analysis.top} changes", alt)


def build_charts(content: ExportContent) -> Charts | None:
    """The report's charts; None when no scoring round has answers yet."""
    analysis = content.analysis
    if analysis is None:
        return None
    agreed = content.decision.names if content.decision else ()
    return Charts(
        ranking=ranking_chart(analysis, agreed),
        weights=weights_chart(content.weighting),
        groups=groups_chart(analysis),
        robustness=robustness_chart(analysis, agreed),
        one_way=one_way_chart(analysis),
    )
