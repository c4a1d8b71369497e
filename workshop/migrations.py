"""Recorded, ordered schema migrations, applied at start-up.

``migrate`` runs every migration not yet recorded in ``schema_migrations``,
in version order, inside one transaction, and records each.  Running it
again is a no-op.  Two processes starting at once are serialised: on
PostgreSQL by a transaction-scoped advisory lock taken before anything
else, on SQLite by ``BEGIN IMMEDIATE``; the second process then finds the
versions recorded and does nothing.

Migration 1 creates the tables as they first were: the live metadata of
``schema.py`` for every table no later migration alters, and a frozen copy
of version 1 for those that one does (``workshops``, see
``_v1_table``).  Each later migration is explicit DDL, and
``schema.py`` is changed to match; the tests compare a migrated database
with ``schema.metadata`` and upgrade a version-1 database with data in it.
When a later migration alters another table, freeze that table here too.

Migration 2 adds the workshop's ranking options (method, mean or median,
group-balanced), the choice the facilitator makes on the Results page.
Existing workshops get the engine's defaults (weighted sum of the mean, not
balanced), which is what they were ranked with before.

Migration 3 adds the workshop's robustness settings (SMAA's weight
sampling, samples, seed and concentration; the bootstrap's resamples and
seed), set on the Results page and used there and by every export.
Existing workshops get ``ranking.robustness.RobustnessOptions()``: 10,000
weight vectors drawn around the agreed weights (Dirichlet, concentration
50), seed 0, and 1,000 bootstrap resamples, seed 0.  Before it the Results
page drew uniform weights (seed 0) and the exports another distribution
(seed 1, bootstrap seed 2), so no earlier figure is kept either way; the
new default is the one that reads the room's own weights.
Migration 4 freezes each decision's record: the priorities' names and the
computed ranking it was measured against (``workshop.decision``).
Migration 5 adds the workshop's optional cap on participants and the time a
participant was removed by the facilitator (``participants.removed_at``).
Migration ``FIRST_VERSION_WITH_PLAN`` creates the plan after the workshop:
each agreed priority's indicators, their actuals per period, the leads'
links and the status rule's settings (``schema.PLAN_TABLES``); no existing
workshop has a plan yet.
Migration ``FIRST_VERSION_WITH_FEEDBACK`` adds a round's feedback between
rounds (the earlier answers by group or the whole room, pre-selected or
not, "why did you change?" asked or not; existing rounds get the defaults:
by group, not pre-selected, not asked) and the optional reason stored with
a score (none for existing scores).
Migration ``FIRST_VERSION_WITH_CONSULTATIONS`` adds consultation rounds: a
round's closing time and share of the list (``round_consultations``), its
audience of stakeholder groups (``round_audiences``) and each participant's
share (``round_shares``); new tables only, so existing rounds are live rounds
for everyone, as before.
Migration ``FIRST_VERSION_WITH_CONSENSUS_RULE`` adds the workshop's consensus
rule (shares and bands, a band of NULL being the top or bottom third of the
scale) and ballot rule (pooled Borda or group-fair), each criterion's swing
(``criterion_swings``), and "swing" as a weighting method.  Existing workshops get the defaults:
70% / 15% on the thirds, Borda, no swings.  Widening the weighting method's
CHECK constraint is done in place: on PostgreSQL by dropping and adding it,
on SQLite by rewriting the table's stored definition (the SQLite manual's
procedure for changing a CHECK constraint, "ALTER TABLE" §7: the new
constraint admits every row the old one did, so no row needs checking).
Migration ``FIRST_VERSION_WITH_BALLOT`` adds the young people's ballot: each
priority's optional plain-language title and sentence (blank for existing
ones), ``rounds.young_ballot`` (false for existing rounds), the ballot's
answers (``ballot_answers``, one per participant and priority) and a
participant's optional age band (``participants.age_band``, none for existing ones).
Migration ``FIRST_VERSION_WITH_REVIEWS`` adds annual reviews: the basis a
review compares with (``reviews``) and the reasons for dropping last year's
priorities (``review_reasons``); no existing workshop is a review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    Date,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    select,
)
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from workshop import schema, schema_added
from workshop.db import is_sqlite, transaction

#: The migration that creates the plan's tables (one constant: the number may change when branches merge).
FIRST_VERSION_WITH_PLAN = 10
#: The migration that adds annual reviews (``workshop.review``); referred to only through this name.
FIRST_VERSION_WITH_REVIEWS = 11

#: The migration that adds feedback between rounds (named once: the number may change at a merge).
FIRST_VERSION_WITH_FEEDBACK = 6
#: The migration that adds consultation rounds (closing times, audiences, shares of the list).
FIRST_VERSION_WITH_CONSULTATIONS = 8
#: The migration that adds the young people's ballot.  Named once, because migrations are
#: renumbered when branches merge: refer to it only through this constant.
FIRST_VERSION_WITH_BALLOT = 9

#: Any fixed 64-bit number; only this application takes it.
ADVISORY_LOCK_KEY = 0x5052494F52495445  # "PRIORITE"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


@dataclass(frozen=True)
class AppliedMigration:
    version: int
    description: str
    applied_at: datetime


# Migration 1's tables that a later migration alters, frozen as version 1 had them.  They are spelt out
# with this module's own helpers, never schema.py's factories, so that no edit of schema.py moves them.

#: Version 1's definitions of the tables a later migration alters (``_create_tables`` copies them).
_VERSION_1 = MetaData(naming_convention=schema.metadata.naming_convention)
#: A time column's type (aware UTC datetimes stored as naive UTC; the same DDL since version 1).
_TIME = schema.UTCDateTime


def _v1_table(name: str, *items: SchemaItem, parents: Mapping[str, str]) -> Table:
    """A table as migration 1 created it: an id, then a reference to each of ``parents`` (column:
    table, deleted with its row), then ``items``."""
    return Table(
        name,
        _VERSION_1,
        Column("id", Integer, primary_key=True),
        *(
            Column(column, Integer, ForeignKey(f"{to}.id", ondelete="CASCADE"), nullable=False)
            for column, to in parents.items()
        ),
        *items,
    )


def _needed(name: str, kind: TypeEngine[object] | type[TypeEngine[object]], **options: object) -> Column[object]:
    """A column that may not be NULL."""
    return Column(name, kind, nullable=False, **options)


_IN_WORKSHOP = {"workshop_id": "workshops"}

# workshops: migration 2 alters it (and later ones).
_v1_table(
    "workshops",
    _needed("code", String(6), unique=True),
    _needed("title", String(200)),
    _needed("organisation", Text, default=""),
    Column("event_date", Date),
    _needed("description", Text, default=""),
    _needed("shortlist_size", Integer),
    _needed("weight_method", String(20)),
    _needed("key_hash", String(200)),
    _needed("created_at", _TIME),
    Column("setup_locked_at", _TIME),
    _needed("version", BigInteger),
    CheckConstraint("shortlist_size >= 1", name="shortlist_size"),
    CheckConstraint("weight_method IN ('direct', 'rank order', 'pairwise', 'participants')", name="weight_method"),
    parents={},
)
# participants: migration 5 alters it.
_v1_table(
    "participants",
    _needed("number", Integer),
    _needed("token_hash", String(64), unique=True),
    Column("display_name", String(200)),
    Column("group_id", Integer, ForeignKey("stakeholder_groups.id", ondelete="RESTRICT")),
    *(_needed(seen, _TIME) for seen in ("joined_at", "last_seen")),
    UniqueConstraint("workshop_id", "number"),
    Index(None, "group_id"),
    parents=_IN_WORKSHOP,
)
# decision_items: migration 4 alters it.
_v1_table(
    "decision_items",
    Column("position", Integer),
    _needed("rationale", Text),
    Column("computed_rank", Integer),
    Column("departure_reason", Text),
    UniqueConstraint("decision_id", "priority_id"),
    Index(None, "priority_id"),
    CheckConstraint("position IS NULL OR position >= 1", name="position"),
    parents={"decision_id": "decisions", "priority_id": "priorities"},
)
# priorities: the ballot's migration alters it.
_v1_table(
    "priorities",
    _needed("position", Integer),
    _needed("name", String(200)),
    *(_needed(text, Text) for text in ("theme", "description", "evidence")),
    UniqueConstraint("workshop_id", "name"),
    Index(None, "workshop_id", "position"),
    parents=_IN_WORKSHOP,
)
# rounds: the feedback migration alters it (and the ballot's).
_v1_table(
    "rounds",
    _needed("number", Integer),
    _needed("title", String(200)),
    *(_needed(word, String(10)) for word in ("kind", "state")),
    Column("pick_count", Integer),
    _needed("created_at", _TIME),
    *(Column(f"{event}_at", _TIME) for event in ("opened", "closed", "revealed")),
    UniqueConstraint("workshop_id", "number"),
    CheckConstraint("kind IN ('weighting', 'scoring', 'ranking')", name="kind"),
    CheckConstraint("state IN ('draft', 'open', 'closed', 'revealed')", name="state"),
    CheckConstraint("pick_count IS NULL OR pick_count >= 1", name="pick_count"),
    parents=_IN_WORKSHOP,
)
# scores: the feedback migration alters it.
_v1_table(
    "scores",
    Column("value", Float),
    _needed("updated_at", _TIME),
    UniqueConstraint("round_id", "participant_id", "priority_id", "criterion_id"),
    *(Index(None, column) for column in ("participant_id", "priority_id", "criterion_id")),
    parents={
        "round_id": "rounds",
        "participant_id": "participants",
        "priority_id": "priorities",
        "criterion_id": "criteria",
    },
)

#: Tables a later migration alters, created by migration 1 from their frozen version-1 definitions.
_FROZEN = frozenset(_VERSION_1.tables)
#: Tables a later migration creates.
_LATER = frozenset(t.name for t in schema_added.TABLES)


def _create_tables(conn: Connection) -> None:
    """Migration 1: every table as it first was, in one metadata so that the
    frozen copies' foreign keys find the tables they refer to."""
    version_1 = MetaData(naming_convention=schema.metadata.naming_convention)
    unaltered = (t for t in schema.metadata.sorted_tables if t.name not in _FROZEN | _LATER)
    for table in (*_VERSION_1.tables.values(), *unaltered):
        if table is not schema.schema_migrations:
            table.to_metadata(version_1)
    version_1.create_all(conn, checkfirst=False)


