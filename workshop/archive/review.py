"""The annual review in the archive (from format ``REVIEW_SINCE``): the basis it compares with, and the reasons.

The document's ``"review"`` is null (the workshop is not a review) or::

    {"basis": {"code", "title", "organisation", "held_on": "YYYY-MM-DD" | null, "decided_at": T, "decided_by",
               "agreed": [[priority, place, rationale]],
               "indicators": [{"priority", "name", "unit", "better", "baseline", "baseline_date", "target",
                               "target_date", "lead", "values": [[period, value]], "status"}]},
     "dropped_reasons": [[priority, reason, updated_at: T]]}

The basis is ``workshop.review.ReviewBasis`` as it was frozen when the review started (last
year's names, places and indicators, not this workshop's).  Checks (``check_review``): places
1, 2, 3… with no name twice, each indicator's period, direction and status as the models read
them and its priority one of the agreed, and every reason for one of the agreed priorities,
given once, no earlier than the workshop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

import msgspec

from ranking.indicator_status import Better, IndicatorStatus
from ranking.model import RankingInputError
from workshop.archive.document import ReviewDoc, part_since
from workshop.archive.model import REVIEW_SINCE, ArchivedReview, ArchiveError
from workshop.models import Period, Stamped
from workshop.review import (
    CarriedIndicator,
    CarriedPriority,
    CarriedValue,
    DroppedReason,
    ReviewBasis,
    basis_document,
)

if TYPE_CHECKING:
    from workshop.archive.model import WorkshopArchive
    from workshop.store import Transaction


def read_review(tx: Transaction, workshop_id: int) -> ArchivedReview | None:
    basis = tx.review(workshop_id)
    if basis is None:
        return None
    return ArchivedReview(basis, tx.stamped_dropped_reasons(workshop_id))


def restore_review(tx: Transaction, workshop_id: int, review: ArchivedReview | None) -> None:
    if review is None:
        return
    tx.insert_review(workshop_id, review.basis)
    for reason in review.reasons:
        tx.save_dropped_reason(workshop_id, reason.record, reason.at)


def check_review(archive: WorkshopArchive) -> None:
    """Refuse a review the service could not have written, naming the item."""
    review = archive.review
    if review is None:
        return
    basis = review.basis
    if not basis.agreed:
        raise ArchiveError("The annual review: last year's decision lists no agreed priority.")
    if [p.position for p in basis.agreed] != list(range(1, len(basis.agreed) + 1)):
        raise ArchiveError("The annual review: last year's places must be 1, 2, 3… in order.")
    names = [p.name for p in basis.agreed]
    if len(set(names)) != len(names):
        raise ArchiveError("The annual review: a priority is agreed twice in last year's decision.")
    for n, indicator in enumerate(basis.indicators, start=1):
        if indicator.priority not in names:
            raise ArchiveError(f"The annual review, indicator {n}: '{indicator.priority}' was not agreed last year.")
    seen = set()
    for n, stamped in enumerate(review.reasons, start=1):
        name = stamped.record.priority
        where = f"The annual review, reason {n}"
        if name not in names:
            raise ArchiveError(f"{where}: '{name}' was not one of last year's agreed priorities.")
        if name in seen:
            raise ArchiveError(f"{where}: '{name}' has two reasons.")
        seen.add(name)
        if not stamped.record.reason.strip():
            raise ArchiveError(f"{where}: the reason for dropping '{name}' is empty.")
        if stamped.at < archive.created_at:
            raise ArchiveError(f"{where}: it was written before the workshop was created.")


# --------------------------------------------------------------------------- the document


def review_document(review: ArchivedReview | None) -> dict[str, object] | None:
    if review is None:
        return None
    return {
        "basis": basis_document(review.basis),
        "dropped_reasons": [[r.record.priority, r.record.reason, r.at.isoformat()] for r in review.reasons],
    }


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArchiveError(f"{where} must be a date like 2011-03-31, not '{text[:20]}'.") from None


def _choice(kind: type[Better] | type[IndicatorStatus], value: str, where: str) -> Better | IndicatorStatus:
    try:
        return kind(value)
    except ValueError:
        options = ", ".join(f"'{m.value}'" for m in kind)
        raise ArchiveError(f"{where} must be one of {options}, not '{value[:20]}'.") from None


def _period(text: str, where: str) -> str:
    try:
        return Period.parse(text).label
    except RankingInputError as exc:
        raise ArchiveError(f"{where}: {exc}.") from None


def review_from_document(
    doc: ReviewDoc | msgspec.UnsetType | None, version: int, time: Callable[[str, str], datetime]
) -> ArchivedReview | None:
    """The archive's review; None before format ``REVIEW_SINCE``, which had none."""
    missing = "The archive: 'review' is missing (null when the workshop is not an annual review)."
    doc = part_since(doc, version, REVIEW_SINCE, missing)
    if doc is None:
        return None
    b = doc.basis
    where = "The annual review"
    indicators = []
    for n, i in enumerate(b.indicators, start=1):
        at = f"{where}, indicator {n}"
        indicators.append(
            CarriedIndicator(
                i.priority,
                i.name,
                i.unit,
                _choice(Better, i.better, f"{at}: 'better'"),  # type: ignore[arg-type]
                i.baseline,
                _day(i.baseline_date, f"{at}: 'baseline_date'"),
                i.target,
                _day(i.target_date, f"{at}: 'target_date'"),
                i.lead,
                tuple(CarriedValue(_period(p, f"{at}, value {m}"), v) for m, (p, v) in enumerate(i.values, start=1)),
                _choice(IndicatorStatus, i.status, f"{at}: 'status'"),  # type: ignore[arg-type]
            )
        )
    basis = ReviewBasis(
        code=b.code,
        title=b.title,
        organisation=b.organisation,
        held_on=None if b.held_on is None else _day(b.held_on, f"{where}: 'held_on'"),
        decided_at=time(b.decided_at, f"{where}: last year's decision time"),
        decided_by=b.decided_by,
        agreed=tuple(CarriedPriority(name, place, rationale) for name, place, rationale in b.agreed),
        indicators=tuple(indicators),
    )
    reasons = tuple(
        Stamped(DroppedReason(name, reason), time(at, f"{where}, reason {n}: the time"))
        for n, (name, reason, at) in enumerate(doc.dropped_reasons, start=1)
    )
    return ArchivedReview(basis, reasons)
