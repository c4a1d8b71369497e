"""The tables later migrations added (``workshop.migrations``); ``workshop.schema`` names them with the first ones.

Decisions' measurements (migration 4), criteria's swings (``FIRST_VERSION_WITH_CONSENSUS_RULE``),
consultation rounds (``FIRST_VERSION_WITH_CONSULTATIONS``), the young people's ballot's answers
(``FIRST_VERSION_WITH_BALLOT``), the plan after the workshop (``FIRST_VERSION_WITH_PLAN``) and
annual reviews (``FIRST_VERSION_WITH_REVIEWS``).  Every table here is one migration 1 did not create.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, Float, Index, Integer, String, Table, Text, UniqueConstraint

from workshop.schema_base import UTCDateTime, answers, fk, id_column, metadata, ref, round_pairs, text

decision_measurements = Table(
    "decision_measurements",
    metadata,
    # What the decision was measured against (``workshop.decision.Measurement`` as JSON; migration 4).
    Column("decision_id", Integer, fk("decisions.id"), primary_key=True, autoincrement=False),
    text("measurement"),
)

criterion_swings = Table(
    "criterion_swings",
    metadata,
    # The swing (0..100) a criterion was given when the weights were set by swing
    # (migration FIRST_VERSION_WITH_CONSENSUS_RULE); no row when they were not.
    Column("criterion_id", Integer, fk("criteria.id"), primary_key=True, autoincrement=False),
    Column("swing", Float, nullable=False),
    CheckConstraint("swing >= 0 AND swing <= 100", name="swing"),
)

# Migration 8 (``migrations.FIRST_VERSION_WITH_CONSULTATIONS``): a consultation round's closing time
# and share of the list (one row per round that has either), its audience, and each participant's share.
round_consultations = Table(
    "round_consultations",
    metadata,
    Column("round_id", Integer, fk("rounds.id"), primary_key=True),
    Column("closes_at", UTCDateTime),
    Column("share_mode", String(10)),
    Column("share_size", Integer),
    Column("share_seed", Integer, nullable=False),
    Column("share_minimum", Integer, nullable=False),
    CheckConstraint("share_mode IS NULL OR share_mode IN ('balanced', 'themes')", name="share_mode"),
    CheckConstraint("share_size IS NULL OR share_size >= 1", name="share_size"),
    CheckConstraint("share_minimum >= 0", name="share_minimum"),
)

round_audiences = round_pairs("round_audiences", "group_id", "stakeholder_groups.id")

round_shares = Table(
    "round_shares",
    metadata,
    Column("round_id", Integer, fk("rounds.id"), primary_key=True),
    Column("participant_id", Integer, fk("participants.id"), primary_key=True),
    Column("priority_id", Integer, fk("priorities.id"), primary_key=True),
    Index(None, "round_id", "priority_id"),
    Index(None, "participant_id"),
    Index(None, "priority_id"),
)

# Migration FIRST_VERSION_WITH_BALLOT: a young people's ballot's one answer per priority
# (workshop.ballot.BALLOT_ANSWERS: 1 = not important .. 3 = very important; NULL = "not sure").
ballot_answers = answers(
    "ballot_answers",
    ref("priority_id", "priorities"),
    Column("value", Integer),
    unique=(("priority_id",),),
    indexes=("priority_id",),
)

# The plan after the workshop (``migrations.FIRST_VERSION_WITH_PLAN``; ``workshop.models.plan``).

indicators = Table(
    "indicators",
    metadata,
    id_column(),
    ref("workshop_id", "workshops"),
    ref("priority_id", "priorities"),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit", String(60), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("baseline", Float, nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("baseline_source", String(200), nullable=False),
    Column("target", Float, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("lead_group_id", Integer, fk("stakeholder_groups.id", "RESTRICT")),
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
    id_column(),
    ref("indicator_id", "indicators"),
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
    id_column(),
    ref("workshop_id", "workshops"),
    ref("priority_id", "priorities"),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UTCDateTime, nullable=False),
    UniqueConstraint("workshop_id", "priority_id"),
    Index(None, "priority_id"),
)

plan_settings = Table(
    "plan_settings",
    metadata,
    # The status rule's thresholds (ranking.indicator_status.StatusSettings); no row: the defaults.
    Column("workshop_id", Integer, fk("workshops.id"), primary_key=True, autoincrement=False),
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
    Column("workshop_id", Integer, fk("workshops.id"), primary_key=True, autoincrement=False),
    Column("basis", Text, nullable=False),
)

review_reasons = Table(
    "review_reasons",
    metadata,
    # Why the review's board dropped one of last year's agreed priorities (by its name then).
    Column("workshop_id", Integer, fk("reviews.workshop_id"), primary_key=True),
    Column("priority", String(200), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

#: Every table of this module: the tables migration 1 did not create (``migrations._LATER``).
TABLES = (
    decision_measurements,
    criterion_swings,
    round_consultations,
    round_audiences,
    round_shares,
    ballot_answers,
    *PLAN_TABLES,
    reviews,
    review_reasons,
)
