"""The workshop service: what the app can ask for, and every rule about who
may ask.

Every permission check lives here (facilitator key, participant token,
round open, results revealed); the UI may hide a button, but this is what
refuses.  A refused request changes nothing: checks run inside the write
transaction, and raising rolls it back, change counter included.

Callers identify themselves with secrets, never with ids:

* the facilitator with the workshop's key (checked in constant time before
  any write transaction starts, so the key derivation never holds a lock);
* a participant with the token ``join`` returned.  A participant can only
  ever act as, and read the answers of, the participant the token names.

Every write for a workshop bumps its change counter (``version``) first,
which also serialises writes per workshop (see ``store``).  Heartbeats are
the exception: presence is not content, and bumping the counter on every
heartbeat would make every screen in the room refresh all the time.

Every change of workshop or round state is written to the audit log with
its actor ("facilitator", "participant:<id>" or "system").  Individual
answers are not: they are their own record, with the time of the last change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from ranking.methods import RankingOptions
from ranking.model import RankingInputError
from ranking.robustness import RobustnessOptions, robustness_text
from workshop.archive import WorkshopArchive, read_archive, restore
from workshop.config import Settings
from workshop.decision import (
    CheckedDecision,
    Drift,
    Measurement,
    check_reasons,
    departures,
    drift,
    shortlist_places,
)
from workshop.errors import (
    InvalidInput,
    NoResultsYet,
    NotFound,
    PermissionDenied,
    RoundNotOpen,
    SetupLocked,
)
from workshop.imports import ImportResult, Parsed, RowError, parse_criteria, parse_priorities
from workshop.models import (
    ALLOCATION_POINTS,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    AuditEntry,
    CriterionPoints,
    CriterionSpec,
    CriterionWeight,
    Decision,
    DecisionDraft,
    GroupSpec,
    MyAllocation,
    MyRanking,
    MyScores,
    Participant,
    ParticipantProgress,
    Priority,
    PrioritySpec,
    Progress,
    ProgressStatus,
    RoomProgress,
    Round,
    RoundKind,
    RoundState,
    SaveReceipt,
    ScoreEntry,
    ScoreRecord,
    ShortlistEntry,
    Stage,
    Stamped,
    WeightMethod,
    Workshop,
    WorkshopDetails,
    WorkshopSetup,
    WorkshopSummary,
    check_lists,
    check_shortlist_size,
    criterion_weight,
    current_round,
    finite_number,
    plain_text,
    whole_number,
    workshop_ranking,
    workshop_robustness,
)
from workshop.results import (
    ParticipantView,
    RankingRoundResults,
    RankingView,
    RoundResults,
    ScoringResults,
    ScoringView,
    WeightingResults,
    WeightingView,
    measurement,
    ranking_results,
    scoring_results,
    weighting_results,
)
from workshop.security import (
    clean_code,
    hash_facilitator_key,
    hash_token,
    new_facilitator_key,
    new_join_code,
    new_participant_token,
    verify_facilitator_key,
)
from workshop.store import Store, Transaction
from workshop.throttle import KeyThrottle

FACILITATOR = "facilitator"
SYSTEM = "system"
WRONG_KEY = "That facilitator key is not right for this workshop."
STALE_TOKEN = "We could not find your place in this workshop. Join again with the code on the screen."
NOT_REVEALED = "Results will appear when the facilitator reveals them."
SETUP_LOCKED = "The setup is locked once a round has opened."


def utc_now() -> datetime:
    return datetime.now(UTC)


def _actor(participant_id: int) -> str:
    return f"participant:{participant_id}"


def _short_text(value: object, what: str, required: bool = True, limit: int = MAX_NAME_LENGTH) -> str:
    text = plain_text(value, what)
    if required and not text:
        raise InvalidInput(f"Give the {what}.")
    if len(text) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    return text


E = TypeVar("E", RoundKind, WeightMethod)
T = TypeVar("T")


def _parse_enum(cls: type[E], value: object, what: str) -> E:
    try:
        return cls(value)
    except ValueError:
        options = ", ".join(f"'{m.value}'" for m in cls)
        raise InvalidInput(f"The {what} must be one of {options}, not {value!r}.") from None


class WorkshopService:
    def __init__(
        self, store: Store, clock: Callable[[], datetime] = utc_now, throttle: KeyThrottle | None = None
    ) -> None:
        self._store = store
        self._clock = clock
        self._throttle = throttle or KeyThrottle()  # slows down wrong facilitator keys (workshop.throttle)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> WorkshopService:
        """The service on the configured database, migrated at start-up."""
        return cls(Store.open((settings or Settings.from_env()).database_url))

    # ================================================================== helpers

    def _authorise(self, key: str, workshop_id: int) -> None:
        with self._store.read() as tx:
            stored = tx.key_hash(workshop_id)
        if stored is None:
            raise NotFound("That workshop does not exist.")
        if not isinstance(key, str) or not verify_facilitator_key(key, stored):
            self._throttle.refuse(workshop_id)
            raise PermissionDenied(WRONG_KEY)

    def _round_workshop(self, round_id: int) -> int:
        with self._store.read() as tx:
            return self._round(tx, round_id).workshop_id

    @staticmethod
    def _bump(tx: Transaction, workshop_id: int) -> int:
        version = tx.bump_version(workshop_id)
        if version is None:
            raise NotFound("That workshop does not exist.")
        return version

    @staticmethod
    def _round(tx: Transaction, round_id: int) -> Round:
        rnd = tx.round(round_id)
        if rnd is None:
            raise NotFound("That round does not exist.")
        return rnd

    @staticmethod
    def _participant(tx: Transaction, token: str) -> Participant:
        participant = tx.participant(hash_token(token)) if isinstance(token, str) and token else None
        if participant is None:
            raise NotFound(STALE_TOKEN)
        return participant

    @staticmethod
    def _participant_round(tx: Transaction, participant: Participant, round_id: int) -> Round:
        rnd = WorkshopService._round(tx, round_id)
        if rnd.workshop_id != participant.workshop_id:
            raise PermissionDenied("That round belongs to another workshop.")
        return rnd

    @staticmethod
    def _answering(rnd: Round, kind: RoundKind) -> None:
        """Refuse answers of the wrong kind or to a round that is not open."""
        if rnd.kind is not kind:
            raise InvalidInput(f"{rnd.short_label} is a {rnd.kind.value} round.")
        if rnd.state is RoundState.DRAFT:
            raise RoundNotOpen("This round has not opened yet; your answers were not saved.")
        if rnd.state is not RoundState.OPEN:
            raise RoundNotOpen("This round is closed; your scores were not changed.")

    def _edit_setup(self, key: str, workshop_id: int, edit: Callable[[Transaction], str]) -> Workshop:
        """Run ``edit`` (which returns the audit detail) if the setup is not locked."""
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            if tx.setup_locked(workshop_id):
                raise SetupLocked(SETUP_LOCKED)
            detail = edit(tx)
            tx.audit(workshop_id, now, FACILITATOR, "setup edited", detail)
            return self._load(tx, workshop_id)

    @staticmethod
    def _load(tx: Transaction, workshop_id: int) -> Workshop:
        workshop = tx.workshop(workshop_id)
        if workshop is None:
            raise NotFound("That workshop does not exist.")
        return workshop

    # ================================================================== workshops

    def create_workshop(self, setup: WorkshopSetup) -> tuple[Workshop, str]:
        """Create a workshop; return it with its facilitator key.  The key is
        shown once: only its hash is stored.  Round 1 scores every priority
        (a weighting round comes first when ``setup.weighting_round``)."""
        key = new_facilitator_key()
        key_hash = hash_facilitator_key(key)
        now = self._clock()
        with self._store.write() as tx:
            wid = tx.insert_workshop(
                self._new_code(tx),
                setup.details,
                setup.shortlist_size,
                setup.weight_method,
                key_hash,
                now,
                setup.ranking,
                setup.robustness,
            )
            tx.save_priorities(wid, setup.priorities)
            tx.save_criteria(wid, setup.criteria)
            tx.save_groups(wid, setup.groups)
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
            return self._load(tx, wid), key

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
        and hyphens are forgiven)."""
        with self._store.read() as tx:
            wid = tx.workshop_id(clean_code(code))
            if wid is None:
                raise NotFound(f"No workshop has the code '{code}'. Check the code on the screen.")
            return self._load(tx, wid)

    def workshop_by_id(self, workshop_id: int) -> Workshop:
        with self._store.read() as tx:
            return self._load(tx, workshop_id)

    def version(self, workshop_id: int) -> int:
        """The workshop's change counter: poll it, and reload when it moves."""
        with self._store.read() as tx:
            version = tx.version(workshop_id)
        if version is None:
            raise NotFound("That workshop does not exist.")
        return version

    def stage(self, workshop_id: int) -> Stage:
        """The current round, its state and the latest decision: two small
        queries, for pages that poll (no key needed; it reveals nothing)."""
        with self._store.read() as tx:
            rnd = current_round(tx.round_stages(workshop_id))
            return Stage(
                None if rnd is None else rnd.id,
                None if rnd is None else rnd.state,
                tx.latest_decision_id(workshop_id),
            )

    def check_key(self, code: str, key: str) -> Workshop:
        """Facilitator sign-in: the workshop, if ``key`` is its key."""
        workshop = self.workshop(code)
        self._authorise(key, workshop.id)
        return workshop

    # ================================================================== setup

    def update_details(self, key: str, workshop_id: int, details: WorkshopDetails) -> Workshop:
        """Title, organisation, date and description: editable at any time."""
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            tx.update_details(workshop_id, details)
            tx.audit(workshop_id, now, FACILITATOR, "details edited", f"title '{details.title}'")
            return self._load(tx, workshop_id)

    def set_priorities(self, key: str, workshop_id: int, priorities: Sequence[PrioritySpec]) -> Workshop:
        """Replace the list of priorities (setup only).  A priority whose name
        is unchanged keeps its id; draft rounds that covered every priority
        still do."""
        specs = tuple(priorities)
        check_lists(specs, (), ())

        def edit(tx: Transaction) -> str:
            shortlist_size = self._load(tx, workshop_id).shortlist_size
            if specs and len(specs) < shortlist_size:
                raise InvalidInput(
                    f"The list has {len(specs)} priorities but the shortlist has {shortlist_size} places; "
                    "make the shortlist smaller first."
                )
            before = {p.id for p in tx.priorities(workshop_id)}
            covering_all = [
                r for r in tx.rounds(workshop_id) if r.kind is not RoundKind.WEIGHTING and set(r.priority_ids) == before
            ]
            count = tx.save_priorities(workshop_id, specs)
            after = [p.id for p in tx.priorities(workshop_id)]
            for rnd in covering_all:
                tx.set_round_priorities(rnd.id, after)
            return f"priorities: {len(specs)} ({count.added} added, {count.removed} removed)"

        return self._edit_setup(key, workshop_id, edit)

    def set_criteria(self, key: str, workshop_id: int, criteria: Sequence[CriterionSpec]) -> Workshop:
        specs = tuple(criteria)
        check_lists((), specs, ())

        def edit(tx: Transaction) -> str:
            count = tx.save_criteria(workshop_id, specs)
            return f"criteria: {len(specs)} ({count.added} added, {count.removed} removed)"

        return self._edit_setup(key, workshop_id, edit)

    def set_groups(self, key: str, workshop_id: int, groups: Sequence[GroupSpec]) -> Workshop:
        """Replace the stakeholder groups; a group someone has joined stays."""
        specs = tuple(groups)
        check_lists((), (), specs)

        def edit(tx: Transaction) -> str:
            wanted = {g.name for g in specs}
            for name in tx.groups_in_use(workshop_id):
                if name not in wanted:
                    raise InvalidInput(f"The group '{name}' cannot be removed: participants have joined it.")
            count = tx.save_groups(workshop_id, specs)
            return f"groups: {len(specs)} ({count.added} added, {count.removed} removed)"

        return self._edit_setup(key, workshop_id, edit)

    def set_shortlist_size(self, key: str, workshop_id: int, size: int) -> Workshop:
        def edit(tx: Transaction) -> str:
            value = check_shortlist_size(size, len(tx.priorities(workshop_id)))
            tx.set_shortlist_size(workshop_id, value)
            return f"shortlist size: {value}"

        return self._edit_setup(key, workshop_id, edit)

    def set_ranking_options(self, key: str, workshop_id: int, options: RankingOptions) -> Workshop:
        """Store how the workshop's scoring rounds are ranked: the method, mean
        or median, and whether each stakeholder group counts equally.  The
        Results page opens with these, and the Agree page, the projector,
        participants' results and every export rank with them.  Facilitator
        only; allowed at any time (it changes no answer, only how answers are
        combined), and recorded in the audit log."""
        ranking = workshop_ranking(options)
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            if ranking.balance_groups and not tx.groups(workshop_id):
                raise InvalidInput("This workshop has no stakeholder groups, so none can be made to count equally.")
            tx.set_ranking(workshop_id, ranking)
            balanced = ", each stakeholder group counting equally" if ranking.balance_groups else ""
            detail = f"{ranking.method.label} of the room's {ranking.aggregation.value} scores{balanced}"
            tx.audit(workshop_id, now, FACILITATOR, "ranking method set", detail)
            return self._load(tx, workshop_id)

    def set_robustness_options(self, key: str, workshop_id: int, options: RobustnessOptions) -> Workshop:
        """Store the workshop's robustness settings: where SMAA's weight vectors
        come from, how many, the seed and the concentration; the bootstrap's
        resamples and seed.  The Results page shows them and every export uses
        them, so the board paper states the figures the room saw.  Facilitator
        only, allowed at any time, bounded (``workshop_robustness``) and
        recorded in the audit log."""
        robustness = workshop_robustness(options)
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            tx.set_robustness(workshop_id, robustness)
            tx.audit(workshop_id, now, FACILITATOR, "robustness settings set", robustness_text(robustness))
            return self._load(tx, workshop_id)

    def set_weights(
        self, key: str, workshop_id: int, weights: Sequence[CriterionWeight], method: WeightMethod | str
    ) -> Workshop:
        """Set some or all criteria's weights and record how they were set."""
        how = _parse_enum(WeightMethod, method, "weighting method")
        given = [(w.criterion_id, finite_number(w.weight, "weight")) for w in weights]
        if any(value < 0 for _, value in given):
            raise InvalidInput("Weights must not be negative.")
        if len({cid for cid, _ in given}) != len(given):
            raise InvalidInput("A criterion was given two weights.")

        def edit(tx: Transaction) -> str:
            criteria = {c.id: c for c in tx.criteria(workshop_id)}
            unknown = [cid for cid, _ in given if cid not in criteria]
            if unknown:
                raise InvalidInput("That criterion is not part of this workshop.")
            for cid, value in given:
                criterion_weight(value, criteria[cid].name)
            final = {cid: c.weight for cid, c in criteria.items()} | dict(given)
            if sum(final.values()) <= 0:
                raise InvalidInput("At least one criterion needs a weight above zero.")
            tx.set_weights(given)
            tx.set_weight_method(workshop_id, how)
            return f"weights ({how.value}): " + ", ".join(f"{criteria[cid].name} {w:g}" for cid, w in given)

        return self._edit_setup(key, workshop_id, edit)

    def adopt_room_weights(self, key: str, round_id: int) -> Workshop:
        """Make a closed weighting round's room weights the criteria's weights
        (method "participants").  Allowed after setup is locked: the weights
        change no answer, only how answers are combined; the audit log
        records it."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            rnd = self._round(tx, round_id)
            if rnd.kind is not RoundKind.WEIGHTING:
                raise InvalidInput(f"{rnd.short_label} is not a weighting round.")
            if rnd.state not in (RoundState.CLOSED, RoundState.REVEALED):
                raise InvalidInput(f"Close {rnd.short_label} before adopting its weights.")
            result = self._results(tx, rnd, RankingOptions())
            assert isinstance(result, WeightingResults)
            room = result.room
            tx.set_weights((c.id, float(w)) for c, w in zip(room.criteria, room.weights, strict=True))
            tx.set_weight_method(workshop_id, WeightMethod.PARTICIPANTS)
            detail = ", ".join(f"{c.name} {w:.3f}" for c, w in zip(room.criteria, room.weights, strict=True))
            tx.audit(workshop_id, now, FACILITATOR, "weights adopted", f"from {rnd.label}: {detail}")
            return self._load(tx, workshop_id)

    @staticmethod
    def _apply_import(what: str, parsed: Parsed[T], apply: Callable[[tuple[T, ...]], Workshop]) -> ImportResult:
        """Store the parsed list if it has no errors; report every error either way."""
        errors = parsed.errors
        if parsed.ok:
            try:
                apply(parsed.items)
            except SetupLocked:
                raise
            except InvalidInput as exc:
                errors = tuple(RowError(None, p) for p in exc.problems or (exc.message,))
        return ImportResult(what, len(parsed.items), errors, applied=not errors, notes=() if errors else parsed.notes)

    def import_priorities(self, key: str, workshop_id: int, data: bytes, filename: str = "") -> ImportResult:
        """Replace the priorities from a CSV or XLSX file.  Returns every row
        error; nothing changes unless the file has none."""
        self._check_importable(key, workshop_id)
        parsed = parse_priorities(data, filename)
        return self._apply_import("priorities", parsed, lambda items: self.set_priorities(key, workshop_id, items))

    def import_criteria(self, key: str, workshop_id: int, data: bytes, filename: str = "") -> ImportResult:
        self._check_importable(key, workshop_id)
        parsed = parse_criteria(data, filename)
        return self._apply_import("criteria", parsed, lambda items: self.set_criteria(key, workshop_id, items))

    def _check_importable(self, key: str, workshop_id: int) -> None:
        """Refuse a wrong key or a locked setup before reading the file."""
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            if tx.setup_locked(workshop_id):
                raise SetupLocked(SETUP_LOCKED)

    # ================================================================== rounds

    @staticmethod
    def _round_priorities(
        kind: RoundKind, requested: Sequence[int], allowed: Sequence[Priority], pick_count: int | None, where: str
    ) -> tuple[int, ...]:
        """The requested priority ids, checked, in the workshop's order."""
        if kind is RoundKind.WEIGHTING:
            if requested or pick_count is not None:
                raise InvalidInput("A weighting round is about the criteria: it takes no priorities.")
            return ()
        ids = list(requested)
        if len(set(ids)) != len(ids):
            raise InvalidInput("A priority was chosen twice.")
        positions = {p.id: n for n, p in enumerate(allowed)}
        if any(pid not in positions for pid in ids):
            raise InvalidInput(f"A chosen priority is not in {where}.")
        minimum = 2 if kind is RoundKind.RANKING else 1
        if len(ids) < minimum:
            raise InvalidInput(f"Choose at least {minimum} priorities for a {kind.value} round.")
        if pick_count is not None:
            if kind is not RoundKind.RANKING:
                raise InvalidInput("Only a ranking round picks a top N.")
            n = whole_number(pick_count, "number to pick")
            if not 1 <= n <= len(ids):
                raise InvalidInput(f"The number to pick must be between 1 and {len(ids)}.")
        return tuple(sorted(ids, key=positions.__getitem__))

    def add_round(
        self,
        key: str,
        workshop_id: int,
        kind: RoundKind | str,
        title: str,
        priority_ids: Sequence[int] = (),
        pick_count: int | None = None,
    ) -> Round:
        """A new draft round at the end.  Ranking rounds order all their
        priorities, or pick the top ``pick_count``."""
        round_kind = _parse_enum(RoundKind, kind, "round kind")
        title = _short_text(title, "round title")
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            ids = self._round_priorities(
                round_kind, priority_ids, tx.priorities(workshop_id), pick_count, "this workshop"
            )
            round_id = tx.insert_round(workshop_id, title, round_kind, ids, pick_count, now)
            rnd = self._round(tx, round_id)
            tx.audit(workshop_id, now, FACILITATOR, "round added", f"{rnd.label} ({round_kind.value})")
            return rnd

    def create_followup_round(
        self,
        key: str,
        from_round_id: int,
        priority_ids: Sequence[int],
        kind: RoundKind | str | None = None,
        title: str | None = None,
        pick_count: int | None = None,
    ) -> Round:
        """A draft round on a subset of a finished round's priorities (the
        shortlist for round 2).  Kind defaults to the earlier round's."""
        workshop_id = self._round_workshop(from_round_id)
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            source = self._round(tx, from_round_id)
            if source.kind is RoundKind.WEIGHTING:
                raise InvalidInput("A follow-up round takes its priorities from a scoring or ranking round.")
            if source.state not in (RoundState.CLOSED, RoundState.REVEALED):
                raise InvalidInput(f"Close {source.short_label} before starting a follow-up round.")
            round_kind = source.kind if kind is None else _parse_enum(RoundKind, kind, "round kind")
            allowed = [p for p in tx.priorities(workshop_id) if p.id in source.priority_ids]
            ids = self._round_priorities(round_kind, priority_ids, allowed, pick_count, source.short_label)
            text = _short_text(title, "round title") if title else f"Shortlist of {len(ids)} from round {source.number}"
            round_id = tx.insert_round(workshop_id, text, round_kind, ids, pick_count, now)
            rnd = self._round(tx, round_id)
            tx.audit(
                workshop_id, now, FACILITATOR, "round added", f"{rnd.label} ({round_kind.value}), from {source.label}"
            )
            return rnd

    def _transition(self, key: str, round_id: int, action: str) -> Round:
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            rnd = self._round(tx, round_id)
            to, audit_action = self._check_transition(tx, rnd, action)
            if to is RoundState.OPEN:
                tx.lock_setup(workshop_id, now)
            tx.set_round_state(round_id, to, now)
            tx.audit(workshop_id, now, FACILITATOR, audit_action, rnd.label)
            return self._round(tx, round_id)

    @staticmethod
    def _check_transition(tx: Transaction, rnd: Round, action: str) -> tuple[RoundState, str]:
        """The state ``action`` leads to and its audit action, or a refusal.

        open: draft → open; close: open → closed; reveal: closed → revealed;
        reopen: closed or revealed → open.  Only one round is open at a time.
        """
        state, label = rnd.state, rnd.short_label
        refusal = {
            ("open", RoundState.OPEN): f"{label} is already open.",
            ("open", RoundState.CLOSED): f"{label} has already run; reopen it instead.",
            ("open", RoundState.REVEALED): f"{label} has already run; reopen it instead.",
            ("close", RoundState.DRAFT): f"{label} is not open.",
            ("close", RoundState.CLOSED): f"{label} is not open.",
            ("close", RoundState.REVEALED): f"{label} is not open.",
            ("reveal", RoundState.DRAFT): f"{label} has not run yet.",
            ("reveal", RoundState.OPEN): f"Close {label} before revealing its results.",
            ("reveal", RoundState.REVEALED): f"{label}'s results are already revealed.",
            ("reopen", RoundState.DRAFT): f"{label} has not run yet; open it instead.",
            ("reopen", RoundState.OPEN): f"{label} is already open.",
        }.get((action, state))
        if refusal:
            raise InvalidInput(refusal)
        if action == "close":
            return RoundState.CLOSED, "round closed"
        if action == "reveal":
            return RoundState.REVEALED, "round revealed"
        others = [r for r in tx.rounds(rnd.workshop_id) if r.state is RoundState.OPEN]
        if others:
            raise InvalidInput(f"{others[0].short_label} is still open; close it first.")
        if not tx.criteria(rnd.workshop_id):
            raise InvalidInput("Add criteria before opening a round.")
        minimum = {RoundKind.WEIGHTING: 0, RoundKind.SCORING: 1, RoundKind.RANKING: 2}[rnd.kind]
        if len(rnd.priority_ids) < minimum:
            raise InvalidInput(f"{label} has too few priorities to open.")
        if action == "open":
            return RoundState.OPEN, "round opened"
        return RoundState.OPEN, "round reopened after reveal" if state is RoundState.REVEALED else "round reopened"

    def open_round(self, key: str, round_id: int) -> Round:
        """draft → open.  The first opening locks the setup for good."""
        return self._transition(key, round_id, "open")

    def close_round(self, key: str, round_id: int) -> Round:
        return self._transition(key, round_id, "close")

    def reveal_round(self, key: str, round_id: int) -> Round:
        return self._transition(key, round_id, "reveal")

    def reopen_round(self, key: str, round_id: int) -> Round:
        """closed or revealed → open.  A reopened round's results are hidden
        from participants again until the next reveal; the audit log records
        whether it had been revealed."""
        return self._transition(key, round_id, "reopen")

    # ================================================================== participants

    def join(self, code: str, display_name: str | None = None, group: str | None = None) -> Participant:
        """Join a workshop; the returned participant carries the token that
        identifies them from now on (keep it in the browser)."""
        name = _short_text(display_name, "display name", required=False) or None
        now = self._clock()
        with self._store.write() as tx:
            workshop_id = tx.workshop_id(clean_code(code))
            if workshop_id is None:
                raise NotFound(f"No workshop has the code '{code}'. Check the code on the screen.")
            self._bump(tx, workshop_id)
            groups = tx.groups(workshop_id)
            group_id = None
            if groups:
                wanted = str(group or "").strip().casefold()
                if not wanted:
                    raise InvalidInput("Choose your stakeholder group.")
                match = [g for g in groups if g.name.casefold() == wanted]
                if not match:
                    raise InvalidInput(f"'{group}' is not one of this workshop's stakeholder groups.")
                group_id = match[0].id
            elif group:
                raise InvalidInput("This workshop has no stakeholder groups.")
            token = new_participant_token()
            participant_id = tx.insert_participant(workshop_id, hash_token(token), name, group_id, now)
            participant = tx.participant(hash_token(token))
            assert participant is not None
            tx.audit(
                workshop_id,
                now,
                _actor(participant_id),
                "participant joined",
                participant.label + (f" ({participant.group})" if participant.group else ""),
            )
            return replace(participant, token=token)

    def resume(self, token: str) -> Participant:
        """The participant a token names (after a reload or a lost connection)."""
        with self._store.read() as tx:
            return replace(self._participant(tx, token), token=token)

    def heartbeat(self, token: str) -> None:
        """Record that the participant is still here (no change-counter bump)."""
        now = self._clock()
        with self._store.write() as tx:
            tx.touch(self._participant(tx, token).id, now)

    def save_score(
        self, token: str, round_id: int, priority_id: int, criterion_id: int, value: float | None
    ) -> SaveReceipt:
        """Save one cell (idempotent; the last save wins).  ``None`` means
        "don't know".  Any number on the criterion's scale is accepted."""
        return self.save_scores(token, round_id, (ScoreEntry(priority_id, criterion_id, value),))

    def save_scores(self, token: str, round_id: int, entries: Sequence[ScoreEntry]) -> SaveReceipt:
        """Save several cells in one transaction, all or none: each is checked
        as ``save_score`` checks one, and a cell given twice keeps the later
        value.  For a table row edited at once, or cells saved in bulk."""
        given = tuple(entries)
        if not given:
            raise InvalidInput("There are no scores to save.")
        values = [None if e.value is None else finite_number(e.value, "score") for e in given]
        now = self._clock()
        with self._store.write() as tx:
            # Everything but "is the round still open?" is checked before the bump,
            # which on PostgreSQL locks the workshop's row: the lock is then held
            # for the write alone, as every save in the room queues on it.  Safe:
            # answers are taken only while the round is open, and once a round has
            # opened the setup is locked for good, so the round's priorities and
            # the criteria read here cannot change before the write; a refusal is
            # simply ordered before whatever changed the round since.
            participant = self._participant(tx, token)
            rnd = self._participant_round(tx, participant, round_id)
            self._answering(rnd, RoundKind.SCORING)
            covered = set(rnd.priority_ids)
            criteria = {c.id: c for c in tx.criteria(participant.workshop_id)}
            cells: dict[tuple[int, int], Stamped[ScoreRecord]] = {}
            for entry, value in zip(given, values, strict=True):
                if entry.priority_id not in covered:
                    raise InvalidInput(f"That priority is not part of {rnd.short_label}.")
                criterion = criteria.get(entry.criterion_id)
                if criterion is None:
                    raise InvalidInput("That criterion is not part of this workshop.")
                if value is not None and not criterion.accepts(value):
                    raise InvalidInput(
                        f"A score for '{criterion.name}' must be between {criterion.scale_min} and "
                        f"{criterion.scale_max}; {value:g} was not saved."
                    )
                record = ScoreRecord(participant.id, entry.priority_id, entry.criterion_id, value)
                cells[entry.priority_id, entry.criterion_id] = Stamped(record, now)
            version = self._bump(tx, participant.workshop_id)
            if tx.round_state(round_id) is not RoundState.OPEN:
                raise RoundNotOpen("This round is closed; your scores were not changed.")
            tx.upsert_scores(round_id, tuple(cells.values()))
            tx.touch(participant.id, now)
        return SaveReceipt(now, version)

    def save_allocation(self, token: str, round_id: int, points: Sequence[CriterionPoints]) -> SaveReceipt:
        """Save a whole 100-point allocation at once: whole numbers, none
        negative, at least 1 and at most 100 in total (the engine normalises
        each participant's allocation, so 80 points spent count as fully as
        100).  Criteria left out get 0."""
        given = [(p.criterion_id, whole_number(p.points, "number of points")) for p in points]
        if any(n < 0 for _, n in given):
            raise InvalidInput("Points must not be negative.")
        if len({cid for cid, _ in given}) != len(given):
            raise InvalidInput("A criterion was given points twice.")
        total = sum(n for _, n in given)
        if total > ALLOCATION_POINTS:
            raise InvalidInput(f"You have given {total} points; there are only {ALLOCATION_POINTS} to share.")
        if total == 0:
            raise InvalidInput("Give at least one point to a criterion.")
        now = self._clock()
        with self._store.write() as tx:
            participant = self._participant(tx, token)
            version = self._bump(tx, participant.workshop_id)
            rnd = self._participant_round(tx, participant, round_id)
            self._answering(rnd, RoundKind.WEIGHTING)
            criteria = [c.id for c in tx.criteria(participant.workshop_id)]
            if any(cid not in criteria for cid, _ in given):
                raise InvalidInput("That criterion is not part of this workshop.")
            by_id = dict(given)
            allocation = [CriterionPoints(cid, by_id.get(cid, 0)) for cid in criteria]
            tx.save_allocation(round_id, participant.id, allocation, now)
            tx.touch(participant.id, now)
        return SaveReceipt(now, version)

    def save_ranking(self, token: str, round_id: int, priority_ids: Sequence[int]) -> SaveReceipt:
        """Save the participant's ranking (priority ids, best first), replacing
        any earlier one.  It may stop short of the round's full length;
        unranked priorities share the remaining Borda points."""
        ids = list(priority_ids)
        if len(set(ids)) != len(ids):
            raise InvalidInput("A priority appears twice in your ranking.")
        if not ids:
            raise InvalidInput("Rank at least one priority.")
        now = self._clock()
        with self._store.write() as tx:
            participant = self._participant(tx, token)
            version = self._bump(tx, participant.workshop_id)
            rnd = self._participant_round(tx, participant, round_id)
            self._answering(rnd, RoundKind.RANKING)
            if any(pid not in rnd.priority_ids for pid in ids):
                raise InvalidInput(f"A ranked priority is not part of {rnd.short_label}.")
            if len(ids) > rnd.ranking_length:
                raise InvalidInput(f"Pick at most {rnd.ranking_length} priorities.")
            tx.save_ranking(round_id, participant.id, ids, now)
            tx.touch(participant.id, now)
        return SaveReceipt(now, version)

    def my_scores(self, token: str, round_id: int) -> MyScores:
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            self._participant_round(tx, participant, round_id)
            return MyScores(round_id, tx.participant_scores(round_id, participant.id))

    def my_allocation(self, token: str, round_id: int) -> MyAllocation:
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            self._participant_round(tx, participant, round_id)
            return MyAllocation(round_id, tx.participant_allocation(round_id, participant.id))

    def my_ranking(self, token: str, round_id: int) -> MyRanking:
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            self._participant_round(tx, participant, round_id)
            return MyRanking(round_id, tx.participant_ranking(round_id, participant.id))

    # ================================================================== facilitator reads

    def progress(self, key: str, round_id: int) -> Progress:
        """Who has answered how much of the round (everyone who has joined)."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return self._progress(tx, workshop_id, self._round(tx, round_id))

    def room_progress(self, code: str, round_id: int) -> RoomProgress:
        """How far the room has got, as counts only: for the public projector
        view, so no key is needed and no name, group or answer is given."""
        with self._store.read() as tx:
            rnd = self._public_round(tx, code, round_id)
            return RoomProgress.of(self._progress(tx, rnd.workshop_id, rnd))

    def public_results(self, code: str, round_id: int) -> ParticipantView:
        """A revealed round's aggregate result for the projector (no key
        needed, so nobody's individual answers), ranked with the workshop's
        ranking options.  Refused until the facilitator reveals the round,
        checked in the same read as the results are computed."""
        with self._store.read() as tx:
            rnd = self._public_round(tx, code, round_id)
            if rnd.state is not RoundState.REVEALED:
                raise PermissionDenied(NOT_REVEALED)
            return self._room_view(tx, rnd, None)

    @staticmethod
    def _public_round(tx: Transaction, code: str, round_id: int) -> Round:
        workshop_id = tx.workshop_id(clean_code(code))
        if workshop_id is None:
            raise NotFound(f"No workshop has the code '{code}'. Check the code on the screen.")
        rnd = tx.round(round_id)
        if rnd is None or rnd.workshop_id != workshop_id:
            raise NotFound("That round does not exist.")
        return rnd

    @staticmethod
    def _progress(tx: Transaction, workshop_id: int, rnd: Round) -> Progress:
        n_criteria = len(tx.criteria(workshop_id))
        total = {
            RoundKind.SCORING: len(rnd.priority_ids) * n_criteria,
            RoundKind.WEIGHTING: n_criteria,
            RoundKind.RANKING: rnd.ranking_length,
        }[rnd.kind]
        counts = dict(tx.answer_counts(rnd.id, rnd.kind))
        rows = []
        for p in tx.participants(workshop_id):
            answered = counts.get(p.id, 0)
            status = (
                ProgressStatus.NOT_STARTED
                if answered == 0
                else ProgressStatus.DONE
                if answered >= total
                else ProgressStatus.IN_PROGRESS
            )
            rows.append(ParticipantProgress(p.id, p.label, p.group, answered, total, p.last_seen, status))
        return Progress(rnd.id, tuple(rows))

    def results(self, key: str, round_id: int, options: RankingOptions | None = None) -> RoundResults:
        """The round's full results, individual answers included (facilitator
        only, at any time), ranked with ``options`` (the Results page trying
        another method) or by default with the workshop's ranking options."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            rnd = self._round(tx, round_id)
            return self._results(tx, rnd, options)

    def participant_results(self, token: str, round_id: int) -> ParticipantView:
        """A revealed round's aggregate result, ranked with the workshop's
        ranking options, plus the participant's own answers; never anyone
        else's."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd = self._participant_round(tx, participant, round_id)
            if rnd.state is not RoundState.REVEALED:
                raise PermissionDenied(NOT_REVEALED)
            return self._room_view(tx, rnd, participant.id)

    @classmethod
    def _room_view(cls, tx: Transaction, rnd: Round, participant_id: int | None) -> ParticipantView:
        """The room's aggregate result (the workshop's ranking options) with
        one participant's own answers (none when ``participant_id`` is None:
        the projector's view)."""
        full = cls._results(tx, rnd, None)
        if isinstance(full, ScoringResults):
            mine = () if participant_id is None else tx.participant_scores(rnd.id, participant_id)
            return ScoringView(rnd, full.ranking, MyScores(rnd.id, mine))
        if isinstance(full, WeightingResults):
            points = () if participant_id is None else tx.participant_allocation(rnd.id, participant_id)
            return WeightingView(rnd, full.room, MyAllocation(rnd.id, points))
        assert isinstance(full, RankingRoundResults)
        order = () if participant_id is None else tx.participant_ranking(rnd.id, participant_id)
        return RankingView(rnd, full.tally, MyRanking(rnd.id, order))

    @staticmethod
    def _results(tx: Transaction, rnd: Round, options: RankingOptions | None) -> RoundResults:
        """The round's results; scoring rounds ranked with ``options``, or the workshop's own when None."""
        workshop_id = rnd.workshop_id

        def answered(participant_ids: set[int]) -> list[Participant]:
            found = [p for p in tx.participants(workshop_id) if p.id in participant_ids]
            if not found:
                raise NoResultsYet(f"Nobody has answered {rnd.short_label} yet.")
            return found

        priorities = [p for p in tx.priorities(workshop_id) if p.id in rnd.priority_ids]
        try:
            if rnd.kind is RoundKind.SCORING:
                table = tx.score_table(rnd.id)
                participants = answered(set(table.participant_ids.tolist()))
                ranking = options or tx.ranking(workshop_id) or RankingOptions()
                return scoring_results(rnd, priorities, tx.criteria(workshop_id), participants, table, ranking)
            if rnd.kind is RoundKind.WEIGHTING:
                allocations = tx.allocations(rnd.id)
                participants = answered({r.participant_id for r in allocations})
                return weighting_results(rnd, tx.criteria(workshop_id), participants, allocations)
            rankings = tx.rankings(rnd.id)
            return ranking_results(rnd, priorities, answered({r.participant_id for r in rankings}), rankings)
        except RankingInputError as exc:
            raise InvalidInput(f"The results cannot be computed: {exc}.") from None

    # ================================================================== decision and audit

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
            workshop_id = tx.workshop_id(clean_code(code))
            if workshop_id is None:
                raise NotFound(f"No workshop has the code '{code}'. Check the code on the screen.")
            return tx.latest_decision(workshop_id)

    def audit_log(self, key: str, workshop_id: int) -> tuple[AuditEntry, ...]:
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return tx.audit_entries(workshop_id)
