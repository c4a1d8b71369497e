"""Slowing down wrong facilitator keys, before the key is checked.

The service asks ``KeyThrottle.admit`` for a turn before it checks a key
(the check is a PBKDF2 derivation, ≈5 ms of CPU), and calls the turn's
``refuse`` each time the key turns out to be wrong.  The rule:

* a workshop's first ``FREE_FAILURES`` wrong keys are checked at once (a
  facilitator mistyping their key), and at most that many checks run
  unthrottled at the same moment, counting the ones in flight: twenty wrong
  keys sent at once do not all get past a count that is still zero;
* after that every check for the workshop waits its turn in single file and
  is spaced from the one before by a delay that doubles with each recent
  wrong key, from ``BASE_DELAY`` up to ``MAX_DELAY`` seconds.  So however
  many sessions guess at once, a workshop gets at most one key check per
  delay per process; the checks themselves are slowed, not only the answers;
* a wait in the queue is bounded by ``MAX_WAIT`` seconds; a key that cannot
  get a turn by then is refused with ``BUSY`` without being checked;
* the count is forgotten ``FORGET_AFTER`` seconds after the last wrong key.
  It is not reset by the right key: the facilitator's own screen checks the
  key every few seconds, which would otherwise wipe a guesser's count.

The trade-off, and why: nothing tells the right key from a wrong one before
the check, so while a workshop is being guessed at (more than
``FREE_FAILURES`` wrong keys in the last quarter of an hour) the right key
waits in the same queue: at most ``MAX_WAIT`` seconds, and only the delay
since the last check (``MAX_DELAY`` at most) once the guessing stops.  With no
recent wrong keys the right key is checked at once, as before.  Answering the
right key at once even mid-attack would need a check that runs before the
throttle, and any such check is one a guesser can time: it would give them
unthrottled guesses.  The facilitator's screen keeps working through an
attack, slower; an attacker cannot lock them out for longer than they keep
guessing, and gets one guess per delay for their trouble.

Why delay rather than lock a workshop out: the facilitator's live panel
re-checks the key on every refresh, so a lockout keyed by workshop would let
anyone in the room (who knows the join code, which is on the projector) lock
the facilitator out mid-workshop by typing wrong keys.  A lockout keyed by
client would need an identity the service does not have: behind a load
balancer every request comes from the proxy, a whole room shares the
venue's one public address, and Streamlit sessions cost nothing to open.

Several app servers each keep their own counts (in memory; nothing is
shared), so N servers allow N times the rate.  That is acceptable: the key
has 100 bits (``workshop.security``), so even a thousand servers at one
guess every ``MAX_DELAY`` seconds each would need about 10^20 years to try
half the keys.  The throttle does not make guessing hopeless (the key's
length does); it keeps a guesser visibly slow and bounds the key-hashing
work that wrong keys can make the server do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

FREE_FAILURES = 5
BASE_DELAY = 0.25  # seconds: the spacing of checks after the first wrong key beyond the free ones
MAX_DELAY = 4.0
MAX_WAIT = 12.0  # seconds a key waits for its turn before it is refused unchecked
FORGET_AFTER = 15 * 60.0  # seconds after the last wrong key
MAX_TRACKED = 10_000  # workshops with recent wrong keys kept in memory before stale ones are dropped
BUSY = "Many wrong keys have been tried for this workshop just now. Wait a few seconds and try again."


class ThrottleBusy(Exception):
    """No turn for a key check within ``MAX_WAIT``; the key was not checked."""


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0
    in_flight: int = 0  # checks running now without a turn in the queue
    next_check: float = 0.0  # (clock) when the next queued check may run
    queue: threading.Lock = field(default_factory=threading.Lock)  # throttled checks wait their turn on this


class Turn:
    """One key check's turn (``KeyThrottle.admit``)."""

    def __init__(self, throttle: KeyThrottle, record: _Record, queued: bool) -> None:
        self._throttle, self._record, self._queued = throttle, record, queued

    def refuse(self) -> None:
        """The key was wrong: count it (never call it for the right key)."""
        self._throttle._count(self._record, self._queued)


class KeyThrottle:
    """Per-workshop count of recent wrong keys, and the turn each key check waits for.

    ``clock`` (monotonic seconds) and ``sleep`` are injectable for tests;
    ``max_wait`` is real time (a lock's timeout)."""

    def __init__(
        self,
        free_failures: int = FREE_FAILURES,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        forget_after: float = FORGET_AFTER,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self._free = free_failures
        self._base = base_delay
        self._max = max_delay
        self._forget_after = forget_after
        self._clock = clock
        self._sleep = sleep
        self._max_wait = max_wait
        self._records: dict[int, _Record] = {}
        self._lock = threading.Lock()

    def delay_for(self, failures: int) -> float:
        """The spacing of key checks after ``failures`` recent wrong keys."""
        over = failures - self._free
        if over <= 0:
            return 0.0
        return min(self._max, self._base * 2 ** min(over - 1, 30))

    def failures(self, workshop_id: int) -> int:
        """Recent wrong keys for the workshop (0 once forgotten)."""
        with self._lock:
            record = self._record(workshop_id, self._clock(), create=False)
            return 0 if record is None else record.failures

    @contextmanager
    def admit(self, workshop_id: int) -> Iterator[Turn]:
        """A turn to check a key for the workshop: at once while it has few
        recent wrong keys (counting the checks in flight), else in single file
        after the delay.  Call ``Turn.refuse`` when the key was wrong.  Raises
        ``ThrottleBusy`` when no turn comes within ``max_wait``."""
        with self._lock:
            record = self._record(workshop_id, self._clock(), create=True)
            assert record is not None
            free = record.failures + record.in_flight < self._free
            if free:
                record.in_flight += 1
        if free:
            try:
                yield Turn(self, record, queued=False)
            finally:
                with self._lock:
                    record.in_flight -= 1
            return
        if not record.queue.acquire(timeout=self._max_wait):
            raise ThrottleBusy(BUSY)
        try:
            wait = record.next_check - self._clock()
            if wait > 0:
                self._sleep(wait)
            yield Turn(self, record, queued=True)
        finally:
            record.queue.release()

    def _count(self, record: _Record, queued: bool) -> None:
        """Count a wrong key and space the next queued check after it.  The
        free checks still in flight are counted as if wrong (they are, in a
        burst of guesses), so a burst gets at most one check more than the
        free ones before the first wait."""
        with self._lock:
            now = self._clock()
            if record.failures and now - record.last_failure > self._forget_after:
                record.failures = 0
            record.failures += 1
            record.last_failure = now
            others = record.in_flight - (0 if queued else 1)
            record.next_check = max(record.next_check, now + self.delay_for(record.failures + others + 1))

    def _record(self, workshop_id: int, now: float, create: bool) -> _Record | None:
        """The workshop's record, its count forgotten after a quiet spell (call holding ``_lock``)."""
        record = self._records.get(workshop_id)
        if record is not None and record.failures and now - record.last_failure > self._forget_after:
            record.failures = 0
        if record is None and create:
            if len(self._records) >= MAX_TRACKED:
                self._drop_stale(now)
            record = self._records[workshop_id] = _Record()
        return record

    def _drop_stale(self, now: float) -> None:
        stale = [
            w
            for w, r in self._records.items()
            if not r.in_flight and not r.queue.locked() and now - r.last_failure > self._forget_after
        ]
        for workshop_id in stale:
            del self._records[workshop_id]
