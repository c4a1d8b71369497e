"""The results page's parts: the round and ranking options, one function per
tab of a scoring round (ranking, the working, disagreement, sensitivity,
what if), and the results of ranking and weighting rounds.

Everything heavy comes from ``ui.analysis`` (cached per round, change
counter and options), so a rerun with nothing changed only redraws.  The
tabs are lazy (``st.tabs(on_change=...)`` state tracking): a tab's
computations run only while it is open.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ranking.aggregate import Aggregation
from ranking.consensus import CONCORDANCE_RULE, GROUP_RHO_RULE, HIGH_SPREAD, NEAR_CUTOFF, Consensus
from ranking.methods import Method, RankingOptions, RankingResult
from ranking.readings import NOT_SCORED, TIE_SENTENCE, agreement_reading, rank_label
from ranking.robustness import SAMPLING_WORDS, RobustnessOptions, sampling_text
from ranking.sensitivity import MethodAgreement, WeightSampling
from ui import analysis, state
from ui.alt_text import figure_alt
from ui.analysis import Basis, Target
from ui.figures import (
    acceptability_heatmap,
    bootstrap_bar,
    contribution_bar,
    criterion_distribution,
    group_heatmap,
    method_agreement_heatmap,
    one_way_chart,
    ranking_bar,
    score_distribution,
    smaa_top_bar,
    tornado,
    weights_bar,
)
from ui.services import service
from ui.session import facilitator, guard
from workshop.models import (
    MAX_CONCENTRATION,
    MAX_RESAMPLES,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_CONCENTRATION,
    MIN_RESAMPLES,
    MIN_SAMPLES,
    Criterion,
    Round,
    RoundKind,
    RoundState,
    Workshop,
)
from workshop.results import RankingRoundResults, WeightingResults

TABS = ("Ranking", "Show the working", "Disagreement", "Sensitivity", "What if")
#: Light blue behind the top k's rows (the figures' top-k blue, #0072B2, faded).
TOP_ROW = "background-color: rgba(0, 114, 178, 0.12)"

METHOD_NOTES = {
    Method.WEIGHTED_SUM: "**Weighted sum**: each criterion's room score is rescaled to 0–1 by its scale "
    "(cost criteria reversed), multiplied by its weight, and the results added up.",
    Method.TOPSIS: "**TOPSIS** (Hwang & Yoon 1981): how close each priority comes to an imaginary ideal that is best "
    "on every criterion, and how far from one that is worst (vector normalisation, 0–1).",
    Method.BORDA: "**Borda count**: each participant's own order (by their own weighted scores) gives a priority one "
    "point for every priority it beats, half for a tie; points are averaged over the room.",
    Method.COPELAND: "**Copeland**: one point for every other priority that most of the room ranks below it "
    "(half for a tie), from each participant's own order.",
}
AGGREGATION_LABELS = {Aggregation.MEAN: "Mean", Aggregation.MEDIAN: "Median"}
SAMPLING_LABELS = {mode: words[0].upper() + words[1:] for mode, words in SAMPLING_WORDS.items()}
REASONS = {
    HIGH_SPREAD: "the room is divided on it",
    NEAR_CUTOFF: "close to the line between in and out",
}


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~<>:])")


def md(text: str) -> str:
    """Text typed by people (names, reasons), escaped for st.markdown: "$5m" is not maths, "*" not emphasis."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def names_md(names: Sequence[str]) -> str:
    return ", ".join(f"“{md(n)}”" for n in names)


def chart(fig: go.Figure, key: str) -> None:
    """A figure as built (``theme=None`` keeps the builders' colour-blind-safe palette)."""
    st.plotly_chart(fig, width="stretch", theme=None, key=key, alt=figure_alt(fig))


def cached_chart(key: str, identity: tuple[object, ...], build: Callable[[], go.Figure]) -> None:
    """A figure built once per ``identity`` (everything it depends on), see ``analysis.figure``."""
    chart(analysis.figure(key, identity, build), key)


# --------------------------------------------------------------------------- round and options


