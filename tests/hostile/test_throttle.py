"""workshop.throttle: wrong facilitator keys are slowed down before they are checked, in single file per workshop.

The chosen rule (see workshop/throttle.py for why a delay and not a lockout, and the trade-off for the
right key): a workshop's first FREE_FAILURES wrong keys are checked at once, then every check waits its
turn in single file, spaced from the last wrong one by a delay that doubles up to MAX_DELAY; a key longer
than MAX_KEY_INPUT is refused before it is hashed; the count is forgotten FORGET_AFTER seconds after the
last wrong key.  Checks are counted through a stand-in for verify_facilitator_key; no timed asserts.
"""

from __future__ import annotations

import threading

import pytest

from tests.workshop.conftest import Made, StepClock, small_setup
from workshop.errors import PermissionDenied
from workshop.security import MAX_KEY_INPUT, verify_facilitator_key
from workshop.service import WRONG_KEY, WorkshopService, base
from workshop.store import Store
from workshop.throttle import BASE_DELAY, BUSY, FORGET_AFTER, FREE_FAILURES, MAX_DELAY, KeyThrottle


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


def test_wrong_keys_are_delayed_before_they_are_checked(throttled: WorkshopService, made: Made, fake_time: FakeTime):
    code = made.workshop.code
    for n in range(FREE_FAILURES + 4):
        before = len(fake_time.slept)
        with pytest.raises(PermissionDenied, match=WRONG_KEY):
            throttled.check_key(code, f"WRONG-{n}")
        waited = fake_time.slept[before:]
        assert waited == ([] if n < FREE_FAILURES else [BASE_DELAY * 2 ** (n - FREE_FAILURES)])


def test_the_right_key_is_checked_at_once_without_recent_wrong_keys(
    throttled: WorkshopService, made: Made, fake_time: FakeTime
):
    for _ in range(3):
        assert throttled.check_key(made.workshop.code, made.key).id == made.id
        throttled.progress(made.key, made.scoring_round)
    assert fake_time.slept == []


def test_the_right_key_after_wrong_ones_waits_at_most_the_last_delay_and_succeeds(
    throttled: WorkshopService, made: Made, fake_time: FakeTime
):
    """The trade-off (workshop/throttle.py): mid-attack the right key queues like any key, for at most the
    delay since the last wrong check; its own checks add no delay, so the facilitator's next calls run at once."""
    for n in range(FREE_FAILURES + 4):
        with pytest.raises(PermissionDenied):
            throttled.check_key(made.workshop.code, f"WRONG-{n}")
    slept = len(fake_time.slept)
    assert throttled.check_key(made.workshop.code, made.key).id == made.id
    assert fake_time.slept[slept:] == [MAX_DELAY]
    throttled.progress(made.key, made.scoring_round)
    assert len(fake_time.slept) == slept + 1  # the right key's checks space nothing
    assert throttled._throttle.failures(made.id) == FREE_FAILURES + 4  # and reset nothing


def test_the_right_key_does_not_wipe_a_guessers_count(throttled: WorkshopService, made: Made, fake_time: FakeTime):
    """The facilitator's screen checks the key every few seconds; that must not reset the count."""
    for n in range(FREE_FAILURES):
        with pytest.raises(PermissionDenied):
            throttled.check_key(made.workshop.code, f"WRONG-{n}")
    throttled.check_key(made.workshop.code, made.key)  # waits the delay the fifth wrong key set
    with pytest.raises(PermissionDenied):
        throttled.check_key(made.workshop.code, "WRONG-again")  # the sixth: queued, spaced after the fifth
    assert throttled._throttle.failures(made.id) == FREE_FAILURES + 1
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


class CountedChecks:
    """The service's key check, counted: when (on the fake clock) each check ran, and how many ran at once."""

    def __init__(self, fake_time: FakeTime, gate: threading.Event | None = None) -> None:
        self.fake_time = fake_time
        self.gate = gate
        self.at: list[float] = []
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, key: str, stored: str) -> bool:
        with self.lock:
            self.at.append(self.fake_time.clock())
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        if self.gate is not None:
            self.gate.wait(10)  # hold the free checks in flight while the others arrive
        with self.lock:
            self.running -= 1
        return verify_facilitator_key(key, stored)


