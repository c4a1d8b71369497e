"""The export's tables: plain rows laid out once, rendered by every format.

A ``Table`` is a name, typed columns and rows of plain values (text,
numbers, datetimes, None).  This module has the types and the sheets of
the results; the record sheets (the setup, raw answers, reasons for
changes, the audit log) are in ``workshop.exports.record_tables``.  The CSV files and the workbook's sheets are
these tables as they are; the board paper's appendix shows the same tables
with ``display`` formatting.  Probabilities and weights are stored as
shares (0–1) and shown as percentages; datetimes are UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from ranking.consensus import GROUP_RHO_RULE
from ranking.readings import NOT_SCORED, TIE_SENTENCE
from workshop.exports.model import NO_SHORTLIST, ExportContent

Cell = str | int | float | datetime | None


class Format(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    title: str
    format: Format = Format.TEXT


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def display(value: Cell, fmt: Format) -> str:
    """A cell as text for a reader: percentages whole (below 1% as "<1%"), scores to 3 decimals."""
    if value is None:
        return ""
    if fmt is Format.PERCENT and isinstance(value, int | float):
        return "<1%" if 0 < value < 0.005 else f"{100 * value:.0f}%"
    if fmt is Format.DECIMAL and isinstance(value, int | float):
        return f"{value:.3f}"
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    return str(value)


def make_table(name: str, columns: Sequence[Column | str], rows: Sequence[Sequence[Cell]], note: str = "") -> Table:
    cols = tuple(c if isinstance(c, Column) else Column(c) for c in columns)
    return Table(name, cols, tuple(tuple(r) for r in rows), note)


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def rank_cell(rank: int | None) -> Cell:
    """A computed rank, or "not scored" for a priority nobody scored (it has no rank)."""
    return NOT_SCORED if rank is None else rank


def naive_utc(moment: datetime | None) -> datetime | None:
    """A naive UTC datetime (spreadsheets have no time zones; the columns say UTC)."""
    if moment is None:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo is not None else moment).replace(tzinfo=None)


INT, DEC, PCT, WHEN = (Format.INTEGER, Format.DECIMAL, Format.PERCENT, Format.DATETIME)


# --------------------------------------------------------------------------- two of the three CSV tables


def shortlist_table(content: ExportContent) -> Table:
    """The agreed shortlist with each priority's rationale, then the
    priorities left out of it against the computed ranking."""
    decision = content.decision
    k = content.analysis.top if content.analysis else content.workshop.shortlist_size
    columns = (
        Column("Place", INT),
        "Priority",
        "Theme",
        "On the agreed shortlist",
        Column("Computed rank", INT),
        "Rationale",
        "Departure from the computed ranking",
        Column(f"Chance of top {k}: weights (SMAA)", PCT),
        Column(f"Chance of top {k}: participants (bootstrap)", PCT),
    )
    if decision is None:
        return make_table("Shortlist", columns, (), NO_SHORTLIST + ".")
    reasons = {d.name: d.reason for d in decision.departures}
    rows: list[list[Cell]] = [
        [
            p.position,
            p.name,
            p.theme,
            "Yes",
            p.computed_rank,
            p.rationale,
            reasons.get(p.name, ""),
            p.smaa_p_top,
            p.bootstrap_p_top,
        ]
        for p in decision.shortlist
    ]
    themes = {p.name: p.theme for p in content.priorities}
    sensitivity = content.analysis.sensitivity if content.analysis else None
    for d in decision.departures:
        if d.change == "left out":
            robust = sensitivity.of(d.name) if sensitivity else None
            rows.append(
                [
                    None,
                    d.name,
                    themes.get(d.name, ""),
                    "No (left out)",
                    d.computed_rank,
                    "",
                    d.reason,
                    robust.smaa_p_top if robust else None,
                    robust.bootstrap_p_top if robust else None,
                ]
            )
    note = f"Agreed by {decision.decided_by}; computed ranks from {decision.checked_against or 'no round'}."
    return make_table("Shortlist", columns, rows, note)


def ranking_table(content: ExportContent) -> Table:
    columns = (
        Column("Round", INT),
        "Round title",
        Column("Rank", INT),
        "Priority",
        "Theme",
        Column("Score", DEC),
        "Score measure",
        Column("Responses", INT),
        "In computed top k",
        "On agreed shortlist",
    )
    rows = [
        [
            r.round_number,
            ranking.round.title,
            rank_cell(r.rank),
            r.name,
            r.theme,
            r.score,
            ranking.score_label,
            r.responses,
            _yes(r.in_top),
            "" if content.is_draft else _yes(r.agreed),
        ]
        for ranking in content.rankings
        for r in ranking.rows
    ]
    note = (
        f"Every round with answers; scoring rounds ranked by {content.method}. Responses: the fewest answers on "
        "any criterion (scoring rounds) or the number of ballots (ranking rounds). " + TIE_SENTENCE + " "
        f"A priority nobody scored has no rank or score ('{NOT_SCORED}') and is never in the computed top k."
    )
    return make_table("Ranking", columns, rows, note)


# --------------------------------------------------------------------------- the workbook's other sheets


def about_table(content: ExportContent, sheets: Sequence[Table]) -> Table:
    """What the workbook is, how it was computed, and each sheet's note."""
    w = content.workshop
    rows: list[list[Cell]] = [
        ["Workshop", w.title],
        ["Organisation", w.organisation],
        ["Date", w.date.isoformat() if w.date else ""],
        ["Status", content.status],
        ["Exported (UTC)", naive_utc(content.generated_at)],
        ["Shortlist size", w.shortlist_size],
        ["Ranking method", content.method],
        ["Participants who joined", content.participants_joined],
        ["Participants", content.pseudonym_note],
        ["Weights", content.weighting.how],
    ]
    a = content.analysis
    if a is not None:
        s = a.sensitivity
        rows += [
            ["Analysed round", a.round.label],
            ["Tie rule", a.tie_rule],
            ["SMAA", f"seed {s.smaa_seed}, {s.smaa_samples} weight samples, {s.smaa_sampling}"],
            ["Bootstrap", f"seed {s.bootstrap_seed}, {s.bootstrap_resamples} resamples of the participants"],
        ]
    rows += [[f"Sheet '{t.name}'", t.note] for t in sheets if t.note]
    return make_table("About", ("Item", "Value"), rows)


