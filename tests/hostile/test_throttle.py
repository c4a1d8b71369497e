"""workshop.throttle: wrong facilitator keys are slowed down, in single file per workshop; the right key never is.

The chosen rule (see workshop/throttle.py for why a delay and not a lockout): a workshop's first
FREE_FAILURES wrong keys are refused at once, then each waits twice as long as the one before, up to
MAX_DELAY; the count is forgotten FORGET_AFTER seconds after the last wrong key.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.workshop.conftest import Made, StepClock, small_setup
from workshop.errors import PermissionDenied
from workshop.service import WRONG_KEY, WorkshopService
from workshop.store import Store
from workshop.throttle import BASE_DELAY, FORGET_AFTER, FREE_FAILURES, MAX_DELAY, KeyThrottle


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def throttled(store: Store, clock: StepClock, fake_time: FakeTime) -> WorkshopService:
    """The service with a throttle on a fake clock that records every wait."""
    return WorkshopService(store, clock, KeyThrottle(clock=fake_time.clock, sleep=fake_time.sleep))


def test_the_waits_grow_after_the_free_tries_and_stop_growing():
    throttle = KeyThrottle()
    waits = [throttle.delay_for(n) for n in range(1, FREE_FAILURES + 8)]
    assert waits[:FREE_FAILURES] == [0.0] * FREE_FAILURES
    assert waits[FREE_FAILURES:] == [BASE_DELAY, 0.5, 1.0, 2.0, MAX_DELAY, MAX_DELAY, MAX_DELAY]


def test_wrong_keys_are_delayed_and_the_right_key_never_is(throttled: WorkshopService, made: Made, fake_time: FakeTime):
    code = made.workshop.code
    for n in range(FREE_FAILURES + 4):
        before = len(fake_time.slept)
        with pytest.raises(PermissionDenied, match=WRONG_KEY):
            throttled.check_key(code, f"WRONG-{n}")
        waited = fake_time.slept[before:]
        assert waited == ([] if n < FREE_FAILURES else [BASE_DELAY * 2 ** (n - FREE_FAILURES)])

    slept = list(fake_time.slept)
    assert throttled.check_key(code, made.key).id == made.id  # the right key: at once, and accepted
    throttled.progress(made.key, made.scoring_round)
    assert fake_time.slept == slept


def test_the_right_key_does_not_wipe_a_guessers_count(throttled: WorkshopService, made: Made, fake_time: FakeTime):
    """The facilitator's screen checks the key every few seconds; that must not reset the count."""
    for n in range(FREE_FAILURES):
        with pytest.raises(PermissionDenied):
            throttled.check_key(made.workshop.code, f"WRONG-{n}")
    throttled.check_key(made.workshop.code, made.key)
    with pytest.raises(PermissionDenied):
        throttled.check_key(made.workshop.code, "WRONG-again")
    assert fake_time.slept == [BASE_DELAY]


def test_the_count_is_per_workshop_and_forgotten_after_a_quiet_spell(
    throttled: WorkshopService, made: Made, fake_time: FakeTime
):
    other, _ = throttled.create_workshop(small_setup("Another"))
    for n in range(FREE_FAILURES + 2):
        with pytest.raises(PermissionDenied):
            throttled.check_key(made.workshop.code, f"WRONG-{n}")
    assert fake_time.slept == [BASE_DELAY, 2 * BASE_DELAY]

    with pytest.raises(PermissionDenied):
        throttled.check_key(other.code, "WRONG")  # another workshop: its own count
    assert len(fake_time.slept) == 2

    fake_time.now += FORGET_AFTER + 1
    with pytest.raises(PermissionDenied):
        throttled.check_key(made.workshop.code, "WRONG-later")
    assert len(fake_time.slept) == 2  # forgotten: free again


def test_every_key_checked_action_counts(throttled: WorkshopService, made: Made, fake_time: FakeTime):
    """Guessing through any facilitator action (not only sign-in) is slowed the same way."""
    calls = [
        lambda k: throttled.progress(k, made.scoring_round),
        lambda k: throttled.results(k, made.scoring_round),
        lambda k: throttled.open_round(k, made.scoring_round),
        lambda k: throttled.audit_log(k, made.id),
        lambda k: throttled.export_archive(k, made.id),
        lambda k: throttled.check_key(made.workshop.code, k),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call("WRONG")
    assert fake_time.slept == [BASE_DELAY]


def test_concurrent_wrong_keys_wait_in_single_file():
    """Many sessions guessing at once get no more guesses per second than one guessing alone."""
    throttle = KeyThrottle(free_failures=0, base_delay=0.15, max_delay=0.15)
    threads = [threading.Thread(target=throttle.refuse, args=(1,)) for _ in range(5)]
    other = threading.Thread(target=throttle.refuse, args=(2,))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    other.start()
    other.join()
    other_done = time.monotonic() - started
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    assert elapsed >= 5 * 0.15 - 0.02  # one after another
    assert other_done < 0.5  # another workshop's wrong key does not queue behind them
    assert throttle.failures(1) == 5 and throttle.failures(2) == 1
