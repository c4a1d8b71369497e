"""The archive's JSON reader: ``loads`` decodes the document (typed by msgspec) and checks it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

import msgspec

from ranking.aggregate import Aggregation
from ranking.methods import Method, RankingOptions
from ranking.model import Direction
from ranking.normalize import Normalization
from ranking.robustness import RobustnessOptions
from ranking.sensitivity import WeightSampling
from workshop.archive import document as d
from workshop.archive.consultation import closing_time, read_share
from workshop.archive.converging import read_converging
from workshop.archive.feedback import read_feedback, with_reasons
from workshop.archive.model import (
    EARLIEST,
    FORMAT_NAME,
    FORMAT_VERSION,
    RANKING_SINCE,
    ROBUSTNESS_SINCE,
    ArchivedAllocation,
    ArchivedAuditEntry,
    ArchivedBallotAnswer,
    ArchivedChoice,
    ArchivedDecision,
    ArchivedDeparture,
    ArchivedMeasurement,
    ArchivedParticipant,
    ArchivedRanking,
    ArchivedRound,
    ArchivedScore,
    ArchivedStanding,
    ArchiveError,
    WorkshopArchive,
)
from workshop.archive.plan import plan_from_document
from workshop.archive.review import review_from_document
from workshop.errors import InvalidInput, one_of
from workshop.models import (
    CriterionSpec,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    RoundState,
    ShareMode,
    WeightMethod,
    WorkshopDetails,
    WorkshopSetup,
)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

#: How far ahead of this machine's clock an archive's times may be (another server's clock).
CLOCK_SKEW = timedelta(days=1)
#: JSON escapes of the control characters ``workshop.models.plain_text`` refuses (and a raw DEL).
_CONTROL_ESCAPE = re.compile(r"\x7f|\\(?:[bf]|u00(?:0[0-8bcef]|1[0-9a-f]|7f))", re.IGNORECASE)


def loads(data: bytes | str, now: datetime | None = None) -> WorkshopArchive:
    """Read and check an archive; raise ``ArchiveError`` naming the first problem.
    ``now`` (this machine's clock by default) bounds its times: none is in the future."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"The archive is not UTF-8 text (byte {exc.start}).") from None
    version = _version(_decode(data, d.Header))
    doc = _decode(data, d.Document)
    maybe = "\\" in data or "\x7f" in data  # a quick look first: few archives hold an escape at all
    if maybe and _CONTROL_ESCAPE.search(data):  # rare: find the text that holds one, to name it
        path = d.control_character(doc, "$")
        if path is not None:
            raise ArchiveError(f"{d.place(path)} contains a control character.")
    return _Reader(version, (now or datetime.now(UTC)) + CLOCK_SKEW).archive(doc)


def _decode(text: str, kind: type[T]) -> T:
    try:
        return msgspec.json.decode(text, type=kind)
    except msgspec.ValidationError as exc:
        if kind is d.Header:
            got = re.search(r"got `(\w+)`", str(exc))
            shown = d.KINDS.get(got[1], "not an object") if got else "not an object"
            raise ArchiveError(f"This is not a Prioritise workshop archive (it is {shown}, not an object).") from None
        raise d.reworded(exc) from None
    except msgspec.DecodeError as exc:
        raise _syntax_error(text, exc) from None
    except RecursionError:
        raise ArchiveError("The archive is nested too deeply to be a Prioritise archive.") from None


def _reject_constant(name: str) -> float:
    raise ArchiveError(f"The archive contains {name}, which is not a number JSON allows.")


def _syntax_error(text: str, exc: msgspec.DecodeError) -> ArchiveError:
    """Why the text is not JSON, in the standard library's words (line and column, not byte)."""
    try:
        json.loads(text, parse_constant=_reject_constant)
    except ArchiveError as refusal:
        return refusal
    except json.JSONDecodeError as bad:
        return ArchiveError(f"The archive is not valid JSON: {bad.msg} (line {bad.lineno}, column {bad.colno}).")
    except RecursionError:
        return ArchiveError("The archive is nested too deeply to be a Prioritise archive.")
    except ValueError:  # an integer of thousands of digits
        return ArchiveError("The archive holds a number too long to be one Prioritise writes.")
    return ArchiveError(f"The archive is not valid JSON: {exc}.")


def _version(header: d.Header) -> int:
    """The archive's format version, if this Prioritise reads it."""
    name = header.format
    if name != FORMAT_NAME:
        shown = "" if name is None else f" (its format is {json.dumps(name, ensure_ascii=False)[:60]})"
        raise ArchiveError(f"This is not a Prioritise workshop archive{shown}.")
    if header.format_version is msgspec.UNSET:
        raise ArchiveError("The archive does not say its format version.")
    version = header.format_version
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ArchiveError(f"The archive's format version {json.dumps(version)[:20]} is not one Prioritise writes.")
    if version > FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is format version {version}; this Prioritise reads version {FORMAT_VERSION}. "
            "Import it with a newer Prioritise."
        )
    return version


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Turn a model's own InvalidInput into an ArchiveError saying where it is."""
    try:
        yield
    except ArchiveError:
        raise
    except InvalidInput as exc:
        detail = "; ".join(exc.problems) if exc.problems else exc.message
        raise ArchiveError(f"{where}: {detail}", exc.problems) from None