def criterion_scores_table(content: ExportContent) -> Table:
    a = content.analysis
    columns = (
        Column("Rank", INT),
        "Priority",
        "Criterion",
        Column(f"Room's {a.aggregation if a else 'mean'} score", DEC),
        Column("Responses", INT),
        Column("Standard deviation", DEC),
        Column("Normalised (0–1)", DEC),
        Column("Weight", PCT),
        Column("Contribution to score", DEC),
    )
    if a is None:
        return make_table("Criterion scores", columns, ())
    ranks = {r.name: r.rank for r in a.ranking.rows}
    weights = dict(zip(a.criteria, a.weights, strict=True))
    rows = [
        [
            rank_cell(ranks[c.priority]),
            c.priority,
            c.criterion,
            c.aggregate,
            c.responses,
            c.spread,
            c.normalized,
            weights[c.criterion],
            c.contribution,
        ]
        for c in a.cells
    ]
    note = (
        f"{a.round.label}, {a.method_text}. Under the weighted sum a priority's score is the sum of its "
        "contributions. A cell nobody scored, of a priority with other answers, takes the middle of the scale; "
        f"a priority nobody scored at all has no scores ('{NOT_SCORED}')."
    )
    return make_table("Criterion scores", columns, rows, note)


def disagreement_table(content: ExportContent) -> Table:
    a = content.analysis
    groups = [g.group for g in a.groups] if a else []
    columns = (
        Column("Rank", INT),
        "Priority",
        Column("Spread (SD, 0–1)", DEC),
        Column("Interquartile range", DEC),
        "Contested",
        *(Column(f"Rank by {g}", INT) for g in groups),
        Column("Range of group ranks", INT),
    )
    if a is None:
        return make_table("Disagreement", columns, ())
    rows = [
        [rank_cell(d.rank), d.name, d.spread, d.iqr, d.contested, *d.group_ranks, d.group_range] for d in a.disagreement
    ]
    note = (
        "Spread: standard deviation of the participants' own weighted scores on a 0–1 scale. Each group's rank "
        "ranks the priorities on that group's answers alone (blank where nobody in the group scored it)."
    )
    return make_table("Disagreement", columns, rows, note)