def pick_round(rounds: Sequence[Round]) -> Round | None:
    """The round to show, of those answered: by default the latest scoring round."""
    if not rounds:
        st.info("Results appear here once somebody has answered a round. Open a round from Live control.")
        st.page_link("app_pages/live.py", label="Go to Live control", icon="🎛️")
        return None
    scoring = [r for r in rounds if r.kind is RoundKind.SCORING]
    default = list(rounds).index(scoring[-1] if scoring else rounds[-1])
    by_id = {r.id: r for r in rounds}
    chosen = st.selectbox(
        "Round",
        list(by_id),
        index=default,
        format_func=lambda rid: f"{by_id[rid].label} ({by_id[rid].kind.value}, {by_id[rid].state.value})",
        key=state.RESULTS_ROUND,
    )
    rnd = by_id[chosen]
    if rnd.state is RoundState.OPEN:
        st.caption("This round is still open: the results change as answers come in.")
    return rnd


OPTIONS_CAPTION = (
    "This is the workshop's ranking method: changing it here changes it for the projector, participants' "
    "results, the Agree page and every export (the audit log records each change)."
)


def ranking_options(workshop: Workshop) -> RankingOptions:
    """The workshop's ranking options (stored by the service), with the
    controls that change them: changing a control stores the new choice at
    once, for everyone.  The controls always show what is stored, so a
    change made in another tab shows here on the next rerun."""
    stored = workshop.ranking
    st.session_state[state.RESULTS_METHOD] = stored.method
    st.session_state[state.RESULTS_AGGREGATION] = stored.aggregation
    st.session_state[state.RESULTS_BALANCED] = stored.balance_groups and bool(workshop.groups)
    with st.container(border=True):
        left, middle, right = st.columns([2, 2, 3])
        left.selectbox(
            "Ranking method",
            list(Method),
            format_func=lambda m: m.label,
            key=state.RESULTS_METHOD,
            on_change=_save_options,
            args=(workshop.id,),
        )
        middle.radio(
            "Combine the room's scores by their",
            list(Aggregation),
            format_func=AGGREGATION_LABELS.__getitem__,
            horizontal=True,
            key=state.RESULTS_AGGREGATION,
            on_change=_save_options,
            args=(workshop.id,),
        )
        right.toggle(
            "Each stakeholder group counts equally",
            disabled=not workshop.groups,
            help="Average within each group first, then across groups, so a partner that sent eight people "
            "does not outvote one that sent two.",
            key=state.RESULTS_BALANCED,
            on_change=_save_options,
            args=(workshop.id,),
        )
        st.caption(OPTIONS_CAPTION)
    return stored


def chosen_options() -> RankingOptions:
    """The options the Results page's controls hold now."""
    return RankingOptions(
        method=st.session_state[state.RESULTS_METHOD],
        aggregation=st.session_state[state.RESULTS_AGGREGATION],
        balance_groups=bool(st.session_state[state.RESULTS_BALANCED]),
    )


def _save_options(workshop_id: int) -> None:
    """Store the controls' choice as the workshop's ranking options (a widget
    callback: it runs before the page, so the page then reads the new ones)."""
    session = facilitator()
    if session is None:
        return
    with guard("Saving the ranking method"):
        saved = service().set_ranking_options(session.key, workshop_id, chosen_options()).ranking
        how = AGGREGATION_LABELS[saved.aggregation].lower()
        balanced = ", each stakeholder group counting equally" if saved.balance_groups else ""
        st.toast(f"Ranking method saved for the workshop: {saved.method.label} of the {how}{balanced}.", icon="✅")


# --------------------------------------------------------------------------- ranking


def unscored_note(result: RankingResult, top: int) -> str | None:
    """A sentence naming the priorities nobody has scored, or None."""
    if not result.unscored:
        return None
    return (
        f"Nobody has scored {names_md(result.unscored)} yet: "
        f"{'it has' if len(result.unscored) == 1 else 'they have'} no score and no rank, "
        f"{'comes' if len(result.unscored) == 1 else 'come'} last and cannot make the top {top}."
    )


