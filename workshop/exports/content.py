"""Everything an export says, computed once: ``ExportContent``.

``build_content`` reads a workshop through the service (the facilitator's
key is checked there, by the first read), ranks every round with the
workshop's ranking options, runs the disagreement and sensitivity analyses
on one round, and flattens the engine's results into report-ready rows.  Every
format (CSV, XLSX, HTML, DOCX) renders these rows and nothing else, so the
four files state the same facts and none of them recomputes anything.

Choices recorded in the exports themselves:

* **Options.**  Exports rank with the workshop's stored ranking options
  (``Workshop.ranking``: method, mean or median, group-balanced or not),
  the ones the facilitator chose on the Results page and the projector and
  participants see, and every format names them (``ExportContent.method``).
  Normalisation is the method's own (vector for TOPSIS, the criteria's
  scales otherwise) and a cell needs 3 responses not to be flagged.
* **Priorities nobody scored** have no rank and no score (None), are listed
  last, are never in the top k and say "not scored" in every format.
* **The analysed round** is the round the decision names when it is a
  scoring round with answers, else the latest scoring round with answers.
  A decision made on a ranking round (Borda count) is checked against that
  round's tally; the MCDA analyses still come from the scoring round.
* **Robustness.**  SMAA and the bootstrap run with the workshop's stored
  robustness settings (``Workshop.robustness``: sampling, samples, seed,
  concentration; resamples, seed), the ones the Results page shows and
  sets, through the same functions (``ranking.robustness``), so the board
  paper's "chance of a top-k place" is the figure on the screen, and
  exporting twice gives the same numbers.  Every format states them.
* **Pseudonyms.**  The workshop model has no "named participation" setting,
  so participants are always "Participant N" (N = join order); names typed
  when joining are never exported, not even in the audit log.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np

from ranking.consensus import SPREAD_FLOOR, consensus
from ranking.methods import Method, RankingOptions, RankingResult
from ranking.model import Direction
from ranking.robustness import RobustnessOptions, resampled_rooms, weight_samples
from ranking.sensitivity import (
    WeightInterval,
    WeightSampling,
    method_agreement,
    one_way,
)
from workshop.decision import Drift, drift_words, measured_words
from workshop.errors import NoResultsYet
from workshop.models import (
    AuditEntry,
    Decision,
    Participant,
    ParticipantProgress,
    Priority,
    Round,
    RoundKind,
    RoundState,
    WeightMethod,
    Workshop,
)
from workshop.results import (
    BORDA_RULE,
    RankingRoundResults,
    RoundResults,
    ScoringResults,
    WeightingResults,
)
from workshop.service import WorkshopService

PSEUDONYM_NOTE = (
    "Participants are shown as 'Participant N', N being the order in which they joined. "
    "The workshop does not record consent to be named, so names typed when joining are never exported."
)
NO_SHORTLIST = "No shortlist has been agreed yet"

WEIGHT_METHOD_TEXT = {
    WeightMethod.DIRECT: "set directly by the facilitator",
    WeightMethod.RANK_ORDER: "derived from a ranking of the criteria (rank-order centroid weights)",
    WeightMethod.PAIRWISE: "derived from pairwise comparisons of the criteria (AHP, principal eigenvector)",
    WeightMethod.PARTICIPANTS: "the room's own: the mean of the participants' 100-point allocations",
}


def pseudonym(number: int) -> str:
    return f"Participant {number}"


def percent(share: float, digits: int = 0) -> str:
    return f"{100 * share:.{digits}f}%"


def name_list(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' (names in single quotes)."""
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _number(value: float) -> float | None:
    """A float for the report, None where the engine gave NaN (undefined)."""
    return None if math.isnan(value) else float(value)


def method_text(options: RankingOptions) -> str:
    """The ranking method in words, as every export states it."""
    balanced = ", each stakeholder group counting equally" if options.balance_groups else ""
    return (
        f"{options.method.label} of the room's {options.aggregation.value} scores{balanced} "
        f"({options.normalization.value} normalisation)"
    )


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class WorkshopInfo:
    title: str
    organisation: str
    date: date | None
    description: str
    code: str
    shortlist_size: int
    weight_method: WeightMethod
    created_at: datetime


