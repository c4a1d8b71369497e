"""The board paper's sections 6 to 9 and the appendix: the results, the disagreement, the robustness,
the agreed shortlist and the full tables."""

from __future__ import annotations

from ranking.consensus import CONCORDANCE_RULE, GROUP_RHO_RULE
from ranking.readings import NOT_SCORED, agreement_reading, few_answers_sentence
from ranking.sensitivity import SEARCH_TOLERANCE
from workshop.exports import blocks as paper
from workshop.exports.charts import Charts
from workshop.exports.converging import consensus_blocks, tallies_words
from workshop.exports.model import NO_SHORTLIST, Analysis, ExportContent, RoundRanking
from workshop.exports.record_tables import audit_table
from workshop.exports.report_context import METHOD_NAMES, earlier_state
from workshop.exports.tables import (
    DEC,
    INT,
    PCT,
    Cell,
    Column,
    Table,
    rank_cell,
)
from workshop.exports.words import name_list, percent


def robustness_words(smaa_p: float | None, bootstrap_p: float | None) -> str:
    if smaa_p is None or bootstrap_p is None:
        return "not assessed"
    low = min(smaa_p, bootstrap_p)
    return "robust" if low >= 0.9 else "fairly robust" if low >= 0.5 else "fragile"


def _ranking_rows(ranking: RoundRanking, draft: bool) -> Table:
    columns = [
        Column("Rank", INT),
        Column("Priority"),
        Column("Theme"),
        Column(ranking.score_label, DEC),
        Column("Responses", INT),
    ]
    if not draft:
        columns.append(Column("Agreed"))
    rows: list[tuple[Cell, ...]] = []
    for r in ranking.rows:
        row: list[Cell] = [rank_cell(r.rank), r.name, r.theme, r.score, r.responses]
        if not draft:
            row.append("✓" if r.agreed else "")
        rows.append(tuple(row))
    return Table(ranking.round.label, tuple(columns), tuple(rows))


def results(content: ExportContent, charts: Charts | None) -> paper.Section:
    a = content.analysis
    if a is None or charts is None:
        return paper.Section("results", "6", "Results", (paper.Paragraph("No scoring round has any answers yet."),))
    top = [r for r in a.ranking.rows if r.in_top]
    digits = ".3f" if a.ranking.score_label.endswith("(0–1)") else ".1f"
    blocks: list[paper.Block] = [
        paper.Paragraph(
            f"In {a.round.label}, {a.round.respondents} participants scored {a.round.priorities} priorities, "
            f"ranked by the {content.method}. The computed top {a.top}: "
            + "; ".join(f"{r.name} ({r.score:{digits}})" for r in top)
            + "."
        ),
        paper.FigureBlock(
            charts.ranking,
            f"The computed ranking of {a.round.label}"
            + (", each bar split by criterion" if a.method == "Weighted sum" else f" ({a.method})"),
        ),
        paper.TableBlock(_ranking_rows(a.ranking, content.is_draft)),
    ]
    if a.ranking.unscored:
        blocks.append(
            paper.Notice(
                f"Nobody scored {name_list(a.ranking.unscored)} in {a.round.label}: "
                f"{'it has' if len(a.ranking.unscored) == 1 else 'they have'} no rank and no score ('{NOT_SCORED}'), "
                "and could not be in the computed top."
            )
        )
    few = few_answers_sentence(a.ranking.few_answers, a.ranking.minimum)
    if few:
        blocks.append(paper.Notice(f"{a.round.label}: {few}"))
    others = [r for r in content.rankings if r.round.number != a.round.number]
    for other in others:
        blocks.append(
            paper.Paragraph(
                f"{other.round.label} ({other.round.respondents} respondents): computed top {other.top} "
                + "; ".join(r.name for r in other.rows if r.in_top)
                + ". Its full ranking is in Appendix A. "
                + tallies_words(other)
            )
        )
    return paper.Section("results", "6", "Results", tuple(blocks))


