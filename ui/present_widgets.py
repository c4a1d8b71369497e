"""The projector view: big, high-contrast, readable from the back of the room.

At 1024 × 768 every line of its text is 24 px or more (the type scales up with a wider screen) and
nothing scrolls sideways (tests/browser/test_accessibility.py).

One fragment refreshes the view every few seconds; it polls the cheap change
counter and rebuilds the view only when the workshop changed.  What it shows
follows the current round: the join code, QR code and link while people
join and answer; a holding note once the round closes; and the results only
once the facilitator reveals them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ranking.consensus_rule import Status
from ui import outage, state
from ui.alt_text import show_chart
from ui.figures.results import ranking_bar, weights_bar
from ui.present_data import RoomProgress, revealed_consensus, revealed_round_results, room_progress
from ui.qr import qr_png
from ui.services import service
from workshop.converging import ConsensusSummary
from workshop.errors import WorkshopError
from workshop.models import Decision, Round, RoundState, Workshop
from workshop.results import ParticipantView, RankingView, ScoringView, WeightingView
from workshop.security import clean_code

REFRESH_SECONDS = 3
NO_BAR = {"displayModeBar": False}  # the room's screen: no chart toolbar
PROJECTOR_NOTE = "Reconnecting to the workshop's database…"

STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"] {display: none;}
.block-container {padding-top: 1.5rem; max-width: 100%;}
.pz {color: #0b0c0c; line-height: 1.15;}
.pz-title {font-size: clamp(1.8rem, 3vw, 2.8rem); font-weight: 700; margin: 0 0 .4rem 0;}
.pz-sub {font-size: clamp(1.5rem, 2.4vw, 2.2rem); color: #1d1d1b; margin: 0 0 1rem 0;}
.pz-label {font-size: clamp(1.5rem, 2vw, 1.8rem); text-transform: uppercase; letter-spacing: .08em; color: #383838;}
.pz-code {font-size: clamp(3.5rem, 9vw, 8rem); font-weight: 800; letter-spacing: .12em;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; margin: 0;}
.pz-link {font-size: clamp(1.5rem, 2.4vw, 2.2rem); font-weight: 600; word-break: break-all; margin: .2rem 0 1rem 0;}
.pz-stats {display: flex; flex-wrap: wrap; gap: .5rem 3rem; margin: .5rem 0;}
.pz-stat b {display: block; font-size: clamp(2.4rem, 5.5vw, 5rem); font-weight: 800;}
.pz-stat span {font-size: clamp(1.5rem, 2vw, 1.8rem);}
.pz-bar {height: 1.6rem; background: #dee0e2; border: 2px solid #0b0c0c; margin: .3rem 0 1rem 0;}
.pz-bar div {height: 100%; background: #1d70b8;}
.pz-note {font-size: clamp(1.4rem, 3vw, 2.6rem); font-weight: 600; padding: 1rem 1.4rem;
  border-left: .6rem solid #1d70b8; background: #f3f2f1; margin: 1rem 0;}
.pz-top {list-style: none; padding: 0; margin: .5rem 0 1.5rem 0;}
.pz-top li {display: flex; gap: .8em; font-size: clamp(1.3rem, 3vw, 2.6rem); font-weight: 700; padding: .35rem .8rem;
  margin: .3rem 0; background: #0b0c0c; color: #ffffff; border-left: .6rem solid #1d70b8;}
.pz-top li span {flex: 0 0 1.4em; color: #ffdd00;}
.pz-agreed li {flex-wrap: wrap;}
.pz-agreed li small {flex: 1 0 100%; padding-left: 2.2em; font-size: .55em; font-weight: 400; color: #dee0e2;}
</style>
"""


def code_from_address() -> str:
    """The join code in the address (``?code=``, or an old facilitator link's ``?w=``); a
    facilitator's key leaves the address bar and this tab, which is the room's screen now."""
    code = clean_code(st.query_params.get(state.Q_CODE) or st.query_params.get(state.Q_WORKSHOP, ""))
    if state.Q_KEY in st.query_params:
        st.query_params.from_dict({state.Q_CODE: code})
        st.session_state.pop(state.FACILITATOR, None)
    return code