@dataclass(frozen=True)
class CriterionInfo:
    name: str
    description: str
    direction: Direction
    scale_min: int
    scale_max: int
    descriptors: tuple[str, ...]  # one per scale point, from scale_min up ("" where none was given)
    weight: float  # as set
    share: float  # normalised to sum 1 over the criteria

    @property
    def scale_points(self) -> tuple[int, ...]:
        return tuple(range(self.scale_min, self.scale_max + 1))


@dataclass(frozen=True)
class GroupCount:
    group: str
    count: int


@dataclass(frozen=True)
class GroupInfo:
    name: str
    description: str
    joined: int


@dataclass(frozen=True)
class RoundInfo:
    number: int
    title: str
    kind: RoundKind
    state: RoundState
    priorities: int
    respondents: int
    by_group: tuple[GroupCount, ...]
    opened_at: datetime | None
    closed_at: datetime | None
    revealed_at: datetime | None

    @property
    def label(self) -> str:
        return f"Round {self.number}: {self.title}"


@dataclass(frozen=True)
class RankedPriority:
    """One row of a round's computed ranking.  ``responses`` is the fewest
    answers on any criterion (scoring rounds) or the number of ballots
    (ranking rounds).  A priority nobody scored has no rank and no score
    (None): it is listed last and is never in the top k."""

    round_number: int
    rank: int | None
    name: str
    theme: str
    score: float | None
    responses: int
    in_top: bool
    agreed: bool

    @property
    def scored(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True)
class RoundRanking:
    round: RoundInfo
    method: str
    score_label: str
    top: int
    rows: tuple[RankedPriority, ...]  # best first, priorities nobody scored last

    def rank_of(self, name: str) -> int | None:
        return next((r.rank for r in self.rows if r.name == name), None)

    @property
    def unscored(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rows if not r.scored)


@dataclass(frozen=True)
class CellScore:
    """The room's view of one priority on one criterion (the analysed round)."""

    priority: str
    criterion: str
    # Mean (or median) of the answers given; the scale midpoint if nobody answered this cell,
    # None (like normalised and contribution) if nobody answered the priority on any criterion.
    aggregate: float | None
    responses: int
    spread: float | None  # population standard deviation of the answers (None: no answers)
    normalised: float | None  # 0..1, benefit-oriented, on the criterion's scale
    contribution: float | None  # normalised × weight: the priority's score is the sum over criteria


@dataclass(frozen=True)
class GroupAgreement:
    group: str
    size: int
    spearman: float | None  # with the room's ranking over the priorities the group scored; None: not measurable
    compared: int = 0  # the priorities it scored, which ρ is measured over


@dataclass(frozen=True)
class PriorityDisagreement:
    name: str
    rank: int | None  # None: nobody scored it
    spread: float | None  # standard deviation of participants' own scores (0..1 scale); None: not scored
    iqr: float | None
    contested: str  # "" or the reason: "high spread", "near the cut-off" or both
    group_ranks: tuple[int | None, ...]  # in the order of Analysis.groups; None where the group did not score it
    group_range: int  # worst minus best rank among the groups that scored it


@dataclass(frozen=True)
class PriorityRobustness:
    """How robust one priority's place is.  A priority nobody scored has no
    rank (None) and probabilities of 0: it is not a contender."""

    name: str
    rank: int | None
    smaa_p_top: float
    smaa_p_first: float
    bootstrap_p_top: float
    method_ranks: tuple[int | None, ...]  # in the order of Sensitivity.methods


