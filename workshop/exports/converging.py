"""The exports' part for converging rounds: the consensus rule's statuses and sensitivity, and the two ballot tallies.

The statuses come from the service's ``consensus`` (``workshop.converging.consensus_summary``), the same rows
the Results page shows; the tables here only lay them out, once, for the workbook, the CSV files and the
board paper.
"""

from __future__ import annotations

from ranking.consensus_rule import Status
from workshop.converging import DISAGREEMENT_RULE, STATUS_WORDS, WEIGHTED_NOTE, ConsensusRow, ConsensusSummary
from workshop.errors import InvalidInput, NoResultsYet
from workshop.exports import blocks as paper
from workshop.exports.model import RoundRanking
from workshop.exports.tables import Column, Format, Table
from workshop.models import BallotRule, Round
from workshop.results import RankingRoundResults
from workshop.service import WorkshopService

PCT, DEC, INT = Format.PERCENT, Format.DECIMAL, Format.INTEGER


def consensus_part(service: WorkshopService, key: str, basis: Round | None) -> dict[str, object]:
    """``ExportContent``'s consensus fields for the analysed round: its summary, or why there is none."""
    if basis is None:
        return {"consensus": None, "consensus_note": "No scoring round has any answers yet."}
    try:
        return {"consensus": service.consensus(key, basis.id), "consensus_note": ""}
    except NoResultsYet:
        return {"consensus": None, "consensus_note": "No scoring round has any answers yet."}
    except InvalidInput as exc:  # no common scale, or bands off it: the board paper says why
        return {"consensus": None, "consensus_note": exc.message}


def tallies_beside(result: RankingRoundResults, top: int) -> dict[str, object]:
    """A ranking round's other tally (pooled Borda beside the group-fair one, or the other way round): its top k
    and the note when the two disagree (``ranking.group_fair.GroupFairResult.note``)."""
    fair = result.group_fair
    if fair is None or result.pooled is None:
        return {}
    if result.ballot_rule is BallotRule.GROUP_FAIR:
        other, other_top = "Borda count of every ballot (pooled)", fair.pooled_shortlist
    else:
        other, other_top = "group-fair (James Lind Alliance) tally", fair.shortlist
    return {"other_rule": other, "other_top": other_top, "tallies_note": fair.note or ""}


def _row_cells(r: ConsensusRow) -> tuple[object, ...]:
    return (
        r.priority,
        r.status_words,
        r.answers,
        r.share_high,
        r.share_low,
        r.dont_know,
        r.median,
        r.ipr,
        r.ipras,
        "yes" if r.disagreement else "no",
    )


CONSENSUS_COLUMNS = (
    Column("Priority"),
    Column("Status"),
    Column("Answers", INT),
    Column("Share in the high band", PCT),
    Column("Share in the low band", PCT),
    Column("Don't know", PCT),
    Column("Median", DEC),
    Column("IPR (P70 − P30)", DEC),
    Column("IPRAS", DEC),
    Column("Disagreement (RAND/UCLA)"),
)


def consensus_table(summary: ConsensusSummary | None, note: str = "") -> Table:
    """Every priority's status under the stated rule, with its shares, median and disagreement flag."""
    if summary is None:
        return Table("Consensus", CONSENSUS_COLUMNS, (), note)
    rows = tuple(_row_cells(r) for r in summary.rows)  # type: ignore[misc]
    weighted = f" {WEIGHTED_NOTE}" if summary.weighted else ""
    return Table("Consensus", CONSENSUS_COLUMNS, rows, f"{summary.round_label}. {summary.rule}{weighted}")  # type: ignore[arg-type]


def sensitivity_table(summary: ConsensusSummary | None) -> Table:
    """The priorities whose status another common rule changes, under the stated rule and each other one."""
    variants = summary.variants if summary is not None else ()
    columns = (Column("Priority"), Column("Stated rule"), *(Column(v) for v in variants))
    if summary is None:
        return Table("Rule sensitivity", columns, ())
    rows = tuple((c.priority, STATUS_WORDS[c.stated], *(STATUS_WORDS[s] for s in c.under)) for c in summary.changes)
    return Table("Rule sensitivity", columns, rows, summary.sensitivity_words)


def criterion_table(summary: ConsensusSummary) -> Table:
    """The working: each priority's status on each criterion alone."""
    columns = (Column("Priority"), *(Column(f"{c}: status") for c in summary.criteria))
    rows = tuple(
        (row.priority, *(summary.by_criterion[c][i].status_words for c in range(len(summary.criteria))))
        for i, row in enumerate(summary.rows)
    )
    return Table("Consensus by criterion", columns, rows)


def consensus_blocks(summary: ConsensusSummary | None, note: str) -> tuple[paper.Block, ...]:
    """The board paper's consensus part: the rule, the statuses and the rule-sensitivity table."""
    if summary is None:
        return (paper.Subheading("Consensus under the stated rule"), paper.Paragraph(note))
    in_names = [r.priority for r in summary.rows if r.status is Status.IN]
    blocks: list[paper.Block] = [
        paper.Subheading("Consensus under the stated rule"),
        paper.Paragraph(summary.rule, "The rule. "),
        paper.Paragraph(
            f"In {summary.round_label}: {summary.counts_words}"
            + (f" IN: {'; '.join(in_names)}." if in_names else "")
            + (f" {WEIGHTED_NOTE}" if summary.weighted else "")
        ),
        paper.TableBlock(consensus_table(summary), f"Every priority's status. {DISAGREEMENT_RULE}"),
        paper.Subheading("Rule sensitivity"),
        paper.Paragraph(summary.sensitivity_words),
    ]
    if summary.changes:
        blocks.append(paper.TableBlock(sensitivity_table(summary), "Status under the stated rule and the others"))
    if summary.weighted:
        blocks.append(paper.TableBlock(criterion_table(summary), "The working: the rule on each criterion alone"))
    return tuple(blocks)


def tallies_words(ranking: RoundRanking) -> str:
    """A ranking round's rule and its other tally in sentences (empty for a scoring round)."""
    if not ranking.other_rule:
        return ""
    beside = f"Beside it, the {ranking.other_rule} has in its top {ranking.top}: {'; '.join(ranking.other_top)}."
    return f"Tallied by this rule: {ranking.method} {beside} {ranking.tallies_note}".strip()


__all__ = [
    "consensus_blocks",
    "consensus_part",
    "consensus_table",
    "criterion_table",
    "sensitivity_table",
    "tallies_beside",
    "tallies_words",
]
