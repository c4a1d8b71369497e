"""The archive's model: a whole workshop as frozen dataclasses, by names and numbers, without ids or credentials."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ranking.indicator_status import StatusSettings
from ranking.methods import RankingOptions
from workshop.errors import InvalidInput
from workshop.models import (
    MAX_NAME_LENGTH,
    MAX_PRIORITIES,
    FeedbackSettings,
    IndicatorSpec,
    RoundKind,
    RoundState,
    Share,
    Stamped,
    WorkshopSetup,
)
from workshop.review import DroppedReason, ReviewBasis

FORMAT_NAME = "prioritise-workshop"
#: The first format version with feedback between rounds: each round's settings and the reasons
#: given with scores (``workshop.archive.feedback``).  Named once: the number may change at a merge.
FEEDBACK_SINCE = 6
#: The first format version with the consensus rule, the ballot rule and criteria's swings.
CONSENSUS_SINCE = 7
#: The first format version whose rounds hold a consultation's closing time, audience and shares.
CONSULTATIONS_SINCE = 8
#: The first format version with the young people's ballot: priorities' plain-language titles and
#: sentences, a round's ``young_ballot`` flag and its ``ballot`` answers.
BALLOT_SINCE = 9
#: Format 10 added the plan after the workshop: indicators, their actuals, the status settings
#: (``workshop.archive.plan``).  One constant: the number may change when branches merge.
PLAN_SINCE = 10
#: Format 11 added the annual review: the basis it compares with and the reasons for dropping
#: (``workshop.archive.review``).  One constant: the number may change when branches merge.
REVIEW_SINCE = 11
#: The version this Prioritise writes.
FORMAT_VERSION = max(FEEDBACK_SINCE, CONSENSUS_SINCE, CONSULTATIONS_SINCE, BALLOT_SINCE, PLAN_SINCE, REVIEW_SINCE)
#: The first format version whose setup holds the workshop's ranking options.
RANKING_SINCE = 2
#: The first format version whose setup holds the workshop's robustness settings.
ROBUSTNESS_SINCE = 3
#: Version 5 added the participant cap and each removed participant's time of removal.
REMOVALS_SINCE = 5
#: Who writes audit entries (``workshop.service``); a participant's entry also has their number.
FACILITATOR_ACTOR = "facilitator"
SYSTEM_ACTOR = "system"
PARTICIPANT_ACTOR = "participant"
LEAD_ACTOR = "lead"  # a lead's link (``workshop.service.plan``): saves actuals for one agreed priority
ACTORS = (FACILITATOR_ACTOR, SYSTEM_ACTOR, PARTICIPANT_ACTOR, LEAD_ACTOR)
MAX_ACTOR_LENGTH = 40  # audit_log.actor
MAX_ACTION_LENGTH = 60  # audit_log.action
#: The longest audit detail the service writes: a decision's, "by <name>: " and every
#: shortlisted priority's name joined by "; " (a shortlist holds at most every priority).
MAX_DETAIL_LENGTH = len("by : ") + MAX_NAME_LENGTH + MAX_PRIORITIES * MAX_NAME_LENGTH + (MAX_PRIORITIES - 1) * len("; ")
#: Whole numbers are stored in INTEGER columns (32 bits on PostgreSQL).
MAX_WHOLE = 2**31 - 1
#: No Prioritise workshop is older; an earlier time (year 1, say) is not one its clock wrote.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class ArchiveError(InvalidInput):
    """An archive that cannot be imported; the message names the item."""


@dataclass(frozen=True)
class ArchivedParticipant:
    number: int
    display_name: str | None
    group: str | None
    joined_at: datetime
    last_seen: datetime
    removed_at: datetime | None = None  # the facilitator removed them (their kept answers still count)
    age_band: str | None = None  # from format BALLOT_SINCE: given when joining a young people's ballot


@dataclass(frozen=True)
class ArchivedScore:
    participant: int  # participant number
    priority: str
    criterion: str
    value: float | None  # None = "don't know"
    updated_at: datetime
    reason: str | None = None  # why the answer moved across the scale (format 6 on)


@dataclass(frozen=True)
class ArchivedAllocation:
    participant: int
    criterion: str
    points: int
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedRanking:
    participant: int
    priority: str
    position: int
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedBallotAnswer:
    """One answer of a young people's ballot (``workshop.ballot``): 1..3, None = "not sure"."""

    participant: int
    priority: str
    value: int | None
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedRound:
    number: int
    title: str
    kind: RoundKind
    state: RoundState
    pick_count: int | None
    priorities: tuple[str, ...]
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    revealed_at: datetime | None
    scores: tuple[ArchivedScore, ...]
    allocations: tuple[ArchivedAllocation, ...]
    rankings: tuple[ArchivedRanking, ...]
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)  # the defaults before format 6
    closes_at: datetime | None = None  # a consultation's closing time (from CONSULTATIONS_SINCE)
    audience: tuple[str, ...] = ()  # the stakeholder groups it is for, by name (empty: everyone)
    share: Share | None = None  # each participant answers only part of the list
    shares: tuple[tuple[int, str], ...] = ()  # (participant number, priority name): who was given what
    young_ballot: bool = False  # from format BALLOT_SINCE
    ballot: tuple[ArchivedBallotAnswer, ...] = ()


