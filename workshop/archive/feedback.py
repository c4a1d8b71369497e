"""The archive's feedback between rounds: each round's settings and the reasons stored with scores (format 6 on).

A round's document holds ``feedback`` (``split``, ``preselect``, ``ask_why``)
and ``reasons``, one row per score that carries one:
``[participant, priority, criterion, reason]``.  The score rows keep their
five columns, so an archive from before ``FEEDBACK_SINCE`` reads as it did:
its rounds get the default settings and its scores no reasons.
"""

from __future__ import annotations

from dataclasses import replace

import msgspec

from workshop.archive import document as d
from workshop.archive.model import FEEDBACK_SINCE, ArchivedRound, ArchivedScore, ArchiveError
from workshop.models import FeedbackSettings, FeedbackSplit, RoundKind


def feedback_document(rnd: ArchivedRound) -> dict[str, object]:
    """The round's feedback settings and reasons, as JSON-ready values (merged into its document)."""
    return {
        "feedback": {
            "split": rnd.feedback.split.value,
            "preselect": rnd.feedback.preselect,
            "ask_why": rnd.feedback.ask_why,
        },
        "reasons": [[s.participant, s.priority, s.criterion, s.reason] for s in rnd.scores if s.reason],
    }


def read_feedback(version: int, doc: d.RoundDoc, kind: RoundKind, where: str) -> FeedbackSettings:
    """The round's settings; the defaults in an archive from before ``FEEDBACK_SINCE``."""
    if version < FEEDBACK_SINCE:
        return FeedbackSettings()
    if isinstance(doc.feedback, msgspec.UnsetType):
        raise ArchiveError(f"{where}: 'feedback' is missing.")
    f = doc.feedback
    try:
        split = FeedbackSplit(f.split)
    except ValueError:
        names = ", ".join(f"'{m.value}'" for m in FeedbackSplit)
        raise ArchiveError(f"{where}: the feedback's split must be one of {names}, not '{f.split}'.") from None
    settings = FeedbackSettings(split, f.preselect, f.ask_why)
    if kind is not RoundKind.SCORING and settings != FeedbackSettings():
        raise ArchiveError(f"{where}: a {kind.value} round shows no earlier answers, so it has no feedback settings.")
    return settings


def with_reasons(
    version: int, doc: d.RoundDoc, scores: tuple[ArchivedScore, ...], where: str
) -> tuple[ArchivedScore, ...]:
    """The scores with the reasons of ``doc`` (each naming a score of the round, at most once)."""
    if version < FEEDBACK_SINCE:
        return scores
    if isinstance(doc.reasons, msgspec.UnsetType):
        raise ArchiveError(f"{where}: 'reasons' is missing.")
    given: dict[tuple[int, str, str], str] = {}
    cells = {(s.participant, s.priority, s.criterion) for s in scores}
    for n, (who, priority, criterion, reason) in enumerate(doc.reasons, start=1):
        cell = (who, priority, criterion)
        if cell not in cells:
            raise ArchiveError(
                f"{where}, reason {n}: participant {who} has no score for '{priority}' on '{criterion}' in this round."
            )
        if cell in given:
            raise ArchiveError(f"{where}, reason {n}: a second reason for '{priority}' on '{criterion}'.")
        if not reason.strip():
            raise ArchiveError(f"{where}, reason {n}: the reason is empty.")
        given[cell] = reason
    return tuple(
        replace(s, reason=given[cell]) if (cell := (s.participant, s.priority, s.criterion)) in given else s
        for s in scores
    )
