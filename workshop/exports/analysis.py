"""The analysed round of the exports: its working, where the room disagrees and how robust its top k is."""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Sequence

from ranking.consensus import SPREAD_FLOOR, consensus
from ranking.methods import RankingResult
from ranking.readings import change_words, swap
from ranking.robustness import RobustnessOptions, resampled_rooms, weight_samples
from ranking.sensitivity import WeightInterval, WeightSampling, method_agreement, one_way
from workshop.exports.model import (
    Analysis,
    CellScore,
    GroupAgreement,
    PriorityDisagreement,
    PriorityRobustness,
    RoundInfo,
    RoundRanking,
    Sensitivity,
    WeightThreshold,
)
from workshop.exports.words import method_text, name_list, number, percent
from workshop.memo import Memo
from workshop.results import ScoringResults, WeightingResults


def _rank(ranking: RankingResult, i: int) -> int | None:
    return int(ranking.ranks[i]) if ranking.scored[i] else None


def analysis_of(
    info: RoundInfo,
    result: ScoringResults,
    ranking: RoundRanking,
    weighting: WeightingResults | None,
    robustness: RobustnessOptions,
) -> Analysis:
    room = result.ranking
    score_set = result.score_set
    options = room.options
    top = ranking.top
    agreement = consensus(score_set, options, top)
    order = room.order
    group_names = tuple(v.group for v in agreement.groups)
    group_ranks = agreement.group_ranks
    group_scored = agreement.group_scored
    group_range = agreement.group_rank_range
    cells = tuple(
        CellScore(
            priority=room.names[i],
            criterion=criterion,
            aggregate=number(float(room.matrix[i, c])),
            responses=int(room.aggregate.counts[i, c]),
            spread=number(float(agreement.criterion_std[i, c])),
            normalized=number(float(room.normalized[i, c])),
            contribution=number(float(room.weighted[i, c])),
        )
        for i in order
        for c, criterion in enumerate(room.criterion_names)
    )
    return Analysis(
        round=info,
        top=top,
        method=room.method.label,
        method_text=method_text(options),
        normalization=options.normalization.value,
        aggregation=options.aggregation.value,
        balanced=options.balance_groups,
        min_responses=options.min_responses,
        tie_rule=room.tie_rule,
        criteria=room.criterion_names,
        weights=tuple(float(w) for w in room.weights),
        ranking=ranking,
        cells=cells,
        kendall_w=number(agreement.kendall_w),
        spread_floor=SPREAD_FLOOR,
        groups=tuple(GroupAgreement(v.group, v.size, number(v.spearman), v.compared) for v in agreement.groups),
        disagreement=tuple(
            PriorityDisagreement(
                name=room.names[i],
                rank=_rank(room, i),
                spread=number(float(agreement.std[i])),
                iqr=number(float(agreement.iqr[i])),
                high_spread=bool(agreement.high_spread[i]),
                near_cutoff=bool(agreement.near_cutoff[i]),
                group_ranks=tuple(
                    int(r) if scored else None for r, scored in zip(group_ranks[i], group_scored[i], strict=True)
                )
                if group_names
                else (),
                group_range=int(group_range[i]),
            )
            for i in order
        ),
        sensitivity=_sensitivity(result, top, weighting, robustness),
    )


#: Sensitivity analyses kept (the latest first out last): a facilitator's exports of one state of a workshop, and
#: a few others.
SENSITIVITY_CACHE_SIZE = 8
_computed: Memo[Sensitivity] = Memo(SENSITIVITY_CACHE_SIZE)


def _sensitivity(
    result: ScoringResults, top: int, weighting: WeightingResults | None, robustness: RobustnessOptions
) -> Sensitivity:
    """The robustness analyses of the round, computed once per state: the key is a digest of
    everything they read (the room's answers, the options, the shortlist size, the robustness
    settings and the participants' own weights), so a changed answer or setting is a new key and
    an export of an unchanged workshop (another format, another click) reuses the figures."""
    vectors = weighting.own_weights if weighting is not None else None
    key = hashlib.sha256(
        pickle.dumps((result.score_set, result.ranking.options, top, robustness, vectors), protocol=5)
    ).digest()
    return _computed.get(key, lambda: _computed_sensitivity(result, top, weighting, robustness))