def ranking_table(result: RankingResult, top: int, score_format: str) -> pd.io.formats.style.Styler:
    """Every priority, best first, the top k's rows tinted; a priority nobody
    scored has no rank or score ("–", "not scored") and is never in the top k."""
    table = result.table()
    scored = table["scored"]
    frame = pd.DataFrame(
        {
            "Rank": table["rank"].astype("Int64").where(scored, pd.NA),
            "Priority": table["priority"],
            "Theme": table["theme"],
            "Score": table["score"],
            "Responses": table["responses"],
            f"Top {top}": (table["rank"] <= top) & scored,
        }
    )
    return (
        frame.style.format({"Score": score_format}, na_rep=NOT_SCORED)
        .format(subset=["Rank"], na_rep="–")
        .apply(lambda row: [TOP_ROW if row[f"Top {top}"] else ""] * len(row), axis=1)
    )


def agreement_sentence(found: MethodAgreement) -> str:
    """Which of the top k every method agrees on, in a sentence."""
    if not found.agreed:
        return f"The four methods share **none** of their top {found.top}: the choice of method matters here."
    names = names_md(found.agreed)
    if len(found.agreed) >= found.top:
        return f"**All four methods agree on the top {found.top}:** {names}."
    return f"**{len(found.agreed)} of the top {found.top} are the same under all four methods:** {names}."


def ranking_tab(target: Target, top: int) -> None:
    result = analysis.scoring(target).ranking
    st.markdown(METHOD_NOTES[result.method])
    cached_chart("results-ranking-bar", (target, top), lambda: ranking_bar(result, top))
    fmt = "{:.1f}" if result.method in (Method.BORDA, Method.COPELAND) else "{:.3f}"
    st.dataframe(
        ranking_table(result, top, fmt),
        hide_index=True,
        width="stretch",
        column_config={"Responses": st.column_config.NumberColumn(help="Fewest answers on any one criterion")},
    )
    st.caption(f"{TIE_SENTENCE} The top {top} is every priority ranked {top} or better.")
    note = unscored_note(result, top)
    if note:
        st.warning(note)
    found = analysis.agreement(target, top)
    st.markdown(agreement_sentence(found))
    cached_chart("results-method-agreement", (target, top), lambda: method_agreement_heatmap(found))


# --------------------------------------------------------------------------- the working


def working_table(result: RankingResult, name: str) -> pd.DataFrame:
    working = result.working(name)
    how = "median" if result.aggregate.how is Aggregation.MEDIAN else "mean"
    return pd.DataFrame(
        {
            "Criterion": working["criterion"],
            "Scale": [
                f"{c.scale_min:g}–{c.scale_max:g}" + (", lower is better" if c.is_cost else "") if c.has_scale else ""
                for c in result.criteria
            ],
            "Weight": working["weight"],
            f"Room's {how}": working["aggregate"],
            "Responses": working["responses"],
            "Normalised (0–1)": working["normalized"],
            "Weighted": working["weighted"],
        }
    )


def method_working(result: RankingResult, name: str) -> str:
    """How the priority's score follows from its working, in one sentence."""
    i = result.names.index(name)
    score = result.scores[i]
    if not result.scored[i]:
        return "**Not scored**: nobody has answered this priority on any criterion, so it has no score and no rank."
    if result.method is Method.WEIGHTED_SUM:
        return f"Score = the sum of the weighted column = **{score:.3f}**."
    if result.method is Method.TOPSIS:
        assert result.dist_ideal is not None and result.dist_anti is not None
        near, far = result.dist_ideal[i], result.dist_anti[i]
        return (
            f"Distance to the ideal {near:.3f}, to the worst {far:.3f}: "
            f"closeness = {far:.3f} / ({near:.3f} + {far:.3f}) = **{score:.3f}**."
        )
    assert result.pairwise is not None
    beats = int((result.pairwise[i] > result.pairwise[:, i]).sum())
    return (
        f"{result.method.label} points **{score:.1f}**; most of the room ranks it above {beats} of the other "
        f"{len(result.names) - 1} priorities (weighted columns above are the room's averages, for reference)."
    )


def priority_label(result: RankingResult, name: str) -> str:
    """'3. Name', or 'Name (not scored)' for a priority nobody scored."""
    i = result.names.index(name)
    return rank_label(name, int(result.ranks[i]) if result.scored[i] else None)


