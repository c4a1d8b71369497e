"""Every ``st.session_state`` key the app uses, declared in one place.

Session state holds UI state only (who this browser tab is, what it is
looking at); every score, vote and decision goes to the store at once.
"""

from __future__ import annotations

#: ui.session.FacilitatorSession of this tab, once its key has been checked.
FACILITATOR = "facilitator"
#: The participant token of this tab (also in the URL as ?p=...).
PARTICIPANT_TOKEN = "participant_token"
#: The facilitator key of a workshop created in this tab, shown once.
NEW_KEY = "new_facilitator_key"
#: Last save confirmation shown to a participant: ui.scoring.SaveNote.
SAVE_NOTE = "save_note"
#: Per-participant random order of priorities, keyed by round id.
PRIORITY_ORDER = "priority_order"
#: Participant's choice of card or grid view.
SCORING_VIEW = "scoring_view"
#: Facilitator's results options (method, aggregation, ...).
RESULTS_OPTIONS = "results_options"

#: URL query parameters.
Q_PARTICIPANT = "p"
Q_WORKSHOP = "w"
Q_KEY = "k"
Q_CODE = "code"

# --------------------------------------------------------------------------- participant pages
#: Join page: the code typed (prefilled from ?code=), the group chosen, the display name.
JOIN_CODE = "join_code"
JOIN_GROUP = "join_group"
JOIN_NAME = "join_name"
#: The join page's form.
JOIN_FORM = "join_form"
#: Scoring: which priority card is shown, f"{CARD_POSITION}-{round id}" (0-based in the participant's order).
CARD_POSITION = "card_position"
#: Scoring: set by Previous / Next so the new card is scrolled into view (and its heading focused).
CARD_MOVED = "card_moved"
#: Scoring: one control per cell, f"{SCORE_CELL}-{round id}-{priority id}-{criterion id}".
SCORE_CELL = "score"
#: Scoring, table view: the editor, f"{SCORE_GRID}-{round id}-{generation}"; the generation
#: (an int in GRID_GENERATION) moves on after a refused edit so the table reloads from the store.
SCORE_GRID = "score_grid"
GRID_GENERATION = "score_grid_generation"
#: Weighting: points per criterion, f"{POINTS}-{round id}-{criterion id}".
POINTS = "points"
#: Ranking: the order being built (tuple of priority ids, best first), f"{RANKING_ORDER}-{round id}";
#: in a pick-N round, the priority to add, f"{RANKING_ADD}-{round id}".
RANKING_ORDER = "ranking_order"
RANKING_ADD = "ranking_add"
#: Ranking: the Up / Down / Remove buttons, f"{RANKING_BUTTON}-{action}-{round id}-{priority id}",
#: and the button that saves the order as first shown, f"{RANKING_BUTTON}-keep-{round id}".
RANKING_BUTTON = "ranking_button"
#: time.monotonic() of this tab's last heartbeat.
LAST_HEARTBEAT = "last_heartbeat"
#: The workshop change counter this participant tab last looked at.
SEEN_VERSION = "seen_version"