def disagreement(content: ExportContent, charts: Charts | None) -> paper.Section:
    a = content.analysis
    if a is None or charts is None:
        return paper.Section(
            "disagreement", "7", "Disagreement", (paper.Paragraph("No scoring round has any answers yet."),)
        )
    reading = (
        f"Kendall's coefficient of concordance across participants' own rankings is W = {a.kendall_w:.2f}: "
        f"{agreement_reading(a.kendall_w)} (0 = none, 1 = everyone ranks alike; Schmidt 1997)."
        if a.kendall_w is not None
        else f"Kendall's W: {agreement_reading(None)}."
    )
    blocks: list[paper.Block] = [paper.Paragraph(f"{reading} {CONCORDANCE_RULE}")]
    if a.contested:
        blocks.append(
            paper.Paragraph("Priorities the room was divided on, or that sit close to the cut-off:", "Contested. ")
        )
        blocks.append(paper.Bullets(tuple(f"{d.name} (rank {d.rank}): {d.contested}" for d in a.contested)))
    else:
        blocks.append(paper.Paragraph("No priority was flagged as contested."))
    if charts.groups is not None:
        blocks.append(paper.FigureBlock(charts.groups, "Each stakeholder group's own ranking, beside the whole room's"))
        groups = Table(
            "Groups",
            (
                Column("Stakeholder group"),
                Column("Participants", INT),
                Column("Priorities compared", INT),
                Column("Agreement with the room (ρ)", DEC),
            ),
            tuple((g.group, g.size, g.compared, g.spearman) for g in a.groups),
        )
        blocks.append(
            paper.TableBlock(
                groups, f"Spearman's ρ between each group's ranking and the room's (1 = same order). {GROUP_RHO_RULE}"
            )
        )
        wide = sorted(
            (d for d in a.disagreement if d.group_range > 0 and d.rank is not None),
            key=lambda d: (-d.group_range, d.rank or 0),
        )[:5]
        if wide:
            names = [g.group for g in a.groups]
            items = []
            for d in wide:
                ranked = [(r, g) for r, g in zip(d.group_ranks, names, strict=True) if r is not None]
                (low, best), (high, worst) = min(ranked), max(ranked)
                items.append(f"{d.name}: ranked {low} by {best} but {high} by {worst}")
            blocks.append(paper.Paragraph("Where the groups differ most:"))
            blocks.append(paper.Bullets(tuple(items)))
    blocks += consensus_blocks(content.consensus, content.consensus_note)
    return paper.Section("disagreement", "7", "Disagreement", tuple(blocks))


