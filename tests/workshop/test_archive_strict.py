"""An archive is checked as strictly as the service checks the same data:
audit entries as the service writes them, times its clock could have
written, whole numbers the database holds, no NaN or infinity, texts no
longer than the service takes; each refusal is one line naming the item,
and nothing but ArchiveError ever escapes ``loads``."""

from __future__ import annotations

import contextlib
import copy
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workshop.test_archive import FineClock, rich_workshop
from workshop.archive import ArchiveError, dumps, loads
from workshop.archive.model import MAX_DETAIL_LENGTH
from workshop.errors import InvalidInput
from workshop.service import WorkshopService
from workshop.store import Store

WHOLE = "the number is out of range; an archive's whole numbers lie between -2,147,483,647 and 2,147,483,647 "
WHOLE += "(what the database stores)."


@cache
def valid_text(tmp: Path) -> str:
    service = WorkshopService(Store.open(f"sqlite:///{tmp / 'strict.sqlite3'}"), FineClock())
    workshop, key = rich_workshop(service)
    return dumps(service.export_archive(key, workshop.id))


@pytest.fixture(scope="module")
def text(tmp_path_factory: pytest.TempPathFactory) -> str:
    return valid_text(tmp_path_factory.mktemp("strict"))


@pytest.fixture
def document(text: str) -> dict:  # type: ignore[type-arg]
    return json.loads(text)


def refused(text: str) -> str:
    with pytest.raises(ArchiveError) as caught:
        loads(text)
    message = caught.value.message
    assert "\n" not in message
    return message


def at(clock: str) -> str:
    """A time on the rich workshop's day (it runs from 09:00:01)."""
    return f"2011-03-01T{clock}+00:00"


def test_the_rich_workshop_runs_on_the_times_these_tests_assume(document: dict):  # type: ignore[type-arg]
    assert document["workshop"]["created_at"] == at("09:00:01.234567")
    assert document["rounds"][1]["opened_at"] > at("09:00:10") and document["rounds"][1]["closed_at"] < at("09:01")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["audit_log"][0].update(actor="root"),
            "Audit entry 1: the actor must be one of 'facilitator', 'system', 'participant', 'lead', not 'root'.",
        ),
        (lambda d: d["audit_log"][0].update(actor="x" * 41), "Audit entry 1: 'actor' is longer than 40 characters."),
        (
            lambda d: d["audit_log"][1].update(action=" "),
            "Audit entry 2: the action must be one line of text, such as 'round opened'.",
        ),
        (
            lambda d: d["audit_log"][1].update(action="round opened\nand closed"),
            "Audit entry 2: the action must be one line of text, such as 'round opened'.",
        ),
        (lambda d: d["audit_log"][1].update(action="y" * 61), "Audit entry 2: 'action' is longer than 60 characters."),
        (
            lambda d: d["audit_log"][0].update(detail="z" * 20_000_000),
            f"Audit entry 1: 'detail' is longer than {MAX_DETAIL_LENGTH:,} characters.",
        ),
        (lambda d: d["audit_log"][0].update(detail="a\x01b"), "Audit entry 1: 'detail' contains a control character."),
        (lambda d: d["audit_log"][0].update(detail=None), "Audit entry 1: 'detail' must be text, not null."),
        (
            lambda d: d["audit_log"][2].update(participant=2**40),
            f"Audit entry 3: 'participant': {WHOLE}",
        ),
    ],
)
def test_an_audit_entry_the_service_could_not_have_written_is_refused(document: dict, change, message: str):  # type: ignore[type-arg]
    change(document)
    assert refused(json.dumps(document)) == message


