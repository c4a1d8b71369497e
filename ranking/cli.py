"""``python -m ranking``: the engine from the command line.

Commands (a stable contract: scripts and the README depend on them)::

    rank SCORES.csv --criteria CRITERIA.csv [--method M] [--normalization N]
         [--aggregate mean|median] [--balance-groups] [--top K] [--format table|json|csv]
    sensitivity SCORES.csv --criteria CRITERIA.csv [--method M] [--top K]
         [--weights uniform|around|participants] [--allocations FILE] [--concentration C]
         [--samples N] [--bootstrap B] [--seed S] [--format table|json]
    ahp PAIRWISE.csv [--format table|json]
    simulate PRIORITIES.csv --criteria CRITERIA.csv [--groups GROUPS.csv]
         [--participants P] [--dont-know F] [--seed S] [--lean GROUP=THEME ...] [--allocations]
    consensus SCORES.csv --criteria CRITERIA.csv [--high-band LO-HI] [--low-band LO-HI]
         [--in-share PCT] [--against-share PCT] [--format table|json]
    ballots RANKINGS.csv [--method borda|jla] [--top K] [--format table|json|csv]

(``consensus`` and ``ballots`` are in ``ranking.cli_rounds``.)

File formats are described in ``ranking.io``.  Bad input exits with status 1
and one line on stderr (``error: scores.csv row 7: unknown criterion 'Cost'``);
usage mistakes are argparse's (status 2).  Each command builds its output as
text and ``main`` prints it, so nothing is printed when a command fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence

import numpy as np

from ranking.aggregate import Aggregation
from ranking.io import read_allocations, read_criteria, read_groups, read_pairwise, read_priorities, read_scores
from ranking.methods import Method, RankingOptions, RankingResult, rank
from ranking.model import RankingInputError, ScoreSet
from ranking.normalize import Normalization
from ranking.readings import NOT_SCORED
from ranking.robustness import RobustnessOptions, resampled_rooms, weight_samples
from ranking.sensitivity import (
    DEFAULT_CONCENTRATION,
    BootstrapResult,
    OneWayResult,
    SMAAResult,
    WeightInterval,
    WeightSampling,
    one_way,
)
from ranking.simulate import simulate_allocations, simulate_room
from ranking.weights import CR_THRESHOLD, SAATY_RANDOM_INDEX, AHPResult, ahp

DEFAULT_TOP = 5
DEFAULT_SAMPLES = 10_000


# --------------------------------------------------------------------------- argument types


def _positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text!r}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {text!r}")
    return value


def _lean(text: str) -> tuple[str, str]:
    group, sep, theme = text.partition("=")
    if not (sep and group.strip() and theme.strip()):
        raise argparse.ArgumentTypeError(f"must be GROUP=THEME, not {text!r}")
    return group.strip(), theme.strip()


# --------------------------------------------------------------------------- helpers


def _options(args: argparse.Namespace) -> RankingOptions:
    return RankingOptions(
        method=Method(args.method),
        normalization=Normalization(args.normalization) if args.normalization else None,
        aggregation=Aggregation(args.aggregate),
        balance_groups=args.balance_groups,
    )


def _read_room(args: argparse.Namespace) -> tuple[ScoreSet, int]:
    """The scores file read against the criteria file, and the shortlist size
    (``--top``; by default 5, or every priority when there are fewer)."""
    criteria = read_criteria(args.criteria)
    score_set = read_scores(args.scores, criteria)
    n = len(score_set.priorities)
    if args.top is None:
        return score_set, min(DEFAULT_TOP, n)
    if args.top > n:
        raise RankingInputError(f"--top {args.top} is more than the {n} priorities in the scores file")
    return score_set, args.top


def _heading(result: RankingResult) -> str:
    options = result.options
    balanced = ", group-balanced" if options.balance_groups else ""
    return (
        f"{result.method.label} ({options.normalization.value} normalisation) of the room's "
        f"{options.aggregation.value} scores{balanced}"
    )


def _number(value: float) -> float | None:
    """A float for JSON: NaN (undefined) becomes null."""
    return None if math.isnan(value) else float(value)


def _json(payload: object) -> str:
    return json.dumps(payload, indent=2, allow_nan=False) + "\n"


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[str] = ()) -> str:
    """An aligned text table: text columns flush left, ``right`` columns flush right."""
    cells = [list(map(str, header))] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[c]) for row in cells) for c in range(len(header))]
    lines = []
    for row in cells:
        padded = [
            cell.rjust(width) if name in right else cell.ljust(width)
            for name, cell, width in zip(header, row, widths, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- rank


def _rank_cell(result: RankingResult, i: int) -> int | str:
    """The priority's rank, or "-" for a priority nobody scored (it has none)."""
    return int(result.ranks[i]) if result.scored[i] else "-"


