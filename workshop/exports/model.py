"""The report's types: ``ExportContent`` and the frozen rows it is made of, which every format renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ranking.model import Direction
from ranking.readings import contested_words
from workshop.consultation_facts import ConsultationFacts
from workshop.converging import ConsensusSummary
from workshop.models import Priority, Round, WeightMethod
from workshop.review import ReviewComparison
from workshop.said import Said

PSEUDONYM_NOTE = (
    "Participants are shown as 'Participant N', N being the order in which they joined. "
    "The workshop does not record consent to be named, so names typed when joining are never exported."
)
NO_SHORTLIST = "No shortlist has been agreed yet"
REASONS_NOTE = (
    "Reasons participants gave when they moved an answer between the bottom and the top third of the scale since "
    "the earlier round (asked only in rounds set to ask why answers changed; giving one was optional). "
    "Shown without names or participant numbers."
)


@dataclass(frozen=True)
class WorkshopInfo:
    title: str
    organisation: str
    date: date | None
    description: str
    code: str
    shortlist_size: int
    weight_method: WeightMethod
    created_at: datetime


@dataclass(frozen=True)
class CriterionInfo:
    name: str
    description: str
    direction: Direction
    scale_min: int
    scale_max: int
    descriptors: tuple[str, ...]  # one per scale point, from scale_min up ("" where none was given)
    weight: float  # as set
    share: float  # normalised to sum 1 over the criteria

    @property
    def scale_points(self) -> tuple[int, ...]:
        return tuple(range(self.scale_min, self.scale_max + 1))


@dataclass(frozen=True)
class GroupCount:
    group: str
    count: int


@dataclass(frozen=True)
class GroupInfo:
    name: str
    description: str
    joined: int


@dataclass(frozen=True, kw_only=True)
class RoundInfo(Round):
    """A round as the exports report it: the stored round with how many answered, per group."""

    respondents: int
    by_group: tuple[GroupCount, ...]

    @property
    def priorities(self) -> int:
        """How many priorities the round covers (none for a weighting round)."""
        return len(self.priority_ids)


@dataclass(frozen=True)
class RankedPriority:
    """One row of a round's computed ranking.  ``responses`` is the fewest
    answers on any criterion (scoring rounds) or the number of ballots
    (ranking rounds).  A priority nobody scored has no rank and no score
    (None): it is listed last and is never in the top k."""

    round_number: int
    rank: int | None
    name: str
    theme: str
    score: float | None
    responses: int
    in_top: bool
    agreed: bool

    @property
    def scored(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True)
class RoundRanking:
    round: RoundInfo
    method: str
    score_label: str
    top: int
    rows: tuple[RankedPriority, ...]  # best first, priorities nobody scored last
    #: A round that gave each participant part of the list: the priorities with fewer answers than its
    #: minimum (``workshop.results.thin_priorities``) and that minimum.
    few_answers: tuple[str, ...] = ()
    minimum: int = 0
    #: Ranking rounds: the other tally's top k beside this one's, and a note when the two disagree.
    other_rule: str = ""
    other_top: tuple[str, ...] = ()
    tallies_note: str = ""

    def rank_of(self, name: str) -> int | None:
        return next((r.rank for r in self.rows if r.name == name), None)

    @property
    def unscored(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rows if not r.scored)


@dataclass(frozen=True)
class CellScore:
    """The room's view of one priority on one criterion (the analysed round)."""

    priority: str
    criterion: str
    # Mean (or median) of the answers given; the scale midpoint if nobody answered this cell,
    # None (like normalised and contribution) if nobody answered the priority on any criterion.
    aggregate: float | None
    responses: int
    spread: float | None  # population standard deviation of the answers (None: no answers)
    normalized: float | None  # 0..1, benefit-oriented, on the criterion's scale
    contribution: float | None  # normalised × weight: the priority's score is the sum over criteria


@dataclass(frozen=True)
class GroupAgreement:
    group: str
    size: int
    spearman: float | None  # with the room's ranking over the priorities the group scored; None: not measurable
    compared: int = 0  # the priorities it scored, which ρ is measured over


