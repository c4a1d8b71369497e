"""Scoring a round: every priority on every criterion.

Two views of the same answers, both saving every change the moment it is
made (there is no submit button to forget):

* **cards** — one priority at a time, in the participant's own random order,
  with a jump list and Previous / Next; one control per criterion showing the
  scale's descriptors, "Don't know" always available.  Best on a phone and
  readable on a laptop.
* **table** — priorities × criteria in a data editor, for people who prefer a
  grid; each edited cell is saved on its own.

Each view is an ``st.fragment``, never rerunning the page; on the cards each
control is a fragment too, so an answer reruns that one control (see
``score_control``).  A fragment rerun reuses the arguments of the last full
run, so the views read the participant's saved answers from the store on
every run rather than trusting their arguments.

Here: the names the pages use, from ``ui.score_options`` (order, options,
labels, keys), ``ui.save_notes`` (saving with a note), ``ui.scoring_cards``
and ``ui.scoring_table``.
"""

from ui.save_notes import FAULT, SaveNote, follow_closed_round, pending_refusal, save_with_note, show_note
from ui.score_options import (
    CARDS,
    DONT_KNOW,
    NOT_ANSWERED,
    TABLE,
    VIEWS,
    cell_key,
    grid_key,
    option_label,
    participant_order,
    round_priorities,
)
from ui.scoring_cards import scoring_cards
from ui.scoring_table import my_scores_table, scoring_table

__all__ = [
    "CARDS",
    "DONT_KNOW",
    "FAULT",
    "NOT_ANSWERED",
    "TABLE",
    "VIEWS",
    "SaveNote",
    "cell_key",
    "follow_closed_round",
    "grid_key",
    "my_scores_table",
    "option_label",
    "participant_order",
    "pending_refusal",
    "round_priorities",
    "save_with_note",
    "scoring_cards",
    "scoring_table",
    "show_note",
]
