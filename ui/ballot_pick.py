"""The "pick your top three from these eight" ballot on a phone: one screen of plain titles and
sentences, a big button under each to pick it (favourite first), the picks saved as a ranking."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui import outage
from ui.ballot import BALLOT_STYLE, ballot_notice
from ui.plain import md
from ui.save_notes import follow_closed_round, save_with_note, show_note
from ui.services import service
from workshop.ballot import pick_question
from workshop.models import Priority, Round
from workshop.results import RankingView
from workshop.said import ordinal

#: The pick buttons are as big as the scoring ballot's answers (WCAG 2.5.5's 44 px and more).
PICK_STYLE = """<style>[class*="st-key-pick-"] button {
  min-height: 3.5rem; font-size: 1.15rem; white-space: normal; overflow-wrap: anywhere;}</style>"""


def _note_key(round_id: int) -> str:
    return f"ballot-pick-note-{round_id}"


def picked_after(picks: Sequence[int], priority_id: int) -> tuple[int, ...]:
    """The picks after a tap on ``priority_id``: a new pick goes last, a tap on a picked one drops it."""
    if priority_id in picks:
        return tuple(p for p in picks if p != priority_id)
    return (*picks, priority_id)


def _tap(token: str, round_id: int, picks: tuple[int, ...], priority_id: int) -> None:
    after = picked_after(picks, priority_id)
    save_with_note(_note_key(round_id), lambda: service().save_ranking(token, round_id, after))


def _button_words(place: int | None, title: str) -> str:
    if place is None:
        return f"Pick “{title}”"
    return f"✓ Your {ordinal(place)} pick: “{title}” (tap to take it back)"


@st.fragment
@outage.handled("ballot")
def pick_form(token: str, rnd: Round, priorities: tuple[Priority, ...]) -> None:
    """Every priority on one screen, each with its plain title, sentence and a pick button; a tap
    saves the picks at once (the first picked is the favourite).  The last pick cannot be taken back
    (a ranking needs one): pick another first."""
    follow_closed_round()
    st.html(BALLOT_STYLE + PICK_STYLE)
    picks = service().my_ranking(token, rnd.id).priority_ids
    want = rnd.ranking_length
    if not picks:
        ballot_notice()
    st.markdown(f"**{pick_question(rnd)}**")
    st.progress(min(len(picks) / want, 1.0), text=f"{len(picks)} of {want} picked")
    show_note(_note_key(rnd.id))
    if len(picks) >= want:
        st.success(f"Thank you! Your {want} picks are saved. You can change them until the ballot closes.")
    for priority in priorities:
        place = picks.index(priority.id) + 1 if priority.id in picks else None
        with st.container(border=True, key=f"ballot-card-{priority.id}"):
            st.subheader(md(priority.ballot_title), anchor=f"ballot-{priority.id}")
            if priority.ballot_sentence:
                st.markdown(md(priority.ballot_sentence))
            st.button(
                md(_button_words(place, priority.ballot_title)),
                key=f"pick-{priority.id}",
                type="primary" if place else "secondary",
                width="stretch",
                disabled=(place is None and len(picks) >= want) or (place is not None and len(picks) == 1),
                on_click=_tap,
                args=(token, rnd.id, picks, priority.id),
            )


def my_picks(token: str, rnd: Round, priorities: tuple[Priority, ...]) -> None:
    """The participant's own picks, favourite first (a closed pick ballot)."""
    titles = {p.id: p.ballot_title for p in priorities}
    picks = service().my_ranking(token, rnd.id).priority_ids
    if not picks:
        st.markdown("You did not pick any.")
        return
    rows = [(ordinal(n), titles[pid]) for n, pid in enumerate(picks, start=1) if pid in titles]
    st.dataframe(pd.DataFrame(rows, columns=["Your pick", "Idea"]), hide_index=True, width="stretch")


def pick_result(view: RankingView) -> None:
    """What everyone picked (a revealed pick ballot), in plain titles: the tally's order and your picks."""
    tally = view.tally
    mine = {pid: n for n, pid in enumerate(view.mine.priority_ids, start=1)}
    rows = [
        (
            str(int(tally.ranks[i])),
            tally.priorities[i].ballot_title,
            ordinal(mine[tally.priorities[i].id]) if tally.priorities[i].id in mine else "",
        )
        for i in tally.order
    ]
    st.markdown(f"**What everyone picked.** {tally.ballots:,} people took part.")
    st.dataframe(pd.DataFrame(rows, columns=["Place", "Idea", "Your pick"]), hide_index=True, width="stretch")
