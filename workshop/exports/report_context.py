"""The board paper's summary and sections 1 to 5: the decision problem, the candidates, the criteria,
how answers were collected and the method."""

from __future__ import annotations

from collections import Counter

from ranking.readings import NOT_SCORED, TIE_SENTENCE, agreement_reading
from workshop.exports import blocks as paper
from workshop.exports.charts import Charts
from workshop.exports.model import NO_SHORTLIST, Analysis, DecisionInfo, ExportContent
from workshop.exports.record_tables import descriptors_text, priorities_table
from workshop.exports.tables import (
    INT,
    PCT,
    Cell,
    Column,
    Table,
)
from workshop.exports.words import name_list, percent


def date_text(content: ExportContent) -> str:
    day = content.workshop.date
    return f"{day.day} {day:%B %Y}" if day else "Date not recorded"


def summary(content: ExportContent) -> paper.Section:
    w, a, d = content.workshop, content.analysis, content.decision
    blocks: list[paper.Block] = []
    if d is None:
        blocks.append(
            paper.Notice(
                f"Draft. {NO_SHORTLIST}. This paper reports the workshop's results so far; section 9 will give "
                "the agreed shortlist and its rationale once the facilitator records the decision.",
                draft=True,
            )
        )
    groups = sum(g.joined > 0 for g in content.groups)
    facts = [
        ("Organisation", w.organisation or "Not recorded"),
        ("Workshop date", date_text(content)),
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
    blocks.append(paper.Facts(tuple(facts)))
    if d is not None:
        if d.earlier_state:
            blocks.append(paper.Notice(earlier_state(d)))
        blocks.append(paper.Paragraph(f"The board agreed these {len(d.shortlist)} priorities:", "Agreed shortlist. "))
        blocks.append(paper.Bullets(tuple(p.name for p in d.shortlist), numbered=True))
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
                paper.Paragraph(
                    f"Against the computed ranking of {d.checked_against}, the decision "
                    + " and ".join(p for p in parts if p)
                    + "; section 9 records why."
                )
            )
        elif d.checked_against and not unexplained:
            blocks.append(paper.Paragraph(f"The agreed shortlist is the computed top {k} of {d.checked_against}."))
        if unexplained:
            blocks.append(
                paper.Notice(
                    f"{name_list(unexplained)} {'is' if len(unexplained) == 1 else 'are'} on the agreed shortlist but "
                    f"outside the computed top {k} of {d.checked_against or 'any round'}, and no reason was recorded "
                    "for the departure."
                )
            )
    if a is not None:
        blocks.append(paper.Paragraph(_robustness_summary(content, a), "Robustness. "))
        blocks.append(
            paper.Paragraph(
                f"Kendall's W = {a.kendall_w:.2f}: {agreement_reading(a.kendall_w)}."
                if a.kendall_w is not None
                else f"Kendall's W: {agreement_reading(None)}.",
                "Agreement. ",
            )
        )
    else:
        blocks.append(paper.Paragraph("No scoring round has any answers yet, so there are no results to report."))
    return paper.Section("summary", "", "Summary", tuple(blocks))


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


def problem(content: ExportContent) -> paper.Section:
    w = content.workshop
    themes = Counter(p.theme for p in content.priorities if p.theme)
    blocks: list[paper.Block] = []
    if w.description:
        blocks.append(paper.Paragraph(w.description))
    blocks.append(
        paper.Paragraph(
            f"{w.organisation or 'The partnership'} asked the room to choose {w.shortlist_size} priorities from "
            f"{len(content.priorities)} candidates, scoring each against {len(content.criteria)} criteria. The "
            "ranking that results informs the decision; the board's agreed shortlist, with its reasons, is the "
            "decision."
        )
    )
    if themes:
        blocks.append(paper.Paragraph("The candidates by theme:"))
        blocks.append(paper.Bullets(tuple(f"{theme}: {count}" for theme, count in themes.items())))
    return paper.Section("decision-problem", "1", "The decision problem", tuple(blocks))