def style() -> None:
    st.html(STYLE)


def block(markup: str) -> None:
    st.markdown(f'<div class="pz">{markup}</div>', unsafe_allow_html=True)


def text(value: object) -> str:
    return html.escape(str(value))


@dataclass(frozen=True, eq=False)
class ProjectorSnapshot:
    """What the projector shows for one version of the workshop."""

    code: str
    version: int
    workshop: Workshop
    round: Round | None
    progress: RoomProgress | None
    results: ParticipantView | None
    results_note: str  # why there are no results, when there are none
    decision: Decision | None  # the agreed shortlist, once recorded
    consensus: ConsensusSummary | None = None  # a revealed scoring round under the workshop's rule


def _last_snapshot(code: str) -> ProjectorSnapshot | None:
    """The view as last shown for this code, if it was."""
    cached = st.session_state.get(state.PRESENT_SNAPSHOT)
    return cached if cached is not None and cached.code == code else None


def _snapshot(code: str) -> ProjectorSnapshot:
    """The view, rebuilt only when the workshop's change counter has moved."""
    cached = _last_snapshot(code)
    if cached is not None and cached.version == service().version(cached.workshop.id):
        return cached
    workshop = service().workshop(code)
    rnd = workshop.current_round
    progress = room_progress(code, rnd.id) if rnd is not None else None
    results, note, statuses = None, "", None
    if rnd is not None and rnd.state is RoundState.REVEALED:
        try:
            results = revealed_round_results(code, rnd.id)
            if isinstance(results, ScoringView):
                statuses = revealed_consensus(code, rnd.id)
        except WorkshopError as error:
            note = error.message
    decision = service().public_decision(code)
    snapshot = ProjectorSnapshot(code, workshop.version, workshop, rnd, progress, results, note, decision, statuses)
    st.session_state[state.PRESENT_SNAPSHOT] = snapshot
    return snapshot


def join_panel(code: str, join_url: str, absolute: bool) -> None:
    """The join code, the QR code and the link, as large as the screen allows."""
    words, picture = st.columns([2, 1], vertical_alignment="center")
    with words:
        block(
            '<div class="pz-label">Join at</div>'
            f'<div class="pz-link">{text(join_url)}</div>'
            '<div class="pz-label">with the code</div>'
            f'<div class="pz-code">{text(code)}</div>'
        )
    if absolute:
        picture.image(qr_png(join_url), caption="Scan to join", width="stretch", alt=f"QR code for {join_url}")


def progress_panel(progress: RoomProgress) -> None:
    percent = progress.percent
    block(
        '<div class="pz-stats">'
        f'<div class="pz-stat"><b>{progress.joined}</b><span>joined</span></div>'
        f'<div class="pz-stat"><b>{progress.finished}</b><span>finished</span></div>'
        f'<div class="pz-stat"><b>{percent:.0f}%</b><span>of answers given</span></div>'
        "</div>"
        f'<div class="pz-bar" role="progressbar" aria-valuenow="{percent:.0f}" aria-valuemin="0" '
        f'aria-valuemax="100" aria-label="Answers given"><div style="width:{percent:.1f}%"></div></div>'
    )


def top_list(names: list[str], ranks: list[int]) -> None:
    items = "".join(f"<li><span>{rank}</span>{text(name)}</li>" for name, rank in zip(names, ranks, strict=True))
    block(f'<ol class="pz-top">{items}</ol>')


def decision_panel(decision: Decision) -> None:
    """The agreed shortlist in large type, each with its reason."""
    items = "".join(
        f"<li><span>{place}</span>{text(entry.name)}<small>{text(entry.rationale)}</small></li>"
        for place, entry in enumerate(decision.shortlist, start=1)
    )
    block(f'<div class="pz-label">Agreed shortlist</div><ol class="pz-top pz-agreed">{items}</ol>')


