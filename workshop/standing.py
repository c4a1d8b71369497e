"""A round's computed order, whatever its kind, and the rules measured against it: the proposed
shortlist, an agreed shortlist's departures and what a decision still lacks (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ranking import model as engine
from ranking.model import RankingInputError
from ranking.ranks import Ranked
from ranking.readings import rank_label
from ranking.shortlist import Shortlist, ShortlistConstraints, shortlist
from workshop.decision import Departure, Measurement, departure_request, departures
from workshop.errors import InvalidInput
from workshop.models import BallotRule, Priority, Round
from workshop.results import RankingRoundResults, RoundResults, ScoringResults, basis_words, measurement


@dataclass(frozen=True, eq=False)
class Standing(Ranked):
    """A round's computed order, whatever the round's kind: what a follow-up
    round, the proposed shortlist and a decision's departures are measured
    against.

    It offers what ``ranking.shortlist.shortlist`` reads of a ranking
    (``names``, ``priorities`` with their themes, ``ranks``, ``scores``,
    ``order``, ``top``), so a ranking round's Borda tally can be shortlisted
    under constraints like a scoring round's ranking.  ``high_spread`` marks
    the priorities the room is divided on (scoring rounds only).  A priority
    nobody scored has a NaN score (``ranking.methods``): it is never in the
    top k and has no computed rank (``rank_of`` gives None).
    """

    round: Round
    priority_ids: tuple[int, ...]
    priorities: tuple[engine.Priority, ...]  # the stored ones (a stored priority is an engine one)
    ranks: np.ndarray
    scores: np.ndarray
    high_spread: tuple[bool, ...]
    basis: str
    #: The same ranking as a decision freezes it: what its departures are derived from (``workshop.decision``).
    measurement: Measurement

    @property
    def scored(self) -> np.ndarray:
        return ~np.isnan(np.asarray(self.scores, dtype=float))

    def rank_of(self, name: str) -> int | None:
        """The computed rank, or None for a priority nobody scored (it has none)."""
        i = self.names.index(name)
        return int(self.ranks[i]) if self.scored[i] else None

    def label(self, name: str) -> str:
        """'3. Name', or 'Name (not scored)'."""
        return rank_label(name, self.rank_of(name))

    def id_of(self, name: str) -> int:
        return self.priority_ids[self.names.index(name)]


def standing(
    found: RoundResults, priorities: Sequence[Priority], version: int, high_spread: Sequence[bool] | None = None
) -> Standing:
    """The computed order of a scoring round (``high_spread``: where the room is divided,
    ``ranking.consensus``) or of a ranking round (Borda); ``version`` is the workshop's change counter."""
    ids = {p.name: p.id for p in priorities}
    if isinstance(found, ScoringResults):
        ranking = found.ranking
        divided = (False,) * len(ranking.names) if high_spread is None else tuple(bool(h) for h in high_spread)
        return Standing(
            round=found.round,
            priority_ids=tuple(ids[n] for n in ranking.names),
            priorities=ranking.priorities,
            ranks=ranking.ranks,
            scores=ranking.scores,
            high_spread=divided,
            basis=basis_words(found),
            measurement=measurement(found, priorities, version),
        )
    if isinstance(found, RankingRoundResults):
        tally = found.tally
        return Standing(
            round=found.round,
            priority_ids=tuple(p.id for p in tally.priorities),
            priorities=tuple(tally.priorities),
            ranks=tally.ranks,
            scores=tally.points,
            high_spread=(False,) * len(tally.priorities),
            basis=f"{tally_words(found.ballot_rule)} of {tally.ballots} rankings",
            measurement=measurement(found, priorities, version),
        )
    raise InvalidInput("A weighting round ranks criteria, not priorities: choose a scoring or ranking round.")


def tally_words(rule: BallotRule) -> str:
    """A ranking round's tally by name, as the computed order's basis says it."""
    return "Group-fair (James Lind Alliance) tally" if rule is BallotRule.GROUP_FAIR else "Borda count"


def proposal(computed: Standing, top: int, constraints: ShortlistConstraints) -> Shortlist:
    """The constrained top k (``ranking.shortlist``, cheap: not cached), or
    InvalidInput saying why the constraints cannot be met."""
    try:
        return shortlist(computed, top, constraints)
    except RankingInputError as exc:
        raise InvalidInput(f"No shortlist fits those constraints: {exc}.") from None


def changes(agreed: Sequence[str], computed: Standing, top: int) -> tuple[Departure, ...]:
    """Departures of ``agreed`` from the computed top ``k``: the service's own
    rule (``workshop.decision.departures``) on the same computed ranking."""
    names = {pid: name for name, pid in zip(computed.names, computed.priority_ids, strict=True)}
    return departures(computed.measurement, [computed.id_of(n) for n in agreed], names, top)


def decision_problems(
    agreed: Sequence[str],
    top: int,
    rationales: Mapping[str, str],
    found: Sequence[Departure],
    reasons: Mapping[str, str],
    decided_by: str,
) -> tuple[str, ...]:
    """Everything that must be fixed before the decision can be recorded (the
    service checks the same again and refuses what is missing)."""
    problems = []
    if len(agreed) != top:
        problems.append(f"The shortlist has {len(agreed)} priorities; it needs exactly {top}.")
    problems += [f"Give the reason for choosing '{name}'." for name in agreed if not rationales.get(name, "").strip()]
    problems += [departure_request(d) for d in found if not reasons.get(d.name, "").strip()]
    if not decided_by.strip():
        problems.append("Say who made the decision.")
    return tuple(problems)
