"""Feedback between rounds: the earlier round a follow-up reads, its answers per question, reasons, attrition.

* ``earlier_round``: the round whose answers a scoring round shows back: the
  latest scoring round before it that has run (closed or revealed) and
  scored any of its priorities.
* ``round_feedback``: for each question (priority × criterion) both rounds
  ask, the room's earlier answers as ``ranking.feedback.feedback_lines``
  makes them (the one function that reads them) and, for a participant, their
  own earlier answer.  Nothing else of anyone's answers is in it.
* ``change_reasons``: the reasons participants gave for moving an answer
  across the scale (``ranking.feedback.crossed_band``), without who gave them:
  in the order of the priorities and criteria, then of the reasons' text.
* ``attrition``: completion by round × stakeholder group, who answered the
  previous round but not this one, and who is still to finish.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ranking.feedback import FeedbackReading, crossed_band, feedback_lines
from workshop.models import (
    Criterion,
    FeedbackSettings,
    FeedbackSplit,
    Participant,
    Priority,
    Progress,
    RoomProgress,
    Round,
    RoundKind,
    RoundState,
    ScoreRecord,
    ScoreTable,
    cell_of,
)

#: The longest reason a participant may give for a change.
MAX_REASON_LENGTH = 1000
#: How a participant without a stakeholder group is shown in the completion table.
NO_GROUP = "No group"


def earlier_round(rounds: Sequence[Round], rnd: Round) -> Round | None:
    """The round ``rnd``'s feedback reads (module docstring), or None: no feedback."""
    if rnd.kind is not RoundKind.SCORING:
        return None
    covered = set(rnd.priority_ids)
    found = [
        r
        for r in rounds
        if r.number < rnd.number
        and r.kind is RoundKind.SCORING
        and r.state in (RoundState.CLOSED, RoundState.REVEALED)
        and covered & set(r.priority_ids)
    ]
    return found[-1] if found else None


def previous_round(rounds: Sequence[Round], rnd: Round) -> Round | None:
    """The latest round before ``rnd`` that has been open (any kind): what attrition compares with."""
    found = [r for r in rounds if r.number < rnd.number and r.state is not RoundState.DRAFT]
    return found[-1] if found else None


# --------------------------------------------------------------------------- the earlier answers


@dataclass(frozen=True)
class QuestionFeedback:
    """One question's earlier answers: the room's lines and (for a participant) their own answer."""

    priority_id: int
    criterion_id: int
    answered: bool  # the participant answered it earlier (always False in the facilitator's preview)
    mine: float | None  # their earlier answer; None: "don't know" or not answered
    reading: FeedbackReading


@dataclass(frozen=True)
class RoundFeedback:
    round_id: int
    earlier: Round | None  # None: this round shows no feedback
    settings: FeedbackSettings
    own_group: str | None  # the participant's group (None in the facilitator's preview)
    questions: tuple[QuestionFeedback, ...]

    def of(self, priority_id: int, criterion_id: int) -> QuestionFeedback | None:
        return cell_of(self.questions, priority_id, criterion_id)

    def mine(self, priority_id: int) -> tuple[QuestionFeedback, ...]:
        """The participant's own earlier answers to a priority (those they gave)."""
        return tuple(q for q in self.questions if q.priority_id == priority_id and q.answered)


def no_feedback(rnd: Round) -> RoundFeedback:
    return RoundFeedback(rnd.id, None, rnd.feedback, None, ())


def round_feedback(
    rnd: Round,
    earlier: Round,
    criteria: Sequence[Criterion],
    table: ScoreTable,
    people: Sequence[Participant],
    group_order: Sequence[str],
    participant: Participant | None,
) -> RoundFeedback:
    """The feedback ``rnd`` shows from ``earlier``'s answers (``table``), for ``participant`` or, with
    None, the facilitator's preview (the same lines, no own answers)."""
    group = {p.id: p.group for p in people}
    shared = [pid for pid in rnd.priority_ids if pid in set(earlier.priority_ids)]
    cells: dict[tuple[int, int], list[int]] = {}
    for row, key in enumerate(zip(table.priority_ids.tolist(), table.criterion_ids.tolist(), strict=True)):
        cells.setdefault(key, []).append(row)
    participants = table.participant_ids.tolist()
    by_group = rnd.feedback.split is FeedbackSplit.GROUPS
    questions = []
    for pid in shared:
        for criterion in criteria:
            rows = cells.get((pid, criterion.id), [])
            values = [float(table.values[r]) for r in rows]
            own = [v for r, v in zip(rows, values, strict=True) if participant and participants[r] == participant.id]
            reading = feedback_lines(
                values,
                [group.get(participants[r]) for r in rows],
                [float(x) for x in criterion.scale_points],
                by_group,
                group_order,
            )
            mine = own[0] if own and not math.isnan(own[0]) else None
            questions.append(QuestionFeedback(pid, criterion.id, bool(own), mine, reading))
    return RoundFeedback(rnd.id, earlier, rnd.feedback, participant.group if participant else None, tuple(questions))