def sensitivity(content: ExportContent, charts: Charts | None) -> paper.Section:
    a = content.analysis
    if a is None or charts is None:
        return paper.Section(
            "sensitivity",
            "8",
            "Sensitivity and robustness",
            (paper.Paragraph("No scoring round has any answers yet."),),
        )
    s = a.sensitivity
    agreed = content.decision.names if content.decision else ()
    shown = [p for p in s.priorities if (p.rank is not None and p.rank <= 2 * s.top) or p.name in agreed]
    table = Table(
        "Robustness",
        (
            Column("Rank", INT),
            Column("Priority"),
            Column(f"In top {s.top}: other weights", PCT),
            Column("First: other weights", PCT),
            Column(f"In top {s.top}: other rooms", PCT),
        ),
        tuple((rank_cell(p.rank), p.name, p.smaa_p_top, p.smaa_p_first, p.bootstrap_p_top) for p in shown),
    )
    methods = Table(
        "Methods",
        (Column("Method"), Column(f"Top {s.top}")),
        tuple((m, "; ".join(top)) for m, top in zip(s.methods, s.method_tops, strict=True)),
    )
    blocks: list[paper.Block] = [
        paper.Paragraph(
            f"Three checks ask whether the computed top {s.top} would survive reasonable changes: other weights, "
            "other people in the room, and other ranking methods. Each uses a fixed random seed, given here, so "
            "anyone can repeat it and get the same numbers."
        ),
        paper.Paragraph(
            f"{s.smaa_samples:,} weight vectors were {s.smaa_sampling} (seed {s.smaa_seed}); every priority was "
            f"re-ranked under each, and the table gives how often it made the top {s.top} (SMAA-2, Lahdelma & "
            "Salminen 2001).",
            "Other weights. ",
        ),
        paper.Paragraph(
            f"The participants were resampled with replacement {s.bootstrap_resamples:,} times (seed "
            f"{s.bootstrap_seed}) and each resampled room re-ranked with the agreed weights: how much of the result "
            "rests on who happened to be in the room.",
            "Other rooms. ",
        ),
        paper.FigureBlock(
            charts.robustness, f"Chance of a place in the top {s.top} under other weights and other rooms"
        ),
        paper.TableBlock(table),
        paper.Subheading("How far each weight can move"),
        paper.Paragraph(
            "Each weight was varied on its own from 0% to 100%, the others rescaled in proportion; the thresholds "
            f"at which the computed top changes were {_threshold_words(a)}."
        ),
        paper.Bullets(tuple(t.plain for t in s.thresholds)),
        paper.FigureBlock(charts.one_way, "The range of each weight over which the computed top is unchanged"),
        paper.Subheading("Other ranking methods"),
        paper.TableBlock(methods),
        paper.Paragraph(
            f"All four methods put {name_list(s.all_methods_agree_on)} in the top {s.top}."
            if s.all_methods_agree_on
            else f"No priority is in the top {s.top} under all four methods."
        ),
    ]
    if content.decision is not None:
        blocks.append(paper.Subheading("How robust is the agreed shortlist"))
        blocks.append(
            paper.Bullets(
                tuple(
                    f"{p.name}: {robustness_words(p.smaa_p_top, p.bootstrap_p_top)}"
                    + (
                        f" (top {s.top} in {percent(p.smaa_p_top)} of weight samples, "
                        f"{percent(p.bootstrap_p_top)} of resampled rooms)"
                        if p.smaa_p_top is not None and p.bootstrap_p_top is not None
                        else ""
                    )
                    for p in content.decision.shortlist
                )
            )
        )
        blocks.append(
            paper.Paragraph(
                "Robust: at least 90% in both checks; fairly robust: at least 50% in both; fragile: below 50% in "
                "either, which is where the rationale in section 9 carries the weight."
            )
        )
    return paper.Section("sensitivity", "8", "Sensitivity and robustness", tuple(blocks))


def _threshold_words(a: Analysis) -> str:
    """How the one-way thresholds were found under the stored method (``ranking.sensitivity.one_way``)."""
    if a.sensitivity.thresholds_exact:
        return "solved exactly (the weighted sum's scores change in a straight line with each weight)"
    return (
        f"found by search, since {METHOD_NAMES.get(a.method, a.method)} scores do not change in a straight line "
        f"with the weights: a sweep of each weight in steps of 1%, each change then narrowed down by bisection to "
        f"within {SEARCH_TOLERANCE * 100:g}% of weight"
    )