def working_tab(target: Target, top: int) -> None:
    found = analysis.scoring(target)
    result = found.ranking
    names = [result.names[i] for i in result.order]
    name = st.selectbox(
        "Priority",
        names,
        format_func=lambda n: priority_label(result, n),
        key=f"{state.RESULTS_PRIORITY_}{target.round_id}",
    )
    st.dataframe(
        working_table(result, name).style.format(
            {"Weight": "{:.0%}", "Normalised (0–1)": "{:.3f}", "Weighted": "{:.3f}"}, precision=2, na_rep="–"
        ),
        hide_index=True,
        width="stretch",
    )
    st.markdown(method_working(result, name))
    cached_chart(
        "results-criterion-distribution", (target, name), lambda: criterion_distribution(found.score_set, name)
    )
    cached_chart("results-contributions", (target, top), lambda: contribution_bar(result, top))


# --------------------------------------------------------------------------- disagreement


def contested_table(found: Consensus) -> pd.DataFrame:
    table = found.table()
    table = table[table["contested"]]
    return pd.DataFrame(
        {
            "Rank": table["rank"],
            "Priority": table["priority"],
            "Why discuss it": ["; ".join(REASONS[part] for part in reason.split("; ")) for reason in table["reason"]],
            "Spread": table["std"],
        }
    )


def group_gaps(found: Consensus) -> pd.DataFrame:
    """The priorities the stakeholder groups rank most differently, widest gap first."""
    ranks, scored = found.group_ranks, found.group_scored
    groups = [view.group for view in found.groups]
    rows = []
    for name in found.where_groups_disagree():
        i = found.names.index(name)
        # Only groups that scored the priority rank it (a group that did not has no rank for it).
        best = int(np.argmin(np.where(scored[i], ranks[i], np.iinfo(int).max)))
        worst = int(np.argmax(np.where(scored[i], ranks[i], -1)))
        rows.append(
            {
                "Priority": name,
                "Room's rank": int(found.room.ranks[i]),
                "Gap": int(found.group_rank_range[i]),
                "Ranked highest by": f"{groups[best]} ({ranks[i, best]})",
                "Ranked lowest by": f"{groups[worst]} ({ranks[i, worst]})",
            }
        )
    return pd.DataFrame(rows)


def group_agreement(found: Consensus) -> pd.DataFrame:
    """Each group's Spearman ρ with the room and the priorities it is measured over (``GroupView``)."""
    return pd.DataFrame(
        {
            "Group": [view.group for view in found.groups],
            "Participants": [view.size for view in found.groups],
            "Priorities compared": [view.compared for view in found.groups],
            "Agreement with the room (ρ)": [
                "n/a" if np.isnan(view.spearman) else f"{view.spearman:.2f}" for view in found.groups
            ],
        }
    )


def disagreement_tab(target: Target, top: int) -> None:
    found = analysis.room_consensus(target, top)
    w = found.kendall_w
    left, right = st.columns([1, 4])
    left.metric("Kendall's W", "n/a" if np.isnan(w) else f"{w:.2f}")
    right.markdown(
        f"**{agreement_reading(w).capitalize()}.**  \n"
        f"W compares the {found.concordance.m} participants' own orders of the {found.concordance.n} priorities: "
        f"0 means no agreement at all, 1 that everyone ordered them alike. {CONCORDANCE_RULE}"
    )
    st.subheader("Where to spend discussion time")
    contested = contested_table(found)
    if contested.empty:
        st.success(f"Nothing is contested: the room broadly agrees and no priority sits close to the top {top} line.")
    else:
        st.dataframe(contested.style.format({"Spread": "{:.2f}"}), hide_index=True, width="stretch")
        st.caption(
            "Divided: the spread of participants' own scores (standard deviation, as a share of the scale) is "
            f"in the top quarter of this room's and above {found.spread_floor:g}. Close to the line: it can sit "
            f"within {found.cutoff_places} places of the line between {top} and {top + 1}."
        )
    st.subheader("Stakeholder groups")
    gaps = group_gaps(found)
    if len(found.groups) < 2:
        st.info("Fewer than two stakeholder groups answered: there is nothing to compare.")
    else:
        if gaps.empty:
            st.success("Every group ranks every priority alike.")
        else:
            st.markdown("Where the groups disagree most, widest gap first:")
            st.dataframe(gaps.head(10), hide_index=True, width="stretch")
        st.dataframe(group_agreement(found), hide_index=True, width="stretch")
        st.caption(f"Spearman's ρ between each group's own ranking and the room's. {GROUP_RHO_RULE}")
        value = st.radio("Show each group's", ["rank", "score"], horizontal=True, key=state.RESULTS_GROUP_VALUE)
        cached_chart("results-group-heatmap", (target, top, value), lambda: group_heatmap(found, value))
    st.subheader("How far apart are people?")
    cached_chart("results-score-distribution", (target, top), lambda: score_distribution(found))


