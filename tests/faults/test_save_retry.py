"""ui.save_retry: transient database errors (``DatabaseOutage``) are retried within a bounded time;
refusals and faults are not.  Which driver errors are transient is the store's business
(tests/workshop/test_database_errors.py)."""

from __future__ import annotations

import pytest

from ui import save_retry
from ui.save_retry import DatabaseUnavailable, is_transient, retrying
from workshop.errors import DatabaseFault, DatabaseOutage, PermissionDenied, RoundNotOpen

LOCKED = DatabaseOutage("database is locked")


class FakeTime:
    """A clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


class Flaky:
    """A save that fails with ``error`` ``failures`` times, then returns "saved"."""

    def __init__(self, error: Exception, failures: int) -> None:
        self.error, self.failures, self.calls = error, failures, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "saved"


@pytest.mark.parametrize(
    "error",
    [
        LOCKED,
        DatabaseOutage("server closed the connection unexpectedly"),
        DatabaseOutage("QueuePool limit of size 10 overflow 20 reached"),
    ],
    ids=["database is locked", "connection lost", "pool exhausted"],
)
def test_a_transient_error_is_retried_until_the_save_lands(error: Exception):
    time = FakeTime()
    save = Flaky(error, failures=3)
    retries: list[int] = []

    result = retrying(save, lambda attempt, _e: retries.append(attempt), clock=time.clock, sleep=time.sleep)

    assert result == "saved" and save.calls == 4
    assert retries == [1, 2, 3]
    assert len(time.pauses) == 3 and all(0 < p <= save_retry.MAX_PAUSE for p in time.pauses)
    assert time.pauses[2] > time.pauses[0] / 2  # the pause grows (with jitter of at most a half)


@pytest.mark.parametrize(
    "error",
    [
        PermissionDenied("That facilitator key is not right for this workshop."),
        RoundNotOpen("This round is closed; your scores were not changed."),
        DatabaseFault("UNIQUE constraint failed"),
        DatabaseFault("no such table: scores"),
        ValueError("a bug"),
    ],
    ids=["refusal", "round closed", "integrity", "sqlite schema fault", "bug"],
)
def test_refusals_and_faults_are_not_retried(error: Exception):
    time = FakeTime()
    save = Flaky(error, failures=1)

    with pytest.raises(type(error)):
        retrying(save, clock=time.clock, sleep=time.sleep)

    assert save.calls == 1 and time.pauses == []
    assert not is_transient(error)


def test_it_gives_up_within_the_time_allowed():
    time = FakeTime()
    save = Flaky(LOCKED, failures=1_000)

    with pytest.raises(DatabaseUnavailable) as info:
        retrying(save, within=10.0, clock=time.clock, sleep=time.sleep)

    assert isinstance(info.value.__cause__, DatabaseOutage)
    assert time.now <= 10.0  # never starts a try after the time allowed
    assert time.now > 10.0 - save_retry.MAX_PAUSE
    assert 6 <= save.calls <= 20


def test_slow_failures_count_against_the_time_allowed():
    """Each try may itself wait (SQLite's busy timeout): the bound is on the clock, not on the tries."""
    time = FakeTime()

    def slow_locked() -> str:
        time.now += 4.0
        raise LOCKED

    with pytest.raises(DatabaseUnavailable):
        retrying(slow_locked, within=10.0, clock=time.clock, sleep=time.sleep)

    assert time.now <= 10.0 + 4.0