@dataclass(frozen=True)
class PriorityDisagreement:
    name: str
    rank: int | None  # None: nobody scored it
    spread: float | None  # standard deviation of participants' own scores (0..1 scale); None: not scored
    iqr: float | None
    high_spread: bool  # the room is divided on it (``ranking.consensus``)
    near_cutoff: bool  # it can sit close to the line between in and out
    group_ranks: tuple[int | None, ...]  # in the order of Analysis.groups; None where the group did not score it
    group_range: int  # worst minus best rank among the groups that scored it

    @property
    def contested(self) -> str:
        """Why it is contested, in the words the Results page uses ("" when it is not)."""
        return contested_words(self.high_spread, self.near_cutoff)


@dataclass(frozen=True)
class PriorityRobustness:
    """How robust one priority's place is.  A priority nobody scored has no
    rank (None) and probabilities of 0: it is not a contender."""

    name: str
    rank: int | None
    smaa_p_top: float
    smaa_p_first: float
    bootstrap_p_top: float
    method_ranks: tuple[int | None, ...]  # in the order of Sensitivity.methods


@dataclass(frozen=True)
class WeightThreshold:
    """One-way sensitivity of the computed top k to one criterion's weight,
    with the change past each bound and a sentence saying it in plain words."""

    criterion: str
    weight: float
    lower: float | None  # None: the top k holds all the way down to 0
    upper: float | None  # None: ... all the way up to 100%
    enter_below: tuple[str, ...]
    leave_below: tuple[str, ...]
    enter_above: tuple[str, ...]
    leave_above: tuple[str, ...]
    plain: str

    @property
    def margin(self) -> float | None:
        """The smallest change of this weight (in shares) that changes the top k."""
        gaps = [abs(self.weight - b) for b in (self.lower, self.upper) if b is not None]
        return min(gaps) if gaps else None


@dataclass(frozen=True)
class Sensitivity:
    top: int
    computed_top: tuple[str, ...]
    smaa_seed: int
    smaa_samples: int
    smaa_sampling: str  # how the weight vectors were drawn, in words
    bootstrap_seed: int
    bootstrap_resamples: int
    methods: tuple[str, ...]
    method_tops: tuple[tuple[str, ...], ...]
    all_methods_agree_on: tuple[str, ...]
    priorities: tuple[PriorityRobustness, ...]  # the room's order
    thresholds: tuple[WeightThreshold, ...]
    thresholds_exact: bool

    def of(self, name: str) -> PriorityRobustness | None:
        return next((p for p in self.priorities if p.name == name), None)

    @property
    def closest(self) -> WeightThreshold | None:
        """The criterion whose weight is nearest to changing the top k."""
        found = [t for t in self.thresholds if t.margin is not None]
        return min(found, key=lambda t: t.margin or 0.0) if found else None


@dataclass(frozen=True)
class Analysis:
    """The analysed scoring round: its ranking with the working, where the
    room disagrees, and how robust the top k is."""

    round: RoundInfo
    top: int
    method: str  # the method's name ("Weighted sum")
    method_text: str  # the whole ranking method in words (``method_text``)
    normalization: str
    aggregation: str
    balanced: bool
    min_responses: int
    tie_rule: str
    criteria: tuple[str, ...]
    weights: tuple[float, ...]  # as used, summing 1
    ranking: RoundRanking
    cells: tuple[CellScore, ...]  # the ranking's order, then the criteria's
    kendall_w: float | None
    spread_floor: float
    groups: tuple[GroupAgreement, ...]
    disagreement: tuple[PriorityDisagreement, ...]  # the room's order
    sensitivity: Sensitivity

    @property
    def contested(self) -> tuple[PriorityDisagreement, ...]:
        return tuple(d for d in self.disagreement if d.contested)

    def cell(self, priority: str, criterion: str) -> CellScore:
        return next(c for c in self.cells if c.priority == priority and c.criterion == criterion)


@dataclass(frozen=True)
class WeightRow:
    criterion: str
    weight: float  # as set
    share: float  # normalised
    room_share: float | None  # the weighting round's room weight, if there was one
    group_shares: tuple[float | None, ...]  # per Weighting.groups; None where the group allocated nothing
    swing: float | None = None  # the swing given (0..100) when the weights were set by swing