def groups_table(content: ExportContent) -> Table:
    a = content.analysis
    agreement = {g.group: g for g in a.groups} if a else {}
    columns = (
        "Stakeholder group",
        "Description",
        Column("Joined", INT),
        Column("Answered the analysed round", INT),
        Column("Priorities compared", INT),
        Column("Agreement with the room (Spearman ρ)", DEC),
    )
    rows = [
        [
            g.name,
            g.description,
            g.joined,
            agreement[g.name].size if g.name in agreement else 0,
            agreement[g.name].compared if g.name in agreement else 0,
            agreement[g.name].spearman if g.name in agreement else None,
        ]
        for g in content.groups
    ]
    note = f"Spearman ρ: 1 = the group ranks as the room does, 0 = unrelated. {GROUP_RHO_RULE}"
    return make_table("Groups", columns, rows, note)


def sensitivity_table(content: ExportContent) -> Table:
    a = content.analysis
    if a is None:
        return make_table("Sensitivity", ("Rank", "Priority"), ())
    s = a.sensitivity
    columns = (
        Column("Rank", INT),
        "Priority",
        Column(f"P(top {s.top}), SMAA (seed {s.smaa_seed}, {s.smaa_samples} samples)", PCT),
        Column(f"P(first), SMAA (seed {s.smaa_seed})", PCT),
        Column(f"P(top {s.top}), bootstrap (seed {s.bootstrap_seed}, {s.bootstrap_resamples} resamples)", PCT),
        *(Column(f"Rank by {m}", INT) for m in s.methods),
    )
    rows = [
        [rank_cell(p.rank), p.name, p.smaa_p_top, p.smaa_p_first, p.bootstrap_p_top, *p.method_ranks]
        for p in s.priorities
    ]
    note = (
        f"{a.method_text}. SMAA weight vectors {s.smaa_sampling}. Bootstrap: the participants resampled with "
        "replacement. A priority nobody scored is never a contender (0%)."
    )
    return make_table("Sensitivity", columns, rows, note)


def one_way_table(content: ExportContent) -> Table:
    a = content.analysis
    columns = (
        "Criterion",
        Column("Agreed weight", PCT),
        Column("Top k unchanged from", PCT),
        Column("Top k unchanged up to", PCT),
        "Below: would come in",
        "Below: would drop out",
        "Above: would come in",
        "Above: would drop out",
        "In plain words",
    )
    if a is None:
        return make_table("One-way thresholds", columns, ())
    rows = [
        [
            t.criterion,
            t.weight,
            t.lower if t.lower is not None else 0.0,
            t.upper if t.upper is not None else 1.0,
            "; ".join(t.enter_below),
            "; ".join(t.leave_below),
            "; ".join(t.enter_above),
            "; ".join(t.leave_above),
            t.plain,
        ]
        for t in a.sensitivity.thresholds
    ]
    note = "One weight varied at a time, the others rescaled in proportion; thresholds solved exactly."
    return make_table("One-way thresholds", columns, rows, note)


def weights_table(content: ExportContent) -> Table:
    weighting = content.weighting
    room = f"Room's weight ({weighting.round.label})" if weighting.round else "Room's weight (no weighting round)"
    columns = (
        "Criterion",
        Column("Weight as set", DEC),
        Column("Weight (share)", PCT),
        "How the weights were set",
        Column(room, PCT),
        *(Column(f"{g} (mean allocation)", PCT) for g in weighting.groups),
    )
    rows = [[r.criterion, r.weight, r.share, weighting.how, r.room_share, *r.group_shares] for r in weighting.rows]
    if any(r.swing is not None for r in weighting.rows):  # set by swing: the swings as given, beside the weights
        columns, rows = (
            (*columns, Column("Swing (first = 100)", DEC)),
            [[*v, r.swing] for v, r in zip(rows, weighting.rows, strict=True)],
        )
    return make_table("Weights", columns, rows, f"{weighting.responses} participants allocated 100 points.")


def sheet_tables(content: ExportContent) -> tuple[Table, ...]:
    """Every table of the workbook but 'About', in sheet order."""
    from workshop.exports import converging, record_tables  # they lay their tables out with this module's types

    return (
        shortlist_table(content),
        ranking_table(content),
        criterion_scores_table(content),
        disagreement_table(content),
        converging.consensus_table(content.consensus, content.consensus_note),
        converging.sensitivity_table(content.consensus),
        groups_table(content),
        sensitivity_table(content),
        one_way_table(content),
        weights_table(content),
        record_tables.criteria_table(content),
        record_tables.priorities_table(content),
        record_tables.rounds_table(content),
        record_tables.reasons_table(content),
        record_tables.raw_scores_table(content),
        record_tables.raw_allocations_table(content),
        record_tables.raw_rankings_table(content),
        record_tables.audit_table(content),
    )