@dataclass(frozen=True)
class WeightThreshold:
    """One-way sensitivity of the computed top k to one criterion's weight,
    with the change past each bound and a sentence saying it in plain words."""

    criterion: str
    weight: float
    lower: float | None  # None: the top k holds all the way down to 0
    upper: float | None  # None: ... all the way up to 100%
    enter_below: tuple[str, ...]
    leave_below: tuple[str, ...]
    enter_above: tuple[str, ...]
    leave_above: tuple[str, ...]
    plain: str

    @property
    def margin(self) -> float | None:
        """The smallest change of this weight (in shares) that changes the top k."""
        gaps = [abs(self.weight - b) for b in (self.lower, self.upper) if b is not None]
        return min(gaps) if gaps else None


@dataclass(frozen=True)
class Sensitivity:
    top: int
    computed_top: tuple[str, ...]
    smaa_seed: int
    smaa_samples: int
    smaa_sampling: str  # how the weight vectors were drawn, in words
    bootstrap_seed: int
    bootstrap_resamples: int
    methods: tuple[str, ...]
    method_tops: tuple[tuple[str, ...], ...]
    all_methods_agree_on: tuple[str, ...]
    priorities: tuple[PriorityRobustness, ...]  # the room's order
    thresholds: tuple[WeightThreshold, ...]
    thresholds_exact: bool

    def of(self, name: str) -> PriorityRobustness | None:
        return next((p for p in self.priorities if p.name == name), None)

    @property
    def closest(self) -> WeightThreshold | None:
        """The criterion whose weight is nearest to changing the top k."""
        found = [t for t in self.thresholds if t.margin is not None]
        return min(found, key=lambda t: t.margin or 0.0) if found else None


@dataclass(frozen=True)
class Analysis:
    """The analysed scoring round: its ranking with the working, where the
    room disagrees, and how robust the top k is."""

    round: RoundInfo
    top: int
    method: str  # the method's name ("Weighted sum")
    method_text: str  # the whole ranking method in words (``method_text``)
    normalisation: str
    aggregation: str
    balanced: bool
    min_responses: int
    tie_rule: str
    criteria: tuple[str, ...]
    weights: tuple[float, ...]  # as used, summing 1
    ranking: RoundRanking
    cells: tuple[CellScore, ...]  # the ranking's order, then the criteria's
    kendall_w: float | None
    spread_floor: float
    groups: tuple[GroupAgreement, ...]
    disagreement: tuple[PriorityDisagreement, ...]  # the room's order
    sensitivity: Sensitivity

    @property
    def contested(self) -> tuple[PriorityDisagreement, ...]:
        return tuple(d for d in self.disagreement if d.contested)

    def cell(self, priority: str, criterion: str) -> CellScore:
        return next(c for c in self.cells if c.priority == priority and c.criterion == criterion)


@dataclass(frozen=True)
class WeightRow:
    criterion: str
    weight: float  # as set
    share: float  # normalised
    room_share: float | None  # the weighting round's room weight, if there was one
    group_shares: tuple[float | None, ...]  # per Weighting.groups; None where the group allocated nothing


@dataclass(frozen=True)
class Weighting:
    method: WeightMethod
    how: str
    round: RoundInfo | None
    responses: int
    groups: tuple[str, ...]
    rows: tuple[WeightRow, ...]


@dataclass(frozen=True)
class AgreedPriority:
    position: int
    name: str
    theme: str
    rationale: str
    computed_rank: int | None  # in the round the decision was checked against
    smaa_p_top: float | None
    bootstrap_p_top: float | None


@dataclass(frozen=True)
class DepartureInfo:
    name: str
    change: str  # "brought in" or "left out"
    computed_rank: int | None
    reason: str


@dataclass(frozen=True)
class DecisionInfo:
    decided_by: str
    decided_at: datetime
    note: str
    checked_against: str  # the round whose computed ranking the decision is compared with ("" if none)
    shortlist: tuple[AgreedPriority, ...]
    departures: tuple[DepartureInfo, ...]
    measured: str = ""  # what it was measured against, in one line (``workshop.decision.measured_words``)
    #: What has changed since (``workshop.decision.drift_words``); empty when the basis round still ranks the same.
    earlier_state: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.shortlist)


