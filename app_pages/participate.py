"""The participant's page: the current round, answered and saved as they go; the room's results once revealed.

The URL carries the participant's token (?p=...), so a reload, a new tab or
a closed lid comes back to exactly the same answers.
"""

import streamlit as st

from ui import participant_widgets as room
from ui import state
from ui.ballot import ballot_form, card_evidence, my_ballot_answers
from ui.ballot_pick import my_picks, pick_form
from ui.consultation_widgets import share_priorities
from ui.ranking_round import my_ranking_list, ranking_form
from ui.scoring import (
    CARDS,
    VIEWS,
    my_scores_table,
    pending_refusal,
    round_priorities,
    scoring_cards,
    scoring_table,
)
from ui.session import require_participant
from ui.theme import statement_link
from ui.weighting import my_allocation_table, weighting_form
from workshop.models import RoundKind, RoundState

participant, workshop = require_participant()
token, rnd = participant.token, workshop.current_round_for(participant.group)

room.participant_header(participant, workshop)
statement_link()
room.follow_workshop(token, workshop.id, room.on_show(workshop))
room.agreed_shortlist(workshop)

if rnd is None:
    room.waiting(workshop)
    room.focus_after_join()
    st.stop()

room.round_heading(rnd)
room.focus_after_join()
pending_refusal()
priorities = share_priorities(token, rnd, round_priorities(workshop, rnd, participant.id))
if priorities is None:  # a share by themes not chosen yet: the choice is on the page
    st.stop()
criteria = workshop.criteria

if rnd.state is RoundState.OPEN:
    st.markdown(room.round_kind_intro(rnd))
    if rnd.young_ballot and rnd.kind is RoundKind.RANKING:
        pick_form(token, rnd, priorities)
    elif rnd.young_ballot:
        ballot_form(token, rnd, priorities)
    elif rnd.kind is RoundKind.SCORING:
        view = st.segmented_control(
            "View", list(VIEWS), format_func=VIEWS.get, default=CARDS, required=True, key=state.SCORING_VIEW
        )
        if view == CARDS:
            scoring_cards(token, rnd, priorities, criteria, card_evidence(token, workshop, rnd))
        else:
            scoring_table(token, rnd, priorities, criteria)
    elif rnd.kind is RoundKind.WEIGHTING:
        weighting_form(token, rnd, criteria)
    else:
        ranking_form(token, rnd, priorities)
elif rnd.state is RoundState.CLOSED:
    room.closed_notice(rnd)
    if rnd.young_ballot and rnd.kind is RoundKind.RANKING:
        my_picks(token, rnd, priorities)
    elif rnd.young_ballot:
        my_ballot_answers(token, rnd, priorities)
    elif rnd.kind is RoundKind.SCORING:
        my_scores_table(token, rnd, priorities, criteria)
    elif rnd.kind is RoundKind.WEIGHTING:
        my_allocation_table(token, rnd, criteria)
    else:
        my_ranking_list(token, rnd, priorities)
else:
    room.revealed_results(token, rnd, workshop)
