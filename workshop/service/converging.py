"""The settings of converging rounds: the consensus rule, the ballot rule, swing weights, and the consensus reading."""

from __future__ import annotations

from collections.abc import Sequence

from ranking.model import RankingInputError
from ranking.swing import swing_weights
from workshop.converging import ConsensusSummary, consensus_reading, consensus_summary
from workshop.errors import InvalidInput, PermissionDenied
from workshop.models import (
    BallotRule,
    ConsensusSettings,
    CriterionSwing,
    Round,
    RoundKind,
    RoundState,
    WeightMethod,
    Workshop,
    rule_words,
    workshop_consensus,
    workshop_scale,
)
from workshop.results import ScoringResults
from workshop.service.base import FACILITATOR, NOT_REVEALED, ServiceBase
from workshop.service.results import ResultsMixin
from workshop.store import Transaction


class ConvergingMixin(ServiceBase):
    def set_consensus_rule(self, key: str, workshop_id: int, settings: ConsensusSettings) -> Workshop:
        """Store the workshop's consensus rule: the share of answers in the high band needed for IN (and in
        the low band for OUT), the share against it must stay below, and the bands (None: the top or bottom
        third of the scale).  Facilitator only, allowed at any time (it changes no answer, only how they
        are read), checked against the criteria's common scale and recorded in the audit log."""
        with self._editing_workshop(key, workshop_id) as (tx, now):
            scale = workshop_scale(tx.criteria(workshop_id))
            rule = workshop_consensus(settings, scale)
            tx.set_consensus(workshop_id, rule)
            tx.audit(workshop_id, now, FACILITATOR, "consensus rule set", rule_words(rule, scale))
            return self._load(tx, workshop_id)

    def set_ballot_rule(self, key: str, workshop_id: int, rule: BallotRule | str) -> Workshop:
        """Store how the workshop's ranking rounds are tallied: every ballot pooled (Borda) or group-fair
        (each stakeholder group's tally re-scored by position and the groups added).  Facilitator only,
        allowed at any time, recorded in the audit log."""
        try:
            chosen = BallotRule(rule)
        except ValueError:
            options = ", ".join(f"'{r.value}'" for r in BallotRule)
            raise InvalidInput(f"The ballot rule must be one of {options}, not {rule!r}.") from None
        with self._editing_workshop(key, workshop_id) as (tx, now):
            if chosen is BallotRule.GROUP_FAIR and not tx.groups(workshop_id):
                raise InvalidInput(
                    "This workshop has no stakeholder groups, so the group-fair tally has none to count."
                )
            tx.set_ballot_rule(workshop_id, chosen)
            tx.audit(workshop_id, now, FACILITATOR, "ballot rule set", chosen.label)
            return self._load(tx, workshop_id)

    def set_swing_weights(self, key: str, workshop_id: int, swings: Sequence[CriterionSwing]) -> Workshop:
        """Set the weights by swing (``ranking.swing``): ``swings`` lists every criterion once, in order of how
        much the swing from the worst to the best point of its scale matters, the first given 100 and each
        other a number relative to it; the weights are the normalised numbers.  Setup only."""
        given = tuple(swings)

        def edit(tx: Transaction) -> str:
            criteria = {c.id: c for c in tx.criteria(workshop_id)}
            unknown = [s.criterion_id for s in given if s.criterion_id not in criteria]
            if unknown:
                raise InvalidInput("That criterion is not part of this workshop.")
            missing = [c.name for cid, c in criteria.items() if cid not in {s.criterion_id for s in given}]
            if missing:
                raise InvalidInput(f"Give every criterion a swing: '{missing[0]}' has none.")
            try:
                result = swing_weights([(criteria[s.criterion_id].name, s.swing) for s in given])
            except RankingInputError as exc:
                raise InvalidInput(f"Those swings do not work: {exc}.") from None
            tx.set_weights((s.criterion_id, float(w)) for s, w in zip(given, result.weights, strict=True))
            tx.set_swings((s.criterion_id, float(s.swing)) for s in given)
            tx.set_weight_method(workshop_id, WeightMethod.SWING)
            return "weights (swing): " + ", ".join(f"{criteria[s.criterion_id].name} {s.swing:g}" for s in given)

        return self._edit_setup(key, workshop_id, edit)

    def consensus(self, key: str, round_id: int) -> ConsensusSummary:
        """A scoring round under the workshop's consensus rule, with the rule's sensitivity
        (``workshop.converging``): what the Results page's and the board paper's statuses come
        from.  Facilitator only, at any time."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return self._consensus(tx, self._round(tx, round_id))

    def public_consensus(self, code: str, round_id: int) -> ConsensusSummary:
        """The same for the projector (no key): refused until the facilitator reveals the round, checked in
        the same read; it holds only the room's shares, never anyone's answer."""
        with self._store.read() as tx:
            rnd = ResultsMixin._public_round(tx, code, round_id)
            if rnd.state is not RoundState.REVEALED:
                raise PermissionDenied(NOT_REVEALED)
            return self._consensus(tx, rnd)

    @classmethod
    def _consensus(cls, tx: Transaction, rnd: Round) -> ConsensusSummary:
        if rnd.kind is not RoundKind.SCORING:
            raise InvalidInput(f"{rnd.short_label} is not a scoring round: the consensus rule reads scores.")
        found = ResultsMixin._results(tx, rnd, None)
        workshop = cls._load(tx, rnd.workshop_id)
        assert isinstance(found, ScoringResults)
        return consensus_summary(consensus_reading(found, workshop.consensus), rnd.label)