@dataclass(frozen=True)
class RawScore:
    round_number: int
    participant: str
    group: str
    priority: str
    criterion: str
    score: float | None  # None: "don't know" or not answered


@dataclass(frozen=True)
class RawAllocation:
    round_number: int
    participant: str
    group: str
    criterion: str
    points: int
    share: float


@dataclass(frozen=True)
class RawRanking:
    round_number: int
    participant: str
    group: str
    position: int
    priority: str


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class ExportContent:
    workshop: WorkshopInfo
    generated_at: datetime
    priorities: tuple[Priority, ...]
    criteria: tuple[CriterionInfo, ...]
    groups: tuple[GroupInfo, ...]
    participants_joined: int
    rounds: tuple[RoundInfo, ...]
    rankings: tuple[RoundRanking, ...]  # every scoring and ranking round with answers
    weighting: Weighting
    analysis: Analysis | None
    decision: DecisionInfo | None
    raw_scores: tuple[RawScore, ...]
    raw_allocations: tuple[RawAllocation, ...]
    raw_rankings: tuple[RawRanking, ...]
    audit: tuple[AuditRow, ...]
    method: str  # the workshop's ranking method in words (``method_text``), used for every scoring round
    pseudonym_note: str = PSEUDONYM_NOTE

    @property
    def is_draft(self) -> bool:
        return self.decision is None

    @property
    def status(self) -> str:
        return "Draft: " + NO_SHORTLIST.lower() if self.decision is None else "Shortlist agreed"

    @property
    def report_date(self) -> date:
        """The workshop's date, else the day of the export (for file names)."""
        return self.workshop.date or self.generated_at.date()


# --------------------------------------------------------------------------- building


def build_content(service: WorkshopService, key: str, workshop_id: int, now: datetime | None = None) -> ExportContent:
    """Read the workshop and compute everything the exports show.

    Raises the service's errors (``PermissionDenied`` for a wrong key,
    ``NotFound`` for an unknown workshop).  A round nobody answered is
    reported with no results; a workshop with no decision yet is exported
    as a draft.
    """
    decision = service.decision(key, workshop_id)  # checks the key before anything is read
    drift = service.decision_drift(key, workshop_id)
    workshop = service.workshop_by_id(workshop_id)
    results = {rnd.id: _results(service, key, rnd, workshop.ranking) for rnd in workshop.rounds}
    joined = service.progress(key, workshop.rounds[0].id).participants if workshop.rounds else ()
    group_order = tuple(g.name for g in workshop.groups)
    rounds = {rnd.id: _round_info(rnd, results[rnd.id], group_order) for rnd in workshop.rounds}
    agreed = _agreed_names(workshop, decision)

    rankings = tuple(
        _round_ranking(rounds[rnd.id], result, workshop.shortlist_size, agreed)
        for rnd in workshop.rounds
        if isinstance(result := results[rnd.id], ScoringResults | RankingRoundResults)
    )
    weighting_round = _latest(workshop, results, RoundKind.WEIGHTING)
    weighting_result = results[weighting_round.id] if weighting_round else None
    assert weighting_result is None or isinstance(weighting_result, WeightingResults)
    basis = _basis_round(workshop, results, decision)
    analysis = None
    if basis is not None:
        scoring = results[basis.id]
        assert isinstance(scoring, ScoringResults)
        ranking = next(r for r in rankings if r.round.number == basis.number)
        analysis = _analysis(rounds[basis.id], scoring, ranking, weighting_result, workshop.robustness)

    return ExportContent(
        workshop=WorkshopInfo(
            workshop.title,
            workshop.organisation,
            workshop.date,
            workshop.description,
            workshop.code,
            workshop.shortlist_size,
            workshop.weight_method,
            workshop.created_at,
        ),
        generated_at=now or datetime.now(UTC),
        priorities=workshop.priorities,
        criteria=_criteria(workshop),
        groups=tuple(
            GroupInfo(g.name, g.description, sum(row.group == g.name for row in joined)) for g in workshop.groups
        ),
        participants_joined=len(joined),
        rounds=tuple(rounds[rnd.id] for rnd in workshop.rounds),
        rankings=rankings,
        weighting=_weighting(workshop, rounds.get(weighting_round.id) if weighting_round else None, weighting_result),
        analysis=analysis,
        decision=_decision(workshop, decision, drift, rankings, analysis),
        raw_scores=tuple(
            row for rnd in workshop.rounds if isinstance(r := results[rnd.id], ScoringResults) for row in _raw_scores(r)
        ),
        raw_allocations=tuple(
            row
            for rnd in workshop.rounds
            if isinstance(r := results[rnd.id], WeightingResults)
            for row in _raw_allocations(r)
        ),
        raw_rankings=tuple(
            row
            for rnd in workshop.rounds
            if isinstance(r := results[rnd.id], RankingRoundResults)
            for row in _raw_rankings(r, workshop)
        ),
        audit=_audit(service.audit_log(key, workshop_id), joined),
        method=method_text(workshop.ranking),
    )


