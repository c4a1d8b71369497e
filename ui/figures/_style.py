"""The look every figure shares, so a room reading one chart can read the next.

* Colours are the Okabe–Ito palette (``ranking.palette``, shared with the
  board paper's charts), distinguishable with the common colour-vision
  deficiencies.  The shortlist (the top k) is always
  ``TOP_COLOUR`` (blue) against ``OTHER_COLOUR`` (grey) on single-series
  charts; on multi-series charts the top k are drawn at full opacity and the
  rest faded.  Everywhere a top-k priority's axis label is **bold** and starts
  with ``TOP_MARK`` (★), so the top k never rests on colour alone (WCAG 1.4.1).
* Priorities are listed best first at the top (category axes reversed).  The
  data carry each priority's full name (so two names that shorten alike never
  share a bar) while the tick labels wrap and, past a few lines, truncate;
  the full name is always in the hover.
* ``big=True`` is for the projector: larger type, taller rows, wider lines.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from ranking.methods import Method
from ranking.palette import (
    BLACK,
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
)
from ranking.readings import TIE_SENTENCE

TOP_TINT = "rgba(0, 114, 178, 0.15)"  # TOP_COLOUR, light, for box fills
OTHER_TINT = "rgba(187, 187, 187, 0.2)"
CONTESTED_COLOUR = VERMILLION
MARK_COLOUR = BLACK
#: Series colours (criteria, groups, lines), blue last so it stays the top k's own.
SERIES = (ORANGE, SKY_BLUE, GREEN, VERMILLION, PURPLE, YELLOW, BLUE, BLACK)
#: Lines of several priorities: no yellow (too pale on white), blue first for the leader.
LINES = (BLUE, ORANGE, SKY_BLUE, GREEN, VERMILLION, PURPLE, BLACK)
#: Opacity of the priorities outside the top k on multi-series charts.
FADED = 0.45
#: Sequential, colour-blind safe scale for heatmaps (light = low, dark = high).
HEAT_SCALE = "Cividis"

#: Ticks of a 0–1 (or 0–100%) axis.
QUARTERS = (0, 0.25, 0.5, 0.75, 1)

LABEL_WIDTH = 32  # characters per line of a priority's tick label
LABEL_LINES = 2


def font_size(big: bool) -> int:
    return 24 if big else 14  # the projector's 24 px at 1024 × 768 (issue 13)


def row_height(big: bool) -> int:
    """Pixels per priority on a horizontal chart (room for a two-line label)."""
    return 64 if big else 40


def escape(text: str) -> str:
    """Plotly renders text as pseudo-HTML: a name with '<' must not become a tag."""
    return html.escape(str(text), quote=False)


def wrap(name: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> list[str]:
    """``name`` in at most ``lines`` lines of about ``width`` characters, the last ending '…' if cut."""
    parts = textwrap.wrap(str(name), width) or [""]
    if len(parts) <= lines:
        return parts
    return [*parts[: lines - 1], parts[lines - 1] + "…"]


#: Before a top-k priority's label on every chart (and in the participant's table): the top k by more than colour.
TOP_MARK = "★"


def label(name: str, bold: bool = False, prefix: str = "") -> str:
    """A priority's tick label: wrapped, escaped, optionally prefixed (e.g. its rank) and bold."""
    lines = [escape(line) for line in wrap(prefix + name)]
    return "<br>".join(f"<b>{line}</b>" if bold else line for line in lines)


def top_label(name: str, inside: bool, prefix: str = "") -> str:
    """A priority's tick label, bold and starred when it is in the top k."""
    return label(name, inside, (f"{TOP_MARK} " if inside else "") + prefix)


def top_caption(top: int) -> str:
    """What the star on the top k's labels means."""
    return f"{TOP_MARK} and bold: the top {top}."


def score_format(method: Method) -> str:
    """d3 number format for a method's scores: points need one decimal, 0–1 scores three."""
    return ".1f" if method in (Method.BORDA, Method.COPELAND) else ".3f"


