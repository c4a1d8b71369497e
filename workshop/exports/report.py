"""The board paper's words and layout, shared by the HTML and Word reports.

``board_paper`` turns ``ExportContent`` and its charts into a ``Report``: a
title block and numbered sections made of a few kinds of block (paragraph,
list, notice, key facts, table, figure, sub-heading).  ``html_report`` and
``docx_report`` only lay these blocks out, so both files say exactly the
same thing.

The sections follow the ISPOR MCDA good-practice checklist (Marsh et al.
2016: report and justify each step) and accountability for reasonableness
(Daniels & Sabin: publish the decision and its reasons): the decision
problem, the options and their evidence, the criteria and their scales,
how scores and weights were elicited, the method, the results, where the
room disagreed, how robust the result is, the decision with its rationale
and departures, and an appendix with the full tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ranking.consensus import CONCORDANCE_RULE, GROUP_RHO_RULE
from ranking.readings import NOT_SCORED, TIE_SENTENCE, agreement_reading
from ranking.sensitivity import SEARCH_TOLERANCE
from workshop.exports.charts import Chart, Charts
from workshop.exports.model import NO_SHORTLIST, Analysis, DecisionInfo, ExportContent, RoundRanking
from workshop.exports.tables import (
    DEC,
    INT,
    PCT,
    Cell,
    Column,
    Table,
    audit_table,
    descriptors_text,
    priorities_table,
    rank_cell,
)
from workshop.exports.words import name_list, percent

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # shown in bold before the text


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Notice:
    """A boxed message: ``draft`` for the missing decision, ``note`` otherwise."""

    text: str
    kind: str = "note"


@dataclass(frozen=True)
class Facts:
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TableBlock:
    table: Table
    caption: str = ""


@dataclass(frozen=True)
class FigureBlock:
    chart: Chart
    caption: str


@dataclass(frozen=True)
class Subheading:
    text: str


Block = Paragraph | Bullets | Notice | Facts | TableBlock | FigureBlock | Subheading


@dataclass(frozen=True)
class Section:
    anchor: str
    number: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Report:
    title: str
    organisation: str
    kind: str  # "Board paper"
    date_text: str
    status: str
    draft: bool
    generated: str
    sections: tuple[Section, ...]


def _date(content: ExportContent) -> str:
    day = content.workshop.date
    return f"{day.day} {day:%B %Y}" if day else "Date not recorded"


def robustness_words(smaa_p: float | None, bootstrap_p: float | None) -> str:
    if smaa_p is None or bootstrap_p is None:
        return "not assessed"
    low = min(smaa_p, bootstrap_p)
    return "robust" if low >= 0.9 else "fairly robust" if low >= 0.5 else "fragile"


# --------------------------------------------------------------------------- sections


def _summary(content: ExportContent) -> Section:
    w, a, d = content.workshop, content.analysis, content.decision
    blocks: list[Block] = []
    if d is None:
        blocks.append(
            Notice(
                f"Draft. {NO_SHORTLIST}. This paper reports the workshop's results so far; section 9 will give "
                "the agreed shortlist and its rationale once the facilitator records the decision.",
                "draft",
            )
        )
    groups = sum(g.joined > 0 for g in content.groups)
    facts = [
        ("Organisation", w.organisation or "Not recorded"),
        ("Workshop date", _date(content)),
        ("Status", content.status),
        ("Participants", f"{content.participants_joined} from {groups} stakeholder groups"),
        ("Candidate priorities", str(len(content.priorities))),
        ("Criteria", ", ".join(c.name for c in content.criteria) or "None"),
        ("Rounds", "; ".join(r.label for r in content.rounds) or "None"),
    ]
    facts.append(("Ranking method", content.method))
    if a is not None:
        facts.append(("Analysed round", a.round.label))
        if a.ranking.unscored:
            facts.append(("Not scored by anyone", "; ".join(a.ranking.unscored)))
    blocks.append(Facts(tuple(facts)))
    if d is not None:
        if d.earlier_state:
            blocks.append(Notice(_earlier_state(d)))
        blocks.append(Paragraph(f"The board agreed these {len(d.shortlist)} priorities:", "Agreed shortlist. "))
        blocks.append(Bullets(tuple(p.name for p in d.shortlist), numbered=True))
        k = len(d.shortlist)
        brought = [x.name for x in d.departures if x.change == "brought in"]
        left = [x.name for x in d.departures if x.change == "left out"]
        unexplained = [
            p.name for p in d.shortlist if p.name not in brought and (p.computed_rank is None or p.computed_rank > k)
        ]
        if brought or left:
            parts = [
                f"brings in {name_list(brought)}" if brought else "",
                f"leaves out {name_list(left)}" if left else "",
            ]
            blocks.append(
                Paragraph(
                    f"Against the computed ranking of {d.checked_against}, the decision "
                    + " and ".join(p for p in parts if p)
                    + "; section 9 records why."
                )
            )
        elif d.checked_against and not unexplained:
            blocks.append(Paragraph(f"The agreed shortlist is the computed top {k} of {d.checked_against}."))
        if unexplained:
            blocks.append(
                Notice(
                    f"{name_list(unexplained)} {'is' if len(unexplained) == 1 else 'are'} on the agreed shortlist but "
                    f"outside the computed top {k} of {d.checked_against or 'any round'}, and no reason was recorded "
                    "for the departure."
                )
            )
    if a is not None:
        blocks.append(Paragraph(_robustness_summary(content, a), "Robustness. "))
        blocks.append(
            Paragraph(
                f"Kendall's W = {a.kendall_w:.2f}: {agreement_reading(a.kendall_w)}."
                if a.kendall_w is not None
                else f"Kendall's W: {agreement_reading(None)}.",
                "Agreement. ",
            )
        )
    else:
        blocks.append(Paragraph("No scoring round has any answers yet, so there are no results to report."))
    return Section("summary", "", "Summary", tuple(blocks))


def _robustness_summary(content: ExportContent, a: Analysis) -> str:
    s = a.sensitivity
    chosen = content.decision.names if content.decision else s.computed_top
    whose = "agreed" if content.decision else "computed top"
    firm = [n for n in chosen if (p := s.of(n)) is not None and min(p.smaa_p_top, p.bootstrap_p_top) >= 0.9]
    text = (
        f"{len(firm)} of the {len(chosen)} {whose} priorities stay in the top {s.top} in at least 90% of "
        f"samples of other weights (SMAA) and of other rooms (bootstrap)."
    )
    closest = s.closest
    if closest is not None:
        past_upper = closest.upper is not None and abs(closest.upper - closest.weight) == closest.margin
        bound = closest.upper if past_upper else closest.lower
        text += (
            f" The weight nearest to changing the computed top {s.top} is that of '{closest.criterion}': agreed at "
            f"{percent(closest.weight, 1)}, the top {s.top} changes {'above' if past_upper else 'below'} "
            f"{percent(bound or 0.0, 1)}."
        )
    return text


def _problem(content: ExportContent) -> Section:
    w = content.workshop
    themes = Counter(p.theme for p in content.priorities if p.theme)
    blocks: list[Block] = []
    if w.description:
        blocks.append(Paragraph(w.description))
    blocks.append(
        Paragraph(
            f"{w.organisation or 'The partnership'} asked the room to choose {w.shortlist_size} priorities from "
            f"{len(content.priorities)} candidates, scoring each against {len(content.criteria)} criteria. The "
            "ranking that results informs the decision; the board's agreed shortlist, with its reasons, is the "
            "decision."
        )
    )
    if themes:
        blocks.append(Paragraph("The candidates by theme:"))
        blocks.append(Bullets(tuple(f"{theme}: {count}" for theme, count in themes.items())))
    return Section("decision-problem", "1", "The decision problem", tuple(blocks))


def _priorities(content: ExportContent) -> Section:
    return Section(
        "priorities",
        "2",
        "Candidate priorities and their evidence",
        (
            Paragraph("Each candidate as the room saw it, with the evidence offered for it."),
            TableBlock(priorities_table(content)),
        ),
    )


def _criteria(content: ExportContent) -> Section:
    criteria = Table(
        "Criteria",
        (Column("Criterion"), Column("What it measures"), Column("Direction"), Column("Scale"), Column("Weight", PCT)),
        tuple(
            (
                c.name,
                c.description,
                "higher is better" if c.direction.value == "benefit" else "lower is better",
                f"{c.scale_min} to {c.scale_max}",
                c.share,
            )
            for c in content.criteria
        ),
    )
    descriptors = Table(
        "Scale descriptors",
        (Column("Criterion"), Column("Descriptors")),
        tuple((c.name, descriptors_text(c.scale_points, c.descriptors)) for c in content.criteria),
    )
    return Section(
        "criteria",
        "3",
        "Criteria and scales",
        (
            Paragraph(
                "Participants scored every priority on every criterion, using the descriptors below to anchor "
                'each point of the scale, or said "don\'t know".'
            ),
            TableBlock(criteria),
            Subheading("What each score means"),
            TableBlock(descriptors),
        ),
    )


def _collection(content: ExportContent, charts: Charts | None) -> Section:
    scoring_rounds = [r for r in content.rounds if r.respondents]
    columns = (
        Column("Stakeholder group"),
        Column("Joined", INT),
        *(Column(f"Round {r.number}", INT) for r in scoring_rounds),
    )
    per_group = [
        (g.name, g.joined, *(next((x.count for x in r.by_group if x.group == g.name), 0) for r in scoring_rounds))
        for g in content.groups
    ]
    total = ("All participants", content.participants_joined, *(r.respondents for r in scoring_rounds))
    turnout = Table("Participants", columns, (*per_group, total))
    rounds = Table(
        "Rounds",
        (Column("Round"), Column("Kind"), Column("Priorities", INT), Column("Respondents", INT), Column("State")),
        tuple((r.label, r.kind.value, r.priorities or None, r.respondents, r.state.value) for r in content.rounds),
    )
    weighting = content.weighting
    blocks: list[Block] = [
        Paragraph(
            f"{content.participants_joined} participants joined on their own devices, each choosing a stakeholder "
            'group. Answers were saved as they were given; "don\'t know" answers are left out of every average, '
            "never counted as zero. " + content.pseudonym_note
        ),
        TableBlock(turnout, "Participants by stakeholder group: joined, and answered each round"),
        TableBlock(rounds, "The rounds"),
        Subheading("Weights"),
        Paragraph(f"The criteria's weights were {weighting.how}."),
    ]
    if weighting.round is not None:
        blocks.append(
            Paragraph(
                f"In {weighting.round.label}, {weighting.responses} participants each split 100 points across the "
                "criteria; each allocation was scaled to 100% and the room's weight is the mean of these."
            )
        )
    if charts is not None:
        blocks.append(FigureBlock(charts.weights, "The criteria weights used in the ranking"))
    columns_w = [Column("Criterion"), Column("Weight used", PCT)]
    if weighting.round is not None:
        columns_w += [
            Column("Room's allocation", PCT),
            Column("Lowest group mean", PCT),
            Column("Highest group mean", PCT),
        ]
    rows: list[tuple[Cell, ...]] = []
    for r in weighting.rows:
        shares = [v for v in r.group_shares if v is not None]
        row: list[Cell] = [r.criterion, r.share]
        if weighting.round is not None:
            row += [r.room_share, min(shares) if shares else None, max(shares) if shares else None]
        rows.append(tuple(row))
    blocks.append(TableBlock(Table("Weights", tuple(columns_w), tuple(rows))))
    return Section("collection", "4", "How scores and weights were collected", tuple(blocks))


def _method(content: ExportContent) -> Section:
    a = content.analysis
    if a is None:
        return Section("method", "5", "Method and aggregation", (Paragraph("No round has been analysed yet."),))
    balanced = ", with each stakeholder group counting equally whatever its size" if a.balanced else ""
    s = a.sensitivity
    return Section(
        "method",
        "5",
        "Method and aggregation",
        (
            Paragraph(
                f"{content.method}: the ranking method the facilitator chose for this workshop, the one the room "
                "saw on the projector.",
                "Ranking method. ",
            ),
            Bullets(
                (
                    f"The room's score for a priority on a criterion is the {a.aggregation} of the answers given"
                    f"{balanced}. A cell with fewer than {a.min_responses} answers is flagged in the appendix; a "
                    "cell nobody scored, of a priority with other answers, takes the middle of the scale, so it "
                    "neither helps nor hurts. A priority nobody scored at all is not ranked: it is listed last as "
                    f"'{NOT_SCORED}' and is never in the computed top.",
                    _normalisation_words(a),
                    "The weights are scaled to sum to 100%.",
                    _method_words(a),
                    TIE_SENTENCE,
                    f"Sensitivity analyses use fixed random seeds so that they can be reproduced: SMAA seed "
                    f"{s.smaa_seed} ({s.smaa_samples:,} samples), bootstrap seed {s.bootstrap_seed} "
                    f"({s.bootstrap_resamples:,} resamples).",
                    f"The analysis covers {a.round.label}, "
                    + (
                        "the round the decision was based on."
                        if content.decision and content.decision.checked_against == a.round.label
                        else "the latest scoring round with answers."
                    ),
                )
            ),
        ),
    )


#: How each method (by its label) is named in a sentence, and how it turns the room's scores into a ranking.
METHOD_NAMES = {
    "Weighted sum": "weighted sum",
    "TOPSIS": "TOPSIS",
    "Borda count": "Borda count",
    "Copeland": "Copeland method",
}
METHOD_WORDS = {
    "Weighted sum": "a priority's score is the sum over the criteria of weight × normalised score, from 0 (bottom "
    "of every scale) to 1 (top of every scale).",
    "TOPSIS": "a priority's score is its closeness to an ideal priority that is best on every weighted criterion "
    "and its distance from one that is worst (Hwang & Yoon 1981), from 0 to 1.",
    "Borda count": "each participant's own ranking (by the weighted sum of their own normalised scores, the room's "
    "score standing in where they said 'don't know') gives a priority one point for every priority it beats and "
    "half a point for a tie; the points are averaged over the participants.",
    "Copeland": "each participant's own ranking (as for the Borda count) decides every pair of priorities by "
    "majority; a priority gets one point for every other priority most of the room ranks below it, half for a tie.",
}


def _method_words(a: Analysis) -> str:
    return f"The ranking method is the {METHOD_NAMES.get(a.method, a.method)}: {METHOD_WORDS[a.method]}"


def _normalisation_words(a: Analysis) -> str:
    if a.normalisation == "vector":
        return (
            "Each criterion's scores are vector-normalised, x / √(Σ x²) over the priorities (Hwang & Yoon 1981), "
            "reversed where lower is better."
        )
    return (
        "Each criterion's score is put on a 0–1 scale using the ends of the criterion's own scale, "
        "(score − scale minimum) / (scale maximum − scale minimum), reversed where lower is better. "
        "Because the scale, not the range of scores observed, sets the 0 and the 1, adding or removing "
        "a priority never reorders the others."
    )


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


def _results(content: ExportContent, charts: Charts | None) -> Section:
    a = content.analysis
    if a is None or charts is None:
        return Section("results", "6", "Results", (Paragraph("No scoring round has any answers yet."),))
    top = [r for r in a.ranking.rows if r.in_top]
    digits = ".3f" if a.ranking.score_label.endswith("(0–1)") else ".1f"
    blocks: list[Block] = [
        Paragraph(
            f"In {a.round.label}, {a.round.respondents} participants scored {a.round.priorities} priorities, "
            f"ranked by the {content.method}. The computed top {a.top}: "
            + "; ".join(f"{r.name} ({r.score:{digits}})" for r in top)
            + "."
        ),
        FigureBlock(
            charts.ranking,
            f"The computed ranking of {a.round.label}"
            + (", each bar split by criterion" if a.method == "Weighted sum" else f" ({a.method})"),
        ),
        TableBlock(_ranking_rows(a.ranking, content.is_draft)),
    ]
    if a.ranking.unscored:
        blocks.append(
            Notice(
                f"Nobody scored {name_list(a.ranking.unscored)} in {a.round.label}: "
                f"{'it has' if len(a.ranking.unscored) == 1 else 'they have'} no rank and no score ('{NOT_SCORED}'), "
                "and could not be in the computed top."
            )
        )
    others = [r for r in content.rankings if r.round.number != a.round.number]
    for other in others:
        blocks.append(
            Paragraph(
                f"{other.round.label} ({other.round.respondents} respondents): computed top {other.top} "
                + "; ".join(r.name for r in other.rows if r.in_top)
                + ". Its full ranking is in Appendix A."
            )
        )
    return Section("results", "6", "Results", tuple(blocks))


def _disagreement(content: ExportContent, charts: Charts | None) -> Section:
    a = content.analysis
    if a is None or charts is None:
        return Section("disagreement", "7", "Disagreement", (Paragraph("No scoring round has any answers yet."),))
    reading = (
        f"Kendall's coefficient of concordance across participants' own rankings is W = {a.kendall_w:.2f}: "
        f"{agreement_reading(a.kendall_w)} (0 = none, 1 = everyone ranks alike; Schmidt 1997)."
        if a.kendall_w is not None
        else f"Kendall's W: {agreement_reading(None)}."
    )
    blocks: list[Block] = [Paragraph(f"{reading} {CONCORDANCE_RULE}")]
    if a.contested:
        blocks.append(Paragraph("Priorities the room was divided on, or that sit close to the cut-off:", "Contested. "))
        blocks.append(Bullets(tuple(f"{d.name} (rank {d.rank}): {d.contested}" for d in a.contested)))
    else:
        blocks.append(Paragraph("No priority was flagged as contested."))
    if charts.groups is not None:
        blocks.append(FigureBlock(charts.groups, "Each stakeholder group's own ranking, beside the whole room's"))
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
            TableBlock(
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
            blocks.append(Paragraph("Where the groups differ most:"))
            blocks.append(Bullets(tuple(items)))
    return Section("disagreement", "7", "Disagreement", tuple(blocks))


def _sensitivity(content: ExportContent, charts: Charts | None) -> Section:
    a = content.analysis
    if a is None or charts is None:
        return Section(
            "sensitivity", "8", "Sensitivity and robustness", (Paragraph("No scoring round has any answers yet."),)
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
    blocks: list[Block] = [
        Paragraph(
            f"Three checks ask whether the computed top {s.top} would survive reasonable changes: other weights, "
            "other people in the room, and other ranking methods. Each uses a fixed random seed, given here, so "
            "anyone can repeat it and get the same numbers."
        ),
        Paragraph(
            f"{s.smaa_samples:,} weight vectors were {s.smaa_sampling} (seed {s.smaa_seed}); every priority was "
            f"re-ranked under each, and the table gives how often it made the top {s.top} (SMAA-2, Lahdelma & "
            "Salminen 2001).",
            "Other weights. ",
        ),
        Paragraph(
            f"The participants were resampled with replacement {s.bootstrap_resamples:,} times (seed "
            f"{s.bootstrap_seed}) and each resampled room re-ranked with the agreed weights: how much of the result "
            "rests on who happened to be in the room.",
            "Other rooms. ",
        ),
        FigureBlock(charts.robustness, f"Chance of a place in the top {s.top} under other weights and other rooms"),
        TableBlock(table),
        Subheading("How far each weight can move"),
        Paragraph(
            "Each weight was varied on its own from 0% to 100%, the others rescaled in proportion; the thresholds "
            f"at which the computed top changes were {_threshold_words(a)}."
        ),
        Bullets(tuple(t.plain for t in s.thresholds)),
        FigureBlock(charts.one_way, "The range of each weight over which the computed top is unchanged"),
        Subheading("Other ranking methods"),
        TableBlock(methods),
        Paragraph(
            f"All four methods put {name_list(s.all_methods_agree_on)} in the top {s.top}."
            if s.all_methods_agree_on
            else f"No priority is in the top {s.top} under all four methods."
        ),
    ]
    if content.decision is not None:
        blocks.append(Subheading("How robust is the agreed shortlist"))
        blocks.append(
            Bullets(
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
            Paragraph(
                "Robust: at least 90% in both checks; fairly robust: at least 50% in both; fragile: below 50% in "
                "either, which is where the rationale in section 9 carries the weight."
            )
        )
    return Section("sensitivity", "8", "Sensitivity and robustness", tuple(blocks))


def _earlier_state(d: DecisionInfo) -> str:
    return (
        "Measured against an earlier state: the computed ranks here are the ones the decision was taken on. "
        "Since then: " + " ".join(d.earlier_state)
    )


def _threshold_words(a: Analysis) -> str:
    """How the one-way thresholds were found under the stored method (``ranking.sensitivity.one_way``)."""
    if a.sensitivity.thresholds_exact:
        return "solved exactly (the weighted sum's scores change in a straight line with each weight)"
    return (
        f"found by search, since {METHOD_NAMES.get(a.method, a.method)} scores do not change in a straight line "
        f"with the weights: a sweep of each weight in steps of 1%, each change then narrowed down by bisection to "
        f"within {SEARCH_TOLERANCE * 100:g}% of weight"
    )


def _shortlist(content: ExportContent) -> Section:
    d = content.decision
    if d is None:
        return Section(
            "shortlist",
            "9",
            "The agreed shortlist",
            (
                Notice(
                    f"{NO_SHORTLIST}. When the facilitator records the board's decision, this section will list "
                    "the agreed priorities, the reason for each, and any departure from the computed ranking.",
                    "draft",
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
    blocks: list[Block] = [
        Facts(
            (
                ("Agreed by", d.decided_by),
                ("Recorded", f"{d.decided_at:%d %B %Y, %H:%M} UTC"),
                ("Computed ranking compared", d.checked_against or "None"),
                ("Measured against", d.measured),
            )
        ),
    ]
    if d.earlier_state:
        blocks.append(Notice(_earlier_state(d)))
    blocks.append(TableBlock(table, "The agreed priorities and the reason for each"))
    if d.departures:
        departures = Table(
            "Departures",
            (Column("Priority"), Column("Change"), Column("Computed rank", INT), Column("Reason")),
            tuple((x.name, x.change, x.computed_rank, x.reason) for x in d.departures),
        )
        blocks.append(Subheading("Departures from the computed ranking"))
        blocks.append(TableBlock(departures, "Where the board's decision differs from the computed ranking, and why"))
    else:
        blocks.append(Paragraph("The board made no departure from the computed ranking."))
    if d.note:
        blocks.append(Paragraph(d.note, "Note. "))
    return Section("shortlist", "9", "The agreed shortlist", tuple(blocks))


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


def _appendix(content: ExportContent) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "The full tables behind sections 6 to 8. Every participant's raw scores, and these tables in sortable "
            "form, are in the Excel workbook exported with this paper."
        )
    ]
    blocks.append(Subheading("A. Full rankings"))
    blocks += [
        TableBlock(_ranking_rows(ranking, content.is_draft), ranking.round.label) for ranking in content.rankings
    ]
    a = content.analysis
    if a is not None:
        blocks += [
            Subheading(f"B. The room's {a.aggregation} scores by criterion: {a.round.label}"),
            Paragraph("Scores on each criterion's own scale; the score column is the weighted, normalised total."),
            TableBlock(_criterion_matrix(a)),
            Subheading("C. Each stakeholder group's ranks"),
            Paragraph(
                "Spread: the standard deviation of the participants' own weighted scores (0–1). Each group's rank "
                "ranks the priorities on that group's answers alone; range: its worst minus its best."
            ),
            TableBlock(_group_ranks(a)),
        ]
    blocks += [
        Subheading("D. Audit trail"),
        Paragraph("Every change of workshop and round state, with who made it; times are UTC."),
        TableBlock(audit_table(content)),
    ]
    return Section("appendix", "Appendix", "Full tables", tuple(blocks))


def board_paper(content: ExportContent, charts: Charts | None) -> Report:
    w = content.workshop
    return Report(
        title=w.title,
        organisation=w.organisation,
        kind="Board paper: agreeing our priorities",
        date_text=_date(content),
        status=content.status,
        draft=content.is_draft,
        generated=f"Prepared by Prioritise on {content.generated_at:%d %B %Y at %H:%M} UTC",
        sections=(
            _summary(content),
            _problem(content),
            _priorities(content),
            _criteria(content),
            _collection(content, charts),
            _method(content),
            _results(content, charts),
            _disagreement(content, charts),
            _sensitivity(content, charts),
            _shortlist(content),
            _appendix(content),
        ),
    )
