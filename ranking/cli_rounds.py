"""The ``consensus`` and ``ballots`` commands of ``python -m ranking`` (a stable contract, see ``ranking.cli``)::

    consensus SCORES.csv --criteria CRITERIA.csv [--high-band LO-HI] [--low-band LO-HI]
              [--in-share PCT] [--against-share PCT] [--format table|json]
    ballots RANKINGS.csv [--method borda|jla] [--top K] [--format table|json|csv]

The rule is ``ranking.consensus_rule``'s, the tallies ``ranking.group_fair``'s, the rankings file
``ranking.ballot_io``'s.  Errors are RankingInputError, which ``ranking.cli.main`` prints as one line.
"""

from __future__ import annotations

import argparse
import math
import re

from ranking.ballot_io import read_rankings
from ranking.cli import DEFAULT_TOP, _csv, _json, _number, _positive_int, _table
from ranking.consensus_rule import (
    Band,
    ConsensusReport,
    ConsensusRule,
    PriorityConsensus,
    ScaleError,
    common_scale,
    consensus_report,
    rule_sensitivity,
)
from ranking.group_fair import GROUP_FAIR_RULE, POSITION_POINTS_RULE, GroupFairResult, group_fair_ballots
from ranking.io import check_criteria, read_scores
from ranking.model import RankingInputError
from ranking.ranks import TIE_RULE

_BAND = re.compile(r"\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*[-–:]\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*")


# --------------------------------------------------------------------------- argument types