def _add_ranking_options(conn: Connection) -> None:
    """Migration 2: the workshop's ranking options, defaulting to what every
    workshop was ranked with before (weighted sum of the mean, not balanced).
    The same DDL on SQLite and PostgreSQL (FALSE is a literal in both)."""
    for ddl in (
        "ALTER TABLE workshops ADD COLUMN ranking_method VARCHAR(20) DEFAULT 'weighted-sum' NOT NULL "
        "CONSTRAINT ck_workshops_ranking_method "
        "CHECK (ranking_method IN ('weighted-sum', 'topsis', 'borda', 'copeland'))",
        "ALTER TABLE workshops ADD COLUMN ranking_aggregation VARCHAR(10) DEFAULT 'mean' NOT NULL "
        "CONSTRAINT ck_workshops_ranking_aggregation CHECK (ranking_aggregation IN ('mean', 'median'))",
        "ALTER TABLE workshops ADD COLUMN ranking_balanced BOOLEAN DEFAULT FALSE NOT NULL",
    ):
        conn.exec_driver_sql(ddl)


def _add_robustness_options(conn: Connection) -> None:
    """Migration 3: the workshop's robustness settings, defaulting to
    ``RobustnessOptions()`` (see the module docstring).  The same DDL on
    SQLite and PostgreSQL."""
    for ddl in (
        "ALTER TABLE workshops ADD COLUMN smaa_sampling VARCHAR(20) DEFAULT 'around' NOT NULL "
        "CONSTRAINT ck_workshops_smaa_sampling CHECK (smaa_sampling IN ('uniform', 'around', 'participants'))",
        "ALTER TABLE workshops ADD COLUMN smaa_samples INTEGER DEFAULT 10000 NOT NULL",
        "ALTER TABLE workshops ADD COLUMN smaa_seed INTEGER DEFAULT 0 NOT NULL",
        "ALTER TABLE workshops ADD COLUMN smaa_concentration FLOAT DEFAULT 50 NOT NULL",
        "ALTER TABLE workshops ADD COLUMN bootstrap_resamples INTEGER DEFAULT 1000 NOT NULL",
        "ALTER TABLE workshops ADD COLUMN bootstrap_seed INTEGER DEFAULT 0 NOT NULL",
    ):
        conn.exec_driver_sql(ddl)


