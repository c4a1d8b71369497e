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

The tables later migrations added are defined in ``workshop.schema_added`` and the factories
and time type the tables share in ``workshop.schema_base``; this module names every table.

Timestamps are stored as naive UTC and come back timezone-aware (UTC) on
both SQLite and PostgreSQL.  ``workshops.version`` is the per-workshop
change counter: every write transaction for a workshop bumps it first.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from workshop import schema_base as b
from workshop.schema_added import (
    PLAN_TABLES,
    ballot_answers,
    criterion_swings,
    decision_measurements,
    indicator_actuals,
    indicators,
    lead_links,
    plan_settings,
    review_reasons,
    reviews,
    round_audiences,
    round_consultations,
    round_shares,
)
from workshop.schema_base import UTCDateTime, metadata

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    b.text("description"),
    b.when("applied_at", nullable=False),
)

workshops = Table(
    "workshops",
    metadata,
    b.id_column(),
    Column("code", String(6), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    b.text("organisation", default=""),
    Column("event_date", Date),
    b.text("description", default=""),
    Column("shortlist_size", Integer, nullable=False),
    Column("weight_method", String(20), nullable=False),
    Column("key_hash", String(200), nullable=False),
    b.when("created_at", nullable=False),
    b.when("setup_locked_at"),
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

priorities = b.of_workshop(
    "priorities",
    *b.listed(),
    b.text("theme"),
    b.text("description"),
    b.text("evidence"),
    # Migration FIRST_VERSION_WITH_BALLOT (workshop.migrations): what a young people's ballot shows.
    Column("plain_title", Text, nullable=False, server_default=""),
    Column("plain_sentence", Text, nullable=False, server_default=""),
    Index(None, "workshop_id", "position"),
    unique="name",
)

criteria = b.of_workshop(
    "criteria",
    *b.listed(),
    b.text("description"),
    Column("direction", String(10), nullable=False),
    Column("scale_min", Integer, nullable=False),
    Column("scale_max", Integer, nullable=False),
    b.text("descriptors"),  # JSON list, one string per scale point
    Column("weight", Float, nullable=False),
    Index(None, "workshop_id", "position"),
    unique="name",
    checks={"direction": "direction IN ('benefit', 'cost')", "scale": "scale_max > scale_min", "weight": "weight >= 0"},
)

stakeholder_groups = b.of_workshop("stakeholder_groups", *b.listed(), b.text("description"), unique="name")

rounds = b.of_workshop(
    "rounds",
    b.whole("number"),
    Column("title", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("pick_count", Integer),
    b.when("created_at", nullable=False),
    *(b.when(f"{event}_at") for event in ("opened", "closed", "revealed")),
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

round_priorities = b.round_pairs("round_priorities", "priority_id", "priorities.id")

participants = b.of_workshop(
    "participants",
    b.whole("number"),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("display_name", String(200)),
    b.ref("group_id", "stakeholder_groups", "RESTRICT", nullable=True),
    b.when("joined_at", nullable=False),
    b.when("last_seen", nullable=False),
    # Migration 5: when the facilitator removed the participant (their token is then refused).
    b.when("removed_at"),
    # Migration FIRST_VERSION_WITH_BALLOT: the optional age band a young people's ballot asks for.
    Column("age_band", String(20)),
    Index(None, "group_id"),
    unique="number",
)

scores = b.answers(
    "scores",
    b.ref("priority_id", "priorities"),
    b.ref("criterion_id", "criteria"),
    Column("value", Float),  # NULL = "don't know"
    unique=(("priority_id", "criterion_id"),),
    indexes=("priority_id", "criterion_id"),
    # Migration FIRST_VERSION_WITH_FEEDBACK: why the participant changed the answer across the scale (optional).
    added=(Column("reason", Text),),
)

allocations = b.answers(
    "allocations",
    b.ref("criterion_id", "criteria"),
    b.whole("points"),
    unique=(("criterion_id",),),
    indexes=("criterion_id",),
    checks={"points": "points >= 0"},
)

rankings = b.answers(
    "rankings",
    b.ref("priority_id", "priorities"),
    b.whole("position"),
    unique=(("priority_id",), ("position",)),
    indexes=("priority_id",),
    checks={"position": "position >= 1"},
)
decisions = Table(
    "decisions",
    metadata,
    b.id_column(),
    b.ref("workshop_id", "workshops"),
    b.ref("round_id", "rounds", "SET NULL", nullable=True),
    Column("decided_by", String(200), nullable=False),
    b.when("decided_at", nullable=False),
    b.text("note"),
    Index(None, "workshop_id"),
    Index(None, "round_id"),
)

decision_items = Table(
    "decision_items",
    metadata,
    b.id_column(),
    b.ref("decision_id", "decisions"),
    b.ref("priority_id", "priorities"),
    Column("position", Integer),  # place in the shortlist, NULL for a priority left out
    b.text("rationale"),
    Column("computed_rank", Integer),
    Column("departure_reason", Text),  # NULL unless the item departs from the computed ranking
    Column("name", String(200)),  # the priority's name when the decision was recorded (migration 4)
    UniqueConstraint("decision_id", "priority_id"),
    Index(None, "priority_id"),
    CheckConstraint("position IS NULL OR position >= 1", name="position"),
)

audit_log = Table(
    "audit_log",
    metadata,
    b.id_column(),
    b.ref("workshop_id", "workshops"),
    b.when("at", nullable=False),
    Column("actor", String(40), nullable=False),
    Column("action", String(60), nullable=False),
    b.text("detail"),
    Index(None, "workshop_id", "id"),
)

#: Every table (and the metadata and time type), whichever module defines it.
__all__ = [
    "PLAN_TABLES",
    "UTCDateTime",
    "allocations",
    "audit_log",
    "ballot_answers",
    "criteria",
    "criterion_swings",
    "decision_items",
    "decision_measurements",
    "decisions",
    "indicator_actuals",
    "indicators",
    "lead_links",
    "metadata",
    "participants",
    "plan_settings",
    "priorities",
    "rankings",
    "review_reasons",
    "reviews",
    "round_audiences",
    "round_consultations",
    "round_priorities",
    "round_shares",
    "rounds",
    "schema_migrations",
    "scores",
    "stakeholder_groups",
    "workshops",
]
