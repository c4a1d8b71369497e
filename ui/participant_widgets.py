"""The participant's screens around the answering itself: joining, the page
header, following the facilitator from round to round, and the room's
results once revealed (beside the participant's own answers, never anyone
else's)."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from ranking.consensus import own_views
from ranking.methods import RankingResult
from ranking.model import ScoreSet
from ranking.readings import TIE_SENTENCE
from ui import outage, state
from ui.alt_text import show_chart
from ui.ballot import ballot_notice, ballot_result
from ui.ballot_pick import pick_result
from ui.decision_view import show_decision
from ui.figures import NOT_SCORED, ranking_bar, score_text, weights_bar
from ui.plain import md
from ui.services import joinable_workshop, room_stage, service
from ui.session import guard
from workshop.ballot import AGE_BANDS, AGE_QUESTION
from workshop.errors import NoResultsYet
from workshop.models import (
    ALLOCATION_POINTS,
    MAX_NAME_LENGTH,
    Criterion,
    Participant,
    Round,
    RoundKind,
    RoundState,
    Stage,
    Workshop,
)
from workshop.results import RankingView, ScoringView, WeightingView

log = logging.getLogger("prioritise.ui")

POLL_SECONDS = 10
ANSWERING_POLL_SECONDS = 20
HEARTBEAT_SECONDS = 30
KEEP_THIS_PAGE = (
    "Keep this page open, or bookmark it: the link in your address bar brings you back to your own answers, "
    "on this device or another. Do not share it — it is your place in the workshop."
)

# --------------------------------------------------------------------------- joining


def code_from_url() -> None:
    """Prefill the code box from a join link or QR code (?code=...)."""
    code = st.query_params.get(state.Q_CODE)
    if code and state.JOIN_CODE not in st.session_state:
        st.session_state[state.JOIN_CODE] = code.strip().upper()


def workshop_for_code() -> Workshop | None:
    """The code box, and the workshop its code names (or a clear message and None)."""
    code_from_url()
    code = st.text_input(
        "Workshop code",
        key=state.JOIN_CODE,
        max_chars=40,
        placeholder="e.g. ABC234",
        help="The code on the screen at the front of the room. Capitals, spaces and hyphens do not matter.",
    ).strip()
    if not code:
        st.caption("Type the code shown on the screen, or open the link or QR code you were given.")
        return None
    with guard("Finding the workshop"):
        workshop = joinable_workshop(code)
        st.query_params[state.Q_CODE] = workshop.code
        return workshop
    return None


def join_form(workshop: Workshop) -> Participant | None:
    """Group (required when the workshop has groups) and an optional name; the participant once joined."""
    st.subheader(workshop.title, anchor=False)
    if workshop.organisation and not is_ballot_open(workshop):
        st.caption(workshop.organisation)
    with st.form(state.JOIN_FORM, border=True, enter_to_submit=True):
        group = None
        if workshop.groups:
            descriptions = {g.name: g.description for g in workshop.groups}
            names = [g.name for g in workshop.groups]
            linked = str(st.query_params.get(state.Q_GROUP, "")).casefold()  # a consultation's audience link
            group = st.selectbox(
                "Your stakeholder group",
                names,
                index=next((n for n, name in enumerate(names) if name.casefold() == linked), None),
                key=state.JOIN_GROUP,
                placeholder="Choose the group you are here for",
                help="Results are also shown group by group, so that each partner's view is heard.",
                format_func=lambda name: f"{name} — {descriptions[name]}" if descriptions[name] else name,
            )
        name = age = None
        if is_ballot_open(workshop):  # children's data: a young people's ballot asks for no name (workshop.ballot)
            ballot_notice()
            age = st.selectbox(AGE_QUESTION, AGE_BANDS, index=None, key=state.JOIN_AGE, placeholder="Skip")
        else:
            name = st.text_input(
                "Your name (optional)",
                key=state.JOIN_NAME,
                max_chars=MAX_NAME_LENGTH,
                help="Only the facilitator sees names, to know who has finished.",
            )
            st.caption(
                "You may leave your name empty to stay anonymous: you will be shown as “Anonymous” and a number."
            )
        submitted = st.form_submit_button("Join", type="primary", icon=":material/login:")
    if not submitted:
        return None
    with guard("Joining"):
        return service().join(workshop.code, name, group, age)
    return None


def is_ballot_open(workshop: Workshop) -> bool:
    """Whether the workshop's open round is a young people's ballot (its join form asks for no name)."""
    rnd = workshop.current_round
    return rnd is not None and rnd.young_ballot and rnd.state is RoundState.OPEN


def enter_workshop(participant: Participant) -> None:
    """Remember the participant in this tab and its URL, and go to their scoring page."""
    st.session_state[state.PARTICIPANT_TOKEN] = participant.token
    st.session_state[state.JUST_JOINED] = True
    st.query_params[state.Q_PARTICIPANT] = participant.token
    st.switch_page("app_pages/participate.py", query_params={state.Q_PARTICIPANT: participant.token})


#: After Join: the new page's first heading (the round's), else its first notice, is given the focus.
_FOCUS_HEADING = """<script>
// %d: new text each time, or Streamlit keeps the element and the script does not run again
(function focusHeading(tries) {
  const fresh = el => !el.closest('[data-stale="true"]') && el.getClientRects().length > 0;
  const main = document.querySelector('[data-testid="stMain"]');
  const found = main && ([...main.querySelectorAll("h1, h2, h3")].find(fresh)
    || [...main.querySelectorAll('[data-testid="stAlertContainer"]')].find(fresh));
  if (found) {
    if (!found.hasAttribute("tabindex")) found.setAttribute("tabindex", "-1");
    found.focus({preventScroll: true});
  } else if (tries > 0) setTimeout(() => focusHeading(tries - 1), 50);
})(40);
</script>"""


def focus_after_join() -> None:
    """Once, after Join: give the focus to the page's heading, so that it is not lost to the page when the
    join page is replaced (WCAG 2.4.3) and Tab goes on into the round from its top."""
    if st.session_state.pop(state.JUST_JOINED, False):
        st.html(_FOCUS_HEADING % time.monotonic_ns(), unsafe_allow_javascript=True)


# --------------------------------------------------------------------------- following the room


def keep_alive(token: str) -> None:
    """Tell the facilitator this participant is still here, at most every HEARTBEAT_SECONDS
    after the last heartbeat or save."""
    now = time.monotonic()
    if now - st.session_state.get(state.LAST_HEARTBEAT, -math.inf) < HEARTBEAT_SECONDS:
        return
    st.session_state[state.LAST_HEARTBEAT] = now
    try:
        service().heartbeat(token)
    except Exception:  # presence is not content: a missed heartbeat must not interrupt anyone
        log.warning("heartbeat failed", exc_info=True)


def on_show(workshop: Workshop) -> Stage:
    """What decides the page's content: the current round, its state and the agreed shortlist."""
    return room_stage(workshop.id)