def _add_decision_measurements(conn: Connection) -> None:
    """Migration 4: each decision keeps the names it was recorded with
    (``decision_items.name``, filled from the priorities as they are now) and
    what it was measured against (``decision_measurements``).  Decisions
    recorded before have no measurement: they are shown as recorded before
    decisions kept their figures."""
    conn.exec_driver_sql("ALTER TABLE decision_items ADD COLUMN name VARCHAR(200)")
    conn.exec_driver_sql(
        "UPDATE decision_items SET name = (SELECT p.name FROM priorities p WHERE p.id = decision_items.priority_id)"
    )
    schema.decision_measurements.create(conn, checkfirst=False)


def _add_participant_cap_and_removal(conn: Connection) -> None:
    """Migration 5: the workshop's optional cap on participants (none for
    existing workshops) and when a participant was removed (nobody yet)."""
    conn.exec_driver_sql("ALTER TABLE workshops ADD COLUMN participant_cap INTEGER")
    timestamp = "DATETIME" if conn.dialect.name == "sqlite" else "TIMESTAMP WITHOUT TIME ZONE"
    conn.exec_driver_sql(f"ALTER TABLE participants ADD COLUMN removed_at {timestamp}")


def _add_plan(conn: Connection) -> None:
    """Migration ``FIRST_VERSION_WITH_PLAN``: the plan's tables, empty."""
    for table in schema.PLAN_TABLES:
        table.create(conn, checkfirst=False)


