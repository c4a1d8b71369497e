"""The archive's JSON writer: ``dumps`` writes a ``WorkshopArchive`` as the document ``loads`` reads."""

from __future__ import annotations

import json
from datetime import datetime

from workshop.archive import document as d
from workshop.archive.consultation import share_document
from workshop.archive.converging import converging_document
from workshop.archive.feedback import feedback_document
from workshop.archive.model import FORMAT_NAME, FORMAT_VERSION, ArchivedMeasurement, WorkshopArchive
from workshop.archive.plan import plan_document
from workshop.archive.review import review_document
from workshop.decision import options_document


def _measured_document(m: ArchivedMeasurement | None) -> dict[str, object] | None:
    if m is None:
        return None
    return {
        "basis": m.basis,
        "options": options_document(m.options),
        "weights": [[name, weight] for name, weight in m.weights],
        "answers": m.answers,
        "workshop_version": m.workshop_version,
        "priorities": [[p.priority, p.rank, _num(p.score), p.answers] for p in m.priorities],
    }


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _num(value: float | None) -> float | int | None:
    """Whole numbers are written without ".0" (4, not 4.0); read back as floats."""
    return int(value) if value is not None and float(value).is_integer() else value


def _document(archive: WorkshopArchive) -> dict[str, object]:
    """The archive as JSON-ready values (the edge of the module: ``dumps`` writes it)."""
    setup = archive.setup
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": _time(archive.exported_at),
        "workshop": {
            "code": archive.code,
            "created_at": _time(archive.created_at),
            "setup_locked_at": _time(archive.setup_locked_at),
            "participant_cap": archive.participant_cap,
        },
        "setup": {
            "title": setup.details.title,
            "organisation": setup.details.organisation,
            "date": None if setup.details.date is None else setup.details.date.isoformat(),
            "description": setup.details.description,
            "shortlist_size": setup.shortlist_size,
            "weight_method": setup.weight_method.value,
            "ranking": {
                "method": setup.ranking.method.value,
                "aggregation": setup.ranking.aggregation.value,
                "balance_groups": setup.ranking.balance_groups,
            },
            "robustness": {
                "sampling": setup.robustness.sampling.value,
                "samples": setup.robustness.samples,
                "seed": setup.robustness.seed,
                "concentration": _num(setup.robustness.concentration),
                "resamples": setup.robustness.resamples,
                "bootstrap_seed": setup.robustness.bootstrap_seed,
            },
            **converging_document(setup),
            "priorities": [{f: getattr(p, f) for f in d.PriorityDoc.__struct_fields__} for p in setup.priorities],
            "criteria": [
                {
                    "name": c.name,
                    "description": c.description,
                    "direction": c.direction.value,
                    "scale_min": c.scale_min,
                    "scale_max": c.scale_max,
                    "descriptors": list(c.descriptors),
                    "weight": _num(c.weight),
                    "swing": _num(c.swing),
                }
                for c in setup.criteria
            ],
            "groups": [{"name": g.name, "description": g.description} for g in setup.groups],
        },
        "participants": [
            {
                "number": p.number,
                "display_name": p.display_name,
                "group": p.group,
                "joined_at": _time(p.joined_at),
                "last_seen": _time(p.last_seen),
                "removed_at": _time(p.removed_at),
                "age_band": p.age_band,
            }
            for p in archive.participants
        ],
        "rounds": [
            {
                "number": r.number,
                "title": r.title,
                "kind": r.kind.value,
                "state": r.state.value,
                "pick_count": r.pick_count,
                "priorities": list(r.priorities),
                "created_at": _time(r.created_at),
                "opened_at": _time(r.opened_at),
                "closed_at": _time(r.closed_at),
                "revealed_at": _time(r.revealed_at),
                "closes_at": _time(r.closes_at),
                "audience": list(r.audience),
                "share": share_document(r.share),
                "shares": [[who, priority] for who, priority in r.shares],
                "scores": [
                    [s.participant, s.priority, s.criterion, _num(s.value), _time(s.updated_at)] for s in r.scores
                ],
                "allocations": [[a.participant, a.criterion, a.points, _time(a.updated_at)] for a in r.allocations],
                "rankings": [[k.participant, k.priority, k.position, _time(k.updated_at)] for k in r.rankings],
                **feedback_document(r),
                "young_ballot": r.young_ballot,
                "ballot": [[b.participant, b.priority, b.value, _time(b.updated_at)] for b in r.ballot],
            }
            for r in archive.rounds
        ],
        "decisions": [
            {
                "decided_at": _time(d.decided_at),
                "decided_by": d.decided_by,
                "round": d.round,
                "note": d.note,
                "shortlist": [{"priority": c.priority, "rationale": c.rationale} for c in d.shortlist],
                "departures": [
                    {"priority": x.priority, "computed_rank": x.computed_rank, "reason": x.reason} for x in d.departures
                ],
                "measured": _measured_document(d.measured),
            }
            for d in archive.decisions
        ],
        "audit_log": [
            {"at": _time(e.at), "actor": e.actor, "participant": e.participant, "action": e.action, "detail": e.detail}
            for e in archive.audit_log
        ],
        "plan": plan_document(archive.plan),
        "review": review_document(archive.review),
    }


def _write(value: object, indent: str) -> str:
    """Indented JSON, except that a list of plain values stays on one line:
    one line per answer row, so a 300-person archive stays readable and small."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_write(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + _write(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def dumps(archive: WorkshopArchive) -> str:
    return _write(_document(archive), "") + "\n"