def follow_workshop(token: str, workshop_id: int, shown: Stage) -> None:
    """Every few seconds: a heartbeat, and a cheap look at the workshop's stage; when the
    facilitator has opened, closed or revealed a round, or recorded the shortlist, redraw the page.

    While the participant's round is open the look comes every ANSWERING_POLL_SECONDS instead of
    POLL_SECONDS: someone answering learns that the round closed from their next save (it is
    refused, and the page moves on at once, ``ui.scoring.follow_closed_round``), and the timer's
    reruns were a third of a busy room's load on the server (bench/RESULTS.md).  Waiting for the
    next round or for results, the page looks often.
    """
    answering = shown.round_state is RoundState.OPEN
    (_follow_while_answering if answering else _follow_while_waiting)(token, workshop_id, shown)


def _look(token: str, workshop_id: int, shown: Stage) -> None:
    """The stage compared (the stage, not the change counter: every answer in the room bumps the
    counter, and reloading the workshop on each of them was the biggest cost of a busy room)."""
    keep_alive(token)
    with outage.noted("checking for the next round"), guard("Checking for the next round"):
        if room_stage(workshop_id) != shown:
            st.rerun()


@st.fragment(run_every=POLL_SECONDS)
def _follow_while_waiting(token: str, workshop_id: int, shown: Stage) -> None:
    _look(token, workshop_id, shown)