# --------------------------------------------------------------------------- sensitivity


ROBUSTNESS_CAPTION = (
    "These are the workshop's robustness settings: the exports use the same ones, so the board paper "
    "shows these figures (the audit log records each change)."
)
#: Each control of the sensitivity tab's two forms, and the RobustnessOptions field it holds.
ROBUSTNESS_KEYS = {
    state.RESULTS_SMAA_SAMPLING: "sampling",
    state.RESULTS_SMAA_SAMPLES: "samples",
    state.RESULTS_SMAA_SEED: "seed",
    state.RESULTS_SMAA_CONCENTRATION: "concentration",
    state.RESULTS_BOOT_RESAMPLES: "resamples",
    state.RESULTS_BOOT_SEED: "bootstrap_seed",
}


def _show_robustness(stored: RobustnessOptions) -> None:
    """Put the stored settings in the controls (so a change made in another tab shows here)."""
    for key, name in ROBUSTNESS_KEYS.items():
        st.session_state[key] = getattr(stored, name)


def _save_robustness() -> None:
    """Store the controls' settings as the workshop's (a form's submit callback: it runs before the page)."""
    session = facilitator()
    if session is None:
        return
    with guard("Saving the robustness settings"):
        chosen = RobustnessOptions(**{name: st.session_state[key] for key, name in ROBUSTNESS_KEYS.items()})
        service().set_robustness_options(session.key, session.workshop_id, chosen)
        st.toast("Robustness settings saved for the workshop and its exports.", icon="✅")


def smaa_controls(weights_round: Round | None) -> None:
    """Where SMAA's weights come from, how many, the seed and the concentration (stored on submit)."""

    def label(mode: WeightSampling) -> str:
        if mode is not WeightSampling.PARTICIPANTS:
            return SAMPLING_LABELS[mode]
        where = weights_round.short_label if weights_round else "no weighting round answered: around the agreed ones"
        return f"{SAMPLING_LABELS[mode]} ({where})"

    with st.form(state.RESULTS_SMAA_FORM, border=False):
        st.radio(
            "Draw weights from",
            list(WeightSampling),
            format_func=label,
            horizontal=True,
            key=state.RESULTS_SMAA_SAMPLING,
        )
        left, middle, right = st.columns(3)
        left.number_input(
            "Weight samples", min_value=MIN_SAMPLES, max_value=MAX_SAMPLES, step=1000, key=state.RESULTS_SMAA_SAMPLES
        )
        middle.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key=state.RESULTS_SMAA_SEED)
        right.number_input(
            "Concentration (around the agreed weights)",
            min_value=MIN_CONCENTRATION,
            max_value=MAX_CONCENTRATION,
            step=10.0,
            format="%g",
            key=state.RESULTS_SMAA_CONCENTRATION,
        )
        st.form_submit_button("Sample again", on_click=_save_robustness)


def bootstrap_controls() -> None:
    with st.form(state.RESULTS_BOOT_FORM, border=False):
        left, right = st.columns(2)
        left.number_input(
            "Resamples", min_value=MIN_RESAMPLES, max_value=MAX_RESAMPLES, step=100, key=state.RESULTS_BOOT_RESAMPLES
        )
        right.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key=state.RESULTS_BOOT_SEED)
        st.form_submit_button("Resample again", on_click=_save_robustness)


