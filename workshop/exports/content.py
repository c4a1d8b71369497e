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

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from ranking.methods import RankingOptions
from workshop.decision import Drift, drift_words, measured_words
from workshop.errors import NoResultsYet
from workshop.exports.analysis import analysis_of
from workshop.exports.converging import consensus_part, tallies_beside
from workshop.exports.model import (
    NO_SHORTLIST,
    PSEUDONYM_NOTE,
    AgreedPriority,
    Analysis,
    AuditRow,
    CriterionInfo,
    DecisionInfo,
    DepartureInfo,
    ExportContent,
    GroupCount,
    GroupInfo,
    RankedPriority,
    RawAllocation,
    RawRanking,
    RawScore,
    RoundInfo,
    RoundRanking,
    Weighting,
    WeightRow,
    WorkshopInfo,
)
from workshop.exports.report_consultation import round_facts
from workshop.exports.report_reasons import feedback_content
from workshop.exports.words import WEIGHT_METHOD_TEXT, method_text, name_list, percent, pseudonym
from workshop.models import (
    AuditEntry,
    Decision,
    Participant,
    ParticipantProgress,
    Round,
    RoundKind,
    RoundState,
    WeightMethod,
    Workshop,
)
from workshop.results import (
    RankingRoundResults,
    RoundResults,
    ScoringResults,
    WeightingResults,
    group_weights,
    thin_priorities,
)
from workshop.said import consultation_rounds, said_of
from workshop.service import WorkshopService

#: What callers import from here (the types live in ``model``, the words in ``words``).
__all__ = [
    "NO_SHORTLIST",
    "PSEUDONYM_NOTE",
    "ExportContent",
    "build_content",
    "method_text",
    "name_list",
    "percent",
    "pseudonym",
]


def build_content(service: WorkshopService, key: str, workshop_id: int, now: datetime | None = None) -> ExportContent:
    """Read the workshop and compute everything the exports show.

    Raises the service's errors (``PermissionDenied`` for a wrong key,
    ``NotFound`` for an unknown workshop).  A round nobody answered is
    reported with no results; a workshop with no decision yet is exported
    as a draft.
    """
    decision = service.decision(key, workshop_id)  # checks the key before anything is read
    drift = service.decision_drift(key, workshop_id)
    workshop = service.workshop_by_id(workshop_id, key)
    results = {rnd.id: _results(service, key, rnd, workshop.ranking) for rnd in workshop.rounds}
    joined = service.progress(key, workshop.rounds[0].id).participants if workshop.rounds else ()
    group_order = tuple(g.name for g in workshop.groups)
    rounds = {rnd.id: _round_info(rnd, results[rnd.id], group_order) for rnd in workshop.rounds}
    agreed = _agreed_names(workshop, decision)
    feedback_rounds, change_reasons = feedback_content(service, key, workshop)

    rankings = tuple(
        _round_ranking(rounds[rnd.id], result, workshop, agreed)
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
        analysis = analysis_of(rounds[basis.id], scoring, ranking, weighting_result, workshop.robustness)

    consultations = tuple(
        said_of(r, workshop)
        for rnd in consultation_rounds(workshop)
        if isinstance(r := results[rnd.id], ScoringResults | RankingRoundResults)
    )
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
        feedback_rounds=feedback_rounds,
        change_reasons=change_reasons,
        **consensus_part(service, key, basis),
        consultations=consultations,
        consultation_facts=round_facts(service, key, workshop, consultations),
        review=service.review_comparison(key, workshop_id),
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
        **vars(rnd),
        respondents=len(people),
        by_group=tuple(GroupCount(g, sum((p.group or "") == g for p in people)) for g in groups),
    )


def _latest(workshop: Workshop, results: dict[int, RoundResults | None], kind: RoundKind) -> Round | None:
    """The latest round of ``kind`` with answers; never a consultation (a young people's ballot is
    reported in its own section and analysed only when a decision names it)."""
    found = [r for r in workshop.rounds if r.kind is kind and results[r.id] is not None and not r.young_ballot]
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
    info: RoundInfo, result: ScoringResults | RankingRoundResults, workshop: Workshop, agreed: Sequence[str]
) -> RoundRanking:
    if isinstance(result, ScoringResults):
        ranking = result.ranking
        names, ranks, scores, order = ranking.names, ranking.ranks, ranking.scores, ranking.order
        themes = [p.theme for p in ranking.priorities]
        responses = [int(n) for n in ranking.aggregate.counts.min(axis=1)]
        method, score_label = method_text(ranking.options), ranking.method.score_label
    else:
        tally = result.tally
        names = tuple(p.name for p in tally.priorities)
        ranks, scores, order = tally.ranks, tally.points, tally.order
        themes = [p.theme for p in tally.priorities]
        responses = [tally.ballots] * len(names)
        method, score_label = tally.rule, tally.score_label
    top = workshop.shortlist_places(len(names))
    beside = tallies_beside(result, top) if isinstance(result, RankingRoundResults) else {}
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
        few_answers=thin_priorities(result) if isinstance(result, ScoringResults) else (),
        minimum=result.ranking.options.min_responses if isinstance(result, ScoringResults) else 0,
        **beside,
    )


def _swings(workshop: Workshop) -> list[float | None]:
    """Each criterion's swing when the weights were set by swing, else None."""
    by_swing = workshop.weight_method is WeightMethod.SWING
    return [c.swing if by_swing else None for c in workshop.criteria]


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
            shares = group_weights(result, group)
            assert shares is not None  # a group of the allocators
            by_group.append(dict(zip(names, (float(w) for w in shares), strict=True)))
    return Weighting(
        method=workshop.weight_method,
        how=WEIGHT_METHOD_TEXT[workshop.weight_method],
        round=info,
        responses=result.room.responses if result is not None else 0,
        groups=groups,
        rows=tuple(
            WeightRow(c.name, c.weight, c.share, room.get(c.name), tuple(g.get(c.name) for g in by_group), swing)
            for c, swing in zip(criteria, _swings(workshop), strict=True)
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