@st.fragment(run_every=ANSWERING_POLL_SECONDS)
def _follow_while_answering(token: str, workshop_id: int, shown: Stage) -> None:
    _look(token, workshop_id, shown)


def participant_header(participant: Participant, workshop: Workshop) -> None:
    who = f"You are **{md(participant.label)}**" + (f" · {md(participant.group)}" if participant.group else "")
    st.markdown(f"**{md(workshop.title)}**  \n{who}")
    st.caption(KEEP_THIS_PAGE)


STATE_BADGES = {
    RoundState.OPEN: ("Open — your answers are saved as you go", "green"),
    RoundState.CLOSED: ("Closed", "gray"),
    RoundState.REVEALED: ("Results revealed", "blue"),
}


def round_heading(rnd: Round) -> None:
    text, colour = STATE_BADGES.get(rnd.state, (rnd.state.value, "gray"))
    st.subheader(f"{rnd.labelled(md(rnd.title))} :{colour}-badge[{text}]", anchor=False)


def agreed_shortlist(workshop: Workshop) -> None:
    """The room's agreed shortlist, once the facilitator has recorded it."""
    decision = service().public_decision(workshop.code)
    if decision is not None:
        with st.container(border=True):
            st.subheader("The agreed shortlist", anchor=False)
            show_decision(decision)


def waiting(workshop: Workshop) -> None:
    st.info(
        "You have joined. The facilitator has not opened a round yet: this page moves on by itself when they do.",
        icon="⏳",
    )
    if workshop.description:
        st.markdown(workshop.description)


def closed_notice(rnd: Round) -> None:
    st.info(
        f"{rnd.short_label} is closed: your answers below are kept as they are. Results will appear here when "
        "the facilitator reveals them, and the next round as soon as it opens.",
        icon="🔒",
    )


# --------------------------------------------------------------------------- results


ONLY_YOURS = "You see the room's combined result and your own answers; nobody's individual answers are shown."


def revealed_results(token: str, rnd: Round, workshop: Workshop) -> None:
    """The room's result beside the participant's own answers."""
    with guard("Showing the results"):
        try:
            view = service().participant_results(token, rnd.id)
        except NoResultsYet as nothing:
            st.info(nothing.message)
            return
        st.caption(ONLY_YOURS)
        if isinstance(view, ScoringView) and rnd.young_ballot:
            ballot_result(view, workshop)
        elif isinstance(view, ScoringView):
            scoring_result(view, workshop)
        elif isinstance(view, WeightingView):
            weighting_result(view)
        elif isinstance(view, RankingView) and rnd.young_ballot:
            pick_result(view)  # plain titles, as the pick ballot showed them
        elif isinstance(view, RankingView):
            ranking_result(view)


NO_ANSWERS = "no answers yet"


def own_scores(view: ScoringView, workshop: Workshop) -> np.ndarray:
    """The participant's own score of each priority (``view.ranking``'s
    order of priorities), 0–1: the weighted sum of their answers, each on its
    criterion's scale with cost criteria reversed, over the criteria they
    answered (``ranking.consensus.own_views``); NaN where they answered none."""
    result = view.ranking
    rows = {p.id: result.names.index(p.name) for p in workshop.priorities if p.name in result.names}
    columns = {c.id: result.criterion_names.index(c.name) for c in workshop.criteria}
    mine = np.full(result.matrix.shape, np.nan)
    for e in view.mine.entries:
        if e.value is not None and e.priority_id in rows and e.criterion_id in columns:
            mine[rows[e.priority_id], columns[e.criterion_id]] = e.value
    return own_views(ScoreSet(result.priorities, result.criteria, mine), result.weights)[0]