@dataclass(frozen=True)
class Weighting:
    method: WeightMethod
    how: str
    round: RoundInfo | None
    responses: int
    groups: tuple[str, ...]
    rows: tuple[WeightRow, ...]


@dataclass(frozen=True)
class AgreedPriority:
    position: int
    name: str
    theme: str
    rationale: str
    computed_rank: int | None  # in the round the decision was checked against
    smaa_p_top: float | None
    bootstrap_p_top: float | None


@dataclass(frozen=True)
class DepartureInfo:
    name: str
    change: str  # "brought in" or "left out"
    computed_rank: int | None
    reason: str


@dataclass(frozen=True)
class DecisionInfo:
    decided_by: str
    decided_at: datetime
    note: str
    checked_against: str  # the round whose computed ranking the decision is compared with ("" if none)
    shortlist: tuple[AgreedPriority, ...]
    departures: tuple[DepartureInfo, ...]
    measured: str = ""  # what it was measured against, in one line (``workshop.decision.measured_words``)
    #: What has changed since (``workshop.decision.drift_words``); empty when the basis round still ranks the same.
    earlier_state: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.shortlist)


@dataclass(frozen=True)
class RawAnswer:
    """What every raw row starts with: the round, the participant (a pseudonym) and their group."""

    round_number: int
    participant: str
    group: str


@dataclass(frozen=True)
class RawScore(RawAnswer):
    priority: str
    criterion: str
    score: float | None  # None: "don't know" or not answered


@dataclass(frozen=True)
class RawAllocation(RawAnswer):
    criterion: str
    points: int
    share: float


@dataclass(frozen=True)
class RawRanking(RawAnswer):
    position: int
    priority: str


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class FeedbackRound:
    """A follow-up scoring round's feedback between rounds, in words (``workshop.exports.report_reasons``)."""

    round_label: str
    earlier_label: str
    settings: str  # ``workshop.service.feedback.feedback_words``


@dataclass(frozen=True)
class ReasonRow:
    """A reason given for moving an answer across the scale: no name, no participant number."""

    round_number: int
    priority: str
    criterion: str
    change: str  # "bottom third to top third" or the reverse
    reason: str


@dataclass(frozen=True)
class ExportContent:
    workshop: WorkshopInfo
    generated_at: datetime
    priorities: tuple[Priority, ...]
    criteria: tuple[CriterionInfo, ...]
    groups: tuple[GroupInfo, ...]
    participants_joined: int
    rounds: tuple[RoundInfo, ...]
    rankings: tuple[RoundRanking, ...]  # every scoring and ranking round with answers
    weighting: Weighting
    analysis: Analysis | None
    decision: DecisionInfo | None
    raw_scores: tuple[RawScore, ...]
    raw_allocations: tuple[RawAllocation, ...]
    raw_rankings: tuple[RawRanking, ...]
    audit: tuple[AuditRow, ...]
    method: str  # the workshop's ranking method in words (``method_text``), used for every scoring round
    pseudonym_note: str = PSEUDONYM_NOTE
    feedback_rounds: tuple[FeedbackRound, ...] = ()  # follow-up scoring rounds that showed earlier answers
    change_reasons: tuple[ReasonRow, ...] = ()  # in round order, then as ``WorkshopService.change_reasons``
    #: The analysed round under the workshop's consensus rule (``workshop.converging``), or None with the reason.
    consensus: ConsensusSummary | None = None
    consensus_note: str = ""
    #: What each consultation round that has run said (young people's ballots, ``workshop.said``).
    consultations: tuple[Said, ...] = ()
    #: Each consultation round that has run: audience, closing time, share, coverage (``workshop.consultation_facts``).
    consultation_facts: tuple[ConsultationFacts, ...] = ()
    #: An annual review's comparison with last year's decision (None: the workshop is not a review).
    review: ReviewComparison | None = None

    @property
    def is_draft(self) -> bool:
        return self.decision is None

    @property
    def status(self) -> str:
        return "Draft: " + NO_SHORTLIST.lower() if self.decision is None else "Shortlist agreed"

    @property
    def report_date(self) -> date:
        """The workshop's date, else the day of the export (for file names)."""
        return self.workshop.date or self.generated_at.date()
