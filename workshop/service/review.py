"""The annual review's use cases: start one from last year's workshop or archive; its basis, reasons and comparison."""

from __future__ import annotations

from workshop.archive import WorkshopArchive
from workshop.errors import InvalidInput, NotFound
from workshop.models import MAX_TEXT_LENGTH, Plan, Workshop
from workshop.review import (
    ReviewBasis,
    ReviewComparison,
    basis_of,
    carried_specs,
    check_dropped_reason,
    compare,
    review_setup,
)
from workshop.security import hash_facilitator_key, new_facilitator_key
from workshop.service.base import FACILITATOR, SYSTEM, _short_text
from workshop.service.plan import PlanMixin
from workshop.service.workshops import WorkshopsMixin
from workshop.store import Transaction


class ReviewMixin(WorkshopsMixin, PlanMixin):
    def start_review(self, key: str, workshop_id: int) -> tuple[Workshop, str]:
        """Start the annual review of a workshop in this database (its facilitator key: the review
        reads its whole record); return the new workshop with its own, new facilitator key."""
        return self.start_review_from_archive(self.export_archive(key, workshop_id))

    def start_review_from_archive(self, archive: WorkshopArchive) -> tuple[Workshop, str]:
        """Start the annual review of an archived workshop (``workshop.review``): a new workshop with
        last year's priorities, criteria, groups and settings, and last year's latest decision as the
        basis it is compared with.  Like importing an archive, this needs no key; the new workshop's
        key is shown once.  Refused (InvalidInput) when the archive has no decision."""
        basis = basis_of(archive)
        setup = review_setup(archive)
        key = new_facilitator_key()
        with self._store.write() as tx:
            wid = self._insert_new_workshop(tx, setup, hash_facilitator_key(key))
            now = self._clock()  # after the workshop's creation time, as the audit log's order needs
            tx.insert_review(wid, basis)
            tx.audit(
                wid,
                now,
                SYSTEM,
                "review started",
                f"annual review of workshop {basis.code}, decision of {basis.decided_at.isoformat()}: "
                f"{len(basis.agreed)} priorities agreed then",
            )
            return self._load(tx, wid), key

    def review_basis(self, workshop_id: int) -> ReviewBasis | None:
        """What the workshop reviews (None: it is not a review).  No key needed: last year's agreed
        shortlist and its reasons were published, and every participant's card shows them."""
        with self._store.read() as tx:
            if tx.version(workshop_id) is None:
                raise NotFound("That workshop does not exist.")
            return tx.review(workshop_id)

    def save_dropped_reason(self, key: str, workshop_id: int, priority: str, reason: str) -> ReviewComparison:
        """Record why the board dropped one of last year's agreed priorities (empty: clear it);
        return the comparison as it now stands."""
        text = _short_text(reason, f"reason for dropping '{priority}'", required=False, limit=MAX_TEXT_LENGTH)
        with self._editing_workshop(key, workshop_id) as (tx, now):
            basis = self._basis(tx, workshop_id)
            checked = check_dropped_reason(basis, priority, text)
            tx.save_dropped_reason(workshop_id, checked, now)
            tx.audit(workshop_id, now, FACILITATOR, "review reason saved", f"for dropping '{checked.priority}'")
            return self._comparison(tx, workshop_id, basis)

    def review_comparison(self, key: str, workshop_id: int) -> ReviewComparison | None:
        """This year's latest decision compared with last year's (None: the workshop is not a review)."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            basis = tx.review(workshop_id)
            return None if basis is None else self._comparison(tx, workshop_id, basis)

    def carry_indicators(self, key: str, workshop_id: int) -> Plan:
        """Start this year's plan from last year's indicators of the priorities kept
        (``workshop.review.carried_specs``), when the plan has no indicators yet."""
        plan = self.plan(key, workshop_id)  # checks the key first
        basis = self.review_basis(workshop_id)
        if basis is None:
            raise NotFound("This workshop is not an annual review.")
        if plan.indicators:
            raise InvalidInput("This year's plan already has indicators; edit them on the Indicators tab.")
        specs = carried_specs(basis, [p.name for p in plan.agreed], plan.groups)
        if not specs:
            raise InvalidInput("None of last year's indicators is for a priority kept this year (or still to come).")
        return self.set_indicators(key, workshop_id, specs)

    @staticmethod
    def _basis(tx: Transaction, workshop_id: int) -> ReviewBasis:
        basis = tx.review(workshop_id)
        if basis is None:
            raise NotFound("This workshop is not an annual review.")
        return basis

    @staticmethod
    def _comparison(tx: Transaction, workshop_id: int, basis: ReviewBasis) -> ReviewComparison:
        reasons = {r.priority: r.reason for r in tx.dropped_reasons(workshop_id)}
        return compare(basis, tx.latest_decision(workshop_id), reasons)