# --------------------------------------------------------------------------- reasons


@dataclass(frozen=True)
class ChangeReason:
    """A reason given for moving an answer across the scale, without who gave it."""

    priority: str
    criterion: str
    before: float
    after: float
    reason: str

    @property
    def change(self) -> str:
        """The move in words, without the answers themselves (which could pick out who gave it)."""
        return "bottom third to top third" if self.after > self.before else "top third to bottom third"


def crossed(criterion: Criterion, before: float | None, after: float | None) -> bool:
    """Whether a change of answer moved across the scale (``ranking.feedback.crossed_band``)."""
    return crossed_band(before, after, criterion.scale_min, criterion.scale_max)


def change_reasons(
    priorities: Sequence[Priority],
    criteria: Sequence[Criterion],
    earlier: Sequence[ScoreRecord],
    now: Sequence[ScoreRecord],
) -> tuple[ChangeReason, ...]:
    """The reasons of ``now``'s answers (module docstring), each with the answer before and after."""
    before = {(r.participant_id, r.priority_id, r.criterion_id): r.value for r in earlier}
    p_place = {p.id: (n, p.name) for n, p in enumerate(priorities)}
    c_place = {c.id: (n, c) for n, c in enumerate(criteria)}
    found = []
    for r in now:
        was = before.get((r.participant_id, r.priority_id, r.criterion_id))
        if not r.reason or r.priority_id not in p_place or r.criterion_id not in c_place:
            continue
        criterion = c_place[r.criterion_id][1]
        if was is None or r.value is None or not crossed(criterion, was, r.value):
            continue
        key = (p_place[r.priority_id][0], c_place[r.criterion_id][0], r.reason)
        found.append((key, ChangeReason(p_place[r.priority_id][1], criterion.name, was, r.value, r.reason)))
    return tuple(reason for _, reason in sorted(found, key=lambda pair: pair[0]))


# --------------------------------------------------------------------------- attrition


@dataclass(frozen=True)
class GroupCompletion(RoomProgress):
    """A stakeholder group's progress with a round: ``RoomProgress``'s counts over its members."""

    group: str  # the group's name, or NO_GROUP

    @classmethod
    def of_group(cls, group: str, progress: Progress) -> GroupCompletion:
        return cls(**vars(RoomProgress.of(progress)), group=group)


@dataclass(frozen=True)
class RoundCompletion:
    round: Round
    groups: tuple[GroupCompletion, ...]


@dataclass(frozen=True)
class Attrition:
    round_id: int
    previous: Round | None
    completion: tuple[RoundCompletion, ...]  # every round that has been open, and this one, in order
    dropped: tuple[str, ...]  # answered the previous round, nothing of this one
    to_finish: tuple[str, ...]  # still to finish this round (names where given, else "Anonymous N")

    @property
    def copy_text(self) -> str:
        """The list of those still to finish, one a line (what the facilitator copies)."""
        return "\n".join(self.to_finish)


def completion(rnd: Round, progress: Progress, group_order: Sequence[str]) -> RoundCompletion:
    """How many of each group have joined, started and finished ``rnd`` (groups in the workshop's order)."""
    labels = [p.group or NO_GROUP for p in progress.participants]
    order = [g for g in group_order if g in labels] + sorted(set(labels) - set(group_order))
    rows = []
    for group in order:
        members = tuple(p for p, label in zip(progress.participants, labels, strict=True) if label == group)
        rows.append(GroupCompletion.of_group(group, Progress(rnd.id, members)))
    return RoundCompletion(rnd, tuple(rows))


def attrition(
    rnd: Round, previous: Round | None, tabulated: Sequence[tuple[Round, Progress]], group_order: Sequence[str]
) -> Attrition:
    """``tabulated``: every round to show with its progress, in order, ``rnd`` and ``previous`` among them."""
    progress = {r.id: p for r, p in tabulated}
    current = progress[rnd.id]
    earlier = progress.get(previous.id) if previous is not None else None
    answered_before = {p.participant_id for p in earlier.participants if p.started} if earlier is not None else set()
    return Attrition(
        rnd.id,
        previous,
        tuple(completion(r, p, group_order) for r, p in tabulated),
        tuple(p.label for p in current.participants if p.participant_id in answered_before and not p.started),
        tuple(p.label for p in current.participants if not p.done),
    )
