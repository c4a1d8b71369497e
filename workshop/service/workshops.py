"""Creating, finding, exporting and importing workshops, and facilitator sign-in."""

from __future__ import annotations

import math
from dataclasses import replace

from workshop.archive import WorkshopArchive, read_archive, restore
from workshop.models import (
    RoundKind,
    RoundState,
    Stage,
    WeightMethod,
    Workshop,
    WorkshopSetup,
    WorkshopSummary,
    current_round,
)
from workshop.security import hash_facilitator_key, new_facilitator_key, new_join_code
from workshop.service.base import FACILITATOR, NO_WORKSHOP, SYSTEM, ServiceBase, _found
from workshop.store import Transaction


class WorkshopsMixin(ServiceBase):
    def create_workshop(self, setup: WorkshopSetup) -> tuple[Workshop, str]:
        """Create a workshop; return it with its facilitator key.  The key is
        shown once: only its hash is stored.  Round 1 scores every priority
        (a weighting round comes first when ``setup.weighting_round``)."""
        key = new_facilitator_key()
        with self._store.write() as tx:
            wid = self._insert_new_workshop(tx, setup, hash_facilitator_key(key))
            return self._load(tx, wid), key

    def _insert_new_workshop(self, tx: Transaction, setup: WorkshopSetup, key_hash: str) -> int:
        """Write a new workshop from ``setup`` with its first round(s) and audit entry; return its id."""
        now = self._clock()
        wid = tx.insert_workshop(self._new_code(tx), setup, key_hash, now)
        if setup.weighting_round:
            tx.insert_round(wid, "Weighting the criteria", RoundKind.WEIGHTING, (), None, now)
        all_ids = [p.id for p in tx.priorities(wid)]
        tx.insert_round(wid, "Scoring all priorities", RoundKind.SCORING, all_ids, None, now)
        tx.audit(
            wid,
            now,
            FACILITATOR,
            "workshop created",
            f"'{setup.details.title}': {len(setup.priorities)} priorities, {len(setup.criteria)} criteria, "
            f"{len(setup.groups)} groups",
        )
        return wid

    @staticmethod
    def _new_code(tx: Transaction) -> str:
        code = new_join_code()
        while tx.code_taken(code):
            code = new_join_code()
        return code

    def export_archive(self, key: str, workshop_id: int) -> WorkshopArchive:
        """The whole workshop as an archive (``workshop.archive``).  Facilitator
        only: it holds every participant's answers."""
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.read() as tx:
            return read_archive(tx, workshop_id, now)

    def import_archive(self, archive: WorkshopArchive) -> tuple[Workshop, str]:
        """Restore an archive as a new workshop, all or nothing; return it with
        a new join code and a new facilitator key (shown once: archives carry
        no credentials, see ``workshop.archive``).  Like creating a workshop,
        importing needs no key."""
        key = new_facilitator_key()
        key_hash = hash_facilitator_key(key)
        now = self._clock()
        with self._store.write() as tx:
            wid = restore(tx, archive, self._new_code(tx), key_hash, self._measured_basis)
            tx.audit(
                wid,
                now,
                SYSTEM,
                "workshop imported",
                f"from an archive of workshop {archive.code} exported {archive.exported_at.isoformat()}; "
                "new join code and facilitator key",
            )
            return self._load(tx, wid), key

    def list_workshops(self) -> tuple[WorkshopSummary, ...]:
        with self._store.read() as tx:
            return tx.workshops()

    def workshop(self, code: str) -> Workshop:
        """The workshop with this join code (typed by a person: case, spaces
        and hyphens are forgiven), as the room may see it (``_public``)."""
        with self._store.read() as tx:
            return self._public(self._load(tx, self._workshop_id_of(tx, code)))

    def workshop_by_id(self, workshop_id: int, key: str | None = None) -> Workshop:
        """The workshop: as the room may see it (``_public``), or whole with
        the facilitator's key."""
        if key is not None:
            self._authorise(key, workshop_id)
        with self._store.read() as tx:
            workshop = self._load(tx, workshop_id)
        return workshop if key is not None else self._public(workshop)

    @staticmethod
    def _public(workshop: Workshop) -> Workshop:
        """The workshop without what is hidden from the room.  The rule: while
        the criteria carry the room's weights (method "participants") and a
        weighting round has run but is not revealed (open, closed, or
        reopened after a reveal), the weights are the room's answer before
        its reveal, so a keyless read carries none: each weight is NaN and
        ``weights_hidden`` says why.  (Conservative: with two weighting
        rounds, one revealed, the other's running hides them too.)  Revealing
        a scoring round ranked with those weights shows them with its
        working (``public_results``): that reveal is the facilitator's."""
        hidden = workshop.weight_method is WeightMethod.PARTICIPANTS and any(
            r.kind is RoundKind.WEIGHTING and r.state in (RoundState.OPEN, RoundState.CLOSED) for r in workshop.rounds
        )
        if not hidden:
            return workshop
        criteria = tuple(replace(c, weight=math.nan) for c in workshop.criteria)
        return replace(workshop, criteria=criteria, weights_hidden=True)

    def version(self, workshop_id: int) -> int:
        """The workshop's change counter: poll it, and reload when it moves."""
        with self._store.read() as tx:
            return _found(tx.version(workshop_id), NO_WORKSHOP)

    def stage(self, workshop_id: int) -> Stage:
        """The current round, its state and the latest decision: two small
        queries, for pages that poll (no key needed; it reveals nothing)."""
        with self._store.read() as tx:
            stages = tx.round_stages(workshop_id)
            rnd = current_round(stages)
            return Stage(
                None if rnd is None else rnd.id,
                None if rnd is None else rnd.state,
                tx.latest_decision_id(workshop_id),
                stages,
            )

    def check_key(self, code: str, key: str) -> Workshop:
        """Facilitator sign-in: the workshop, if ``key`` is its key."""
        workshop = self.workshop(code)
        return self.workshop_by_id(workshop.id, key)