def scoring_result(view: ScoringView, workshop: Workshop) -> None:
    result = view.ranking
    top = workshop.shortlist_places(len(result.names))
    ids = {p.name: p.id for p in workshop.priorities}
    criteria = {c.id: c for c in workshop.criteria}
    names = [result.names[i] for i in result.order]
    in_top = set(result.top(top))
    mine = own_scores(view, workshop)
    show_chart(ranking_bar(result, top), numbers=False, config={"displayModeBar": False})  # the table below has them
    # Every cell is text, as shown: a missing value would read "None" in the browser.
    table = pd.DataFrame(
        {
            "Rank": [str(result.ranks[i]) if result.scored[i] else NOT_SCORED for i in result.order],
            "Priority": names,
            f"Top {top}": ["★" if n in in_top else "" for n in names],
            "Room's score": [score_text(result, i) for i in result.order],
            "Your score (0–1)": ["—" if np.isnan(mine[i]) else f"{mine[i]:.3f}" for i in result.order],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    unscored = (
        f" Nobody has answered {len(result.unscored)} of the priorities yet: they have no rank."
        if (result.unscored)
        else ""
    )
    st.caption(
        f"Method: {method_words(result)}. Room's score: {result.method.score_label}, the figure the room is "
        "ranked by. "
        "Your score: the weighted sum of your own answers, each put on its criterion's scale from 0 (worst) to 1 "
        f"(best, reversed where lower is better), over the criteria you answered.{unscored} {TIE_SENTENCE}"
    )
    compare_one(view, names, ids, criteria)


def method_words(result: RankingResult) -> str:
    """How the room's ranking was made, in words (the workshop's chosen method)."""
    balanced = ", each stakeholder group counting equally" if result.options.balance_groups else ""
    return f"{result.method.label} of the room's {result.options.aggregation.value} scores{balanced}"


def compare_one(view: ScoringView, names: Sequence[str], ids: dict[str, int], criteria: dict[int, Criterion]) -> None:
    """One priority, criterion by criterion: the room's average beside the participant's own score."""
    result = view.ranking
    name = st.selectbox("Compare one priority criterion by criterion", names, index=None, placeholder="Choose…")
    if name is None:
        return
    i = result.names.index(name)
    rows = []
    for j, criterion_name in enumerate(result.criterion_names):
        criterion = next(c for c in criteria.values() if c.name == criterion_name)
        entry = view.mine.entry(ids[name], criterion.id)
        yours = "—" if entry is None else "Don't know" if entry.value is None else f"{entry.value:g}"
        responses = int(result.aggregate.counts[i, j])
        room = f"{result.matrix[i, j]:.1f}" if responses else NO_ANSWERS
        rows.append((criterion_name, room, responses, yours))
    st.dataframe(
        pd.DataFrame(rows, columns=["Criterion", "Room's average", "Responses", "Your score"]),
        hide_index=True,
        width="stretch",
    )


def weighting_result(view: WeightingView) -> None:
    criteria = view.room.criteria
    points = {p.criterion_id: p.points for p in view.mine.points}
    yours = [points.get(c.id, 0) / (view.mine.total or 1) for c in criteria]
    series = [list(view.room.weights)] + ([yours] if points else [])
    labels = ["The room"] + (["You"] if points else [])
    chart = weights_bar([c.name for c in criteria], series, labels, heading="Criteria weights")
    show_chart(chart, config={"displayModeBar": False})
    st.caption(
        f"The room's weights average everyone's split of {ALLOCATION_POINTS} points, each taken in proportion; "
        f"{view.room.responses} people took part."
    )


def ranking_result(view: RankingView) -> None:
    tally = view.tally
    mine = {pid: n for n, pid in enumerate(view.mine.priority_ids, start=1)}
    order = tally.order
    st.dataframe(
        pd.DataFrame(
            {
                "Rank": [int(tally.ranks[i]) for i in order],
                "Priority": [tally.priorities[i].name for i in order],
                "Points": [float(tally.points[i]) for i in order],
                "Your place": [mine.get(tally.priorities[i].id) for i in order],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"Points": st.column_config.NumberColumn(format="%.1f")},
    )
    st.caption(f"{tally.ballots} people ranked. {tally.rule}")


def round_kind_intro(rnd: Round) -> str:
    if rnd.young_ballot and rnd.kind is RoundKind.RANKING:
        return "We want to know what matters to you. Pick the ideas that matter most."
    if rnd.young_ballot:
        return "We want to know what matters to you. Answer one question about each idea."
    return {
        RoundKind.SCORING: "Score each priority on each criterion. Say “don't know” wherever you cannot judge.",
        RoundKind.WEIGHTING: "Decide how much each criterion should count.",
        RoundKind.RANKING: "Order the short list.",
    }[rnd.kind]
