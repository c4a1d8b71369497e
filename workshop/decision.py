"""The agreed shortlist and what it was measured against: the decision's
types and its pure rules.

A decision is measured against one round's computed ranking (the basis
round), as it stood when the decision was recorded.  That ranking is frozen
with the decision as a ``Measurement``: the ranking options (or the Borda
count of a ranking round), the weights, the number of answers, the
workshop's version and every priority's computed rank, score and answer
count, with its name.  The board paper and the archive show these stored
figures; they are never recomputed.  When the basis round's ranking later
differs (a round reopened and answered again, the method switched, the
weights adopted from a weighting round), ``drift`` says what changed and
the record is shown as measured against an earlier state.

Departures are derived here, in one place (``departures``), from the frozen
ranking: every priority whose place on the shortlist differs from the
computed top k (every scored priority of rank ≤ k, so a tie at the cut
brings all its members in).  The service refuses a decision that lacks a
reason for any of them (``check_reasons``), and so does the archive import.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from ranking.methods import RankingOptions
from ranking.readings import NOT_SCORED
from workshop.errors import InvalidInput

if TYPE_CHECKING:
    from workshop.models import Round

#: Scores that differ by less than this are the same score (well below any score's last shown digit).
SCORE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ShortlistEntry:
    priority_id: int
    rationale: str
    name: str = ""  # frozen with the decision; set by the service when it records it


@dataclass(frozen=True)
class DepartureReason:
    """Why the shortlist departs from the computed ranking at one priority (what the facilitator writes)."""

    priority_id: int
    reason: str


@dataclass(frozen=True)
class Departure:
    """A place where the agreed shortlist differs from the computed top k:
    a priority brought in (``added``) from below the cut, from the priorities
    nobody scored or from outside the basis round, or one left out from
    within the top k."""

    priority_id: int
    name: str
    computed_rank: int | None  # None: nobody scored it, or it was not in the basis round
    added: bool
    in_round: bool = True
    reason: str = ""

    @property
    def rank_words(self) -> str:
        """'computed rank 7', 'not scored' or 'not in the round'."""
        if not self.in_round:
            return "not in the round"
        return NOT_SCORED if self.computed_rank is None else f"computed rank {self.computed_rank}"

    @property
    def change(self) -> str:
        return "brought in" if self.added else "left out"


@dataclass(frozen=True)
class MeasuredPriority:
    priority_id: int
    name: str
    rank: int | None  # None: nobody scored it (ranked after every scored priority)
    score: float | None
    answers: int  # participants who answered on it


@dataclass(frozen=True)
class Measurement:
    """The basis round's computed ranking as it stood when the decision was recorded."""

    round_id: int | None  # None once the round is gone
    round_label: str
    basis: str  # in words: "Weighted sum of the room's mean scores", "Borda count of 12 rankings"
    options: RankingOptions | None  # a scoring round's ranking options; None for a ranking round's Borda count
    weights: tuple[tuple[str, float], ...]  # criterion, weight (scoring rounds)
    answers: int  # participants who answered the round
    workshop_version: int
    priorities: tuple[MeasuredPriority, ...]  # in the computed order

    def of(self, priority_id: int) -> MeasuredPriority | None:
        return next((p for p in self.priorities if p.priority_id == priority_id), None)

    def top(self, k: int) -> tuple[int, ...]:
        """The computed top k: every scored priority of rank ≤ k (ties at the cut all in)."""
        return tuple(p.priority_id for p in self.priorities if p.rank is not None and p.rank <= k)


@dataclass(frozen=True)
class DecisionDraft:
    """What the facilitator submits: the shortlist in order with a rationale
    for each, and a reason for each departure.  The service derives the
    departures itself; ``round_id`` None measures the decision against the
    latest scoring or ranking round that people have answered."""

    shortlist: tuple[ShortlistEntry, ...]
    decided_by: str
    reasons: tuple[DepartureReason, ...] = ()
    round_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class CheckedDecision:
    """A decision the service (or the archive import) has checked, ready to store."""

    round_id: int | None
    decided_by: str
    note: str
    shortlist: tuple[ShortlistEntry, ...]  # with the priorities' names
    departures: tuple[Departure, ...]  # with their reasons
    measurement: Measurement | None


