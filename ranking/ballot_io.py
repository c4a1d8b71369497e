"""Reading a file of ranking ballots (RANKINGS.csv) into positions the tallies of ``ranking.group_fair`` count.

Columns: ``participant``, ``[group]``, ``priority``, ``position`` (1 = most important), one row per
participant and priority they ranked.  A ballot may rank only its top N, so each participant's
positions must run 1, 2, … N with none repeated or missing; a participant ranks a priority once and
belongs to one group (a blank group cell takes the participant's group from their other rows).
Priorities are the names the file mentions, in first-seen order.  The file is read by ``ranking.io``'s
table reader, so encodings, delimiters and column names follow its rules, and errors name the file
and the spreadsheet row (``rankings.csv row 4: …``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ranking.io import Source, Table, _participant_index, _read_table
from ranking.model import RankingInputError

_WHOLE = re.compile(r"\+?\d+(?:\.0*)?")


@dataclass(frozen=True)
class Rankings:
    """Ballots read from a file: ``ballots[b]`` (indices into ``priorities``, best first) is
    ``participants[b]``'s, in group ``groups[b]`` ("" when none was given)."""

    label: str
    priorities: tuple[str, ...]
    participants: tuple[str, ...]
    groups: tuple[str, ...]
    ballots: tuple[tuple[int, ...], ...]


def read_rankings(source: Source | Table) -> Rankings:
    """The ballots of a rankings file (see the module docstring); the first problem is raised."""
    table = _read_table(source, "rankings")
    participant_col = table.column("participant")
    priority_col = table.column("priority")
    position_col = table.column("position")
    group_col = table.optional_column("group")
    table.require_rows("rankings")
    priorities: dict[str, int] = {}
    participants = _participant_index(table, group_col)
    ranked: list[dict[int, tuple[int, int]]] = []  # per participant: position → (priority, row)
    named: list[dict[int, int]] = []  # per participant: priority → row
    for row in table.rows:
        participant = row.cells[participant_col]
        if not participant:
            raise table.error(row, "participant is blank")
        name = row.cells[priority_col]
        if not name:
            raise table.error(row, "priority name is blank")
        text = row.cells[position_col]
        if not _WHOLE.fullmatch(text) or int(float(text)) < 1:
            raise table.error(
                row, f"position of priority {name!r} must be a whole number from 1 (most important), not {text!r}"
            )
        position = int(float(text))
        p = participants.add(row, participant)
        if p == len(ranked):
            ranked.append({})
            named.append({})
        i = priorities.setdefault(name, len(priorities))
        if i in named[p]:
            first = named[p][i]
            raise table.error(row, f"participant {participant!r} ranks priority {name!r} again (first at row {first})")
        if position in ranked[p]:
            other, at = ranked[p][position]
            names = list(priorities)
            raise table.error(
                row,
                f"participant {participant!r} gives position {position} to {name!r} here "
                f"and to {names[other]!r} at row {at}",
            )
        named[p][i] = row.number
        ranked[p][position] = (i, row.number)
    ballots = []
    for participant, p in participants.index.items():
        positions = sorted(ranked[p])
        for expected, position in enumerate(positions, start=1):
            if position != expected:
                at = ranked[p][position][1]
                raise RankingInputError(
                    f"{table.label} row {at}: participant {participant!r} ranks position {position} but not "
                    f"position {expected}: a ballot ranks its top N as positions 1 to N"
                )
        ballots.append(tuple(ranked[p][position][0] for position in positions))
    return Rankings(
        table.label, tuple(priorities), tuple(participants.index), tuple(participants.labels), tuple(ballots)
    )


__all__ = ["Rankings", "read_rankings"]
