"""The archive document's shape as msgspec types, and msgspec's refusals reworded to name the item.

msgspec checks every field's JSON type, every text's length and every whole
number's range while it parses (the bounds are the service's: names and
texts as ``workshop.models`` bounds them, whole numbers as an INTEGER
column holds them).  Its error says where, as a path (``$.rounds[1].scores[0][3]``);
``place`` turns that into the words a person reads ("Round 2, score 1: the
value").  Choices, times and the models' own rules are checked afterwards,
in ``workshop.archive.codec``, which builds the archive's model.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from workshop.archive.model import (
    MAX_ACTION_LENGTH,
    MAX_ACTOR_LENGTH,
    MAX_DETAIL_LENGTH,
    MAX_WHOLE,
    ArchiveError,
)
from workshop.models import MAX_NAME_LENGTH, MAX_TEXT_LENGTH

Whole = Annotated[int, Meta(ge=-MAX_WHOLE, le=MAX_WHOLE)]
Name = Annotated[str, Meta(max_length=MAX_NAME_LENGTH)]
Text = Annotated[str, Meta(max_length=MAX_TEXT_LENGTH)]
Choice = Annotated[str, Meta(max_length=20)]  # an enum's value, checked by the codec
Time = Annotated[str, Meta(max_length=40)]  # ISO 8601 with an offset, parsed by the codec
Day = Annotated[str, Meta(max_length=10)]  # a date like 2011-03-31, parsed by the reader
Number = float  # finite: JSON has no NaN or infinity, and msgspec refuses 1e400 as out of range

#: An answer row's columns, in order (the document keeps one row per line).
Score = tuple[Whole, Name, Name, Number | None, Time]
Allocation = tuple[Whole, Name, Whole, Time]
Ranking = tuple[Whole, Name, Whole, Time]
Reason = tuple[Whole, Name, Name, Text]
Weight = tuple[Name, Number]
Standing = tuple[Name, Whole | None, Number | None, Whole]
ActualRow = tuple[Annotated[str, Meta(max_length=10)], Number, Text, Time, Annotated[str, Meta(max_length=20)]]
Ballot = tuple[Whole, Name, Whole | None, Time]
COLUMNS = {
    "scores": ("participant", "priority", "criterion", "value", "time"),
    "allocations": ("participant", "criterion", "points", "time"),
    "rankings": ("participant", "priority", "position", "time"),
    "reasons": ("participant", "priority", "criterion", "reason"),
    "weights": ("criterion", "weight"),
    "standings": ("priority", "rank", "score", "answers"),
    "actuals": ("period", "value", "commentary", "time", "updated_by"),
    "ballot": ("participant", "priority", "value", "time"),
}


class Header(Struct):
    """What is read first: whether this is an archive, and which version."""

    format: Any = None
    format_version: Any = UNSET


class WorkshopDoc(Struct):
    code: Annotated[str, Meta(max_length=20)]
    created_at: Time
    setup_locked_at: Time | None = None
    participant_cap: Whole | None = None


class RankingDoc(Struct):
    method: Choice
    aggregation: Choice
    balance_groups: bool


class RobustnessDoc(Struct):
    sampling: Choice
    samples: Whole
    seed: Whole
    concentration: Number
    resamples: Whole
    bootstrap_seed: Whole


class ConsensusDoc(Struct):
    in_share: Number
    against_share: Number
    high_band: tuple[Number, Number] | None = None  # null: the top third of the scale
    low_band: tuple[Number, Number] | None = None  # null: the bottom third


class PriorityDoc(Struct):
    name: Text
    theme: Text
    description: Text
    evidence: Text
    plain_title: Name = ""  # from format BALLOT_SINCE
    plain_sentence: Text = ""


class CriterionDoc(Struct):
    name: Text
    description: Text
    direction: Choice
    scale_min: Whole
    scale_max: Whole
    descriptors: list[Text]
    weight: Number
    swing: Number | None = None  # from format CONSENSUS_SINCE


class GroupDoc(Struct):
    name: Text
    description: Text


class SetupDoc(Struct):
    title: Text
    organisation: Text
    description: Text
    shortlist_size: Whole
    weight_method: Choice
    priorities: list[PriorityDoc]
    criteria: list[CriterionDoc]
    groups: list[GroupDoc]
    date: Day | None = None
    ranking: RankingDoc | UnsetType = UNSET  # from format 2
    robustness: RobustnessDoc | UnsetType = UNSET  # from format 3
    consensus: ConsensusDoc | UnsetType = UNSET  # from format CONSENSUS_SINCE
    ballot_rule: Choice | UnsetType = UNSET  # from format CONSENSUS_SINCE


class ParticipantDoc(Struct):
    number: Whole
    joined_at: Time
    last_seen: Time
    display_name: Name | None = None
    group: Name | None = None
    removed_at: Time | None = None
    age_band: Choice | None = None  # from format BALLOT_SINCE


class FeedbackDoc(Struct):
    split: Choice
    preselect: bool
    ask_why: bool
ShareRow = tuple[Whole, Name]


class ShareDoc(Struct):
    mode: Choice
    seed: Whole
    minimum: Whole
    size: Whole | None = None


class RoundDoc(Struct):
    number: Whole
    title: Name
    kind: Choice
    state: Choice
    priorities: list[Text]
    created_at: Time
    scores: list[Score]
    allocations: list[Allocation]
    rankings: list[Ranking]
    pick_count: Whole | None = None
    opened_at: Time | None = None
    closed_at: Time | None = None
    revealed_at: Time | None = None
    feedback: FeedbackDoc | UnsetType = UNSET  # from format 6
    reasons: list[Reason] | UnsetType = UNSET  # from format 6
    closes_at: Time | None = None  # from format 8 (CONSULTATIONS_SINCE), as are the three below
    audience: list[Name] = []
    share: ShareDoc | None = None
    shares: list[ShareRow] = []
    young_ballot: bool = False  # from format BALLOT_SINCE
    ballot: list[Ballot] = msgspec.field(default_factory=list)


class ChoiceDoc(Struct):
    priority: Name
    rationale: Text


class DepartureDoc(Struct):
    priority: Name
    reason: Text
    computed_rank: Whole | None = None


class OptionsDoc(Struct):
    method: Choice
    normalization: Choice
    aggregation: Choice
    balance_groups: bool
    min_responses: Whole


class MeasuredDoc(Struct):
    basis: Name
    weights: list[Weight]
    answers: Whole
    workshop_version: Whole
    priorities: list[Standing]
    options: OptionsDoc | None = None


class DecisionDoc(Struct):
    decided_at: Time
    decided_by: Name
    note: Text
    shortlist: list[ChoiceDoc]
    departures: list[DepartureDoc]
    round: Whole | None = None
    measured: MeasuredDoc | None = None  # from format 4


class AuditDoc(Struct):
    at: Time
    actor: Annotated[str, Meta(max_length=MAX_ACTOR_LENGTH)]
    action: Annotated[str, Meta(max_length=MAX_ACTION_LENGTH)]
    detail: Annotated[str, Meta(max_length=MAX_DETAIL_LENGTH)]
    participant: Whole | None = None


class PlanSettingsDoc(Struct):
    tolerance: Number
    progress: Number


class IndicatorFields(Struct):
    """What a plan's indicator and an annual review's carried indicator both say of it."""

    name: Name
    priority: Name
    better: Choice
    baseline: Number
    baseline_date: Day
    target: Number
    target_date: Day


class IndicatorDoc(IndicatorFields):
    actuals: list[ActualRow]
    unit: Name = ""
    baseline_source: Name = ""
    lead: Name = ""
    note: Text = ""


class PlanDoc(Struct):
    settings: PlanSettingsDoc
    indicators: list[IndicatorDoc]


class CarriedIndicatorDoc(IndicatorFields):
    values: list[tuple[Day, Number]]
    status: Choice
    unit: Name = ""
    lead: Name = ""


class ReviewBasisDoc(Struct):
    code: Annotated[str, Meta(max_length=20)]
    title: Name
    decided_at: Time
    decided_by: Name
    agreed: list[tuple[Name, Whole, Text]]
    indicators: list[CarriedIndicatorDoc]
    organisation: Text = ""
    held_on: Day | None = None


class ReviewDoc(Struct):
    basis: ReviewBasisDoc
    dropped_reasons: list[tuple[Name, Text, Time]]


class Document(Struct):
    exported_at: Time
    workshop: WorkshopDoc
    setup: SetupDoc
    participants: list[ParticipantDoc]
    rounds: list[RoundDoc]
    decisions: list[DecisionDoc]
    audit_log: list[AuditDoc]
    plan: PlanDoc | UnsetType | None = UNSET  # from format 10 (``workshop.archive.plan``)
    review: ReviewDoc | UnsetType | None = UNSET  # from format REVIEW_SINCE (``workshop.archive.review``)


# --------------------------------------------------------------------------- naming the item

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # as ``workshop.models.plain_text`` refuses


def control_character(value: object, path: str) -> str | None:
    """The path of the first text in ``value`` with a control character, if any."""
    if isinstance(value, str):
        return path if _CONTROL.search(value) else None
    if isinstance(value, msgspec.Struct):
        found = (control_character(getattr(value, f), f"{path}.{f}") for f in value.__struct_fields__)
    elif isinstance(value, list | tuple):
        found = (control_character(v, f"{path}[{n}]") for n, v in enumerate(value))
    else:
        return None
    return next((p for p in found if p is not None), None)


#: A list whose items are named on their own ("Round 2"), or within their parent ("Round 2, score 1").
_ITEMS = {
    "priorities": "Priority",
    "criteria": "Criterion",
    "groups": "Group",
    "participants": "Participant",
    "rounds": "Round",
    "decisions": "Decision",
    "audit_log": "Audit entry",
    "indicators": "Indicator",
}
_ROWS = {
    "scores": "score",
    "allocations": "allocation",
    "rankings": "ranking",
    "reasons": "reason",
    "shortlist": "shortlist entry",
    "departures": "departure",
    "weights": "weight",
    "standings": "priority",
    "actuals": "actual",
}
_PARTS = {
    "workshop": "The archive's workshop",
    "setup": "The setup",
    "ranking": ": the ranking",
    "robustness": ": the robustness settings",
    "measured": ": what it was measured against",
    "options": ": the ranking options",
    "plan": ": the plan",
    "feedback": ": the feedback settings",
    "review": ": the annual review",
}
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")


def place(path: str) -> str:
    """The words for a msgspec path: ``$.rounds[1].scores[0][3]`` is "Round 2, score 1: the value"."""
    steps: list[str | int] = [int(i) if i else key for key, i in _STEP.findall(path)]
    where, row = "The archive", ""
    while steps:
        step = steps.pop(0)
        if isinstance(step, int):  # a column of an answer row
            where += f": the {COLUMNS[row][step]}" if row in COLUMNS else f", item {step + 1}"
            continue
        if where.endswith("what it was measured against") and step == "priorities":
            step = "standings"
        nested = steps and isinstance(steps[0], int)
        if nested and step in _ITEMS and not where.startswith("Round"):
            where = f"{_ITEMS[step]} {int(steps.pop(0)) + 1}"
        elif nested and step in _ROWS:
            where, row = f"{where}, {_ROWS[step]} {int(steps.pop(0)) + 1}", step
        elif step in _PARTS and (steps or step in ("workshop", "setup")):
            where = _PARTS[step] if step in ("workshop", "setup") else where + _PARTS[step]
        else:
            where += f": '{step}'"
    return where


KINDS = {
    "str": "text",
    "int": "a number",
    "float": "a number with a decimal point",
    "bool": "true/false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}
_WANTED = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "array": "a list",
    "object": "a JSON object",
}
_ERROR = re.compile(r"^(?P<problem>.*?)(?: - at `(?P<path>\$[^`]*)`)?$", re.DOTALL)
_EXPECTED = re.compile(r"Expected `(?P<wanted>[^`]+)`, got `(?P<got>\w+)`")


P = TypeVar("P")


def part_since(doc: P | UnsetType | None, version: int, since: int, missing: str) -> P | None:
    """A part of the archive that format ``since`` added: None in an older archive (it had none) and
    where the archive says null; a newer archive that leaves it out is refused with ``missing``."""
    if version < since:
        return None
    if isinstance(doc, UnsetType):
        raise ArchiveError(missing)
    return doc


def reworded(error: msgspec.ValidationError) -> ArchiveError:
    """msgspec's refusal as an ``ArchiveError`` naming the item."""
    match = _ERROR.match(str(error))
    assert match is not None  # the pattern matches any text
    problem, path = match["problem"], match["path"] or "$"
    where = place(path)
    row = re.search(r"\.(\w+)\[\d+\]$", path)
    name = None if row is None else "standings" if row[1] == "priorities" and ".measured." in path else row[1]
    if name in COLUMNS and problem.startswith("Expected `array`"):
        columns = COLUMNS[name]
        return ArchiveError(f"{where} must be a list of {len(columns)} items ({', '.join(columns)}).")
    if missing := re.fullmatch(r"Object missing required field `(\w+)`", problem):
        return ArchiveError(f"{where}: '{missing[1]}' is missing.")
    if expected := _EXPECTED.fullmatch(problem):
        wanted = " or ".join(_WANTED.get(k, k) for k in expected["wanted"].split(" | "))
        return ArchiveError(f"{where} must be {wanted}, not {KINDS.get(expected['got'], expected['got'])}.")
    if longest := re.fullmatch(r"Expected `str` of length <= (\d+)", problem):
        return ArchiveError(f"{where} is longer than {int(longest[1]):,} characters.")
    if problem.startswith(("Expected `int` <=", "Expected `int` >=", "Integer value out of range")):
        return ArchiveError(
            f"{where}: the number is out of range; an archive's whole numbers lie between "
            f"-{MAX_WHOLE:,} and {MAX_WHOLE:,} (what the database stores)."
        )
    if problem == "Number out of range":
        return ArchiveError(f"{where}: the number is too large to store (it is not finite).")
    return ArchiveError(f"{where}: {problem}.")
