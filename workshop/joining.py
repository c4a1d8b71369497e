"""Limiting how fast people can join one workshop: a token bucket per workshop, in memory.

The rule: a workshop takes ``BURST`` joins at once, then ``PER_SECOND`` more
each second (the bucket refills continuously up to ``BURST``).  Tuned for
the room this is built for: 600 people arriving over a couple of minutes is
never refused (any arrival in which no T seconds see more than 200 + 10·T
joins fits: 600 spread evenly over 45 seconds, or 200 at once and the rest
over 40 seconds), while a script joining without limit is held to
10 a second (3,000 joins take five minutes, not six seconds).  A refused
join is told to try again in a few seconds and changes nothing.  A room the
system itself creates (``workshop.demo``'s simulated participants) is
announced first (``JoinLimiter.expect``, through the facilitator-only
``WorkshopService.expect_joins``): those joins are let through on top of the
bucket, and real joins keep the same limit.  Like the
key throttle (``workshop.throttle``) each app server keeps its own buckets,
so N servers allow N times the rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from workshop.errors import WorkshopError

#: The largest participant cap a facilitator may set (and an archive may carry).
MAX_PARTICIPANT_CAP = 100_000
BURST = 200
PER_SECOND = 10.0
MAX_TRACKED = 10_000  # workshops with a bucket kept in memory before full ones are dropped


def removal_detail(number: int, label: str, kept: str) -> str:
    """The audit detail of a removal: "Bob (participant 7): answers kept" (the number lets an
    archive without names rewrite it, ``workshop.archive.without_names``)."""
    return f"{label} (participant {number}): {kept}"


TOO_MANY = "Too many people are joining right now. Try again in a few seconds."


class TooManyJoins(WorkshopError):
    """A join refused by the workshop's join rate limit (try again shortly)."""


class JoinLimiter:
    """Per-workshop token buckets; ``clock`` (monotonic seconds) is injectable for tests."""

    def __init__(
        self, burst: int = BURST, per_second: float = PER_SECOND, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._burst = float(burst)
        self._rate = per_second
        self._clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # workshop id → (tokens, when counted)
        self._lock = threading.Lock()

    def take(self, workshop_id: int) -> None:
        """Take one join from the workshop's bucket, or raise ``TooManyJoins``."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(workshop_id, (self._burst, now))
            tokens = max(tokens, min(self._burst, tokens + (now - then) * self._rate))  # credit above BURST kept
            if tokens < 1:
                self._buckets[workshop_id] = (tokens, now)
                raise TooManyJoins(TOO_MANY)
            if workshop_id not in self._buckets and len(self._buckets) >= MAX_TRACKED:
                self._drop_full(now)
            self._buckets[workshop_id] = (tokens - 1, now)

    def give_back(self, workshop_id: int) -> None:
        """Return a join that was refused for another reason (wrong group, full workshop)."""
        with self._lock:
            tokens, then = self._buckets.get(workshop_id, (self._burst, self._clock()))
            self._buckets[workshop_id] = (max(tokens, min(self._burst, tokens + 1)), then)

    def expect(self, workshop_id: int, joins: int) -> None:
        """Let ``joins`` more join the workshop at once than its bucket holds now (at most
        ``MAX_PARTICIPANT_CAP`` above ``BURST``): for a room the system itself creates, not a crowd at
        the door.  The credit is spent by the next joins; the bucket then refills at the usual rate."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(workshop_id, (self._burst, now))
            tokens = max(tokens, min(self._burst, tokens + (now - then) * self._rate))
            self._buckets[workshop_id] = (min(tokens + joins, self._burst + MAX_PARTICIPANT_CAP), now)

    def _drop_full(self, now: float) -> None:
        full = [w for w, (t, then) in self._buckets.items() if t + (now - then) * self._rate >= self._burst]
        for workshop_id in full:
            del self._buckets[workshop_id]
