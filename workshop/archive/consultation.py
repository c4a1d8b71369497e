"""A consultation round's parts of the archive: its share of the list and its closing time, written and read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from workshop.archive import document as d
from workshop.archive.model import EARLIEST
from workshop.models import Share, ShareMode


def share_document(share: Share | None) -> dict[str, object] | None:
    if share is None:
        return None
    return {"mode": share.mode.value, "size": share.size, "seed": share.seed, "minimum": share.minimum}


def read_share(doc: d.ShareDoc, mode: ShareMode) -> Share:
    """The share a document gives (its mode already read by the codec; its rules in ``checks``)."""
    return Share(mode, doc.size, doc.seed, doc.minimum)


def closing_time(text: str | None, where: str, refuse: Callable[[str, str], datetime]) -> datetime | None:
    """A consultation's closing time: like any time in the archive, except that it may be in the future
    (a consultation exported while open); ``refuse`` says why any other text is not a time."""
    if text is None:
        return None
    try:
        moment: datetime | None = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or moment.tzinfo is None or moment < EARLIEST:
        return refuse(text, where)
    return moment