class ThreadSafeFakeTime(FakeTime):
    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            self.now += seconds


def guess_in_parallel(service: WorkshopService, code: str, keys: list[str]) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = [None] * len(keys)

    def guess(n: int) -> None:
        try:
            service.check_key(code, keys[n])
        except BaseException as error:
            outcomes[n] = error

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_parallel_wrong_keys_are_checked_in_single_file_and_spaced(
    store: Store, clock: StepClock, monkeypatch: pytest.MonkeyPatch
):
    """20 wrong keys at once: at most FREE_FAILURES + 1 checks before the first wait (the free ones, held in
    flight here so the others arrive while the count is still zero), then one check per delay at most."""
    fake = ThreadSafeFakeTime()
    gate = threading.Event()
    checks = CountedChecks(fake, gate)
    monkeypatch.setattr(base, "verify_facilitator_key", checks)
    service = WorkshopService(store, clock, KeyThrottle(clock=fake.clock, sleep=fake.sleep))
    workshop, _ = service.create_workshop(small_setup())

    n = 20
    released = threading.Timer(0.3, gate.set)  # not a timed assert: the gate only lets the held checks finish
    released.start()
    outcomes = guess_in_parallel(service, workshop.code, [f"WRONG-{i}" for i in range(n)])
    released.cancel()

    assert all(isinstance(o, PermissionDenied) and o.message == WRONG_KEY for o in outcomes)
    assert len(checks.at) == n
    times = sorted(checks.at)
    unspaced = [t for t in times if t == times[0]]
    assert len(unspaced) <= FREE_FAILURES + 1
    gaps = [b - a for a, b in zip(times[len(unspaced) - 1 :], times[len(unspaced) :], strict=False)]
    assert all(gap >= BASE_DELAY for gap in gaps)
    assert checks.most_at_once <= FREE_FAILURES + 1
    assert service._throttle.failures(workshop.id) == n


def test_a_right_key_among_parallel_wrong_ones_still_succeeds(store: Store, clock: StepClock):
    fake = ThreadSafeFakeTime()
    service = WorkshopService(store, clock, KeyThrottle(clock=fake.clock, sleep=fake.sleep))
    workshop, key = service.create_workshop(small_setup())
    keys = [f"WRONG-{i}" for i in range(12)] + [key] + [f"WRONG-{i}" for i in range(12, 20)]
    outcomes = guess_in_parallel(service, workshop.code, keys)
    assert outcomes[12] is None
    assert all(isinstance(o, PermissionDenied) for n, o in enumerate(outcomes) if n != 12)


def test_a_key_that_gets_no_turn_in_time_is_refused_unchecked(
    store: Store, clock: StepClock, monkeypatch: pytest.MonkeyPatch
):
    checks = CountedChecks(FakeTime())
    monkeypatch.setattr(base, "verify_facilitator_key", checks)
    throttle = KeyThrottle(free_failures=0, max_wait=0.01)
    service = WorkshopService(store, clock, throttle)
    workshop, key = service.create_workshop(small_setup())
    with throttle.admit(workshop.id):  # another check holds the workshop's turn
        done = threading.Event()
        outcome: list[BaseException] = []

        def sign_in() -> None:
            try:
                service.check_key(workshop.code, key)
            except PermissionDenied as error:
                outcome.append(error)
            done.set()

        threading.Thread(target=sign_in).start()
        assert done.wait(10)
    assert outcome and outcome[0].message == BUSY
    assert checks.at == []


@pytest.mark.parametrize("key", ["A" * 5_000_000, "A" * (MAX_KEY_INPUT + 1)])
def test_an_over_long_key_is_refused_without_hashing(
    service: WorkshopService, made: Made, monkeypatch: pytest.MonkeyPatch, key: str
):
    checks = CountedChecks(FakeTime())
    monkeypatch.setattr(base, "verify_facilitator_key", checks)
    with pytest.raises(PermissionDenied) as refused:
        service.check_key(made.workshop.code, key)
    assert refused.value.message == WRONG_KEY  # the same message: no hint about the length
    assert checks.at == []
    padded = "  " + made.key.lower().replace("-", " - ") + "  "
    assert len(padded) <= MAX_KEY_INPUT
    assert service.check_key(made.workshop.code, padded).id == made.id  # a generously typed key still fits
