"""Recording the agreed shortlist, measuring it against the computed ranking, and the audit log."""

from __future__ import annotations

from workshop.decision import CheckedDecision, Drift, Measurement, check_reasons, departures, drift, shortlist_places
from workshop.errors import InvalidInput, NoResultsYet
from workshop.models import (
    MAX_TEXT_LENGTH,
    AuditEntry,
    Decision,
    DecisionDraft,
    Round,
    RoundKind,
    RoundState,
    ShortlistEntry,
    whole_number,
)
from workshop.results import WeightingResults, measurement
from workshop.service.base import FACILITATOR, ServiceBase, _short_text
from workshop.store import Transaction


class DecisionsMixin(ServiceBase):
    def record_decision(self, key: str, workshop_id: int, draft: DecisionDraft) -> Decision:
        """Record the agreed shortlist with a rationale for each priority on it
        and a reason for each departure from the computed ranking.  Recording
        again keeps the earlier decision in the history; the latest counts.

        The decision is measured against a round's computed ranking (the
        draft's round, else the latest scoring or ranking round people have
        answered), ranked here with the workshop's ranking options and frozen
        with the decision (``workshop.decision``).  The shortlist must have
        exactly as many priorities as it has places (``shortlist_places``),
        each a priority of this workshop, none twice.  The service derives
        every departure itself and refuses a decision that lacks a reason for
        any of them, naming the priority."""
        decided_by = _short_text(draft.decided_by, "name of who decided")
        note = _short_text(draft.note, "note", required=False, limit=MAX_TEXT_LENGTH)
        if not draft.shortlist:
            raise InvalidInput("The shortlist is empty.")
        shortlist_ids = [whole_number(e.priority_id, "priority") for e in draft.shortlist]
        if len(set(shortlist_ids)) != len(shortlist_ids):
            raise InvalidInput("A priority is on the shortlist twice.")
        for reason in draft.reasons:
            _short_text(reason.reason, "reason for a departure", required=False, limit=MAX_TEXT_LENGTH)
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            version = self._bump(tx, workshop_id)
            names = {p.id: p.name for p in tx.priorities(workshop_id)}
            if any(pid not in names for pid in shortlist_ids):
                raise InvalidInput("A chosen priority is not in this workshop.")
            rationales = []
            for entry in draft.shortlist:
                what = f"reason for choosing '{names[entry.priority_id]}'"
                rationales.append(_short_text(entry.rationale, what, limit=MAX_TEXT_LENGTH))
            basis = self._decision_basis(tx, workshop_id, draft.round_id)
            size = self._load(tx, workshop_id).shortlist_size
            places = shortlist_places(size, basis)
            if len(shortlist_ids) != places:
                why = (
                    f"{basis.short_label} has only {places} priorities"
                    if places < size
                    else "the workshop's shortlist size"
                )
                n = len(shortlist_ids)
                raise InvalidInput(
                    f"The shortlist has {n} {'priority' if n == 1 else 'priorities'}; "
                    f"it needs exactly {places} ({why})."
                )
            measured = self._measure(tx, basis, version)
            found = check_reasons(departures(measured, shortlist_ids, names, places), draft.reasons)
            checked = CheckedDecision(
                round_id=basis.id,
                decided_by=decided_by,
                note=note,
                shortlist=tuple(
                    ShortlistEntry(pid, rationale, names[pid])
                    for pid, rationale in zip(shortlist_ids, rationales, strict=True)
                ),
                departures=found,
                measurement=measured,
            )
            tx.insert_decision(workshop_id, checked, now)
            summary = "; ".join(names[pid] for pid in shortlist_ids)
            tx.audit(workshop_id, now, FACILITATOR, "decision recorded", f"by {decided_by}: {summary}")
            decision = tx.latest_decision(workshop_id)
            assert decision is not None
            return decision

    @staticmethod
    def _decision_basis(tx: Transaction, workshop_id: int, round_id: int | None) -> Round:
        """The round a decision is measured against: ``round_id``, else the
        latest scoring or ranking round that somebody has answered."""
        if round_id is None:
            answered = [
                r
                for r in tx.rounds(workshop_id)
                if r.kind is not RoundKind.WEIGHTING
                and r.state is not RoundState.DRAFT
                and tx.answer_counts(r.id, r.kind)
            ]
            if not answered:
                raise NoResultsYet(
                    "A decision is measured against the results of a scoring or ranking round, "
                    "and nobody has answered one yet."
                )
            return answered[-1]
        basis = tx.round(whole_number(round_id, "round"))
        if basis is None or basis.workshop_id != workshop_id:
            raise InvalidInput("That round is not part of this workshop.")
        if basis.kind is RoundKind.WEIGHTING:
            raise InvalidInput(
                f"{basis.short_label} weighs the criteria: measure the decision against a scoring or ranking round."
            )
        return basis

    @classmethod
    def _measured_basis(cls, tx: Transaction, workshop_id: int, round_id: int | None) -> tuple[Round, Measurement]:
        """A decision's basis round (``_decision_basis``) and its computed ranking now."""
        basis = cls._decision_basis(tx, workshop_id, round_id)
        return basis, cls._measure(tx, basis, tx.version(workshop_id) or 0)

    @classmethod
    def _measure(cls, tx: Transaction, basis: Round, version: int) -> Measurement:
        """The basis round's computed ranking now, with the workshop's ranking options."""
        found = cls._results(tx, basis, None)
        assert not isinstance(found, WeightingResults)
        return measurement(found, tx.priorities(basis.workshop_id), version)

    def decision_drift(self, key: str, workshop_id: int) -> Drift | None:
        """How the latest decision's basis round ranks now against what the
        decision was measured against (None: no decision, or one recorded
        before decisions kept their figures).  Never changes the record."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            decision = tx.latest_decision(workshop_id)
            if decision is None or decision.measurement is None:
                return None
            basis = None if decision.round_id is None else tx.round(decision.round_id)
            now = None if basis is None else self._measure(tx, basis, tx.version(workshop_id) or 0)
            return drift(decision.measurement, now)

    def decision(self, key: str, workshop_id: int) -> Decision | None:
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return tx.latest_decision(workshop_id)

    def public_decision(self, code: str) -> Decision | None:
        """The agreed shortlist once recorded, for everyone in the room: the
        projector and participants show it (no key needed; it holds no one's
        individual answers)."""
        with self._store.read() as tx:
            return tx.latest_decision(self._workshop_id_of(tx, code))

    def audit_log(self, key: str, workshop_id: int) -> tuple[AuditEntry, ...]:
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return tx.audit_entries(workshop_id)