def _band(text: str) -> Band:
    match = _BAND.fullmatch(text)
    if not match:
        raise argparse.ArgumentTypeError(f"must be LO-HI, e.g. 7-9, not {text!r}")
    try:
        return Band(float(match[1]), float(match[2]))
    except RankingInputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _percent(text: str, allow_zero: bool) -> float:
    try:
        value = float(text.strip().removesuffix("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a percentage, e.g. 70, not {text!r}") from None
    if not math.isfinite(value) or not (0 <= value <= 100) or (value == 0 and not allow_zero):
        low = "0" if allow_zero else "above 0"
        raise argparse.ArgumentTypeError(f"must be a percentage from {low} to 100, not {text!r}")
    return value / 100


def _in_share(text: str) -> float:
    return _percent(text, allow_zero=False)


def _against_share(text: str) -> float:
    return _percent(text, allow_zero=True)


# --------------------------------------------------------------------------- consensus


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _rule_json(rule: ConsensusRule) -> dict[str, object]:
    return {
        "high_band": [_plain(rule.high_band.low), _plain(rule.high_band.high)],
        "low_band": [_plain(rule.low_band.low), _plain(rule.low_band.high)],
        "in_share": rule.in_share,
        "against_share": rule.against_share,
        "in_comparison": ">" if rule.strict_in else ">=",
        "against_comparison": "<" if rule.strict_against else "<=",
    }


def _entry_json(p: PriorityConsensus) -> dict[str, object]:
    return {
        "priority": p.priority,
        "answers": p.answers,
        "dont_know": p.dont_know,
        "share_high": _number(p.share_high),
        "share_low": _number(p.share_low),
        "median": _number(p.median),
        "p30": _number(p.p30),
        "p70": _number(p.p70),
        "ipr": _number(p.ipr),
        "ipras": _number(p.ipras),
        "disagreement": p.disagreement,
        "status": p.status.value,
    }


def _consensus_json(report: ConsensusReport) -> str:
    return _json(
        {
            "rule": _rule_json(report.rule),
            "scale": [_plain(report.scale[0]), _plain(report.scale[1])],
            "priorities": [_entry_json(p) for p in report.priorities],
            "criteria": [
                {"criterion": name, "weight": float(w), "priorities": [_entry_json(p) for p in working]}
                for name, w, working in zip(report.criteria, report.weights, report.by_criterion, strict=True)
            ],
            "rule_sensitivity": [
                {
                    "rule": outcome.variant.label,
                    **_rule_json(outcome.variant.rule),
                    "changes": [
                        {"priority": c.priority, "from": c.before.value, "to": c.after.value} for c in outcome.changes
                    ],
                }
                for outcome in rule_sensitivity(report)
            ],
        }
    )


def _fixed(value: float, digits: int = 2) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _share(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0%}"


def _consensus_table(entries: tuple[PriorityConsensus, ...]) -> str:
    header = ["priority", "answers", "don't know", "high", "low", "median", "P30", "P70", "IPR", "IPRAS",
              "disagreement", "status"]
    rows = [
        [p.priority, p.answers, p.dont_know, _share(p.share_high), _share(p.share_low), _fixed(p.median),
         _fixed(p.p30), _fixed(p.p70), _fixed(p.ipr), _fixed(p.ipras), "yes" if p.disagreement else "no",
         p.status.value]
        for p in entries
    ]
    return _table(header, rows, right=header[1:10])


def _consensus_text(report: ConsensusReport) -> str:
    rule = report.rule
    lines = [
        f"Consensus on the scale {report.scale[0]:g}..{report.scale[1]:g}: {rule.words}",
        "Disagreement (RAND/UCLA): IPR = P70 − P30 above IPRAS = 2.35 + 1.5·|5 − (P30 + P70)/2| on 1–9 "
        "(other scales rescaled to 1–9 and back)",
    ]
    if len(report.criteria) > 1:
        lines.append("Each participant's weighted score of the priority over the criteria they answered")
    lines += ["", _consensus_table(report.priorities), ""]
    lines.append("Rule sensitivity (other common rules):")
    for outcome in rule_sensitivity(report):
        changes = "; ".join(f"{c.priority} {c.before.value} → {c.after.value}" for c in outcome.changes)
        lines.append(f"  {outcome.variant.label}: {changes or 'no change'}")
    if len(report.criteria) > 1:
        for name, working in zip(report.criteria, report.by_criterion, strict=True):
            lines += ["", f"Working: criterion {name!r} alone", _consensus_table(working)]
    return "\n".join(lines) + "\n"


def _run_consensus(args: argparse.Namespace) -> str:
    checked = check_criteria(args.criteria)
    criteria = tuple(row.criterion for row in checked.or_raise())
    try:
        scale = common_scale(criteria)
    except ScaleError as exc:
        raise RankingInputError(f"{checked.label} row {checked.rows[exc.index]}: {exc}") from None
    if args.against_share > args.in_share:
        raise RankingInputError(
            f"--against-share {args.against_share:.0%} is above --in-share {args.in_share:.0%}: "
            "a priority could be both in and out"
        )
    rule = ConsensusRule.for_scale(
        *scale, high_band=args.high_band, low_band=args.low_band, in_share=args.in_share,
        against_share=args.against_share,
    )
    report = consensus_report(read_scores(args.scores, criteria), rule)
    return _consensus_json(report) if args.format == "json" else _consensus_text(report)


# --------------------------------------------------------------------------- ballots


def _score(value: float) -> str:
    return f"{value:g}"


def _run_ballots(args: argparse.Namespace) -> str:
    rankings = read_rankings(args.rankings)
    n = len(rankings.priorities)
    if args.top is not None and args.top > n:
        raise RankingInputError(f"--top {args.top} is more than the {n} priorities in {rankings.label}")
    top = min(DEFAULT_TOP, n) if args.top is None else args.top
    result = group_fair_ballots(rankings.priorities, rankings.ballots, rankings.groups, top)
    jla = args.method == "jla"
    if jla:
        scores, ranks, order = result.scores, result.ranks, result.order
    else:
        scores, ranks, order = result.pooled, result.pooled_ranks, result.pooled_order
    shortlist = list(result.shortlist if jla else result.pooled_shortlist)
    if args.format == "json":
        payload: dict[str, object] = {
            "method": args.method,
            "top": top,
            "tie_rule": TIE_RULE,
            "ballots": len(rankings.ballots),
            "priorities": [
                {"priority": result.names[i], "score": float(scores[i]), "rank": int(ranks[i])} for i in order
            ],
            "shortlist": shortlist,
        }
        if jla:
            payload["groups"] = [{"group": g.group, "members": g.members} for g in result.groups]
            payload["pooled"] = [
                {"priority": result.names[i], "score": float(result.pooled[i]), "rank": int(result.pooled_ranks[i])}
                for i in result.pooled_order
            ]
            payload["pooled_shortlist"] = list(result.pooled_shortlist)
            payload["note"] = result.note
        return _json(payload)
    if args.format == "csv":
        return _csv(("rank", "priority", "score"), [(int(ranks[i]), result.names[i], _score(scores[i])) for i in order])
    return _ballots_text(result, jla, len(rankings.ballots))


def _ballots_text(result: GroupFairResult, jla: bool, ballots: int) -> str:
    k = result.top
    if jla:
        header = ["rank", "", "priority", "score", "pooled", "pooled rank"]
        rows = [
            [int(result.ranks[i]), "*" if result.ranks[i] <= k else "", result.names[i], _score(result.scores[i]),
             _score(result.pooled[i]), int(result.pooled_ranks[i])]
            for i in result.order
        ]
        groups = ", ".join(f"{g.group} ({g.members})" for g in result.groups)
        lines = [GROUP_FAIR_RULE, f"{ballots} ballots in {len(result.groups)} groups: {groups}"]
    else:
        header = ["rank", "", "priority", "score"]
        rows = [
            [int(result.pooled_ranks[i]), "*" if result.pooled_ranks[i] <= k else "", result.names[i],
             _score(result.pooled[i])]
            for i in result.pooled_order
        ]
        lines = [f"Borda count of {ballots} ballots, pooled"]
    lines += [
        f"{POSITION_POINTS_RULE} Ties: {TIE_RULE}",
        "",
        _table(header, rows, right=[h for h in header if h in ("rank", "score", "pooled", "pooled rank")]),
        "",
        f"Shortlist (top {k}, marked *): " + "; ".join(result.shortlist if jla else result.pooled_shortlist),
    ]
    if jla and result.note:
        lines.append(result.note)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- parser


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``consensus`` and ``ballots`` to ``python -m ranking``'s subcommands."""
    cons = commands.add_parser("consensus", help="which priorities reach consensus under a stated rule")
    cons.add_argument("scores", metavar="SCORES.csv", help="scores: wide (one matrix) or long (participants)")
    cons.add_argument("--criteria", metavar="CRITERIA.csv", required=True, help="criteria, weights, one scale")
    cons.add_argument("--high-band", type=_band, default=None, metavar="LO-HI", help="default: the top third")
    cons.add_argument("--low-band", type=_band, default=None, metavar="LO-HI", help="default: the bottom third")
    cons.add_argument("--in-share", type=_in_share, default=0.70, metavar="PCT", help="at least this %% in a band")
    cons.add_argument(
        "--against-share", type=_against_share, default=0.15, metavar="PCT", help="fewer than this %% in the other"
    )
    cons.add_argument("--format", choices=("table", "json"), default="table")
    cons.set_defaults(run=_run_consensus)

    ballots = commands.add_parser("ballots", help="tally ranking ballots, pooled (borda) or group-fair (jla)")
    ballots.add_argument("rankings", metavar="RANKINGS.csv", help="participant,group,priority,position")
    ballots.add_argument("--method", choices=("borda", "jla"), default="borda")
    ballots.add_argument(
        "--top", type=_positive_int, default=None, metavar="K",
        help=f"shortlist size (default {DEFAULT_TOP}, or all priorities when there are fewer)",
    )
    ballots.add_argument("--format", choices=("table", "json", "csv"), default="table")
    ballots.set_defaults(run=_run_ballots)