def _json_rank(result: RankingResult, i: int) -> int | None:
    """The rank for JSON; null (with a null score) for a priority nobody scored."""
    return int(result.ranks[i]) if result.scored[i] else None


def _score_cell(result: RankingResult, i: int, digits: int = 4) -> str:
    return f"{result.scores[i]:.{digits}f}" if result.scored[i] else NOT_SCORED


def _rank_table(result: RankingResult, top: int) -> str:
    themed = any(p.theme for p in result.priorities)
    header = ["rank", "", "priority", *(["theme"] if themed else []), "score", "responses"]
    rows = []
    for i in result.order:
        theme = [result.priorities[i].theme] if themed else []
        rows.append(
            [
                _rank_cell(result, i),
                "*" if result.ranks[i] <= top and result.scored[i] else "",
                result.names[i],
                *theme,
                _score_cell(result, i),
                int(result.aggregate.counts[i].min()),
            ]
        )
    return _table(header, rows, right=("rank", "score", "responses"))


def _run_rank(args: argparse.Namespace) -> str:
    score_set, top = _read_room(args)
    result = rank(score_set, _options(args))
    shortlist = list(result.top(top))
    order = result.order
    if args.format == "json":
        return _json(
            {
                "method": result.method.value,
                "normalization": result.options.normalization.value,
                "aggregation": result.options.aggregation.value,
                "balance_groups": result.options.balance_groups,
                "top": top,
                "tie_rule": result.tie_rule,
                "priorities": [
                    {"priority": result.names[i], "score": _number(result.scores[i]), "rank": _json_rank(result, i)}
                    for i in order
                ],
                "shortlist": shortlist,
            }
        )
    if args.format == "csv":
        return _csv(
            ("rank", "priority", "score"),
            [
                (_rank_cell(result, i), result.names[i], f"{result.scores[i]:.6f}" if result.scored[i] else "")
                for i in order
            ],
        )
    lines = [
        _heading(result),
        f"{len(score_set.participants)} participants, {len(score_set.priorities)} priorities, "
        f"{len(score_set.criteria)} criteria; ties: {result.tie_rule}",
        "responses: the fewest answers behind any of the priority's criteria",
        "",
        _rank_table(result, top),
        "",
        f"Shortlist (top {top}, marked *): " + "; ".join(shortlist),
    ]
    if result.unscored:
        lines.append(f"Not scored by anyone (not ranked, never in the shortlist): {'; '.join(result.unscored)}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- sensitivity


def _bound(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _change(before: tuple[str, ...], after: tuple[str, ...]) -> str:
    """What enters and leaves the top-k set, e.g. "in: A; out: B"."""
    entering = [name for name in after if name not in before]
    leaving = [name for name in before if name not in after]
    return f"in: {', '.join(entering) or '-'}; out: {', '.join(leaving) or '-'}"


def _threshold_lines(one: OneWayResult) -> list[str]:
    rows = [(i.criterion, f"{i.weight:.3f}", _bound(i.lower), _bound(i.upper)) for i in one.thresholds]
    lines = [
        f"One-way: the weight range over which the top-{one.top} set stays the same "
        "(other weights rescaled proportionally; '-': never changes within 0..1)",
        "",
        _table(("criterion", "weight", "lower", "upper"), rows, right=("weight", "lower", "upper")),
    ]
    changes = []
    for i in one.thresholds:
        if i.lower is not None:
            changes.append(f"  {i.criterion} below {i.lower:.3f}: {_change(one.current_top, i.top_below)}")
        if i.upper is not None:
            changes.append(f"  {i.criterion} above {i.upper:.3f}: {_change(one.current_top, i.top_above)}")
    if changes:
        lines += ["", "What would change:", *changes]
    return lines


def _interval_json(interval: WeightInterval) -> dict[str, object]:
    return {
        "criterion": interval.criterion,
        "weight": interval.weight,
        "lower": interval.lower,
        "upper": interval.upper,
        "top_below": list(interval.top_below),
        "top_above": list(interval.top_above),
    }


def _sensitivity_json(
    result: RankingResult, one: OneWayResult, stochastic: SMAAResult, boot: BootstrapResult | None
) -> str:
    priorities = []
    for i in result.order:
        entry: dict[str, object] = {
            "priority": result.names[i],
            "rank": _json_rank(result, i),
            "score": _number(result.scores[i]),
            "p_top": float(stochastic.p_top[i]),
            "rank_acceptability": [float(a) for a in stochastic.rank_acceptability[i]],
            "central_weights": {
                name: _number(w) for name, w in zip(stochastic.criteria, stochastic.central_weights[i], strict=True)
            },
        }
        if boot is not None:
            entry["p_top_bootstrap"] = float(boot.p_top[i])
        priorities.append(entry)
    return _json(
        {
            "method": result.method.value,
            "normalization": result.options.normalization.value,
            "aggregation": result.options.aggregation.value,
            "balance_groups": result.options.balance_groups,
            "top": stochastic.top,
            "samples": stochastic.samples,
            "seed": stochastic.seed,
            "weights": stochastic.sampling.value,
            "concentration": stochastic.concentration if stochastic.sampling is WeightSampling.AROUND else None,
            "bootstrap": boot.resamples if boot is not None else 0,
            "tie_rule": result.tie_rule,
            "current_top": list(one.current_top),
            "priorities": priorities,
            "thresholds": [_interval_json(interval) for interval in one.thresholds],
        }
    )


def _sampling_label(stochastic: SMAAResult) -> str:
    if stochastic.sampling is WeightSampling.UNIFORM:
        return "uniform on the simplex"
    if stochastic.sampling is WeightSampling.AROUND:
        return f"Dirichlet around the agreed weights, concentration {stochastic.concentration:g}"
    return "the participants' own allocations"


def _run_sensitivity(args: argparse.Namespace) -> str:
    sampling = WeightSampling(args.weights)
    if sampling is WeightSampling.PARTICIPANTS and args.allocations is None:
        raise RankingInputError("--weights participants needs --allocations FILE (participant,criterion,points)")
    score_set, top = _read_room(args)
    vectors = read_allocations(args.allocations, score_set.criteria) if args.allocations is not None else None
    options = _options(args)
    result = rank(score_set, options)
    one = one_way(score_set, options, top)
    settings = RobustnessOptions(
        sampling, args.samples, args.seed, args.concentration, resamples=args.bootstrap, bootstrap_seed=args.seed
    )
    stochastic = weight_samples(score_set, options, top, settings, vectors)
    boot = resampled_rooms(score_set, options, top, settings) if args.bootstrap > 0 else None
    if args.format == "json":
        return _sensitivity_json(result, one, stochastic, boot)
    k = stochastic.top
    header = ["rank", "", "priority", "score", f"P(top {k})", "P(first)"]
    if boot is not None:
        header.append(f"P(top {k}), bootstrap")
    rows = []
    for i in result.order:
        row = [
            _rank_cell(result, i),
            "*" if result.ranks[i] <= k and result.scored[i] else "",
            result.names[i],
            _score_cell(result, i),
            f"{stochastic.p_top[i]:.3f}",
            f"{stochastic.p_first[i]:.3f}",
        ]
        if boot is not None:
            row.append(f"{boot.p_top[i]:.3f}")
        rows.append(row)
    lines = [
        f"Sensitivity of the top {k}: {_heading(result)}",
        f"SMAA-2: {stochastic.samples} weight samples ({_sampling_label(stochastic)}), seed {stochastic.seed}"
        + (f"; participant bootstrap: {boot.resamples} resamples" if boot is not None else ""),
        f"ties: {result.tie_rule}",
        "",
        _table(header, rows, right=header[:1] + header[3:]),
        "",
        *_threshold_lines(one),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- ahp


def _ahp_verdict(result: AHPResult) -> str:
    if result.consistent:
        return f"consistent (CR at or below {CR_THRESHOLD:.2f})"
    return result.warning or ""


def _run_ahp(args: argparse.Namespace) -> str:
    names, matrix = read_pairwise(args.pairwise)
    result = ahp(matrix, names)
    if args.format == "json":
        return _json(
            {
                "weights": {name: float(w) for name, w in zip(result.criteria, result.weights, strict=True)},
                "lambda_max": result.lambda_max,
                "ci": result.ci,
                "ri": result.ri,
                "cr": result.cr,
                "ri_table": {str(n): ri for n, ri in SAATY_RANDOM_INDEX.items()},
                "cr_threshold": CR_THRESHOLD,
                "consistent": result.consistent,
                "warning": result.warning,
            }
        )
    rows = [(name, f"{w:.4f}") for name, w in zip(result.criteria, result.weights, strict=True)]
    lines = [
        "AHP weights (principal eigenvector, Saaty 1980)",
        "",
        _table(("criterion", "weight"), rows, right=("weight",)),
        "",
        f"lambda_max = {result.lambda_max:.4f}, CI = {result.ci:.4f}, RI = {result.ri:.2f}, CR = {result.cr:.4f}",
        _ahp_verdict(result),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- simulate


def _run_simulate(args: argparse.Namespace) -> str:
    priorities = read_priorities(args.priorities)
    criteria = read_criteria(args.criteria)
    groups = tuple(g.name for g in read_groups(args.groups)) if args.groups else ()
    rng = np.random.default_rng(args.seed)
    room = simulate_room(
        priorities, criteria, groups, args.participants, rng, dont_know=args.dont_know, home_themes=args.lean
    )
    if args.allocations:
        points = simulate_allocations(criteria, room.groups, rng)
        return _csv(
            ("participant", "group", "criterion", "points"),
            [
                (name, group, crit.name, int(points[p, c]))
                for p, (name, group) in enumerate(zip(room.participants, room.groups, strict=True))
                for c, crit in enumerate(criteria)
            ],
        )
    rows = []
    for p, (name, group) in enumerate(zip(room.participants, room.groups, strict=True)):
        for i, priority in enumerate(room.priorities):
            for c, crit in enumerate(room.criteria):
                value = room.scores[p, i, c]
                rows.append((name, group, priority.name, crit.name, "" if np.isnan(value) else int(value)))
    return _csv(("participant", "group", "priority", "criterion", "score"), rows)


# --------------------------------------------------------------------------- parser


def _add_ranking_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scores", metavar="SCORES.csv", help="scores: wide (one matrix) or long (participants)")
    parser.add_argument("--criteria", metavar="CRITERIA.csv", required=True, help="criteria, weights and scales")
    parser.add_argument(
        "--method", choices=[m.value for m in Method], default=Method.WEIGHTED_SUM.value, help="ranking method"
    )
    parser.add_argument(
        "--normalization",
        choices=[n.value for n in Normalization],
        default=None,
        help="default: the method's own (scale for weighted sum, vector for TOPSIS)",
    )
    parser.add_argument(
        "--aggregate", choices=[a.value for a in Aggregation], default=Aggregation.MEAN.value,
        help="how the room's scores for a cell combine",
    )
    parser.add_argument(
        "--balance-groups", action="store_true", help="average within each stakeholder group first"
    )
    parser.add_argument(
        "--top", type=_positive_int, default=None, metavar="K",
        help=f"shortlist size (default {DEFAULT_TOP}, or all priorities when there are fewer)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ranking",
        description="Prioritise's multi-criteria ranking engine.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rank_cmd = commands.add_parser("rank", help="rank priorities from a scores file")
    _add_ranking_options(rank_cmd)
    rank_cmd.add_argument("--format", choices=("table", "json", "csv"), default="table")
    rank_cmd.set_defaults(run=_run_rank)

    sens_cmd = commands.add_parser("sensitivity", help="how robust the top k is to the weights and the room")
    _add_ranking_options(sens_cmd)
    sens_cmd.add_argument(
        "--weights", choices=[w.value for w in WeightSampling], default=WeightSampling.UNIFORM.value,
        help="how SMAA samples weights: uniform on the simplex, around the agreed weights, "
        "or the participants' own allocations (needs --allocations)",
    )
    sens_cmd.add_argument(
        "--allocations", metavar="FILE", help="participants' 100-point allocations (participant,criterion,points)"
    )
    sens_cmd.add_argument(
        "--concentration", type=_positive_float, default=DEFAULT_CONCENTRATION, metavar="C",
        help=f"Dirichlet concentration for --weights around (default {DEFAULT_CONCENTRATION:g})",
    )
    sens_cmd.add_argument("--samples", type=_positive_int, default=DEFAULT_SAMPLES, metavar="N")
    sens_cmd.add_argument(
        "--bootstrap", type=_non_negative_int, default=0, metavar="B", help="participant resamples (0: none)"
    )
    sens_cmd.add_argument("--seed", type=_non_negative_int, default=0, metavar="S")
    sens_cmd.add_argument("--format", choices=("table", "json"), default="table")
    sens_cmd.set_defaults(run=_run_sensitivity)

    ahp_cmd = commands.add_parser("ahp", help="criterion weights from an AHP pairwise comparison matrix")
    ahp_cmd.add_argument("pairwise", metavar="PAIRWISE.csv")
    ahp_cmd.add_argument("--format", choices=("table", "json"), default="table")
    ahp_cmd.set_defaults(run=_run_ahp)

    sim_cmd = commands.add_parser(
        "simulate", help="write a simulated room's scores (or point allocations) as CSV to stdout"
    )
    sim_cmd.add_argument("priorities", metavar="PRIORITIES.csv")
    sim_cmd.add_argument("--criteria", metavar="CRITERIA.csv", required=True)
    sim_cmd.add_argument("--groups", metavar="GROUPS.csv", help="stakeholder groups (default: none)")
    sim_cmd.add_argument("--participants", type=_positive_int, default=30, metavar="P")
    sim_cmd.add_argument("--dont-know", type=_probability, default=0.05, metavar="F", help="share of blank scores")
    sim_cmd.add_argument("--seed", type=_non_negative_int, default=0, metavar="S")
    sim_cmd.add_argument(
        "--lean", type=_lean, action="append", default=[], metavar="GROUP=THEME",
        help="the theme a group champions (repeatable; unlisted groups get a random one)",
    )
    sim_cmd.add_argument(
        "--allocations", action="store_true",
        help="write the same room's 100-point weight allocations instead of its scores",
    )
    sim_cmd.set_defaults(run=_run_simulate)

    from ranking.cli_rounds import add_commands  # it uses this module's helpers, so it is imported once they exist

    add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on bad input (one line on stderr)."""
    args = build_parser().parse_args(argv)
    try:
        output = args.run(args)
    except RankingInputError as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 1
    sys.stdout.write(output)
    return 0