def _results(service: WorkshopService, key: str, rnd: Round, options: RankingOptions) -> RoundResults | None:
    if rnd.state is RoundState.DRAFT:
        return None
    try:
        return service.results(key, rnd.id, options)
    except NoResultsYet:
        return None


def _round_info(rnd: Round, result: RoundResults | None, group_order: tuple[str, ...]) -> RoundInfo:
    """The round with how many answered, per group in the workshop's order
    (participants without a group, if any, last as "")."""
    people: tuple[Participant, ...] = result.participants if result is not None else ()
    present = {p.group or "" for p in people}
    groups = tuple(g for g in (*group_order, "") if g in present)
    return RoundInfo(
        number=rnd.number,
        title=rnd.title,
        kind=rnd.kind,
        state=rnd.state,
        priorities=len(rnd.priority_ids),
        respondents=len(people),
        by_group=tuple(GroupCount(g, sum((p.group or "") == g for p in people)) for g in groups),
        opened_at=rnd.opened_at,
        closed_at=rnd.closed_at,
        revealed_at=rnd.revealed_at,
    )


def _latest(workshop: Workshop, results: dict[int, RoundResults | None], kind: RoundKind) -> Round | None:
    found = [r for r in workshop.rounds if r.kind is kind and results[r.id] is not None]
    return found[-1] if found else None


def _basis_round(
    workshop: Workshop, results: dict[int, RoundResults | None], decision: Decision | None
) -> Round | None:
    if decision is not None and decision.round_id is not None:
        named = next((r for r in workshop.rounds if r.id == decision.round_id), None)
        if named is not None and named.kind is RoundKind.SCORING and results[named.id] is not None:
            return named
    return _latest(workshop, results, RoundKind.SCORING)


def _agreed_names(workshop: Workshop, decision: Decision | None) -> tuple[str, ...]:
    return () if decision is None else decision.names


def _criteria(workshop: Workshop) -> tuple[CriterionInfo, ...]:
    total = sum(c.weight for c in workshop.criteria)
    return tuple(
        CriterionInfo(
            c.name,
            c.description,
            c.direction,
            c.scale_min,
            c.scale_max,
            c.descriptors,
            c.weight,
            c.weight / total if total > 0 else 0.0,
        )
        for c in workshop.criteria
    )