def _add_feedback_between_rounds(conn: Connection) -> None:
    """Migration ``FIRST_VERSION_WITH_FEEDBACK``: a round's feedback settings, defaulting to what a
    round showed before it (nothing pre-selected, no reason asked; by group once shown), and the
    optional reason stored with a score.  The same DDL on SQLite and PostgreSQL."""
    for ddl in (
        "ALTER TABLE rounds ADD COLUMN feedback_split VARCHAR(10) DEFAULT 'groups' NOT NULL "
        "CONSTRAINT ck_rounds_feedback_split CHECK (feedback_split IN ('groups', 'room'))",
        "ALTER TABLE rounds ADD COLUMN feedback_preselect BOOLEAN DEFAULT FALSE NOT NULL",
        "ALTER TABLE rounds ADD COLUMN ask_why_changed BOOLEAN DEFAULT FALSE NOT NULL",
        "ALTER TABLE scores ADD COLUMN reason TEXT",
    ):
        conn.exec_driver_sql(ddl)


def _add_consultations(conn: Connection) -> None:
    """Migration ``FIRST_VERSION_WITH_CONSULTATIONS``: the tables of consultation rounds (new tables
    only: every existing round stays a live round for everyone)."""
    for table in (schema.round_consultations, schema.round_audiences, schema.round_shares):
        table.create(conn, checkfirst=False)


#: The version of the migration that adds the consensus rule, the ballot rule and swing weights.
FIRST_VERSION_WITH_CONSENSUS_RULE = 7
_OLD_WEIGHT_METHODS = "weight_method IN ('direct', 'rank order', 'pairwise', 'participants')"
_NEW_WEIGHT_METHODS = "weight_method IN ('direct', 'rank order', 'pairwise', 'participants', 'swing')"


def _add_consensus_rule_and_swings(conn: Connection) -> None:
    """The consensus and ballot rules, criteria's swings, and "swing" as a weighting method (see the
    module docstring)."""
    for ddl in (
        "ALTER TABLE workshops ADD COLUMN consensus_in_share FLOAT DEFAULT 0.7 NOT NULL",
        "ALTER TABLE workshops ADD COLUMN consensus_against_share FLOAT DEFAULT 0.15 NOT NULL",
        "ALTER TABLE workshops ADD COLUMN consensus_high_from FLOAT",
        "ALTER TABLE workshops ADD COLUMN consensus_high_to FLOAT",
        "ALTER TABLE workshops ADD COLUMN consensus_low_from FLOAT",
        "ALTER TABLE workshops ADD COLUMN consensus_low_to FLOAT",
        "ALTER TABLE workshops ADD COLUMN ballot_rule VARCHAR(10) DEFAULT 'borda' NOT NULL "
        "CONSTRAINT ck_workshops_ballot_rule CHECK (ballot_rule IN ('borda', 'jla'))",
    ):
        conn.exec_driver_sql(ddl)
    schema.criterion_swings.create(conn, checkfirst=False)
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE workshops DROP CONSTRAINT ck_workshops_weight_method")
        conn.exec_driver_sql(
            f"ALTER TABLE workshops ADD CONSTRAINT ck_workshops_weight_method CHECK ({_NEW_WEIGHT_METHODS})"
        )
        return
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'workshops'",
            (_OLD_WEIGHT_METHODS, _NEW_WEIGHT_METHODS),
        )
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    stored = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'workshops'").scalar()
    if _NEW_WEIGHT_METHODS not in (stored or ""):
        raise RuntimeError("the workshops table's weight_method constraint was not where migration 1 put it")


