"""Slowing down wrong facilitator keys.

The service calls ``KeyThrottle.refuse`` each time a facilitator key turns
out to be wrong, just before it refuses.  The rule:

* the right key is never delayed;
* a workshop's first ``FREE_FAILURES`` wrong keys are refused at once (a
  facilitator mistyping their key);
* after that each wrong key waits before it is refused, twice as long as the
  one before, up to ``MAX_DELAY`` seconds;
* wrong keys for one workshop wait in single file, so a guesser who opens
  many sessions at once gets no more guesses than one who waits its turn:
  at most one wrong key per ``MAX_DELAY`` seconds per workshop per process;
* the count is forgotten ``FORGET_AFTER`` seconds after the last wrong key.
  It is not reset by the right key: the facilitator's own screen checks the
  key every few seconds, which would otherwise wipe a guesser's count.

Why delay wrong keys rather than lock a workshop out: the facilitator's
live panel re-checks the key on every refresh, so a lockout keyed by
workshop would let anyone in the room (who knows the join code, which is on
the projector) lock the facilitator out mid-workshop by typing wrong keys.
A lockout keyed by client would need an identity the service does not have:
behind a load balancer every request comes from the proxy, a whole room
shares the venue's one public address, and Streamlit sessions cost nothing
to open.  Delaying only the wrong answers needs no client identity and
cannot be turned against the facilitator.

Several app servers each keep their own counts (in memory; nothing is
shared), so N servers allow N times the rate.  That is acceptable: the key
has 100 bits (``workshop.security``), so even a thousand servers at one
guess every ``MAX_DELAY`` seconds each would need about 10^20 years to try
half the keys.  The throttle does not make guessing hopeless (the key's
length does); it keeps a guesser visibly slow and bounds the key-hashing
work (≈5 ms of CPU per attempt) that wrong keys can make the server do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_FAILURES = 5
BASE_DELAY = 0.25  # seconds: the wait of the first wrong key after the free ones
MAX_DELAY = 4.0
FORGET_AFTER = 15 * 60.0  # seconds after the last wrong key
MAX_TRACKED = 10_000  # workshops with recent wrong keys kept in memory before stale ones are dropped


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0
    queue: threading.Lock = field(default_factory=threading.Lock)  # wrong keys wait their turn on this


class KeyThrottle:
    """Per-workshop count of recent wrong keys, and the wait each one gets.

    ``clock`` (monotonic seconds) and ``sleep`` are injectable for tests."""

    def __init__(
        self,
        free_failures: int = FREE_FAILURES,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        forget_after: float = FORGET_AFTER,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._free = free_failures
        self._base = base_delay
        self._max = max_delay
        self._forget_after = forget_after
        self._clock = clock
        self._sleep = sleep
        self._records: dict[int, _Record] = {}
        self._lock = threading.Lock()

    def delay_for(self, failures: int) -> float:
        """The wait of the ``failures``-th recent wrong key (1-based)."""
        over = failures - self._free
        if over <= 0:
            return 0.0
        return min(self._max, self._base * 2 ** min(over - 1, 30))

    def failures(self, workshop_id: int) -> int:
        """Recent wrong keys for the workshop (0 once forgotten)."""
        with self._lock:
            record = self._records.get(workshop_id)
            if record is None or self._clock() - record.last_failure > self._forget_after:
                return 0
            return record.failures

    def refuse(self, workshop_id: int) -> float:
        """Count a wrong key for the workshop and wait its turn and its delay;
        return the delay.  Call it just before refusing, never for the right key."""
        with self._lock:
            now = self._clock()
            record = self._records.get(workshop_id)
            if record is None or now - record.last_failure > self._forget_after:
                if len(self._records) >= MAX_TRACKED:
                    self._drop_stale(now)
                record = self._records[workshop_id] = _Record()
            record.failures += 1
            record.last_failure = now
            delay = self.delay_for(record.failures)
        if delay > 0:
            with record.queue:
                self._sleep(delay)
        return delay

    def _drop_stale(self, now: float) -> None:
        for workshop_id in [w for w, r in self._records.items() if now - r.last_failure > self._forget_after]:
            del self._records[workshop_id]