def _round_ranking(
    info: RoundInfo, result: ScoringResults | RankingRoundResults, shortlist_size: int, agreed: Sequence[str]
) -> RoundRanking:
    if isinstance(result, ScoringResults):
        ranking = result.ranking
        names, ranks, scores, order = ranking.names, ranking.ranks, ranking.scores, ranking.order
        themes = [p.theme for p in ranking.priorities]
        responses = [int(n) for n in ranking.aggregate.counts.min(axis=1)]
        method, score_label = method_text(ranking.options), _score_label(ranking)
    else:
        tally = result.tally
        names = tuple(p.name for p in tally.priorities)
        ranks, scores, order = tally.ranks, tally.points, tally.order
        themes = [p.theme for p in tally.priorities]
        responses = [tally.ballots] * len(names)
        method, score_label = BORDA_RULE, "Mean Borda points"
    top = min(shortlist_size, len(names))
    scored = ~np.isnan(np.asarray(scores, dtype=float))
    return RoundRanking(
        round=info,
        method=method,
        score_label=score_label,
        top=top,
        rows=tuple(
            RankedPriority(
                info.number,
                int(ranks[i]) if scored[i] else None,
                names[i],
                themes[i],
                float(scores[i]) if scored[i] else None,
                responses[i],
                bool(scored[i]) and int(ranks[i]) <= top,
                names[i] in agreed,
            )
            for i in order
        ),
    )


def _score_label(ranking: RankingResult) -> str:
    """What a scoring round's scores are: 0–1 for the weighted sum and TOPSIS, points for Borda and Copeland."""
    return {
        Method.WEIGHTED_SUM: "Score (0–1)",
        Method.TOPSIS: "TOPSIS closeness (0–1)",
        Method.BORDA: "Borda points",
        Method.COPELAND: "Copeland points",
    }[ranking.method]


def _rank(ranking: RankingResult, i: int) -> int | None:
    return int(ranking.ranks[i]) if ranking.scored[i] else None


def _analysis(
    info: RoundInfo,
    result: ScoringResults,
    ranking: RoundRanking,
    weighting: WeightingResults | None,
    robustness: RobustnessOptions,
) -> Analysis:
    room = result.ranking
    score_set = result.score_set
    options = room.options
    k = ranking.top
    agreement = consensus(score_set, options, k)
    order = room.order
    group_names = tuple(v.group for v in agreement.groups)
    group_ranks = agreement.group_ranks
    group_scored = agreement.group_scored
    group_range = agreement.group_rank_range
    cells = tuple(
        CellScore(
            priority=room.names[i],
            criterion=criterion,
            aggregate=_number(float(room.matrix[i, c])),
            responses=int(room.aggregate.counts[i, c]),
            spread=_number(float(agreement.criterion_std[i, c])),
            normalised=_number(float(room.normalized[i, c])),
            contribution=_number(float(room.weighted[i, c])),
        )
        for i in order
        for c, criterion in enumerate(room.criterion_names)
    )
    return Analysis(
        round=info,
        top=k,
        method=room.method.label,
        method_text=method_text(options),
        normalisation=options.normalization.value,
        aggregation=options.aggregation.value,
        balanced=options.balance_groups,
        min_responses=options.min_responses,
        tie_rule=room.tie_rule,
        criteria=room.criterion_names,
        weights=tuple(float(w) for w in room.weights),
        ranking=ranking,
        cells=cells,
        kendall_w=_number(agreement.kendall_w),
        spread_floor=SPREAD_FLOOR,
        groups=tuple(GroupAgreement(v.group, v.size, _number(v.spearman), v.compared) for v in agreement.groups),
        disagreement=tuple(
            PriorityDisagreement(
                name=room.names[i],
                rank=_rank(room, i),
                spread=_number(float(agreement.std[i])),
                iqr=_number(float(agreement.iqr[i])),
                contested=agreement.reasons[i],
                group_ranks=tuple(
                    int(r) if scored else None for r, scored in zip(group_ranks[i], group_scored[i], strict=True)
                )
                if group_names
                else (),
                group_range=int(group_range[i]),
            )
            for i in order
        ),
        sensitivity=_sensitivity(result, k, weighting, robustness),
    )


