"""The database schema (SQLAlchemy Core), as the migrations build it
(``workshop.migrations``: migration 1 created it, migration 2 added the
workshop's ranking options, migration 3 its robustness settings, migration 4
what each decision was measured against, migration 5 the participant cap
and removed participants, ``migrations.FIRST_VERSION_WITH_PLAN`` the plan
after the workshop: indicators, their actuals, leads' links and the status
rule's settings).

Timestamps are stored as naive UTC and come back timezone-aware (UTC) on
both SQLite and PostgreSQL.  ``workshops.version`` is the per-workshop
change counter: every write transaction for a workshop bumps it first.
"""

from __future__ import annotations

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


schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("organisation", Text, nullable=False, default=""),
    Column("event_date", Date),
    Column("description", Text, nullable=False, default=""),
    Column("shortlist_size", Integer, nullable=False),
    Column("weight_method", String(20), nullable=False),
    Column("key_hash", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("setup_locked_at", UTCDateTime),
    Column("version", BigInteger, nullable=False),
    # Migration 2: the workshop's ranking options (ranking.methods.RankingOptions).
    Column("ranking_method", String(20), nullable=False, server_default="weighted-sum"),
    Column("ranking_aggregation", String(10), nullable=False, server_default="mean"),
    Column("ranking_balanced", Boolean, nullable=False, server_default=false()),
    # Migration 3: the workshop's robustness settings (ranking.robustness.RobustnessOptions).
    Column("smaa_sampling", String(20), nullable=False, server_default="around"),
    Column("smaa_samples", Integer, nullable=False, server_default="10000"),
    Column("smaa_seed", Integer, nullable=False, server_default="0"),
    Column("smaa_concentration", Float, nullable=False, server_default="50"),
    Column("bootstrap_resamples", Integer, nullable=False, server_default="1000"),
    Column("bootstrap_seed", Integer, nullable=False, server_default="0"),
    # Migration 5: the most participants the workshop takes (None: no cap).
    Column("participant_cap", Integer),
    CheckConstraint("shortlist_size >= 1", name="shortlist_size"),
    CheckConstraint("weight_method IN ('direct', 'rank order', 'pairwise', 'participants')", name="weight_method"),
    CheckConstraint("ranking_method IN ('weighted-sum', 'topsis', 'borda', 'copeland')", name="ranking_method"),
    CheckConstraint("ranking_aggregation IN ('mean', 'median')", name="ranking_aggregation"),
    CheckConstraint("smaa_sampling IN ('uniform', 'around', 'participants')", name="smaa_sampling"),
)

priorities = Table(
    "priorities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("theme", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    UniqueConstraint("workshop_id", "name"),
    Index(None, "workshop_id", "position"),
)

criteria = Table(
    "criteria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("direction", String(10), nullable=False),
    Column("scale_min", Integer, nullable=False),
    Column("scale_max", Integer, nullable=False),
    Column("descriptors", Text, nullable=False),  # JSON list, one string per scale point
    Column("weight", Float, nullable=False),
    UniqueConstraint("workshop_id", "name"),
    Index(None, "workshop_id", "position"),
    CheckConstraint("direction IN ('benefit', 'cost')", name="direction"),
    CheckConstraint("scale_max > scale_min", name="scale"),
    CheckConstraint("weight >= 0", name="weight"),
)

stakeholder_groups = Table(
    "stakeholder_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    UniqueConstraint("workshop_id", "name"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("pick_count", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    Column("opened_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("revealed_at", UTCDateTime),
    UniqueConstraint("workshop_id", "number"),
    CheckConstraint("kind IN ('weighting', 'scoring', 'ranking')", name="kind"),
    CheckConstraint("state IN ('draft', 'open', 'closed', 'revealed')", name="state"),
    CheckConstraint("pick_count IS NULL OR pick_count >= 1", name="pick_count"),
)

round_priorities = Table(
    "round_priorities",
    metadata,
    Column("round_id", Integer, _fk("rounds.id"), primary_key=True),
    Column("priority_id", Integer, _fk("priorities.id"), primary_key=True),
    Index(None, "priority_id"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("display_name", String(200)),
    Column("group_id", Integer, _fk("stakeholder_groups.id", "RESTRICT")),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    # Migration 5: when the facilitator removed the participant (their token is then refused).
    Column("removed_at", UTCDateTime),
    UniqueConstraint("workshop_id", "number"),
    Index(None, "group_id"),
)

scores = Table(
    "scores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, _fk("rounds.id"), nullable=False),
    Column("participant_id", Integer, _fk("participants.id"), nullable=False),
    Column("priority_id", Integer, _fk("priorities.id"), nullable=False),
    Column("criterion_id", Integer, _fk("criteria.id"), nullable=False),
    Column("value", Float),  # NULL = "don't know"
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("round_id", "participant_id", "priority_id", "criterion_id"),
    Index(None, "participant_id"),
    Index(None, "priority_id"),
    Index(None, "criterion_id"),
)

allocations = Table(
    "allocations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, _fk("rounds.id"), nullable=False),
    Column("participant_id", Integer, _fk("participants.id"), nullable=False),
    Column("criterion_id", Integer, _fk("criteria.id"), nullable=False),
    Column("points", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("round_id", "participant_id", "criterion_id"),
    Index(None, "participant_id"),
    Index(None, "criterion_id"),
    CheckConstraint("points >= 0", name="points"),
)

rankings = Table(
    "rankings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, _fk("rounds.id"), nullable=False),
    Column("participant_id", Integer, _fk("participants.id"), nullable=False),
    Column("priority_id", Integer, _fk("priorities.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("round_id", "participant_id", "priority_id"),
    UniqueConstraint("round_id", "participant_id", "position"),
    Index(None, "participant_id"),
    Index(None, "priority_id"),
    CheckConstraint("position >= 1", name="position"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("round_id", Integer, _fk("rounds.id", "SET NULL")),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),
    Index(None, "workshop_id"),
    Index(None, "round_id"),
)

decision_items = Table(
    "decision_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("decision_id", Integer, _fk("decisions.id"), nullable=False),
    Column("priority_id", Integer, _fk("priorities.id"), nullable=False),
    Column("position", Integer),  # place in the shortlist, NULL for a priority left out
    Column("rationale", Text, nullable=False),
    Column("computed_rank", Integer),
    Column("departure_reason", Text),  # NULL unless the item departs from the computed ranking
    Column("name", String(200)),  # the priority's name when the decision was recorded (migration 4)
    UniqueConstraint("decision_id", "priority_id"),
    Index(None, "priority_id"),
    CheckConstraint("position IS NULL OR position >= 1", name="position"),
)

decision_measurements = Table(
    "decision_measurements",
    metadata,
    # What the decision was measured against (``workshop.decision.Measurement`` as JSON; migration 4).
    Column("decision_id", Integer, _fk("decisions.id"), primary_key=True, autoincrement=False),
    Column("measurement", Text, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, _fk("workshops.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("action", String(60), nullable=False),
    Column("detail", Text, nullable=False),
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