@dataclass(frozen=True)
class Decision:
    id: int
    workshop_id: int
    round_id: int | None
    decided_by: str
    decided_at: datetime
    shortlist: tuple[ShortlistEntry, ...]
    departures: tuple[Departure, ...]
    note: str
    #: What it was measured against; None for a decision recorded before decisions stored their figures.
    measurement: Measurement | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.shortlist)


# --------------------------------------------------------------------------- the rules


def shortlist_places(shortlist_size: int, basis: Round | int | None) -> int:
    """How many priorities an agreed shortlist holds: the workshop's
    shortlist size, or every priority of the round the decision is measured
    against (or of ``basis`` priorities, given as a count) when there are fewer."""
    if basis is None:
        return shortlist_size
    return min(shortlist_size, basis if isinstance(basis, int) else len(basis.priority_ids))


def departures(
    measured: Measurement, shortlist: Sequence[int], names: Mapping[int, str], top: int
) -> tuple[Departure, ...]:
    """Where ``shortlist`` (priority ids) departs from the computed top ``k``
    of ``measured``: in the computed order, then any priority from outside
    the basis round (``names`` gives every priority's name)."""
    computed_top = set(measured.top(top))
    chosen = set(shortlist)
    found = [
        Departure(p.priority_id, p.name, p.rank, p.priority_id in chosen)
        for p in measured.priorities
        if (p.priority_id in chosen) != (p.priority_id in computed_top)
    ]
    in_round = {p.priority_id for p in measured.priorities}
    found += [Departure(pid, names[pid], None, True, in_round=False) for pid in shortlist if pid not in in_round]
    return tuple(found)


def departure_request(departure: Departure) -> str:
    """What a missing reason asks for, naming the priority: one sentence for the Agree page and the service."""
    verb = "bringing in" if departure.added else "leaving out"
    return f"Give the reason for {verb} '{departure.name}' ({departure.rank_words})."


def check_reasons(found: Sequence[Departure], reasons: Sequence[DepartureReason]) -> tuple[Departure, ...]:
    """``found`` with their reasons, or InvalidInput naming every departure
    that has none and every reason given where there is no departure."""
    given = {}
    for r in reasons:
        if r.priority_id in given:
            raise InvalidInput("A departure has two reasons.")
        given[r.priority_id] = r.reason.strip() if isinstance(r.reason, str) else ""
    ids = {d.priority_id for d in found}
    problems = [departure_request(d) for d in found if not given.get(d.priority_id)]
    if any(pid not in ids for pid in given):
        problems.append(
            "A reason was given for a priority that does not depart from the computed ranking: "
            "the shortlist and the computed top places agree there."
        )
    if problems:
        lead = problems[0] if len(problems) == 1 else "The decision was not recorded. Still needed:"
        raise InvalidInput(lead, tuple(problems) if len(problems) > 1 else ())
    return tuple(replace(d, reason=given[d.priority_id]) for d in found)


# --------------------------------------------------------------------------- measured against an earlier state


@dataclass(frozen=True)
class Moved:
    name: str
    then: int | None
    now: int | None  # None: not scored now, or no longer in the round


@dataclass(frozen=True)
class Drift:
    """How the basis round's computed ranking now differs from the one the decision was measured against."""

    round_gone: bool = False
    basis: tuple[str, str] | None = None  # (then, now) when the method or its options changed
    weights: bool = False
    answers: tuple[int, int] | None = None
    moved: tuple[Moved, ...] = ()
    rescored: int = 0  # priorities whose score changed while their rank did not

    @property
    def current(self) -> bool:
        return not (self.round_gone or self.basis or self.weights or self.answers or self.moved or self.rescored)


def drift(then: Measurement, now: Measurement | None) -> Drift:
    """Compare the stored measurement with the basis round's ranking now (None: the round is gone)."""
    if now is None:
        return Drift(round_gone=True)
    ranks_now = {p.priority_id: p for p in now.priorities}
    moved, rescored = [], 0
    for p in then.priorities:
        current = ranks_now.get(p.priority_id)
        rank_now = current.rank if current is not None else None
        if current is None or rank_now != p.rank:
            moved.append(Moved(p.name, p.rank, rank_now))
        elif not _same_score(p.score, current.score):
            rescored += 1
    return Drift(
        basis=None if (then.basis, then.options) == (now.basis, now.options) else (then.basis, now.basis),
        weights=not _same_weights(then.weights, now.weights),
        answers=None if then.answers == now.answers else (then.answers, now.answers),
        moved=tuple(moved),
        rescored=rescored,
    )