def _sensitivity(
    result: ScoringResults, k: int, weighting: WeightingResults | None, robustness: RobustnessOptions
) -> Sensitivity:
    score_set, room = result.score_set, result.ranking
    options = room.options
    vectors = weighting.own_weights if weighting is not None else None
    stochastic = weight_samples(score_set, options, k, robustness, vectors)
    resampled = resampled_rooms(score_set, options, k, robustness)
    how = _sampling_how(stochastic.sampling, stochastic.concentration, weighting)
    methods = method_agreement(score_set, k, options)
    sweep = one_way(score_set, options, k)
    current = sweep.current_top
    return Sensitivity(
        top=k,
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
                name=room.names[i],
                rank=_rank(room, i),
                smaa_p_top=float(stochastic.p_top[i]),
                smaa_p_first=float(stochastic.p_first[i]),
                bootstrap_p_top=float(resampled.p_top[i]),
                method_ranks=tuple(int(r) if room.scored[i] else None for r in methods.ranks[:, i]),
            )
            for i in room.order
        ),
        thresholds=tuple(_threshold(t, current, k) for t in sweep.thresholds),
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


def _swap(current: Sequence[str], past: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(coming in, dropping out) between the current top k and the one past a bound."""
    return tuple(n for n in past if n not in current), tuple(n for n in current if n not in past)


def _change_words(enter: Sequence[str], leave: Sequence[str]) -> str:
    parts = []
    if enter:
        parts.append(f"{name_list(enter)} would come in")
    if leave:
        parts.append(f"{name_list(leave)} would drop out")
    return " and ".join(parts) or "the top changes through a tie at the cut-off"


def _threshold(interval: WeightInterval, current: Sequence[str], k: int) -> WeightThreshold:
    enter_below, leave_below = _swap(current, interval.top_below) if interval.lower is not None else ((), ())
    enter_above, leave_above = _swap(current, interval.top_above) if interval.upper is not None else ((), ())
    name, now = interval.criterion, percent(interval.weight, 1)
    lower, upper = interval.lower, interval.upper
    if lower is None and upper is None:
        plain = f"No weight for '{name}' between 0% and 100% changes the top {k} (agreed weight {now})."
    elif lower is not None and upper is not None and upper - lower < 1e-6:
        plain = (
            f"The top {k} rests on a tie at the agreed weight of '{name}' ({now}): "
            "any change to this weight changes it."
        )
    else:
        low = "0%" if lower is None else percent(lower, 1)
        high = "100%" if upper is None else percent(upper, 1)
        plain = f"The top {k} stays the same while the weight of '{name}' is between {low} and {high} (agreed: {now})."
        if lower is not None:
            plain += f" Below {percent(lower, 1)}, {_change_words(enter_below, leave_below)}."
        if upper is not None:
            plain += f" Above {percent(upper, 1)}, {_change_words(enter_above, leave_above)}."
    return WeightThreshold(
        name, interval.weight, lower, upper, enter_below, leave_below, enter_above, leave_above, plain
    )


def _weighting(workshop: Workshop, info: RoundInfo | None, result: WeightingResults | None) -> Weighting:
    criteria = _criteria(workshop)
    groups: tuple[str, ...] = ()
    room: dict[str, float] = {}
    by_group: list[dict[str, float]] = []
    if result is not None:
        names = [c.name for c in result.room.criteria]
        room = dict(zip(names, (float(w) for w in result.room.weights), strict=True))
        labels = [p.group or "" for p in result.participants]
        groups = tuple(g for g in dict.fromkeys(labels) if g)
        for group in groups:
            rows = result.own_weights[[n for n, g in enumerate(labels) if g == group]]
            by_group.append(dict(zip(names, (float(w) for w in rows.mean(axis=0)), strict=True)))
    return Weighting(
        method=workshop.weight_method,
        how=WEIGHT_METHOD_TEXT[workshop.weight_method],
        round=info,
        responses=result.room.responses if result is not None else 0,
        groups=groups,
        rows=tuple(
            WeightRow(c.name, c.weight, c.share, room.get(c.name), tuple(g.get(c.name) for g in by_group))
            for c in criteria
        ),
    )


def _decision(
    workshop: Workshop,
    decision: Decision | None,
    drift: Drift | None,
    rankings: Sequence[RoundRanking],
    analysis: Analysis | None,
) -> DecisionInfo | None:
    """The decision with the names and computed ranks frozen with it; a
    decision recorded before decisions kept their figures takes its ranks
    from the round's ranking now."""
    if decision is None:
        return None
    themes = {p.id: p.theme for p in workshop.priorities}
    measured = decision.measurement
    numbers = {r.id: r.number for r in workshop.rounds}
    reference = next((r for r in rankings if r.round.number == numbers.get(decision.round_id or -1)), None)
    if reference is None and analysis is not None:
        reference = analysis.ranking

    def computed_rank(priority_id: int, name: str) -> int | None:
        if measured is not None:
            found = measured.of(priority_id)
            return None if found is None else found.rank
        return reference.rank_of(name) if reference is not None else None

    robustness = analysis.sensitivity if analysis is not None else None
    shortlist = []
    for position, entry in enumerate(decision.shortlist, start=1):
        robust = robustness.of(entry.name) if robustness is not None else None
        shortlist.append(
            AgreedPriority(
                position=position,
                name=entry.name,
                theme=themes.get(entry.priority_id, ""),
                rationale=entry.rationale,
                computed_rank=computed_rank(entry.priority_id, entry.name),
                smaa_p_top=robust.smaa_p_top if robust is not None else None,
                bootstrap_p_top=robust.bootstrap_p_top if robust is not None else None,
            )
        )
    fallback = reference.round.label if reference is not None else ""
    return DecisionInfo(
        decided_by=decision.decided_by,
        decided_at=decision.decided_at,
        note=decision.note,
        checked_against=measured.round_label if measured is not None else fallback,
        shortlist=tuple(shortlist),
        departures=tuple(DepartureInfo(d.name, d.change, d.computed_rank, d.reason) for d in decision.departures),
        measured=measured_words(decision),
        earlier_state=drift_words(drift) if drift is not None and not drift.current else (),
    )


def _raw_scores(result: ScoringResults) -> list[RawScore]:
    score_set = result.score_set
    values = score_set.scores
    return [
        RawScore(
            result.round.number,
            pseudonym(person.number),
            person.group or "",
            priority,
            criterion,
            None if np.isnan(values[p, i, c]) else float(values[p, i, c]),
        )
        for p, person in enumerate(result.participants)
        for i, priority in enumerate(score_set.priority_names)
        for c, criterion in enumerate(score_set.criterion_names)
    ]


def _raw_allocations(result: WeightingResults) -> list[RawAllocation]:
    return [
        RawAllocation(
            result.round.number,
            pseudonym(person.number),
            person.group or "",
            criterion.name,
            int(result.points[p, c]),
            float(result.own_weights[p, c]),
        )
        for p, person in enumerate(result.participants)
        for c, criterion in enumerate(result.room.criteria)
    ]


def _raw_rankings(result: RankingRoundResults, workshop: Workshop) -> list[RawRanking]:
    names = {p.id: p.name for p in workshop.priorities}
    return [
        RawRanking(result.round.number, pseudonym(person.number), person.group or "", position, names[pid])
        for person, ballot in zip(result.participants, result.orderings, strict=True)
        for position, pid in enumerate(ballot, start=1)
    ]


def _audit(entries: Sequence[AuditEntry], joined: Sequence[ParticipantProgress]) -> tuple[AuditRow, ...]:
    """The audit log with participants pseudonymised.

    ``joined`` is everyone who joined, in join order (the store lists them
    by their join number), so position N is "Participant N", as in the
    raw data.  The only entry a participant writes is "participant joined",
    whose detail is the name they typed and their group: it is rewritten
    from the pseudonym and the group.
    """
    people = {row.participant_id: (pseudonym(n), row.group) for n, row in enumerate(joined, start=1)}
    rows = []
    for entry in entries:
        actor, detail = entry.actor, entry.detail
        if actor.startswith("participant:"):
            actor, group = people.get(int(actor.split(":", 1)[1]), ("A participant", None))
            detail = actor + (f" ({group})" if group else "")
        rows.append(AuditRow(entry.at, actor, entry.action, detail))
    return tuple(rows)