def clear_sensitivity_cache() -> None:
    """Forget the kept analyses (a benchmark's cold start)."""
    _computed.clear()


def _computed_sensitivity(
    result: ScoringResults, top: int, weighting: WeightingResults | None, robustness: RobustnessOptions
) -> Sensitivity:
    score_set, room = result.score_set, result.ranking
    options = room.options
    vectors = weighting.own_weights if weighting is not None else None
    stochastic = weight_samples(score_set, options, top, robustness, vectors)
    resampled = resampled_rooms(score_set, options, top, robustness)
    how = _sampling_how(stochastic.sampling, stochastic.concentration, weighting)
    methods = method_agreement(score_set, top, options)
    sweep = one_way(score_set, options, top)
    current = sweep.current_top
    return Sensitivity(
        top=top,
        computed_top=tuple(n for n in (room.names[i] for i in room.order) if n in current),
        smaa_seed=stochastic.seed,
        smaa_samples=stochastic.samples,
        smaa_sampling=how,
        bootstrap_seed=resampled.seed,
        bootstrap_resamples=resampled.resamples,
        methods=tuple(m.label for m in methods.methods),
        method_tops=methods.tops,
        all_methods_agree_on=methods.agreed,
        priorities=tuple(
            PriorityRobustness(
                name=name,
                rank=_rank(room, i),
                smaa_p_top=float(stochastic.p_top[(s := stochastic.priorities.index(name))]),
                smaa_p_first=float(stochastic.p_first[s]),
                bootstrap_p_top=float(resampled.p_top[resampled.priorities.index(name)]),
                method_ranks=tuple(
                    int(r) if room.scored[i] else None for r in methods.ranks[:, methods.priorities.index(name)]
                ),
            )
            for i, name in ((i, room.names[i]) for i in room.order)
        ),
        thresholds=tuple(_threshold(t, current, top) for t in sweep.thresholds),
        thresholds_exact=sweep.exact,
    )


def _sampling_how(sampling: WeightSampling, concentration: float, weighting: WeightingResults | None) -> str:
    """How SMAA drew its weight vectors, in the words every export uses."""
    if sampling is WeightSampling.PARTICIPANTS and weighting is not None:
        return (
            f"drawn at random, with replacement, from the {weighting.room.responses} participants' own "
            f"100-point allocations in {weighting.round.label}"
        )
    if sampling is WeightSampling.UNIFORM:
        return "drawn uniformly from every possible set of weights (no preference information at all)"
    spread = math.sqrt(0.2 * 0.8 / (concentration + 1))
    return (
        f"drawn from a Dirichlet distribution centred on the agreed weights (concentration "
        f"{concentration:g}: a weight of 20% typically varies by about {100 * spread:.0f} percentage points "
        "either way)"
    )


def _threshold(interval: WeightInterval, current: Sequence[str], top: int) -> WeightThreshold:
    enter_below, leave_below = swap(current, interval.top_below) if interval.lower is not None else ((), ())
    enter_above, leave_above = swap(current, interval.top_above) if interval.upper is not None else ((), ())
    name, now = interval.criterion, percent(interval.weight, 1)
    lower, upper = interval.lower, interval.upper
    if lower is None and upper is None:
        plain = f"No weight for '{name}' between 0% and 100% changes the top {top} (agreed weight {now})."
    elif lower is not None and upper is not None and upper - lower < 1e-6:
        plain = (
            f"The top {top} rests on a tie at the agreed weight of '{name}' ({now}): "
            "any change to this weight changes it."
        )
    else:
        low = "0%" if lower is None else percent(lower, 1)
        high = "100%" if upper is None else percent(upper, 1)
        plain = (
            f"The top {top} stays the same while the weight of '{name}' is between {low} and {high} (agreed: {now})."
        )
        if lower is not None:
            plain += f" Below {percent(lower, 1)}, {change_words(enter_below, leave_below, name_list)}."
        if upper is not None:
            plain += f" Above {percent(upper, 1)}, {change_words(enter_above, leave_above, name_list)}."
    return WeightThreshold(
        name, interval.weight, lower, upper, enter_below, leave_below, enter_above, leave_above, plain
    )