def _same_score(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= SCORE_TOLERANCE


def _same_weights(a: Sequence[tuple[str, float]], b: Sequence[tuple[str, float]]) -> bool:
    return len(a) == len(b) and all(
        n == m and abs(x - y) <= SCORE_TOLERANCE for (n, x), (m, y) in zip(a, b, strict=True)
    )


def _rank(rank: int | None) -> str:
    return NOT_SCORED if rank is None else str(rank)


def drift_words(found: Drift) -> tuple[str, ...]:
    """What changed since the decision, one sentence each (the Agree page and the board paper)."""
    if found.round_gone:
        return ("The round it was measured against no longer exists.",)
    words = []
    if found.basis:
        words.append(f"The ranking method changed: {found.basis[0]} then, {found.basis[1]} now.")
    if found.weights:
        words.append("The criteria's weights changed.")
    if found.answers:
        then, now = found.answers
        words.append(f"The round had {then} {'answer' if then == 1 else 'answers'} then and has {now} now.")
    if found.moved:
        shown = ", ".join(f"'{m.name}' {_rank(m.then)} → {_rank(m.now)}" for m in found.moved[:8])
        more = f" and {len(found.moved) - 8} more" if len(found.moved) > 8 else ""
        words.append(f"Computed ranks moved: {shown}{more}.")
    if found.rescored:
        n = found.rescored
        words.append(f"The scores of {n} {'priority' if n == 1 else 'priorities'} changed without changing rank.")
    return tuple(words)


def measured_words(decision: Decision) -> str:
    """What the decision was measured against, in one line (the Agree page and the board paper)."""
    m = decision.measurement
    if m is None:
        return "Recorded before decisions kept the ranking they were measured against."
    answers = f"{m.answers} {'participant' if m.answers == 1 else 'participants'} answering"
    return f"Measured against {m.round_label}: {m.basis}, {answers} (workshop version {m.workshop_version})."


# --------------------------------------------------------------------------- stored form


def options_document(o: RankingOptions | None) -> dict[str, object] | None:
    """The ranking options a measurement was ranked with, as JSON-ready values (the store and the archive)."""
    if o is None:
        return None
    return {
        "method": o.method.value,
        "normalization": None if o.normalization is None else o.normalization.value,
        "aggregation": o.aggregation.value,
        "balance_groups": o.balance_groups,
        "min_responses": o.min_responses,
    }


def measurement_json(m: Measurement) -> str:
    """The measurement as the store keeps it (ids and names; the archive writes names only)."""
    options = options_document(m.options)
    return json.dumps(
        {
            "round_label": m.round_label,
            "basis": m.basis,
            "options": options,
            "weights": [[n, w] for n, w in m.weights],
            "answers": m.answers,
            "workshop_version": m.workshop_version,
            "priorities": [[p.priority_id, p.name, p.rank, p.score, p.answers] for p in m.priorities],
        },
        ensure_ascii=False,
        allow_nan=False,
    )


def measurement_from_json(text: str, round_id: int | None) -> Measurement:
    doc = json.loads(text)
    o = doc["options"]
    options = (
        None
        if o is None
        else RankingOptions(
            method=o["method"],
            aggregation=o["aggregation"],
            balance_groups=bool(o["balance_groups"]),
            normalization=o["normalization"],
            min_responses=int(o["min_responses"]),
        )
    )
    return Measurement(
        round_id=round_id,
        round_label=doc["round_label"],
        basis=doc["basis"],
        options=options,
        weights=tuple((str(n), float(w)) for n, w in doc["weights"]),
        answers=int(doc["answers"]),
        workshop_version=int(doc["workshop_version"]),
        priorities=tuple(
            MeasuredPriority(int(pid), str(name), None if rank is None else int(rank), _finite(score), int(answers))
            for pid, name, rank, score, answers in doc["priorities"]
        ),
    )


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)
