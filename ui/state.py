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
