"""The annual review: last year's decision carried into a new workshop, and this year's decision compared with it.

A review starts from last year's workshop as an archive (``workshop.archive``:
read from the database with the facilitator's key, or from a JSON file).
``review_start`` makes the new workshop's setup from it (the same
priorities, criteria, stakeholder groups and settings; the board can add and
remove priorities on the Setup page as before) and the ``ReviewBasis``
stored with it: which workshop and decision it reviews, and last year's
agreed priorities in their order with the reason given for each.  The
basis is frozen: the new workshop keeps it even if last year's workshop is
deleted, and it means the same in any database (names, no ids).

``compare`` is the one rule of the comparison (the Agree page, the board
paper and the CLI use it): every priority agreed last year is **kept** when
this year's shortlist holds a priority of the same name, else **dropped**;
every priority on this year's shortlist that was not agreed last year is
**new**.  A kept or new priority's reason is this year's rationale; a
dropped priority's reason is what the facilitator gives for dropping it
(``DroppedReason``), and until then the comparison says it has none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from ranking.indicator_status import Better, IndicatorStatus, Reading, assess
from workshop.errors import InvalidInput
from workshop.models import MAX_NAME_LENGTH, IndicatorSpec, Period, WorkshopDetails, WorkshopSetup
from workshop.plan_words import number_text

if TYPE_CHECKING:
    from workshop.archive import WorkshopArchive
    from workshop.models import Decision

#: How a review's title begins (cut to the longest title a workshop takes).
TITLE_PREFIX = "Annual review: "
NO_REASON = "No reason recorded yet."


class Change(StrEnum):
    KEPT = "kept"
    DROPPED = "dropped"
    NEW = "new"


@dataclass(frozen=True)
class CarriedPriority:
    """One of last year's agreed priorities, in last year's order."""

    name: str
    position: int
    rationale: str


@dataclass(frozen=True)
class CarriedValue:
    period: str  # "2011-Q3"
    value: float


@dataclass(frozen=True)
class CarriedIndicator:
    """One of last year's indicators as the review started: its plan, its values and its status then
    (by the one rule, ``ranking.indicator_status.assess``, with last year's thresholds)."""

    priority: str
    name: str
    unit: str
    better: Better
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    lead: str
    values: tuple[CarriedValue, ...]  # oldest first
    status: IndicatorStatus

    @property
    def latest(self) -> CarriedValue | None:
        return self.values[-1] if self.values else None

    @property
    def year_before(self) -> tuple[str, float]:
        """Where the year's progress is measured from: the latest value from a period that ended a year or
        more before the latest one's end, else the baseline ("Baseline (Mar 2011)", 40.0)."""
        latest = self.latest
        if latest is not None:
            end = Period.parse(latest.period).end
            earlier = [v for v in self.values if (end - Period.parse(v.period).end).days >= 365]
            if earlier:
                return earlier[-1].period, earlier[-1].value
        return f"Baseline ({self.baseline_date:%b %Y})", self.baseline

    @property
    def evidence(self) -> str:
        """ "NI 112 …: 36 per 1,000 in 2011-Q3 (baseline 40, target 30 by Mar 2012): behind"."""
        latest = self.latest
        now = f"{number_text(latest.value, self.unit)} in {latest.period}" if latest else "no value yet"
        plan = f"baseline {number_text(self.baseline, self.unit)}, target {number_text(self.target, self.unit)}"
        return f"{self.name}: {now} ({plan} by {self.target_date:%b %Y}): {self.status.value}"

    @property
    def progress_text(self) -> str:
        """The year's change in words: "40 → 36 per 1,000 (4 per 1,000 better)"."""
        latest = self.latest
        if latest is None:
            return "No value recorded."
        _, start = self.year_before
        change = latest.value - start
        if abs(change) < 1e-9:
            way = "no change"
        else:
            better = (change < 0) == (self.better is Better.LOWER)
            way = f"{number_text(abs(change), self.unit)} {'better' if better else 'worse'}"
        return f"{number_text(start)} → {number_text(latest.value, self.unit)} ({way})"


@dataclass(frozen=True)
class ReviewBasis:
    """The workshop and decision a review compares with (frozen when the review starts)."""

    code: str  # last year's join code
    title: str
    organisation: str
    held_on: date | None
    decided_at: datetime
    decided_by: str
    agreed: tuple[CarriedPriority, ...]
    indicators: tuple[CarriedIndicator, ...] = ()  # last year's plan for the agreed priorities, if it had one

    def indicators_of(self, priority: str) -> tuple[CarriedIndicator, ...]:
        return tuple(i for i in self.indicators if i.priority == priority)

    def agreed_entry(self, name: str) -> CarriedPriority | None:
        return next((p for p in self.agreed if p.name == name), None)

    @property
    def label(self) -> str:
        """ "Children's Trust priorities workshop (code ABC123), decided 12 March 2011"."""
        return f"{self.title} (code {self.code}), decided {self.decided_at.day} {self.decided_at:%B %Y}"


@dataclass(frozen=True)
class DroppedReason:
    """Why the board dropped one of last year's agreed priorities (what the facilitator writes)."""

    priority: str  # the name, as last year agreed it
    reason: str


@dataclass(frozen=True)
class ComparedPriority:
    name: str
    change: Change
    last_position: int | None  # None: not agreed last year
    position: int | None  # on this year's shortlist; None: dropped
    last_rationale: str
    reason: str  # this year's rationale (kept, new) or the reason for dropping ("" when none yet)

    @property
    def reason_text(self) -> str:
        return self.reason or NO_REASON


@dataclass(frozen=True)
class ReviewComparison:
    basis: ReviewBasis
    decided: bool  # False: this year's board has not agreed its shortlist yet
    rows: tuple[ComparedPriority, ...]  # kept and dropped in last year's order, then new in this year's

    def of(self, change: Change) -> tuple[ComparedPriority, ...]:
        return tuple(r for r in self.rows if r.change is change)

    @property
    def missing_reasons(self) -> tuple[str, ...]:
        """The dropped priorities that have no reason yet."""
        return tuple(r.name for r in self.of(Change.DROPPED) if not r.reason)

    @property
    def summary(self) -> str:
        """ "3 kept, 2 dropped, 2 new." (or that no decision has been recorded yet)."""
        if not self.decided:
            return f"This year's shortlist has not been agreed yet; last year's board agreed {len(self.basis.agreed)}."
        return (
            f"{len(self.of(Change.KEPT))} kept, {len(self.of(Change.DROPPED))} dropped, {len(self.of(Change.NEW))} new."
        )


# --------------------------------------------------------------------------- the rules


def basis_of(archive: WorkshopArchive) -> ReviewBasis:
    """Last year's latest decision as the basis of a review, or InvalidInput when it has none."""
    if not archive.decisions:
        raise InvalidInput(
            f"Workshop {archive.code} has no recorded decision, so there is nothing to review: "
            "record the board's agreed shortlist first."
        )
    decision = archive.decisions[-1]
    plan = archive.plan
    indicators: tuple[CarriedIndicator, ...] = ()
    if plan is not None:
        indicators = tuple(
            CarriedIndicator(
                s.priority,
                s.name,
                s.unit,
                s.direction,
                s.baseline,
                s.baseline_date,
                s.target,
                s.target_date,
                s.lead,
                tuple(CarriedValue(a.period, a.value) for a in i.actuals),
                assess(s.plan, [Reading(Period.parse(a.period), a.value) for a in i.actuals], plan.settings).status,
            )
            for i, s in ((i, i.spec) for i in plan.indicators)
        )
    return ReviewBasis(
        code=archive.code,
        title=archive.setup.details.title,
        organisation=archive.setup.details.organisation,
        held_on=archive.setup.details.date,
        decided_at=decision.decided_at,
        decided_by=decision.decided_by,
        agreed=tuple(CarriedPriority(c.priority, n, c.rationale) for n, c in enumerate(decision.shortlist, start=1)),
        indicators=indicators,
    )


def review_setup(archive: WorkshopArchive) -> WorkshopSetup:
    """The new workshop's setup: last year's priorities, criteria, groups and settings, retitled."""
    last = archive.setup
    title = (TITLE_PREFIX + last.details.title)[:MAX_NAME_LENGTH]
    held = last.details.date
    when = f" held on {held.day} {held:%B %Y}" if held else ""
    details = WorkshopDetails(
        title=title,
        organisation=last.details.organisation,
        date=None,
        description=(
            f"The annual review of the priorities agreed at workshop {archive.code}{when}. "
            "Last year's agreed priorities are marked on their cards; keep, drop or add priorities, "
            "then run the rounds as before."
        ),
    )
    return replace(last, details=details)


def compare(basis: ReviewBasis, decision: Decision | None, reasons: Mapping[str, str]) -> ReviewComparison:
    """This year's decision (None: not yet agreed) against last year's (see the module's docstring)."""
    if decision is None:
        return ReviewComparison(basis, False, ())
    now = {e.name: (n, e.rationale) for n, e in enumerate(decision.shortlist, start=1)}
    rows_list: list[ComparedPriority] = []
    for p in basis.agreed:
        if p.name in now:
            position, rationale = now[p.name]
            rows_list.append(ComparedPriority(p.name, Change.KEPT, p.position, position, p.rationale, rationale))
        else:
            reason = reasons.get(p.name, "")
            rows_list.append(ComparedPriority(p.name, Change.DROPPED, p.position, None, p.rationale, reason))
    rows_list += [
        ComparedPriority(name, Change.NEW, None, position, "", rationale)
        for name, (position, rationale) in now.items()
        if basis.agreed_entry(name) is None
    ]
    return ReviewComparison(basis, True, tuple(rows_list))


def check_dropped_reason(basis: ReviewBasis, priority: str, reason: str) -> DroppedReason:
    """A reason for dropping one of last year's agreed priorities, or InvalidInput naming it."""
    if basis.agreed_entry(priority) is None:
        raise InvalidInput(f"'{priority}' was not one of last year's agreed priorities.")
    return DroppedReason(priority, reason.strip())


def carried_names(basis: ReviewBasis | None) -> Sequence[str]:
    """Last year's agreed priorities' names (none when the workshop is not a review)."""
    return () if basis is None else tuple(p.name for p in basis.agreed)


# --------------------------------------------------------------------------- stored form


def basis_document(basis: ReviewBasis) -> dict[str, object]:
    """The basis as JSON-ready values: the store keeps it so, and the archive writes it so."""
    return {
        "code": basis.code,
        "title": basis.title,
        "organisation": basis.organisation,
        "held_on": None if basis.held_on is None else basis.held_on.isoformat(),
        "decided_at": basis.decided_at.isoformat(),
        "decided_by": basis.decided_by,
        "agreed": [[p.name, p.position, p.rationale] for p in basis.agreed],
        "indicators": [
            {
                "priority": i.priority,
                "name": i.name,
                "unit": i.unit,
                "better": i.better.value,
                "baseline": i.baseline,
                "baseline_date": i.baseline_date.isoformat(),
                "target": i.target,
                "target_date": i.target_date.isoformat(),
                "lead": i.lead,
                "values": [[v.period, v.value] for v in i.values],
                "status": i.status.value,
            }
            for i in basis.indicators
        ],
    }


def basis_json(basis: ReviewBasis) -> str:
    """The basis as the store keeps it."""
    return json.dumps(basis_document(basis), ensure_ascii=False)


def basis_from_json(text: str) -> ReviewBasis:
    doc = json.loads(text)
    return ReviewBasis(
        code=str(doc["code"]),
        title=str(doc["title"]),
        organisation=str(doc["organisation"]),
        held_on=None if doc["held_on"] is None else date.fromisoformat(doc["held_on"]),
        decided_at=datetime.fromisoformat(doc["decided_at"]),
        decided_by=str(doc["decided_by"]),
        agreed=tuple(CarriedPriority(str(n), int(p), str(r)) for n, p, r in doc["agreed"]),
        indicators=tuple(
            CarriedIndicator(
                str(i["priority"]),
                str(i["name"]),
                str(i["unit"]),
                Better(i["better"]),
                float(i["baseline"]),
                date.fromisoformat(i["baseline_date"]),
                float(i["target"]),
                date.fromisoformat(i["target_date"]),
                str(i["lead"]),
                tuple(CarriedValue(str(p), float(v)) for p, v in i["values"]),
                IndicatorStatus(i["status"]),
            )
            for i in doc.get("indicators", [])
        ),
    )


def carried_specs(basis: ReviewBasis, kept: Sequence[str], groups: Sequence[str]) -> tuple[IndicatorSpec, ...]:
    """Last year's indicators of the priorities kept, as this year's: each starts from its latest value
    (the new baseline, on its period's last day) towards the same target; one whose target date is not
    after that is left out, and a lead no longer among the groups is left blank for the facilitator."""
    specs = []
    for i in basis.indicators:
        if i.priority not in kept:
            continue
        latest = i.latest
        start, on = (latest.value, Period.parse(latest.period).end) if latest else (i.baseline, i.baseline_date)
        if i.target_date <= on:
            continue
        source = f"Last year's plan (workshop {basis.code}), {latest.period}" if latest else "Last year's baseline"
        specs.append(
            IndicatorSpec(
                i.name,
                i.priority,
                i.better,
                start,
                on,
                i.target,
                i.target_date,
                unit=i.unit,
                baseline_source=source[:MAX_NAME_LENGTH],
                lead=i.lead if i.lead in groups else "",
            )
        )
    return tuple(specs)