def shortlist(content: ExportContent) -> paper.Section:
    d = content.decision
    if d is None:
        return paper.Section(
            "shortlist",
            "9",
            "The agreed shortlist",
            (
                paper.Notice(
                    f"{NO_SHORTLIST}. When the facilitator records the board's decision, this section will list "
                    "the agreed priorities, the reason for each, and any departure from the computed ranking.",
                    draft=True,
                ),
            ),
        )
    k = content.analysis.top if content.analysis else content.workshop.shortlist_size
    table = Table(
        "Agreed shortlist",
        (
            Column("Place", INT),
            Column("Priority"),
            Column("Computed rank", INT),
            Column("Rationale"),
            Column(f"Top {k}: weights", PCT),
            Column(f"Top {k}: rooms", PCT),
        ),
        tuple((p.position, p.name, p.computed_rank, p.rationale, p.smaa_p_top, p.bootstrap_p_top) for p in d.shortlist),
    )
    blocks: list[paper.Block] = [
        paper.Facts(
            (
                ("Agreed by", d.decided_by),
                ("Recorded", f"{d.decided_at:%d %B %Y, %H:%M} UTC"),
                ("Computed ranking compared", d.checked_against or "None"),
                ("Measured against", d.measured),
            )
        ),
    ]
    if d.earlier_state:
        blocks.append(paper.Notice(earlier_state(d)))
    blocks.append(paper.TableBlock(table, "The agreed priorities and the reason for each"))
    if d.departures:
        departures = Table(
            "Departures",
            (Column("Priority"), Column("Change"), Column("Computed rank", INT), Column("Reason")),
            tuple((x.name, x.change, x.computed_rank, x.reason) for x in d.departures),
        )
        blocks.append(paper.Subheading("Departures from the computed ranking"))
        blocks.append(
            paper.TableBlock(departures, "Where the board's decision differs from the computed ranking, and why")
        )
    else:
        blocks.append(paper.Paragraph("The board made no departure from the computed ranking."))
    if d.note:
        blocks.append(paper.Paragraph(d.note, "Note. "))
    return paper.Section("shortlist", "9", "The agreed shortlist", tuple(blocks))


def _criterion_matrix(a: Analysis) -> Table:
    columns = (Column("Rank", INT), Column("Priority"), *(Column(c, DEC) for c in a.criteria), Column("Score", DEC))
    rows = tuple(
        (rank_cell(r.rank), r.name, *(a.cell(r.name, c).aggregate for c in a.criteria), r.score) for r in a.ranking.rows
    )
    return Table("Room's scores by criterion", columns, rows)


def _group_ranks(a: Analysis) -> Table:
    columns = (
        Column("Rank", INT),
        Column("Priority"),
        Column("Spread", DEC),
        Column("Contested"),
        *(Column(g.group, INT) for g in a.groups),
        Column("Range", INT),
    )
    rows = tuple(
        (rank_cell(d.rank), d.name, d.spread, d.contested, *d.group_ranks, d.group_range) for d in a.disagreement
    )
    return Table("Group ranks", columns, rows)


def appendix(content: ExportContent) -> paper.Section:
    blocks: list[paper.Block] = [
        paper.Paragraph(
            "The full tables behind sections 6 to 8. Every participant's raw scores, and these tables in sortable "
            "form, are in the Excel workbook exported with this paper."
        )
    ]
    blocks.append(paper.Subheading("A. Full rankings"))
    blocks += [
        paper.TableBlock(_ranking_rows(ranking, content.is_draft), ranking.round.label) for ranking in content.rankings
    ]
    a = content.analysis
    if a is not None:
        blocks += [
            paper.Subheading(f"B. The room's {a.aggregation} scores by criterion: {a.round.label}"),
            paper.Paragraph(
                "Scores on each criterion's own scale; the score column is the weighted, normalised total."
            ),
            paper.TableBlock(_criterion_matrix(a)),
            paper.Subheading("C. Each stakeholder group's ranks"),
            paper.Paragraph(
                "Spread: the standard deviation of the participants' own weighted scores (0–1). Each group's rank "
                "ranks the priorities on that group's answers alone; range: its worst minus its best."
            ),
            paper.TableBlock(_group_ranks(a)),
        ]
    blocks += [
        paper.Subheading("D. Audit trail"),
        paper.Paragraph("Every change of workshop and round state, with who made it; times are UTC."),
        paper.TableBlock(audit_table(content)),
    ]
    return paper.Section("appendix", "Appendix", "Full tables", tuple(blocks))