def sensitivity_tab(target: Target, top: int, weights_round: Round | None, robustness: RobustnessOptions) -> None:
    """One-way thresholds, SMAA and the bootstrap, with the workshop's stored
    robustness settings (shown in the controls, which store a change)."""
    ranking = analysis.scoring(target).ranking
    st.subheader("How far can each weight move before the top k changes?")
    with st.spinner("Moving each weight in turn…"):
        moved = analysis.sensitivity(target, top)
    cached_chart("results-tornado", (target, top), lambda: tornado(moved))
    narrowest = min(moved.thresholds, key=lambda t: (t.upper or 1.0) - (t.lower or 0.0))
    criterion = st.selectbox(
        "Criterion",
        list(moved.criteria),
        index=moved.criteria.index(narrowest.criterion),
        key=f"{state.RESULTS_CRITERION_}{target.round_id}",
    )
    cached_chart("results-one-way", (target, top, criterion), lambda: one_way_chart(moved, criterion))

    _show_robustness(robustness)
    weights_id = weights_round.id if weights_round else None
    st.subheader("Random weights (SMAA)")
    st.caption(
        "Rank the priorities under thousands of weight vectors: how often does each make the top "
        f"{top}? “Around the agreed weights” draws from a Dirichlet distribution centred on them: the higher "
        "the concentration, the closer to the agreed weights (at 50, each weight give or take about a quarter)."
    )
    smaa_controls(weights_round)
    with st.spinner(f"Ranking the room under {robustness.samples:,} weight samples…"):
        sampled = analysis.stochastic(target, top, robustness, weights_id)
    st.markdown(
        f"**{sampled.samples:,} samples, {sampling_text(sampled.sampling, sampled.concentration)}, "
        f"seed {sampled.seed}** (the same seed gives the same result)."
    )
    identity = (target, top, robustness, weights_id)
    cached_chart("results-smaa-top", identity, lambda: smaa_top_bar(sampled, ranking))
    shown = min(len(ranking.names), max(2 * top, 10))
    cached_chart(
        "results-acceptability", (*identity, shown), lambda: acceptability_heatmap(sampled, ranking, ranks=shown)
    )

    st.subheader("Who happened to be in the room (bootstrap)")
    st.caption(
        "Draw the room again from its own participants, with replacement, and rank each new room with the "
        f"agreed weights: how often does each priority make the top {top}?"
    )
    bootstrap_controls()
    with st.spinner(f"Re-ranking {robustness.resamples:,} resampled rooms…"):
        boot = analysis.resampled(target, top, robustness)
    st.markdown(f"**{boot.resamples:,} resamples, seed {boot.seed}.**")
    cached_chart("results-bootstrap", (target, top, robustness), lambda: bootstrap_bar(boot, ranking))
    st.caption(ROBUSTNESS_CAPTION)


# --------------------------------------------------------------------------- what if


def _reset(keys: Sequence[str], values: Sequence[int]) -> None:
    for key, value in zip(keys, values, strict=True):
        st.session_state[key] = value


def top_change(before: Sequence[str], after: Sequence[str]) -> str:
    coming = [n for n in after if n not in before]
    going = [n for n in before if n not in after]
    if not coming and not going:
        return "The same priorities make the shortlist."
    parts = []
    if coming:
        parts.append("In: " + names_md(coming))
    if going:
        parts.append("Out: " + names_md(going))
    return ". ".join(parts) + "."


def groups_at_a_glance(target: Target, top: int, groups: Sequence[str], room_top: Sequence[str]) -> pd.DataFrame:
    rows = []
    for group in groups:
        mine = analysis.group_ranking(target, group, Basis.SCORES, None).top(top)
        rows.append(
            {
                "Group": group,
                f"Its top {top} by its own scores": "; ".join(mine),
                "Shared with the room's": f"{len(set(mine) & set(room_top))} of {len(room_top)}",
            }
        )
    return pd.DataFrame(rows)