def title(main: str, sub: str = "") -> str:
    """A title with an optional smaller second line (works in every plotly.js version)."""
    return f"{main}<br><sup>{sub}</sup>" if sub else main


def name_axis(fig: go.Figure, names: Sequence[str], labels: Sequence[str]) -> None:
    """Show the y categories ``names`` in the given order from the top, with ``labels`` as tick text.

    The range is fixed (first row at the top, half a row to spare at each
    end): plotly's autorange pads a category axis for markers and text.
    """
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=list(names),
        tickmode="array",
        tickvals=list(names),
        ticktext=list(labels),
        autorange=False,
        range=[len(names) - 0.5, -0.5],
        automargin=True,
    )


def _title_extent(heading: str, size: int) -> tuple[int, int]:
    """(pixels above, pixels below) the anchor of a title pinned by its top, as plotly.js draws it.

    Plotly sets a title at 1.4× the type size with lines 1.86 sizes apart, a
    <sup> line 1.1 sizes, and anchors a text of more than one line by its
    second line's top, so such a title reaches a line further up.
    """
    lines = heading.split("<br>")
    sub = len(lines) > 1 and lines[-1].startswith("<sup>")
    height = size * (1.72 + 1.86 * (len(lines) - 1 - sub) + 1.1 * sub)
    above = size * (1.33 if len(lines) > 1 else 0.34)
    return int(above), int(height - above + 1)


def finish(
    fig: go.Figure,
    heading: str,
    big: bool,
    rows: int,
    caption: Sequence[str] = (),
    *,
    legend_top: bool = False,
    header: float = 0,
) -> go.Figure:
    """Common layout: white template, type size, a height that fits ``rows``
    rows, ``caption`` lines under the plot (the tie rule, what a mark means)
    and, with ``legend_top``, a one-row legend between the title and the plot
    (for short entries; long ones stay in the default legend on the right).

    The title is pinned to the top of the figure and the plot starts below
    it, leaving ``header`` ems (type sizes) between them for a top x axis
    (its tick labels and title), so the axis never runs into the title.
    """
    size = font_size(big)
    line = int(size * 1.5)
    # Annotations do not wrap themselves: break long lines for a typical projector width.
    caption = [part for text in caption for part in textwrap.wrap(text, 64 if big else 120)]
    bottom = (90 if big else 60) + line * len(caption)
    above, below = _title_extent(heading, size)
    anchor = int(size * 0.6) + above  # the title's top a little below the figure's
    top = anchor + below + int(size * 0.8) + (int(size * 2) if legend_top else 0) + int(header * size)
    height = max(320, rows * row_height(big) + top + bottom + 40)
    fig.update_layout(
        template="plotly_white",
        title={
            "text": heading,
            "x": 0,
            "xanchor": "left",
            "y": 1 - anchor / height,
            "yref": "container",
            "yanchor": "top",
        },
        font={"size": size},
        hoverlabel={"font": {"size": size}},
        legend={"font": {"size": size}},
        height=height,
        margin={"t": top, "b": bottom, "l": 10, "r": 4 * size},  # room for values printed past the longest bar
    )
    if legend_top:
        fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"})
    if caption:
        fig.add_annotation(
            text="<br>".join(caption),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-(70 if big else 45),
            align="left",
            showarrow=False,
            font={"size": size if big else int(size * 0.85)},  # the projector's captions as large as its labels
        )
    return fig


def slanted_height(texts: Sequence[str]) -> float:
    """Ems that tick labels slanted at 45° take above their axis (about 0.55 em a character, lines 1.3 apart)."""
    longest = max(len(part) for text in texts for part in text.split("<br>"))
    lines = max(text.count("<br>") + 1 for text in texts)
    return math.sin(math.pi / 4) * (0.55 * longest + 1.3 * lines) + 0.3


def tie_caption(top: int, in_top: int) -> list[str]:
    """The engine's tie rule, and a warning when a tie at the cut lets more than k in."""
    lines = [escape(TIE_SENTENCE)]
    if in_top > top:
        lines.append(f"{in_top} priorities share the top {top} places because of a tie at the cut.")
    return lines