def priorities(content: ExportContent) -> paper.Section:
    return paper.Section(
        "priorities",
        "2",
        "Candidate priorities and their evidence",
        (
            paper.Paragraph("Each candidate as the room saw it, with the evidence offered for it."),
            paper.TableBlock(priorities_table(content)),
        ),
    )


def criteria(content: ExportContent) -> paper.Section:
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
    return paper.Section(
        "criteria",
        "3",
        "Criteria and scales",
        (
            paper.Paragraph(
                "Participants scored every priority on every criterion, using the descriptors below to anchor "
                'each point of the scale, or said "don\'t know".'
            ),
            paper.TableBlock(criteria),
            paper.Subheading("What each score means"),
            paper.TableBlock(descriptors),
        ),
    )


def collection(content: ExportContent, charts: Charts | None) -> paper.Section:
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
    blocks: list[paper.Block] = [
        paper.Paragraph(
            f"{content.participants_joined} participants joined on their own devices, each choosing a stakeholder "
            'group. Answers were saved as they were given; "don\'t know" answers are left out of every average, '
            "never counted as zero. " + content.pseudonym_note
        ),
        paper.TableBlock(turnout, "Participants by stakeholder group: joined, and answered each round"),
        paper.TableBlock(rounds, "The rounds"),
        paper.Subheading("Weights"),
        paper.Paragraph(f"The criteria's weights were {weighting.how}."),
    ]
    if weighting.round is not None:
        blocks.append(
            paper.Paragraph(
                f"In {weighting.round.label}, {weighting.responses} participants each split 100 points across the "
                "criteria; each allocation was scaled to 100% and the room's weight is the mean of these."
            )
        )
    if charts is not None:
        blocks.append(paper.FigureBlock(charts.weights, "The criteria weights used in the ranking"))
    columns_w = [Column("Criterion"), Column("Weight used", PCT)]
    if weighting.round is not None:
        columns_w += [
            Column("Room's allocation", PCT),
            Column("Lowest group mean", PCT),
            Column("Highest group mean", PCT),
        ]
    swung = any(r.swing is not None for r in weighting.rows)
    if swung:
        columns_w.append(Column("Swing (first = 100)", INT))
    rows: list[tuple[Cell, ...]] = []
    for r in weighting.rows:
        shares = [v for v in r.group_shares if v is not None]
        row: list[Cell] = [r.criterion, r.share]
        if weighting.round is not None:
            row += [r.room_share, min(shares) if shares else None, max(shares) if shares else None]
        if swung:
            row.append(None if r.swing is None else int(r.swing) if r.swing.is_integer() else r.swing)
        rows.append(tuple(row))
    blocks.append(paper.TableBlock(Table("Weights", tuple(columns_w), tuple(rows))))
    return paper.Section("collection", "4", "How scores and weights were collected", tuple(blocks))


def method(content: ExportContent) -> paper.Section:
    a = content.analysis
    if a is None:
        return paper.Section(
            "method", "5", "Method and aggregation", (paper.Paragraph("No round has been analysed yet."),)
        )
    balanced = ", with each stakeholder group counting equally whatever its size" if a.balanced else ""
    s = a.sensitivity
    return paper.Section(
        "method",
        "5",
        "Method and aggregation",
        (
            paper.Paragraph(
                f"{content.method}: the ranking method the facilitator chose for this workshop, the one the room "
                "saw on the projector.",
                "Ranking method. ",
            ),
            paper.Bullets(
                (
                    f"The room's score for a priority on a criterion is the {a.aggregation} of the answers given"
                    f"{balanced}. A cell with fewer than {a.min_responses} answers is flagged in the appendix; a "
                    "cell nobody scored, of a priority with other answers, takes the middle of the scale, so it "
                    "neither helps nor hurts. A priority nobody scored at all is not ranked: it is listed last as "
                    f"'{NOT_SCORED}' and is never in the computed top.",
                    _normalization_words(a),
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


def _normalization_words(a: Analysis) -> str:
    if a.normalization == "vector":
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


def earlier_state(d: DecisionInfo) -> str:
    return (
        "Measured against an earlier state: the computed ranks here are the ones the decision was taken on. "
        "Since then: " + " ".join(d.earlier_state)
    )
