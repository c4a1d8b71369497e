"""The database schema (SQLAlchemy Core), as the migrations build it
(``workshop.migrations``: migration 1 created it, migration 2 added the
workshop's ranking options, migration 3 its robustness settings, migration 4
what each decision was measured against, migration 5 the participant cap
and removed participants, migration ``FIRST_VERSION_WITH_FEEDBACK`` a
round's feedback settings and the reason given for a changed score,
``FIRST_VERSION_WITH_CONSENSUS_RULE`` the consensus and ballot rules,
criteria's swings and the swing weighting method, the consultations
migration its rounds' closing times, audiences and shares of the list,
``FIRST_VERSION_WITH_BALLOT`` the young people's ballot (priorities'
plain-language titles and sentences, ``rounds.young_ballot``,
``ballot_answers``, a participant's age band),
``migrations.FIRST_VERSION_WITH_PLAN`` the plan after the workshop:
indicators, their actuals, leads' links and the status rule's settings).

Timestamps are stored as naive UTC and come back timezone-aware (UTC) on
both SQLite and PostgreSQL.  ``workshops.version`` is the per-workshop
change counter: every write transaction for a workshop bumps it first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.schema import SchemaItem


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _fk(target: str, ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey(target, ondelete=ondelete)


# Column and table factories for what the tables share (each call makes new objects: a Column belongs to
# one table).  The DDL they make is the same as when each table spelt its columns out.


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _ref(name: str, table: str, ondelete: str = "CASCADE", nullable: bool = False) -> Column[int]:
    """The column ``name`` referring to ``table``'s id."""
    return Column(name, Integer, _fk(f"{table}.id", ondelete), nullable=nullable)


def _text(name: str, **options: object) -> Column[str]:
    return Column(name, Text, nullable=False, **options)


def _whole(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False)


def _listed() -> tuple[Column[int], Column[str]]:
    """A setup list's place and name (priorities, criteria, groups)."""
    return _whole("position"), Column("name", String(200), nullable=False)


def _when(name: str, nullable: bool = True) -> Column[datetime]:
    return Column(name, UTCDateTime, nullable=nullable)


def _checks(checks: Mapping[str, str]) -> tuple[CheckConstraint, ...]:
    """Check constraints by name (made here, after the table's unique constraints, so that the DDL
    lists them in that order)."""
    return tuple(CheckConstraint(condition, name=name) for name, condition in checks.items())


def _of_workshop(name: str, *columns: SchemaItem, unique: str, checks: Mapping[str, str] | None = None) -> Table:
    """A table of a workshop's things: an id, the workshop, ``columns``, ``unique`` unique within the
    workshop, and ``checks`` (name: condition)."""
    return Table(
        name,
        metadata,
        _id(),
        _ref("workshop_id", "workshops"),
        *columns,
        UniqueConstraint("workshop_id", unique),
        *_checks(checks or {}),
    )


def _answers(
    name: str,
    *columns: SchemaItem,
    unique: tuple[tuple[str, ...], ...],
    indexes: tuple[str, ...],
    checks: Mapping[str, str] | None = None,
    added: tuple[SchemaItem, ...] = (),
) -> Table:
    """A round's answers of one kind: an id, the round and the participant, the answer's ``columns``,
    when it was last changed, then the columns later migrations ``added``; each ``unique`` key (after
    round and participant) is unique; the participant and ``indexes`` indexed."""
    return Table(
        name,
        metadata,
        _id(),
        _ref("round_id", "rounds"),
        _ref("participant_id", "participants"),
        *columns,
        _when("updated_at", nullable=False),
        *added,
        *(UniqueConstraint("round_id", "participant_id", *key) for key in unique),
        *(Index(None, column) for column in ("participant_id", *indexes)),
        *_checks(checks or {}),
    )


schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    _text("description"),
    _when("applied_at", nullable=False),
)