@st.fragment
def what_if_tab(target: Target, top: int, criteria: tuple[Criterion, ...], weights_round: Round | None) -> None:
    """Drag the weights and see the ranking change (only this panel reruns)."""
    found = analysis.scoring(target)
    room = found.ranking
    room_top = room.top(top)
    st.subheader("Move the weights")
    keys = [f"{state.RESULTS_WHATIF_WEIGHT_}{target.round_id}-{c.id}" for c in criteria]
    agreed = [round(float(w) * 100) for w in room.weights]
    columns = st.columns(len(criteria))
    weights = [
        column.slider(c.name, 0, 100, value=value, key=key)
        for column, c, value, key in zip(columns, criteria, agreed, keys, strict=True)
    ]
    st.button("Back to the agreed weights", on_click=_reset, args=(keys, agreed), key=state.RESULTS_WHATIF_RESET)
    if sum(weights) == 0:
        st.warning("Give at least one criterion some weight.")
    else:
        shares = ", ".join(f"{md(c.name)} {w / sum(weights):.0%}" for c, w in zip(criteria, weights, strict=True))
        st.caption(f"Relative weights (scaled to add up to 100%): {shares}.")
        moved = analysis.what_if(target, weights)
        st.markdown(f"**Top {top} with these weights:** " + "; ".join(md(n) for n in moved.top(top)))
        st.markdown(top_change(room_top, moved.top(top)))
        plain = ", ".join(f"{c.name} {w / sum(weights):.0%}" for c, w in zip(criteria, weights, strict=True))
        chart(ranking_bar(moved, top, subtitle=f"With these weights: {plain}"), "results-what-if-bar")

    groups = found.score_set.group_names
    st.subheader("What would each stakeholder group choose?")
    if not groups:
        st.info("Nobody gave a stakeholder group.")
        return
    st.dataframe(groups_at_a_glance(target, top, groups, room_top), hide_index=True, width="stretch")
    left, right = st.columns(2)
    group = left.selectbox("Group", list(groups), key=state.RESULTS_WHATIF_GROUP)
    bases = list(Basis) if weights_round is not None else [Basis.SCORES]
    basis = right.radio("Using", bases, format_func=lambda b: b.value, key=state.RESULTS_WHATIF_BASIS)
    if weights_round is None:
        right.caption("A weighting round would let you try each group's own weights too.")
    theirs = analysis.group_ranking(target, group, basis, weights_round.id if weights_round else None)
    st.markdown(f"**Top {top} for {md(group)}** ({basis.value}): " + "; ".join(md(n) for n in theirs.top(top)))
    st.markdown(top_change(room_top, theirs.top(top)))
    st.caption(f"The chart ranks the priorities as {md(group)} would ({basis.value}).")
    cached_chart(
        "results-group-what-if",
        (target, top, group, basis),
        lambda: ranking_bar(theirs, top, subtitle=f"{group} only ({basis.value})"),
    )


# --------------------------------------------------------------------------- other round kinds


def ranking_round_view(found: RankingRoundResults, top: int) -> None:
    tally = found.tally
    order = tally.order
    frame = pd.DataFrame(
        {
            "Rank": [int(tally.ranks[i]) for i in order],
            "Priority": [tally.priorities[i].name for i in order],
            "Theme": [tally.priorities[i].theme for i in order],
            "Mean Borda points": [float(tally.points[i]) for i in order],
            "First choices": [int(tally.first_choices[i]) for i in order],
            f"Top {top}": [bool(tally.ranks[i] <= top) for i in order],
        }
    )
    st.markdown(f"**{tally.ballots} participants ranked {len(tally.priorities)} priorities.**")
    st.dataframe(
        frame.style.format({"Mean Borda points": "{:.2f}"}).apply(
            lambda row: [TOP_ROW if row[f"Top {top}"] else ""] * len(row), axis=1
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(tally.rule)


def weighting_round_view(found: WeightingResults) -> None:
    names = [c.name for c in found.room.criteria]
    agreed = np.array([c.weight for c in found.room.criteria], dtype=float)
    agreed = agreed / agreed.sum() if agreed.sum() > 0 else np.full(len(names), 1 / len(names))
    st.markdown(f"**{found.room.responses} participants shared 100 points across the criteria.**")
    chart(
        weights_bar(names, [found.room.weights, agreed], ["The room's allocation", "The weights in use now"]),
        "results-weights",
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Criterion": names,
                "Room's weight": found.room.weights,
                "Lowest given": found.own_weights.min(axis=0),
                "Highest given": found.own_weights.max(axis=0),
                "In use now": agreed,
            }
        ).style.format("{:.0%}", subset=["Room's weight", "Lowest given", "Highest given", "In use now"]),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Each participant's points are scaled to add up to 100% and then averaged. "
        "Adopt the room's weights from Live control."
    )