def consensus_panel(summary: ConsensusSummary) -> None:
    """The statuses under the stated rule, in large type: which priorities are IN and OUT, and the rule."""
    block(f'<div class="pz-label">Consensus: {text(summary.counts_words)}</div>')
    for status, heading in ((Status.IN, "IN"), (Status.OUT, "OUT")):
        names = [r.priority for r in summary.rows if r.status is status]
        if names:
            items = "".join(f"<li><span>{heading}</span>{text(name)}</li>" for name in names)
            block(f'<ol class="pz-top">{items}</ol>')
    st.caption(summary.rule)


def results_panel(workshop: Workshop, results: ParticipantView) -> None:
    """The revealed round's result: the top k in large type, then the whole ranking."""
    if isinstance(results, ScoringView):
        ranking = results.ranking
        k = workshop.shortlist_places(len(ranking.names))
        top = set(ranking.top(k))  # the scored priorities ranked k or better
        order = [i for i in ranking.order if ranking.names[i] in top]
        block(f'<div class="pz-label">The room\'s top {k}</div>')
        top_list([ranking.names[i] for i in order], [int(ranking.ranks[i]) for i in order])
        show_chart(ranking_bar(ranking, k, big=True), "present_ranking_chart", config=NO_BAR, theme=None)
    elif isinstance(results, WeightingView):
        room = results.room
        block(f'<div class="pz-label">The room\'s weights ({room.responses} people)</div>')
        chart = weights_bar([c.name for c in room.criteria], room.weights, ["The room"], big=True)
        show_chart(chart, "present_weights_chart", config=NO_BAR, theme=None)
    else:
        assert isinstance(results, RankingView)
        tally = results.tally
        k = workshop.shortlist_places(len(tally.priorities))
        order = tally.order
        top = [i for i in order if tally.ranks[i] <= k]
        block(f'<div class="pz-label">The room\'s top {k} ({tally.ballots} rankings)</div>')
        top_list([tally.priorities[i].name for i in top], [int(tally.ranks[i]) for i in top])
        table = pd.DataFrame(
            {
                "Rank": [int(tally.ranks[i]) for i in order],
                "Priority": [tally.priorities[i].name for i in order],
                tally.score_label: [float(tally.points[i]) for i in order],
                "First choices": [int(tally.first_choices[i]) for i in order],
            }
        )
        st.dataframe(
            table, hide_index=True, column_config={tally.score_label: st.column_config.NumberColumn(format="%.2f")}
        )
        st.caption(tally.rule)


@st.fragment(run_every=REFRESH_SECONDS)
def projector(code: str, join_url: str, absolute: bool) -> None:
    """The whole projector view for the current round (refreshes by itself).

    While the database is not answering, the room goes on seeing the view as
    last shown, with a small note; a projector opened during the outage shows
    ``ui.outage.MESSAGE`` until the database answers."""
    view = _last_snapshot(code)
    try:
        with outage.noted("projector", PROJECTOR_NOTE) if view is not None else outage.handled("projector"):
            view = _snapshot(code)
    except WorkshopError as error:
        st.error(error.message)
        return
    if view is None:
        return
    workshop, rnd = view.workshop, view.round
    sub = f"{rnd.label}" if rnd is not None else workshop.organisation
    block(f'<div class="pz-title">{text(workshop.title)}</div><div class="pz-sub">{text(sub)}</div>')
    if view.decision is not None and (rnd is None or rnd.state is not RoundState.OPEN):
        decision_panel(view.decision)
        return
    if rnd is None:
        join_panel(workshop.code, join_url, absolute)
        block('<div class="pz-note">Join now: the first round will start shortly.</div>')
        return
    if rnd.state is RoundState.OPEN:
        join_panel(workshop.code, join_url, absolute)
        if view.progress is not None:
            progress_panel(view.progress)
        return
    if rnd.state is RoundState.CLOSED:
        block(
            '<div class="pz-note">This round is closed. '
            "Results will appear here when the facilitator reveals them.</div>"
        )
        if view.progress is not None:
            progress_panel(view.progress)
        return
    if view.results is None:
        block(f'<div class="pz-note">{text(view.results_note)}</div>')
        return
    results_panel(workshop, view.results)
    if view.consensus is not None:
        consensus_panel(view.consensus)
