"""An archive without participants' display names: each is "Anonymous N", as the app calls one who gave none.

The archive is the only export that holds display names (the others say "Participant N"); this copy
holds none, in the participants or in the audit log (a join is audited with the name given), and
imports as any archive does, with the same answers, results and decisions.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workshop.archive.model import ArchivedAuditEntry, WorkshopArchive

#: ``workshop.joining.removal_detail``'s form.
_REMOVED = re.compile(r"^.*? \(participant (\d+)\): (answers kept|answers dropped)$", re.S)


def _entry(entry: ArchivedAuditEntry, names: dict[int, str]) -> ArchivedAuditEntry:
    """A participant's own entry ("participant joined": the name, then the group) under their number."""
    name = names.get(entry.participant) if entry.participant is not None else None
    if name is None or not entry.detail.startswith(name):
        return entry
    return replace(entry, detail=f"Anonymous {entry.participant}" + entry.detail[len(name) :])


def _removal(entry: ArchivedAuditEntry) -> ArchivedAuditEntry:
    """The facilitator's "participant removed" entry ("Bob (participant 7): answers kept") under the number."""
    found = _REMOVED.match(entry.detail) if entry.action == "participant removed" else None
    if found is None:
        return entry
    number, rest = found.group(1), found.group(2)
    return replace(entry, detail=f"Anonymous {number} (participant {number}): {rest}")


def without_names(archive: WorkshopArchive) -> WorkshopArchive:
    """``archive`` with every display name left out."""
    names = {p.number: p.display_name for p in archive.participants if p.display_name}
    return replace(
        archive,
        participants=tuple(replace(p, display_name=None) for p in archive.participants),
        audit_log=tuple(_removal(_entry(e, names)) for e in archive.audit_log),
    )