def _add_young_peoples_ballot(conn: Connection) -> None:
    """Migration ``FIRST_VERSION_WITH_BALLOT``: the priorities' plain-language
    title and sentence, the rounds' ballot flag and the ballot's answers.  The
    same DDL on SQLite and PostgreSQL (FALSE is a literal in both)."""
    for ddl in (
        "ALTER TABLE priorities ADD COLUMN plain_title TEXT DEFAULT '' NOT NULL",
        "ALTER TABLE priorities ADD COLUMN plain_sentence TEXT DEFAULT '' NOT NULL",
        "ALTER TABLE rounds ADD COLUMN young_ballot BOOLEAN DEFAULT FALSE NOT NULL",
        "ALTER TABLE participants ADD COLUMN age_band VARCHAR(20)",
    ):
        conn.exec_driver_sql(ddl)
    schema.ballot_answers.create(conn, checkfirst=False)


def _add_reviews(conn: Connection) -> None:
    """Migration ``FIRST_VERSION_WITH_REVIEWS``: the annual review's tables, empty."""
    schema.reviews.create(conn, checkfirst=False)
    schema.review_reasons.create(conn, checkfirst=False)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "workshops, setup, rounds, participants, answers, decisions and audit log", _create_tables),
    Migration(2, "the workshop's ranking options: method, mean or median, group-balanced", _add_ranking_options),
    Migration(3, "the workshop's robustness settings: SMAA sampling and seed, bootstrap", _add_robustness_options),
    Migration(4, "decisions keep their names and what they were measured against", _add_decision_measurements),
    Migration(5, "a cap on a workshop's participants; removed participants", _add_participant_cap_and_removal),
    Migration(
        FIRST_VERSION_WITH_FEEDBACK,
        "feedback between rounds: a round's settings and the reason given for a changed score",
        _add_feedback_between_rounds,
    ),
    Migration(
        FIRST_VERSION_WITH_CONSENSUS_RULE,
        "the workshop's consensus rule and ballot rule; criteria's swings and the swing weighting method",
        _add_consensus_rule_and_swings,
    ),
    Migration(
        FIRST_VERSION_WITH_CONSULTATIONS,
        "consultation rounds: closing times, audiences, shares of the list",
        _add_consultations,
    ),
    Migration(
        FIRST_VERSION_WITH_BALLOT,
        "the young people's ballot: plain-language titles and sentences, ballot rounds and answers",
        _add_young_peoples_ballot,
    ),
    Migration(FIRST_VERSION_WITH_PLAN, "the plan: indicators, actuals, leads' links, status settings", _add_plan),
    Migration(
        FIRST_VERSION_WITH_REVIEWS, "annual reviews: last year's decision and reasons for dropping", _add_reviews
    ),
)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> tuple[int, ...]:
    """Apply the migrations not yet recorded; return the versions applied now."""
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migration versions must be unique and ascending, not {versions}")
    with transaction(engine, write=True) as conn:
        if not is_sqlite(engine):
            conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        schema.schema_migrations.create(conn, checkfirst=True)
        done = set(conn.scalars(select(schema.schema_migrations.c.version)))
        applied = []
        for migration in migrations:
            if migration.version in done:
                continue
            migration.apply(conn)
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=migration.version, description=migration.description, applied_at=datetime.now(UTC)
                )
            )
            applied.append(migration.version)
    return tuple(applied)


def applied_migrations(engine: Engine) -> tuple[AppliedMigration, ...]:
    with transaction(engine, write=False) as conn:
        rows = conn.execute(select(schema.schema_migrations).order_by(schema.schema_migrations.c.version))
        return tuple(AppliedMigration(r.version, r.description, r.applied_at) for r in rows)
