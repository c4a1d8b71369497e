"""What every part of the workshop service shares: the store, the clock, key checks and transaction helpers."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self, TypeVar

from workshop.config import Settings
from workshop.errors import InvalidInput, NotFound, PermissionDenied, RoundNotOpen, SetupLocked, one_of
from workshop.joining import JoinLimiter
from workshop.memo import Memo
from workshop.models import (
    MAX_NAME_LENGTH,
    Criterion,
    Participant,
    Round,
    RoundKind,
    RoundState,
    WeightMethod,
    Workshop,
    deadline_words,
    plain_text,
)
from workshop.security import MAX_KEY_INPUT, MAX_TOKEN_INPUT, clean_code, hash_token, verify_facilitator_key
from workshop.service.boundary import STALE_TOKEN, WRONG_KEY, checked
from workshop.store import Store, Transaction
from workshop.throttle import BUSY, KeyThrottle, ThrottleBusy

if TYPE_CHECKING:
    from workshop.said import Said

FACILITATOR = "facilitator"
SYSTEM = "system"
NOT_REVEALED = "Results will appear when the facilitator reveals them."
SETUP_LOCKED = "The setup is locked once a round has opened."
REMOVED = "The facilitator has removed you from this workshop, so this link no longer works."


def closed_at_deadline(closes_at: datetime) -> str:
    """ "This consultation closed at 5 July 2026, 17:00 UTC." """
    return f"This consultation closed at {deadline_words(closes_at)}."


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
Criteria = Mapping[int, Criterion]  # a workshop's criteria by id

NO_WORKSHOP = "That workshop does not exist."
NO_ROUND = "That round does not exist."
OTHER_WORKSHOP_ROUND = "That round belongs to another workshop."


def _found(value: T | None, message: str) -> T:
    """``value``, or ``NotFound(message)`` where the store found nothing."""
    if value is None:
        raise NotFound(message)
    return value


def _parse_enum(cls: type[E], value: object, what: str) -> E:
    return one_of(cls, value, lambda options: InvalidInput(f"The {what} must be one of {options}, not {value!r}."))


class ServiceBase:
    def __init_subclass__(cls, **kwargs: object) -> None:
        """Check the arguments of every public method at the boundary (``workshop.service.boundary``)."""
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                setattr(cls, name, checked(member))

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime] = utc_now,
        throttle: KeyThrottle | None = None,
        joins: JoinLimiter | None = None,
    ) -> None:
        self._store = store.with_clock(clock)  # rounds are read at the service's time (``Round.as_of``)
        self._clock = clock
        self._throttle = throttle or KeyThrottle()  # slows down wrong facilitator keys (workshop.throttle)
        self._joins = joins or JoinLimiter()  # limits how fast a workshop can be joined (workshop.joining)
        self._said_memo: Memo[tuple[Said, ...]] = Memo()  # what consultations said (ResultsMixin._said)
        self._opened_rounds: Memo[tuple[Round, Criteria]] = Memo()  # rounds that have opened (_opened_round)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Self:
        """The service on the configured database, migrated at start-up."""
        return cls(Store.open((settings or Settings.from_env()).database_url))

    # ================================================================== helpers

    def _authorise(self, key: str, workshop_id: int) -> None:
        """Refuse anything but the workshop's key.  A key of the wrong type or
        longer than ``MAX_KEY_INPUT`` is refused before anything else (no
        hashing); every other key waits its turn (``workshop.throttle``) and is
        then checked."""
        if not isinstance(key, str) or len(key) > MAX_KEY_INPUT:
            raise PermissionDenied(WRONG_KEY)
        with self._store.read() as tx:
            stored = _found(tx.key_hash(workshop_id), NO_WORKSHOP)
        try:
            with self._throttle.admit(workshop_id) as turn:
                right = verify_facilitator_key(key, stored)
                if not right:
                    turn.refuse()
        except ThrottleBusy:
            raise PermissionDenied(BUSY) from None
        if not right:
            raise PermissionDenied(WRONG_KEY)

    def _round_workshop(self, round_id: int) -> int:
        with self._store.read() as tx:
            return self._round(tx, round_id).workshop_id

    @staticmethod
    def _bump(tx: Transaction, workshop_id: int) -> int:
        return _found(tx.bump_version(workshop_id), NO_WORKSHOP)

    @staticmethod
    def _round(tx: Transaction, round_id: int) -> Round:
        return _found(tx.round(round_id), NO_ROUND)

    @staticmethod
    def _workshop_id_of(tx: Transaction, code: str) -> int:
        """The id of the workshop with this join code (as a person typed it), or NotFound saying so."""
        return _found(
            tx.workshop_id(clean_code(code)), f"No workshop has the code '{code}'. Check the code on the screen."
        )

    @staticmethod
    def _participant(tx: Transaction, token: str) -> Participant:
        given = isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_INPUT
        participant = _found(tx.participant(hash_token(token)) if given else None, STALE_TOKEN)
        if participant.removed_at is not None:
            raise PermissionDenied(REMOVED)
        return participant

    @staticmethod
    def _participant_round(tx: Transaction, participant: Participant, round_id: int) -> Round:
        rnd = ServiceBase._round(tx, round_id)
        if rnd.workshop_id != participant.workshop_id:
            raise PermissionDenied(OTHER_WORKSHOP_ROUND)
        return rnd

    def _opened_round(self, tx: Transaction, participant: Participant, round_id: int) -> tuple[Round, Criteria]:
        """``_participant_round`` with the workshop's criteria by id, for a participant's saves and their
        own answers: one statement (``round_mark``) instead of five once the round has opened.

        Read from this process's memory on a key of the round's state, closing time and opening time,
        so the state and the deadline (``Round.as_of``) are always as they stand.  Everything else a
        save checks is fixed once a round has opened: its kind, priorities, audience, share and
        ballot; and the criteria's scales, since the setup is locked.  Its feedback settings and the
        criteria's weights may still change, so a caller must not read them from here."""
        def read() -> tuple[Round, Criteria]:
            rnd = self._round(tx, round_id)
            return rnd, {c.id: c for c in tx.criteria(rnd.workshop_id)}

        mark = tx.round_mark(round_id)
        # never a draft's: its priorities and settings may still change
        rnd, criteria = read() if mark is None or mark[2] is None else self._opened_rounds.get((round_id, mark), read)
        if rnd.workshop_id != participant.workshop_id:
            raise PermissionDenied(OTHER_WORKSHOP_ROUND)
        return rnd.as_of(tx.now), criteria

    @staticmethod
    def _answering(rnd: Round, kind: RoundKind, participant: Participant) -> None:
        """Refuse answers of the wrong kind, to a round that is not open, or to a consultation
        for other stakeholder groups than the participant's."""
        if rnd.kind is not kind:
            raise InvalidInput(f"{rnd.short_label} is a {rnd.kind.value} round.")
        if not rnd.open_to(participant.group_id):
            raise PermissionDenied(f"{rnd.short_label} is for other stakeholder groups; your answers were not saved.")
        if rnd.state is RoundState.DRAFT:
            raise RoundNotOpen("This round has not opened yet; your answers were not saved.")
        if rnd.closed_by_deadline and rnd.closes_at is not None:
            raise RoundNotOpen(f"{closed_at_deadline(rnd.closes_at)} Your answers were not saved.")
        if rnd.state is not RoundState.OPEN:
            raise RoundNotOpen("This round is closed; your scores were not changed.")

    @contextmanager
    def _editing_workshop(self, key: str, workshop_id: int) -> Iterator[tuple[Transaction, datetime]]:
        """A facilitator's write to a workshop: the key checked, then a write transaction with the
        workshop's version bumped, and the time."""
        self._authorise(key, workshop_id)
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            yield tx, now

    @contextmanager
    def _editing_round(self, key: str, round_id: int) -> Iterator[tuple[Transaction, Round, datetime]]:
        """A facilitator's write to a round (``_editing_workshop`` for the round's workshop), with the
        round as it is."""
        with self._editing_workshop(key, self._round_workshop(round_id)) as (tx, now):
            yield tx, self._round(tx, round_id), now

    def _edit_setup(self, key: str, workshop_id: int, edit: Callable[[Transaction], str]) -> Workshop:
        """Run ``edit`` (which returns the audit detail) if the setup is not locked."""
        with self._editing_workshop(key, workshop_id) as (tx, now):
            if tx.setup_locked(workshop_id):
                raise SetupLocked(SETUP_LOCKED)
            detail = edit(tx)
            tx.audit(workshop_id, now, FACILITATOR, "setup edited", detail)
            return self._load(tx, workshop_id)

    @staticmethod
    def _load(tx: Transaction, workshop_id: int) -> Workshop:
        return _found(tx.workshop(workshop_id), NO_WORKSHOP)