def _choice(value: str, options: type[E], where: str, what: str) -> E:
    return one_of(
        options, value, lambda names: ArchiveError(f"{where}: the {what} must be one of {names}, not '{value}'.")
    )


class _Reader:
    """Builds the archive's model from its typed document: times, choices and the models' own rules."""

    def __init__(self, version: int, latest: datetime) -> None:
        self.version = version
        self.latest = latest

    def moment(self, text: str) -> datetime | None:
        """The time ``text`` says, if it is one the service's clock could have written."""
        try:
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo is not None and EARLIEST <= moment <= self.latest else None
        except (ValueError, OverflowError):  # overflow: year 1 or 9999 away from UTC
            return None

    def time(self, text: str, where: str) -> datetime:
        moment = self.moment(text)
        return moment if moment is not None else self.refuse_time(text, where)

    def optional_time(self, text: str | None, where: str) -> datetime | None:
        return None if text is None else self.time(text, where)

    def refuse_time(self, text: str, where: str) -> datetime:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ArchiveError(f"{where} is not an ISO 8601 time: '{text}'.") from None
        if moment.tzinfo is None:
            raise ArchiveError(f"{where} has no UTC offset: '{text}'.")
        if moment.year <= EARLIEST.year:
            raise ArchiveError(f"{where} is before {EARLIEST.year}, earlier than any Prioritise workshop: '{text}'.")
        raise ArchiveError(f"{where} is in the future: '{text}'.")

    def archive(self, doc: d.Document) -> WorkshopArchive:
        w = doc.workshop
        return WorkshopArchive(
            exported_at=self.time(doc.exported_at, "The archive: 'exported_at'"),
            code=w.code,
            created_at=self.time(w.created_at, "The archive's workshop: 'created_at'"),
            setup_locked_at=self.optional_time(w.setup_locked_at, "The archive's workshop: 'setup_locked_at'"),
            setup=self.setup(doc.setup),
            participants=tuple(
                ArchivedParticipant(
                    p.number,
                    p.display_name,
                    p.group,
                    self.time(p.joined_at, f"Participant {n}: 'joined_at'"),
                    self.time(p.last_seen, f"Participant {n}: 'last_seen'"),
                    self.optional_time(p.removed_at, f"Participant {n}: 'removed_at'"),
                    p.age_band,
                )
                for n, p in enumerate(doc.participants, start=1)
            ),
            rounds=tuple(self.round(r, f"Round {n}") for n, r in enumerate(doc.rounds, start=1)),
            decisions=tuple(self.decision(x, f"Decision {n}") for n, x in enumerate(doc.decisions, start=1)),
            audit_log=tuple(
                ArchivedAuditEntry(
                    self.time(e.at, f"Audit entry {n}: 'at'"), e.actor, e.participant, e.action, e.detail
                )
                for n, e in enumerate(doc.audit_log, start=1)
            ),
            participant_cap=w.participant_cap,
            plan=plan_from_document(doc.plan, self.version, self.time),
            review=review_from_document(doc.review, self.version, self.time),
        )

    def setup(self, s: d.SetupDoc) -> WorkshopSetup:
        where = "The setup"
        with _naming(where):
            try:
                when = None if s.date is None else date.fromisoformat(s.date)
            except ValueError:
                raise ArchiveError(f"{where}: 'date' must be a date like 2011-03-01, not '{s.date}'.") from None
            details = WorkshopDetails(s.title, s.organisation, when, s.description)
        priorities = []
        for n, p in enumerate(s.priorities, start=1):
            with _naming(f"Priority {n}"):
                priorities.append(
                    PrioritySpec(p.name, p.theme, p.description, p.evidence, p.plain_title, p.plain_sentence)
                )
        criteria = []
        for n, c in enumerate(s.criteria, start=1):
            with _naming(f"Criterion {n}"):
                direction = _choice(c.direction, Direction, f"Criterion {n}", "direction")
                spec = CriterionSpec(
                    c.name, c.description, direction, c.scale_min, c.scale_max, tuple(c.descriptors), c.weight, c.swing
                )
                criteria.append(spec)
        groups = []
        for n, g in enumerate(s.groups, start=1):
            with _naming(f"Group {n}"):
                groups.append(GroupSpec(g.name, g.description))
        consensus, ballot_rule = read_converging(s, self.version)
        with _naming(where):
            return WorkshopSetup(
                details,
                tuple(priorities),
                tuple(criteria),
                tuple(groups),
                s.shortlist_size,
                _choice(s.weight_method, WeightMethod, where, "weight method"),
                ranking=self.ranking(s),
                robustness=self.robustness(s),
                consensus=consensus,
                ballot_rule=ballot_rule,
            )

    def ranking(self, s: d.SetupDoc) -> RankingOptions:
        """The workshop's ranking options; the defaults for a version-1 archive, which had none."""
        if self.version < RANKING_SINCE:
            return RankingOptions()
        if isinstance(s.ranking, msgspec.UnsetType):
            raise ArchiveError("The setup: 'ranking' is missing.")
        where = "The setup: the ranking"
        return RankingOptions(
            _choice(s.ranking.method, Method, where, "ranking method"),
            None,
            _choice(s.ranking.aggregation, Aggregation, where, "aggregation"),
            s.ranking.balance_groups,
        )

    def robustness(self, s: d.SetupDoc) -> RobustnessOptions:
        """The workshop's robustness settings; the defaults for an archive from before version 3.
        Their bounds are checked by ``WorkshopSetup`` (named by ``_naming``)."""
        if self.version < ROBUSTNESS_SINCE:
            return RobustnessOptions()
        if isinstance(s.robustness, msgspec.UnsetType):
            raise ArchiveError("The setup: 'robustness' is missing.")
        r = s.robustness
        sampling = _choice(r.sampling, WeightSampling, "The setup: the robustness settings", "weight sampling")
        return RobustnessOptions(sampling, r.samples, r.seed, r.concentration, r.resamples, r.bootstrap_seed)

    def round(self, r: d.RoundDoc, where: str) -> ArchivedRound:
        moment, refuse = self.moment, self.refuse_time
        kind = _choice(r.kind, RoundKind, where, "round kind")
        scores = tuple(
            ArchivedScore(who, priority, criterion, value, moment(t) or refuse(t, f"{where}, score {n}: the time"))
            for n, (who, priority, criterion, value, t) in enumerate(r.scores, start=1)
        )
        return ArchivedRound(
            number=r.number,
            title=r.title,
            kind=kind,
            state=_choice(r.state, RoundState, where, "round state"),
            pick_count=r.pick_count,
            priorities=tuple(r.priorities),
            created_at=self.time(r.created_at, f"{where}: 'created_at'"),
            opened_at=self.optional_time(r.opened_at, f"{where}: 'opened_at'"),
            closed_at=self.optional_time(r.closed_at, f"{where}: 'closed_at'"),
            revealed_at=self.optional_time(r.revealed_at, f"{where}: 'revealed_at'"),
            closes_at=closing_time(r.closes_at, f"{where}: 'closes_at'", self.refuse_time),
            audience=tuple(r.audience),
            share=None if r.share is None else read_share(r.share, _choice(r.share.mode, ShareMode, where, "share")),
            shares=tuple((who, priority) for who, priority in r.shares),
            scores=with_reasons(self.version, r, scores, where),
            allocations=tuple(
                ArchivedAllocation(who, criterion, points, moment(t) or refuse(t, f"{where}, allocation {n}: the time"))
                for n, (who, criterion, points, t) in enumerate(r.allocations, start=1)
            ),
            rankings=tuple(
                ArchivedRanking(who, priority, position, moment(t) or refuse(t, f"{where}, ranking {n}: the time"))
                for n, (who, priority, position, t) in enumerate(r.rankings, start=1)
            ),
            feedback=read_feedback(self.version, r, kind, where),
            young_ballot=r.young_ballot,
            ballot=tuple(
                ArchivedBallotAnswer(
                    who, priority, value, moment(t) or refuse(t, f"{where}, ballot answer {n}: the time")
                )
                for n, (who, priority, value, t) in enumerate(r.ballot, start=1)
            ),
        )

    def decision(self, x: d.DecisionDoc, where: str) -> ArchivedDecision:
        return ArchivedDecision(
            decided_at=self.time(x.decided_at, f"{where}: 'decided_at'"),
            decided_by=x.decided_by,
            round=x.round,
            note=x.note,
            shortlist=tuple(ArchivedChoice(c.priority, c.rationale) for c in x.shortlist),
            departures=tuple(ArchivedDeparture(p.priority, p.computed_rank, p.reason) for p in x.departures),
            measured=None if x.measured is None else _measured(x.measured, f"{where}: what it was measured against"),
        )


def _measured(m: d.MeasuredDoc, where: str) -> ArchivedMeasurement:
    options = None
    if m.options is not None:
        o, at = m.options, f"{where}: the ranking options"
        options = RankingOptions(
            _choice(o.method, Method, at, "ranking method"),
            _choice(o.normalization, Normalization, at, "normalisation"),
            _choice(o.aggregation, Aggregation, at, "aggregation"),
            o.balance_groups,
            o.min_responses,
        )
    return ArchivedMeasurement(
        basis=m.basis,
        options=options,
        weights=tuple(m.weights),
        answers=m.answers,
        workshop_version=m.workshop_version,
        priorities=tuple(ArchivedStanding(*row) for row in m.priorities),
    )