def test_an_audit_detail_as_long_as_the_service_writes_is_kept(document: dict):  # type: ignore[type-arg]
    """The longest detail: a decision by a 200-character name shortlisting 200 priorities of 200 characters."""
    longest = "by " + "n" * 200 + ": " + "; ".join("p" * 200 for _ in range(200))
    assert len(longest) == MAX_DETAIL_LENGTH
    document["audit_log"][0]["detail"] = longest
    assert loads(json.dumps(document)).audit_log[0].detail == longest


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["participants"][0].update(joined_at="9999-12-31T23:59:59-05:00"),
            "Participant 1: 'joined_at' is in the future: '9999-12-31T23:59:59-05:00'.",
        ),
        (
            lambda d: d["rounds"][1]["scores"][0].__setitem__(4, "9999-12-31T23:59:59+00:00"),
            "Round 2, score 1: the time is in the future: '9999-12-31T23:59:59+00:00'.",
        ),
        (
            lambda d: d["audit_log"][0].update(at="0001-01-01T00:00:00+05:00"),
            "Audit entry 1: 'at' is before 2000, earlier than any Prioritise workshop: '0001-01-01T00:00:00+05:00'.",
        ),
        (
            lambda d: d.update(exported_at="2010-03-01T12:00:00+00:00"),
            f"The archive's export time (2010-03-01T12:00:00+00:00) is before the workshop was created "
            f"({at('09:00:01.234567')}).",
        ),
        (
            lambda d: d["rounds"][1].update(closed_at=at("09:00:05")),
            lambda d: f"Round 2 was closed ({at('09:00:05')}) before it was opened ({d_opened(d, 2)}).",
        ),
        (
            lambda d: d["rounds"][1].update(opened_at=at("08:00:00")),
            f"Round 2 was opened ({at('08:00:00')}) before it was created ({at('09:00:01.234567')}).",
        ),
        (
            lambda d: d["rounds"][2].update(closed_at=at("12:00:00")),
            lambda d: f"Round 3 was opened ({d_opened(d, 3)}) before it was closed ({at('12:00:00')}).",
        ),
        (
            lambda d: d["rounds"][0].update(state="revealed", revealed_at=at("09:00:02")),
            lambda d: f"Round 1 was revealed ({at('09:00:02')}) before it was closed ({d_closed(d, 1)}).",
        ),
        (
            lambda d: d["rounds"][1]["scores"][0].__setitem__(4, "2010-03-01T08:00:00+00:00"),
            "Round 2, score 1 (participant 1): its time (2010-03-01T08:00:00+00:00) is before the workshop was "
            f"created ({at('09:00:01.234567')}).",
        ),
        (
            lambda d: d["rounds"][1]["scores"][-1].__setitem__(4, at("09:00:02")),
            lambda d: (
                f"Round 2, score 8 (participant 3): its time ({at('09:00:02')}) "
                f"is before they joined ({d_joined(d, 3)})."
            ),
        ),
        (
            lambda d: d["participants"][1].update(last_seen=at("09:00:02")),
            lambda d: f"Participant 2 was last seen ({at('09:00:02')}) before they joined ({d_joined(d, 2)}).",
        ),
        (
            lambda d: d["decisions"][1].update(decided_at=at("09:00:02")),
            lambda d: f"Decision 2 was recorded ({at('09:00:02')}) before round 3 was created ({d_created(d, 3)}).",
        ),
        (
            lambda d: d["audit_log"][2].update(at=at("09:00:02")),
            lambda d: f"Audit entry 3 is dated ({at('09:00:02')}) before participant 1 joined ({d_joined(d, 1)}).",
        ),
    ],
)
def test_a_time_the_service_could_not_have_written_is_refused(document: dict, change, message: str):  # type: ignore[type-arg]
    expected = message(document) if callable(message) else message
    change(document)
    assert refused(json.dumps(document)) == expected


def d_opened(doc: dict, number: int) -> str:  # type: ignore[type-arg]
    return datetime.fromisoformat(doc["rounds"][number - 1]["opened_at"]).isoformat()


def d_closed(doc: dict, number: int) -> str:  # type: ignore[type-arg]
    return datetime.fromisoformat(doc["rounds"][number - 1]["closed_at"]).isoformat()


def d_created(doc: dict, number: int) -> str:  # type: ignore[type-arg]
    return datetime.fromisoformat(doc["rounds"][number - 1]["created_at"]).isoformat()


def d_joined(doc: dict, number: int) -> str:  # type: ignore[type-arg]
    return datetime.fromisoformat(doc["participants"][number - 1]["joined_at"]).isoformat()