@dataclass(frozen=True)
class ArchivedChoice:
    priority: str
    rationale: str


@dataclass(frozen=True)
class ArchivedDeparture:
    priority: str
    computed_rank: int | None
    reason: str


@dataclass(frozen=True)
class ArchivedStanding:
    priority: str
    rank: int | None
    score: float | None
    answers: int


@dataclass(frozen=True)
class ArchivedMeasurement:
    """What a decision was measured against (``workshop.decision.Measurement``, priorities by name)."""

    basis: str
    options: RankingOptions | None
    weights: tuple[tuple[str, float], ...]
    answers: int
    workshop_version: int
    priorities: tuple[ArchivedStanding, ...]


@dataclass(frozen=True)
class ArchivedDecision:
    decided_at: datetime
    decided_by: str
    round: int | None  # round number
    note: str
    shortlist: tuple[ArchivedChoice, ...]
    departures: tuple[ArchivedDeparture, ...]
    measured: ArchivedMeasurement | None = None  # None in archives before format 4


@dataclass(frozen=True)
class ArchivedAuditEntry:
    at: datetime
    actor: str  # one of ACTORS; for PARTICIPANT_ACTOR, ``participant`` is their number
    participant: int | None
    action: str
    detail: str


@dataclass(frozen=True)
class ArchivedActual:
    period: str  # "2012-Q1" or "2012-03"
    value: float
    commentary: str
    updated_at: datetime
    updated_by: str  # one of ACTUAL_AUTHORS


@dataclass(frozen=True)
class ArchivedIndicator:
    spec: IndicatorSpec
    actuals: tuple[ArchivedActual, ...]


@dataclass(frozen=True)
class ArchivedPlan:
    """The plan after the workshop (``workshop.archive.plan``): indicators by name, with their actuals."""

    settings: StatusSettings
    indicators: tuple[ArchivedIndicator, ...]


@dataclass(frozen=True)
class ArchivedReview:
    """An annual review (``workshop.archive.review``): what it compares with, and why priorities were dropped."""

    basis: ReviewBasis
    reasons: tuple[Stamped[DroppedReason], ...]


@dataclass(frozen=True)
class WorkshopArchive:
    """A whole workshop, without ids or credentials.  Construction checks
    every reference, audit entry and time (``workshop.archive.checks``) and
    raises ``ArchiveError`` naming the first bad item."""

    exported_at: datetime
    code: str  # the join code when exported; an import gets a new one
    created_at: datetime
    setup_locked_at: datetime | None
    setup: WorkshopSetup
    participants: tuple[ArchivedParticipant, ...]
    rounds: tuple[ArchivedRound, ...]
    decisions: tuple[ArchivedDecision, ...]
    audit_log: tuple[ArchivedAuditEntry, ...]
    participant_cap: int | None = None  # the most participants the workshop takes; None: no cap
    plan: ArchivedPlan | None = None  # None: no indicators, default settings (and every archive before format 10)
    review: ArchivedReview | None = None  # None: not an annual review (and every archive before REVIEW_SINCE)

    def __post_init__(self) -> None:
        from workshop.archive.checks import check_archive  # the checks read this module's classes

        check_archive(self)
