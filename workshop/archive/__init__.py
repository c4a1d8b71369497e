"""The workshop archive: a whole workshop as one JSON document, to keep the record and restore it into any database.

Format ``prioritise-workshop``, version ``FORMAT_VERSION`` (the annual
review's ``REVIEW_SINCE``)::

    {"format": "prioritise-workshop", "format_version": 4, "exported_at": T,
     "workshop": {"code", "created_at": T, "setup_locked_at": T | null},
     "setup": {"title", "organisation", "date": "YYYY-MM-DD" | null, "description",
               "shortlist_size", "weight_method",
               "ranking": {"method", "aggregation", "balance_groups": true | false},
               "robustness": {"sampling", "samples", "seed", "concentration",
                              "resamples", "bootstrap_seed"},
               "priorities": [{"name", "theme", "description", "evidence"}],
               "criteria": [{"name", "description", "direction", "scale_min", "scale_max",
                             "descriptors": [one per scale point], "weight"}],
               "groups": [{"name", "description"}]},
     "participants": [{"number", "display_name" | null, "group" | null, "joined_at": T, "last_seen": T}],
     "rounds": [{"number", "title", "kind", "state", "pick_count" | null, "priorities": [names],
                 "created_at": T, "opened_at", "closed_at", "revealed_at": T | null,
                 "scores": [[participant, priority, criterion, value | null, updated_at]],
                 "allocations": [[participant, criterion, points, updated_at]],
                 "rankings": [[participant, priority, position, updated_at]],
                 "feedback": {"split": "groups" | "room", "preselect", "ask_why": true | false},
                 "reasons": [[participant, priority, criterion, reason]]}],
     "decisions": [{"decided_at": T, "decided_by", "round": number | null, "note",
                    "shortlist": [{"priority", "rationale"}],
                    "departures": [{"priority", "computed_rank" | null, "reason"}],
                    "measured": {"basis", "options": {"method", "normalization", "aggregation",
                                                      "balance_groups", "min_responses"} | null,
                                 "weights": [[criterion, weight]], "answers", "workshop_version",
                                 "priorities": [[priority, rank | null, score | null, answers]]} | null}],
     "audit_log": [{"at": T, "actor", "participant": number | null, "action", "detail"}],
     "plan": null | {"settings", "indicators": [...]},     (``workshop.archive.plan``)
     "review": null | {"basis": {...}, "dropped_reasons": [...]}}     (``workshop.archive.review``)

From version ``CONSENSUS_SINCE`` the setup also has ``"consensus": {"in_share", "against_share",
"high_band": [from, to] | null, "low_band": [from, to] | null}`` (null: the top or bottom third of the
scale), ``"ballot_rule": "borda" | "jla"``, and each criterion a ``"swing"`` (0..100, or null when the
weights were not set by swing); older archives import with 70% / 15% on the thirds, Borda and no swings.

``T`` is an ISO 8601 time with its UTC offset.  ``ranking`` is how the
workshop's scoring rounds are ranked (``Workshop.ranking``: method
"weighted-sum", "topsis", "borda" or "copeland"; aggregation "mean" or
"median").  Version 1 had no ``ranking``: a version-1 archive imports with
the defaults every workshop was ranked with then (weighted sum of the mean,
not group-balanced).  ``robustness`` is the workshop's SMAA and bootstrap
settings (``Workshop.robustness``: sampling "uniform", "around" or
"participants"); versions 1 and 2 had none and import with the defaults of
``RobustnessOptions()`` (migration 3 gave existing workshops the same).
From version 4 a decision carries what it was
measured against (``workshop.decision.Measurement``: the basis round's
computed ranking when it was recorded, in the computed order; ``options``
null for a ranking round's Borda count); it is null for a decision recorded
before decisions kept their figures.  Version 5 added the participant cap and
removals; from ``PLAN_SINCE`` the archive carries the plan after the workshop
(indicators by name, their actuals, the status settings; null when there is
none; older archives import without a plan; a lead's link, being a
credential, is never archived); from ``REVIEW_SINCE`` it carries, for an
annual review, the basis it compares with and the reasons for dropping
(null for a workshop that is not a review, as older archives import).  Importing checks every decision as the
service checks one it records (see ``restore``).  Priorities, criteria and
groups are named by name (unique within a workshop), participants and rounds
by number; the document holds no database id, so it means the same in any
database.  A score ``value`` of null is "don't know"; an unanswered cell has
no row.  An audit entry by a participant has ``"actor": "participant"`` and
the participant's number.  From ``FEEDBACK_SINCE`` (format 6) each round
carries its feedback between rounds and the reasons given with its scores
(``workshop.archive.feedback``); older rounds import with the default
settings and no reasons.

Deliberately left out: the facilitator key and its hash, participants'
tokens and their hashes, and the change counter.  An archive is a record
that gets passed around (board secretary, auditors, a records store), so it
carries no credential of any kind.  Consequences, by design:

* importing creates a new workshop with a **new join code and a new
  facilitator key**, shown once to whoever imports it (they hold the file
  and the server, so they are the one to hand the key on).  Any key or
  facilitator link that leaked during the event (a projected URL, a shared
  laptop's history) does not open the restored copy;
* imported participants **cannot resume**: their answers are kept, under
  their numbers, as the record, but no token opens their place again.  If a
  round is reopened after an import, people join again as new participants.

Importing appends one audit entry (actor ``system``, action ``workshop
imported``) naming the archive's original code and export time, so a
restored workshop says that it is one.  Apart from that entry, the code and
the export time, exporting an imported workshop gives back the same
document.

``loads`` checks the format name and version, every field's type, length
and range (texts as long as the service takes them, an audit detail no
longer than the longest the service writes, whole numbers within what the
database stores, no NaN or infinity, times with an offset from 2000 to
now) and every reference and time order (a score naming an unknown
priority, a participant in an unknown group, two rounds numbered 2, a
round closed before it was opened, an answer dated before its participant
joined, an audit entry by an actor the service has not …) and raises
``ArchiveError`` naming the item; ``WorkshopArchive`` checks the
references itself, so nothing unchecked reaches ``restore``, which the
service runs in one transaction.

The package: ``model`` (the frozen dataclasses), ``document`` (the JSON
shape as msgspec types, and msgspec's refusals in words), ``writer``
(``dumps``), ``codec`` (``loads``: the reader), ``checks`` (references, audit entries, times),
``stored`` (``read_archive`` and ``restore``, the store's side), ``names``
(``without_names``: the archive is the one export holding participants'
display names; this copy calls each "Anonymous N").
"""

from workshop.archive.codec import loads
from workshop.archive.model import FORMAT_NAME, FORMAT_VERSION, ArchiveError, WorkshopArchive
from workshop.archive.names import without_names
from workshop.archive.stored import read_archive, restore, unusable_token_hash
from workshop.archive.writer import dumps

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ArchiveError",
    "WorkshopArchive",
    "dumps",
    "loads",
    "read_archive",
    "restore",
    "unusable_token_hash",
    "without_names",
]
