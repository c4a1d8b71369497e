"""Fuzzing every public method of WorkshopService (found by introspection, so a new method is covered
automatically) with hostile arguments: None, huge and negative ints, floats, NaN and infinities, very
long strings, nested lists, bytes, wrong-type objects, and dataclasses (the setup, details, score
entries, decisions) holding any of those in any field.  Only WorkshopError subclasses may escape, and a
refused call changes nothing: the workshop's version and its audit log stay as they were
(workshop.service.boundary does the checking; issue 14, item 7)."""

from __future__ import annotations

import dataclasses
import inspect
import math
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Any, get_args, get_origin, get_type_hints

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.workshop.conftest import StepClock, small_setup
from workshop import schema
from workshop.decision import DecisionDraft, ShortlistEntry
from workshop.errors import InvalidInput, NotFound, WorkshopError
from workshop.models import CriterionPoints, WorkshopDetails
from workshop.service import WorkshopService
from workshop.store import Store
from workshop.throttle import KeyThrottle

METHODS = sorted(
    name for name, member in inspect.getmembers(WorkshopService, inspect.isfunction) if not name.startswith("_")
)


class Hostile:
    """Not any type the service expects."""

    def __repr__(self) -> str:
        return "Hostile()"


HOSTILE: list[object] = [
    None,
    10**400,
    2**63,
    -(2**70),
    -1,
    0,
    2.5,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    True,
    "",
    "x" * 200_001,
    "A" * 5_000,
    "\x00",
    "' OR 1=1 --",
    [[[]]],
    [None],
    (1, "a", None),
    {"a": 1},
    b"\x00\xff" * 10,
    Hostile(),
    object,
]


@dataclasses.dataclass
class Room:
    service: WorkshopService
    store: Store
    workshop_id: int
    code: str
    key: str
    token: str
    round_ids: tuple[int, ...]
    ids: tuple[int, ...]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}")
    service = WorkshopService(store, StepClock(), KeyThrottle(sleep=lambda seconds: None))
    workshop, key = service.create_workshop(small_setup(weighting_round=True))
    ann = service.join(workshop.code, "Ann", "NHS")
    weighting = workshop.rounds[0].id
    service.open_round(key, weighting)
    service.save_allocation(ann.token, weighting, [CriterionPoints(workshop.criteria[0].id, 60)])
    service.close_round(key, weighting)
    ids = tuple(p.id for p in workshop.priorities) + tuple(c.id for c in workshop.criteria)
    yield Room(service, store, workshop.id, workshop.code, key, ann.token, tuple(r.id for r in workshop.rounds), ids)


def plausible(name: str, room: Room) -> list[object]:
    """Values that get past the first checks, so the hostile ones land further in."""
    if name == "key":
        return [room.key, room.key + "x"]
    if name == "token":
        return [room.token]
    if name == "code":
        return [room.code, room.code.lower()]
    if name == "workshop_id":
        return [room.workshop_id, room.workshop_id + 999]
    if name.endswith("round_id"):
        return list(room.round_ids)
    if name.endswith(("_id", "_ids")):
        return list(room.ids)
    return []


def strategy(hint: Any, name: str, room: Room, depth: int = 0) -> st.SearchStrategy[object]:
    hostile = st.sampled_from(HOSTILE)
    known = plausible(name, room)
    options: list[st.SearchStrategy[object]] = [hostile]
    if known:
        options.append(st.sampled_from(known))
    origin = get_origin(hint)
    branches = get_args(hint) if origin in (typing.Union, types.UnionType) else (hint,)
    for branch in branches:
        branch_origin = get_origin(branch) or branch
        if (
            isinstance(branch_origin, type)
            and issubclass(branch_origin, Sequence)
            and branch_origin not in (str, bytes)
        ):
            args = [a for a in get_args(branch) if a is not Ellipsis] or [Any]
            options.append(st.lists(strategy(args[0], name, room, depth + 1), max_size=4))
        elif isinstance(branch, type) and issubclass(branch, Enum):
            options.append(st.sampled_from([*branch, "bogus"]))
        elif isinstance(branch, type) and dataclasses.is_dataclass(branch) and depth < 3:
            options.append(instances(branch, room, depth + 1))
        elif branch in (int, float):
            options.append(st.integers(-3, 12) | st.floats(allow_nan=True, allow_infinity=True))
        elif branch is str:
            options.append(st.text(max_size=30))
    return st.one_of(options)


def instances(cls: type, room: Room, depth: int) -> st.SearchStrategy[object]:
    """Instances of a dataclass with any field hostile: built normally when its own checks allow, else
    forced past them (an in-process caller can hand the service anything)."""
    hints = get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]

    @st.composite
    def build(draw: st.DrawFn) -> object:
        values = {f.name: draw(strategy(hints.get(f.name, Any), f.name, room, depth)) for f in fields}
        try:
            return cls(**values)
        except Exception:
            forced = object.__new__(cls)
            for field_name, value in values.items():
                object.__setattr__(forced, field_name, value)
            return forced

    return build()


def _state(room: Room) -> tuple[int, int]:
    with room.store.engine.connect() as conn:
        version = conn.scalar(select(schema.workshops.c.version).where(schema.workshops.c.id == room.workshop_id))
        audit = conn.scalar(select(func.count()).select_from(schema.audit_log))
    return int(version or 0), int(audit or 0)


def call_strategy(method: Callable[..., Any], room: Room) -> st.SearchStrategy[dict[str, object]]:
    hints = get_type_hints(method)
    parameters = [p for p in inspect.signature(method).parameters.values() if p.name != "self"]
    return st.fixed_dictionaries({p.name: strategy(hints.get(p.name, Any), p.name, room) for p in parameters})


def test_every_public_method_is_fuzzed():
    assert len(METHODS) > 30 and "save_score" in METHODS and "join" in METHODS


@pytest.mark.parametrize("name", METHODS)
def test_hostile_arguments_raise_only_workshop_errors_and_change_nothing(room: Room, name: str):
    method = getattr(room.service, name)

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(arguments=call_strategy(getattr(WorkshopService, name), room))
    def fuzz(arguments: dict[str, object]) -> None:
        before = _state(room)
        try:
            method(**arguments)
        except WorkshopError as error:
            assert error.message
            assert _state(room) == before, f"{name} refused ({error.message}) but changed the workshop"

    fuzz()


def test_the_crashes_the_review_found_are_refused_with_a_message(room: Room):
    """save_score(…, 10**400) was an OverflowError, a number as a rationale an AttributeError and
    WorkshopDetails(date="x") a database StatementError."""
    service, before = room.service, _state(room)
    scoring = room.round_ids[1]
    with pytest.raises(InvalidInput, match="The value must be a number"):
        service.save_score(room.token, scoring, room.ids[0], room.ids[-1], 10**400)  # type: ignore[arg-type]
    draft = DecisionDraft((ShortlistEntry(room.ids[0], 42),), "Chair")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="The rationale must be text"):
        service.record_decision(room.key, room.workshop_id, draft)
    details = WorkshopDetails("Title")
    object.__setattr__(details, "date", "x")
    with pytest.raises(InvalidInput, match="The date must be a date or nothing"):
        service.update_details(room.key, room.workshop_id, details)
    with pytest.raises(NotFound, match="That round does not exist"):
        service.progress(room.key, 2.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="That priority is not part of this workshop"):
        service.save_ranking(room.token, scoring, ["Priority A"])  # type: ignore[list-item]
    assert _state(room) == before