workshops = Table(
    "workshops",
    metadata,
    _id(),
    Column("code", String(6), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    _text("organisation", default=""),
    Column("event_date", Date),
    _text("description", default=""),
    Column("shortlist_size", Integer, nullable=False),
    Column("weight_method", String(20), nullable=False),
    Column("key_hash", String(200), nullable=False),
    _when("created_at", nullable=False),
    _when("setup_locked_at"),
    Column("version", BigInteger, nullable=False),
    # Migration 2: the workshop's ranking options (ranking.methods.RankingOptions).
    Column("ranking_method", String(20), nullable=False, server_default="weighted-sum"),
    Column("ranking_aggregation", String(10), nullable=False, server_default="mean"),
    Column("ranking_balanced", Boolean, nullable=False, server_default=false()),
    # Migration 3: the workshop's robustness settings (ranking.robustness.RobustnessOptions).
    Column("smaa_sampling", String(20), nullable=False, server_default="around"),
    *(
        Column(column, kind, nullable=False, server_default=default)
        for column, kind, default in (
            ("smaa_samples", Integer, "10000"),
            ("smaa_seed", Integer, "0"),
            ("smaa_concentration", Float, "50"),
            ("bootstrap_resamples", Integer, "1000"),
            ("bootstrap_seed", Integer, "0"),
        )
    ),
    # Migration 5: the most participants the workshop takes (None: no cap).
    Column("participant_cap", Integer),
    # Migration FIRST_VERSION_WITH_CONSENSUS_RULE: the consensus rule (a band of NULL: the top or bottom
    # third of the scale; workshop.models.ConsensusSettings) and the ballot rule (workshop.models.BallotRule).
    Column("consensus_in_share", Float, nullable=False, server_default="0.7"),
    Column("consensus_against_share", Float, nullable=False, server_default="0.15"),
    Column("consensus_high_from", Float),
    Column("consensus_high_to", Float),
    Column("consensus_low_from", Float),
    Column("consensus_low_to", Float),
    Column("ballot_rule", String(10), nullable=False, server_default="borda"),
    CheckConstraint("shortlist_size >= 1", name="shortlist_size"),
    CheckConstraint(
        "weight_method IN ('direct', 'rank order', 'pairwise', 'participants', 'swing')", name="weight_method"
    ),
    CheckConstraint("ranking_method IN ('weighted-sum', 'topsis', 'borda', 'copeland')", name="ranking_method"),
    CheckConstraint("ranking_aggregation IN ('mean', 'median')", name="ranking_aggregation"),
    CheckConstraint("smaa_sampling IN ('uniform', 'around', 'participants')", name="smaa_sampling"),
    CheckConstraint("ballot_rule IN ('borda', 'jla')", name="ballot_rule"),
)

priorities = _of_workshop(
    "priorities",
    *_listed(),
    _text("theme"),
    _text("description"),
    _text("evidence"),
    # Migration FIRST_VERSION_WITH_BALLOT (workshop.migrations): what a young people's ballot shows.
    Column("plain_title", Text, nullable=False, server_default=""),
    Column("plain_sentence", Text, nullable=False, server_default=""),
    Index(None, "workshop_id", "position"),
    unique="name",
)

criteria = _of_workshop(
    "criteria",
    *_listed(),
    _text("description"),
    Column("direction", String(10), nullable=False),
    Column("scale_min", Integer, nullable=False),
    Column("scale_max", Integer, nullable=False),
    _text("descriptors"),  # JSON list, one string per scale point
    Column("weight", Float, nullable=False),
    Index(None, "workshop_id", "position"),
    unique="name",
    checks={"direction": "direction IN ('benefit', 'cost')", "scale": "scale_max > scale_min", "weight": "weight >= 0"},
)

stakeholder_groups = _of_workshop("stakeholder_groups", *_listed(), _text("description"), unique="name")

rounds = _of_workshop(
    "rounds",
    _whole("number"),
    Column("title", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("pick_count", Integer),
    _when("created_at", nullable=False),
    *(_when(f"{event}_at") for event in ("opened", "closed", "revealed")),
    # Migration FIRST_VERSION_WITH_FEEDBACK: feedback between rounds (workshop.models.FeedbackSettings).
    Column("feedback_split", String(10), nullable=False, server_default="groups"),
    Column("feedback_preselect", Boolean, nullable=False, server_default=false()),
    Column("ask_why_changed", Boolean, nullable=False, server_default=false()),
    # Migration FIRST_VERSION_WITH_BALLOT: a young people's ballot (workshop.ballot).
    Column("young_ballot", Boolean, nullable=False, server_default=false()),
    unique="number",
    checks={
        "kind": "kind IN ('weighting', 'scoring', 'ranking')",
        "feedback_split": "feedback_split IN ('groups', 'room')",
        "state": "state IN ('draft', 'open', 'closed', 'revealed')",
        "pick_count": "pick_count IS NULL OR pick_count >= 1",
    },
)

def _round_pairs(name: str, column: str, target: str) -> Table:
    """A table of (round, other row) pairs: both columns the key, the other one indexed too."""
    return Table(
        name,
        metadata,
        Column("round_id", Integer, _fk("rounds.id"), primary_key=True),
        Column(column, Integer, _fk(target), primary_key=True),
        Index(None, column),
    )


round_priorities = _round_pairs("round_priorities", "priority_id", "priorities.id")

participants = _of_workshop(
    "participants",
    _whole("number"),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("display_name", String(200)),
    _ref("group_id", "stakeholder_groups", "RESTRICT", nullable=True),
    _when("joined_at", nullable=False),
    _when("last_seen", nullable=False),
    # Migration 5: when the facilitator removed the participant (their token is then refused).
    _when("removed_at"),
    # Migration FIRST_VERSION_WITH_BALLOT: the optional age band a young people's ballot asks for.
    Column("age_band", String(20)),
    Index(None, "group_id"),
    unique="number",
)

# Migration 8 (``migrations.FIRST_VERSION_WITH_CONSULTATIONS``): a consultation round's closing time
# and share of the list (one row per round that has either), its audience, and each participant's share.
round_consultations = Table(
    "round_consultations",
    metadata,
    Column("round_id", Integer, _fk("rounds.id"), primary_key=True),
    Column("closes_at", UTCDateTime),
    Column("share_mode", String(10)),
    Column("share_size", Integer),
    Column("share_seed", Integer, nullable=False),
    Column("share_minimum", Integer, nullable=False),
    CheckConstraint("share_mode IS NULL OR share_mode IN ('balanced', 'themes')", name="share_mode"),
    CheckConstraint("share_size IS NULL OR share_size >= 1", name="share_size"),
    CheckConstraint("share_minimum >= 0", name="share_minimum"),
)

round_audiences = _round_pairs("round_audiences", "group_id", "stakeholder_groups.id")

round_shares = Table(
    "round_shares",
    metadata,
    Column("round_id", Integer, _fk("rounds.id"), primary_key=True),
    Column("participant_id", Integer, _fk("participants.id"), primary_key=True),
    Column("priority_id", Integer, _fk("priorities.id"), primary_key=True),
    Index(None, "round_id", "priority_id"),
    Index(None, "participant_id"),
    Index(None, "priority_id"),
)

scores = _answers(
    "scores",
    _ref("priority_id", "priorities"),
    _ref("criterion_id", "criteria"),
    Column("value", Float),  # NULL = "don't know"
    unique=(("priority_id", "criterion_id"),),
    indexes=("priority_id", "criterion_id"),
    # Migration FIRST_VERSION_WITH_FEEDBACK: why the participant changed the answer across the scale (optional).
    added=(Column("reason", Text),),
)

# Migration FIRST_VERSION_WITH_BALLOT: a young people's ballot's one answer per priority
# (workshop.ballot.BALLOT_ANSWERS: 1 = not important .. 3 = very important; NULL = "not sure").
ballot_answers = _answers(
    "ballot_answers",
    _ref("priority_id", "priorities"),
    Column("value", Integer),
    unique=(("priority_id",),),
    indexes=("priority_id",),
)

allocations = _answers(
    "allocations",
    _ref("criterion_id", "criteria"),
    _whole("points"),
    unique=(("criterion_id",),),
    indexes=("criterion_id",),
    checks={"points": "points >= 0"},
)

rankings = _answers(
    "rankings",
    _ref("priority_id", "priorities"),
    _whole("position"),
    unique=(("priority_id",), ("position",)),
    indexes=("priority_id",),
    checks={"position": "position >= 1"},
)
decisions = Table(
    "decisions",
    metadata,
    _id(),
    _ref("workshop_id", "workshops"),
    _ref("round_id", "rounds", "SET NULL", nullable=True),
    Column("decided_by", String(200), nullable=False),
    _when("decided_at", nullable=False),
    _text("note"),
    Index(None, "workshop_id"),
    Index(None, "round_id"),
)

decision_items = Table(
    "decision_items",
    metadata,
    _id(),
    _ref("decision_id", "decisions"),
    _ref("priority_id", "priorities"),
    Column("position", Integer),  # place in the shortlist, NULL for a priority left out
    _text("rationale"),
    Column("computed_rank", Integer),
    Column("departure_reason", Text),  # NULL unless the item departs from the computed ranking
    Column("name", String(200)),  # the priority's name when the decision was recorded (migration 4)
    UniqueConstraint("decision_id", "priority_id"),
    Index(None, "priority_id"),
    CheckConstraint("position IS NULL OR position >= 1", name="position"),
)

criterion_swings = Table(
    "criterion_swings",
    metadata,
    # The swing (0..100) a criterion was given when the weights were set by swing
    # (migration FIRST_VERSION_WITH_CONSENSUS_RULE); no row when they were not.
    Column("criterion_id", Integer, _fk("criteria.id"), primary_key=True, autoincrement=False),
    Column("swing", Float, nullable=False),
    CheckConstraint("swing >= 0 AND swing <= 100", name="swing"),
)

decision_measurements = Table(
    "decision_measurements",
    metadata,
    # What the decision was measured against (``workshop.decision.Measurement`` as JSON; migration 4).
    Column("decision_id", Integer, _fk("decisions.id"), primary_key=True, autoincrement=False),
    _text("measurement"),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    _ref("workshop_id", "workshops"),
    _when("at", nullable=False),
    Column("actor", String(40), nullable=False),
    Column("action", String(60), nullable=False),
    _text("detail"),
    Index(None, "workshop_id", "id"),
)

# The plan after the workshop (``migrations.FIRST_VERSION_WITH_PLAN``; ``workshop.models.plan``).

indicators = Table(
    "indicators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("priority_id", Integer, _fk("priorities.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit", String(60), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("baseline", Float, nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("baseline_source", String(200), nullable=False),
    Column("target", Float, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("lead_group_id", Integer, _fk("stakeholder_groups.id", "RESTRICT")),
    Column("note", Text, nullable=False),
    UniqueConstraint("workshop_id", "name"),
    Index(None, "priority_id"),
    Index(None, "lead_group_id"),
    CheckConstraint("direction IN ('higher', 'lower')", name="direction"),
    CheckConstraint("target_date > baseline_date", name="dates"),
)

indicator_actuals = Table(
    "indicator_actuals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_id", Integer, _fk("indicators.id"), nullable=False),
    Column("period", String(7), nullable=False),  # "2012-Q1" or "2012-03" (ranking.periods.Period.label)
    Column("value", Float, nullable=False),
    Column("commentary", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(40), nullable=False),
    UniqueConstraint("indicator_id", "period"),
)

lead_links = Table(
    "lead_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("priority_id", Integer, _fk("priorities.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UTCDateTime, nullable=False),
    UniqueConstraint("workshop_id", "priority_id"),
    Index(None, "priority_id"),
)

plan_settings = Table(
    "plan_settings",
    metadata,
    # The status rule's thresholds (ranking.indicator_status.StatusSettings); no row: the defaults.
    Column("workshop_id", Integer, _fk("workshops.id"), primary_key=True, autoincrement=False),
    Column("tolerance", Float, nullable=False),
    Column("progress", Float, nullable=False),
)

#: The plan's tables, in the order they are created.
PLAN_TABLES = (indicators, indicator_actuals, lead_links, plan_settings)

reviews = Table(
    "reviews",
    metadata,
    # An annual review's basis: the workshop and decision it compares with
    # (``workshop.review.ReviewBasis`` as JSON; migration ``FIRST_VERSION_WITH_REVIEWS``).
    Column("workshop_id", Integer, _fk("workshops.id"), primary_key=True, autoincrement=False),
    Column("basis", Text, nullable=False),
)

review_reasons = Table(
    "review_reasons",
    metadata,
    # Why the review's board dropped one of last year's agreed priorities (by its name then).
    Column("workshop_id", Integer, _fk("reviews.workshop_id"), primary_key=True),
    Column("priority", String(200), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
