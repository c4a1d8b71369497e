"""A demonstration consultation: the sample workshop with a young people's consultation that ran for two weeks
and closed yesterday, answered by a simulated crowd, each respondent on a balanced share of the list.

The facilitator's steps go through the service, on a clock set back two
weeks (``_Calendar``): the workshop is created, a scoring round on all 32
priorities is made a consultation for the young people's group with a
balanced share of ``per_person`` priorities each, and it is opened until
yesterday, so it is closed now by its closing time (``Round.as_of``), as a
real one would be.  The respondents arrive over the fortnight and are written
in bulk, in one transaction: hundreds of joins and saves one by one would take
half a minute on SQLite, whose every commit waits for the disk.  Their shares
follow the service's own rule (``workshop.shares``, the round's seed and each
respondent's number), so the data is what the service would have stored had
they come one at a time; their scores come from ``ranking.simulate`` (the
young people's group leaning to its home theme, as in ``workshop.demo``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from ranking.simulate import simulate_room
from workshop.demo import DEFAULT_SEED, DONT_KNOW, HOME_THEMES, MAX_PARTICIPANTS
from workshop.errors import InvalidInput
from workshop.imports import sample_setup
from workshop.models import RoundKind, ScoreRecord, ShareMode, Stamped, Workshop
from workshop.security import hash_token, new_participant_token
from workshop.service import SYSTEM, WorkshopService
from workshop.shares import balanced_share, share_rng
from workshop.store import Store

DEFAULT_RESPONDENTS = 650
DEFAULT_PER_PERSON = 8
AUDIENCE = "Young people's representatives"
TITLE = "Young people's consultation"
#: How long the demo's consultation ran, and how long ago it closed.
RAN_FOR = timedelta(days=14)
CLOSED_AGO = timedelta(days=1)


@dataclass(frozen=True)
class ConsultationDemo:
    workshop: Workshop
    key: str  # the facilitator key, shown once
    round_id: int
    respondents: int
    per_person: int


class _Calendar:
    """The demo's clock: a fixed time that the demo moves on, a few seconds a step."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _check(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"A consultation demo has {low} to {high} {what}, not {value!r}.")
    return value


def create_consultation_demo(
    store: Store,
    respondents: int = DEFAULT_RESPONDENTS,
    per_person: int = DEFAULT_PER_PERSON,
    seed: int = DEFAULT_SEED,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ConsultationDemo:
    """The sample workshop with a closed young people's consultation answered by ``respondents``
    simulated young people, each on a balanced share of ``per_person`` priorities."""
    n = _check(respondents, 1, MAX_PARTICIPANTS, "respondents")
    setup = sample_setup()
    k = _check(per_person, 1, len(setup.priorities), "priorities per respondent")
    today = clock()
    opened = today - CLOSED_AGO - RAN_FOR
    calendar = _Calendar(opened - timedelta(hours=1))
    service = WorkshopService(store, calendar)
    workshop, key = service.create_workshop(setup)
    ids = tuple(p.id for p in workshop.priorities)
    rid = service.add_round(key, workshop.id, RoundKind.SCORING, TITLE, ids).id
    service.set_consultation(key, rid, audience=[AUDIENCE], share_mode=ShareMode.BALANCED, share_size=k, seed=seed)
    calendar.now = opened
    service.open_round(key, rid, closes_at=today - CLOSED_AGO)
    _answer(store, workshop, rid, n, k, seed, opened)
    return ConsultationDemo(WorkshopService(store, clock).workshop_by_id(workshop.id), key, rid, n, k)


def _answer(store: Store, workshop: Workshop, round_id: int, n: int, k: int, seed: int, opened: datetime) -> None:
    """``n`` respondents joining over the fortnight, each given a balanced share and answering it, in bulk."""
    rng = np.random.default_rng(seed)
    themes = {p.theme for p in workshop.priorities}
    room = simulate_room(
        workshop.priorities,
        workshop.criteria,
        [AUDIENCE],
        n,
        rng,
        dont_know=DONT_KNOW,
        home_themes=[(g, t) for g, t in HOME_THEMES if g == AUDIENCE and t in themes],
    )
    group_id = next(g.id for g in workshop.groups if g.name == AUDIENCE)
    span = (RAN_FOR - timedelta(hours=1)).total_seconds()
    joined = sorted(opened + timedelta(seconds=float(s)) for s in rng.uniform(60, span, n))
    counts = np.zeros(len(workshop.priorities), dtype=np.int64)
    shares = []
    for number in range(1, n + 1):  # the service's rule, in joining order (the workshop is new: numbers from 1)
        picked = balanced_share(counts, k, share_rng(seed, number))
        counts[list(picked)] += 1
        shares.append(picked)
    with store.write() as tx:
        tx.bump_version(workshop.id)
        people = [(hash_token(new_participant_token()), None, group_id, at) for at in joined]
        pids = tx.insert_participants(workshop.id, people)
        given = [(pid, [workshop.priorities[i].id for i in s]) for pid, s in zip(pids, shares, strict=True)]
        tx.insert_shares(round_id, given)
        cells = []
        for pid, at, share, scores in zip(pids, joined, shares, room.scores, strict=True):
            for minute, i in enumerate(share, start=1):
                when = at + timedelta(minutes=minute)
                for criterion, value in zip(workshop.criteria, scores[i], strict=True):
                    answer = None if math.isnan(value) else float(value)
                    cells.append(Stamped(ScoreRecord(pid, workshop.priorities[i].id, criterion.id, answer), when))
        tx.upsert_scores(round_id, cells)
        detail = f"{n} simulated respondents ({AUDIENCE}), {k} priorities each, answered over {RAN_FOR.days} days"
        tx.audit(workshop.id, joined[-1], SYSTEM, "simulated respondents added", detail)