def test_times_are_bounded_by_the_importing_clock(text: str):
    """An archive from another server whose clock runs a few hours ahead still imports; a day and more does not."""
    exported = loads(text).exported_at
    assert loads(text, now=exported.replace(hour=exported.hour - 3)).exported_at == exported
    with pytest.raises(ArchiveError, match=r"^The archive: 'exported_at' is in the future: '2011-03-01T"):
        loads(text, now=datetime(2011, 2, 27, tzinfo=UTC))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"scale_min": 1,', f'"scale_min": {10**30},', f"Criterion 1: 'scale_min': {WHOLE}"),
        ('"shortlist_size": 2,', f'"shortlist_size": 1{"0" * 5000},', f"The setup: 'shortlist_size': {WHOLE}"),
        ('"number": 2,', f'"number": -{2**31},', f"Participant 2: 'number': {WHOLE}"),
        ('"seed": 0,', f'"seed": {2**63},', f"The setup: the robustness settings: 'seed': {WHOLE}"),
        (
            '"scale_min": 1,',
            '"scale_min": Infinity,',
            "The archive contains Infinity, which is not a number JSON allows.",
        ),
        ('"weight": 0.85', '"weight": -Infinity', "The archive contains -Infinity, which is not a number JSON allows."),
        (
            '"weight": 0.85',
            '"weight": 1e400',
            "Criterion 1: 'weight': the number is too large to store (it is not finite).",
        ),
        (
            '"Need", 4,',
            '"Need", 1e999,',
            "Round 2, score 1: the value: the number is too large to store (it is not finite).",
        ),
        ('"Need", 4,', '"Need", NaN,', "The archive contains NaN, which is not a number JSON allows."),
    ],
    ids=["1e30", "5000 digits", "-2**31", "2**63", "Infinity", "-Infinity", "1e400", "1e999", "NaN"],
)
def test_a_huge_or_infinite_number_is_refused_by_name(text: str, old: str, new: str, message: str):
    assert old in text
    assert refused(text.replace(old, new, 1)) == message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["setup"].update(description="d" * 5001),
            "The setup: 'description' is longer than 5,000 characters.",
        ),
        (lambda d: d["rounds"][0].update(title="t" * 201), "Round 1: 'title' is longer than 200 characters."),
        (
            lambda d: d["decisions"][0].update(note="n" * 10_000_000),
            "Decision 1: 'note' is longer than 5,000 characters.",
        ),
        (
            lambda d: d["rounds"][1]["scores"][0].__setitem__(1, "p" * 201),
            "Round 2, score 1: the priority is longer than 200 characters.",
        ),
        (
            lambda d: d["participants"][0].update(display_name="a" * 201),
            "Participant 1: 'display_name' is longer than 200 characters.",
        ),
    ],
)
def test_a_text_longer_than_the_service_takes_is_refused(document: dict, change, message: str):  # type: ignore[type-arg]
    change(document)
    assert refused(json.dumps(document)) == message


# --------------------------------------------------------------------------- fuzzing loads

HUGE = "<a 5000-digit number>"
#: Values at the edges of what the service writes (``HUGE`` becomes its digits in the text).
EDGES = st.sampled_from(
    [
        HUGE,
        10**30,
        2**31,
        -(2**31),
        2**63,
        -1,
        0,
        1e308,
        float("inf"),
        float("nan"),
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "2011-03-01T09:00:00",
        "x" * 6000,
        "a\x00b",
        "participant",
        "Priority A",
        "Need",
    ]
)
JSON_VALUES = EDGES | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def places(value: object) -> list[tuple[object, object]]:
    """Every (container, key) in a JSON value, in document order."""
    found: list[tuple[object, object]] = []
    if isinstance(value, dict):
        for key in value:
            found.append((value, key))
            found.extend(places(value[key]))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found.append((value, n))
            found.extend(places(item))
    return found


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    doc = json.loads(text)
    for _ in range(draw(st.integers(1, 3))):
        spots = places(doc)
        container, key = spots[draw(st.integers(0, len(spots) - 1))]
        how = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if how == "replace":
            container[key] = draw(JSON_VALUES)  # type: ignore[index]
        elif how == "delete":
            del container[key]  # type: ignore[attr-defined]
        elif isinstance(container, list):
            container.insert(int(key), copy.deepcopy(container[int(key)]))  # type: ignore[call-overload]
    written = json.dumps(doc, ensure_ascii=draw(st.booleans()))  # NaN and Infinity as JSON's extensions write them
    written = written.replace(json.dumps(HUGE), "9" * 5000)
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(written)))
        written = written[:cut] + draw(st.text(max_size=4)) + written[cut + draw(st.integers(0, 3)) :]
    return written


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_loads_of_a_damaged_archive_refuses_it_or_reads_an_importable_one(
    text: str, tmp_path: Path, data: st.DataObject
):
    damaged = data.draw(mutated(text))
    try:
        archive = loads(damaged)
    except ArchiveError as exc:
        assert exc.message and "\n" not in exc.message
        return
    # What loads takes, restore takes (or refuses a decision, as the service does): the database never complains.
    service = WorkshopService(Store.open(f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"), FineClock())
    with contextlib.suppress(InvalidInput):
        service.import_archive(archive)
