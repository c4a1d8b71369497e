"""Ranking a round: order the short list, or pick the top N of it.

The order is built with Up / Down (and, when picking, Add / Remove)
buttons: plain buttons, so Tab and Enter do everything a mouse can.  Every
change saves the whole order at once through ``service.save_ranking``
(the service accepts a ranking that stops short of the round's length).
When ordering the whole list, it starts in the participant's own random
order, which is not saved until they change it or press "Save this order".
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from functools import partial

import streamlit as st

from ui import outage, state
from ui.plain import md
from ui.scoring import follow_closed_round, save_with_note, show_note
from ui.services import service
from workshop.models import Priority, Round


def order_key(round_id: int) -> str:
    return f"{state.RANKING_ORDER}-{round_id}"


def add_key(round_id: int) -> str:
    return f"{state.RANKING_ADD}-{round_id}"


def button_key(action: str, round_id: int, priority_id: int | None = None) -> str:
    return f"{state.RANKING_BUTTON}-{action}-{round_id}" + (f"-{priority_id}" if priority_id is not None else "")


def moved(order: Sequence[int], position: int, step: int) -> tuple[int, ...]:
    """``order`` with the item at ``position`` swapped with its neighbour ``step`` (±1) away."""
    items = list(order)
    other = position + step
    items[position], items[other] = items[other], items[position]
    return tuple(items)


def starting_order(saved: Sequence[int], rnd: Round, priorities: Sequence[Priority]) -> tuple[int, ...]:
    """What the participant starts from: their saved ranking; when ordering the whole list, followed by
    the rest in their own order."""
    if rnd.pick_count:
        return tuple(saved)
    return (*saved, *(p.id for p in priorities if p.id not in saved))


def _change(token: str, round_id: int, order: tuple[int, ...], focus: tuple[str, ...] = ()) -> None:
    """Save ``order``; ``focus``: the buttons to focus once the rows are redrawn (the moved priority's)."""
    key = order_key(round_id)
    st.session_state[state.RANKING_FOCUS] = focus
    previous = st.session_state.get(key, ())
    st.session_state[key] = order

    def undo() -> None:
        st.session_state[key] = previous

    save_with_note(
        key,
        lambda: service().save_ranking(token, round_id, order),
        undo,
        retry=partial(_change, token, round_id, order),
    )


def refocus(keys: Sequence[str]) -> None:
    """Give the focus to the first enabled of these buttons.  A move redraws the rows in the new order,
    and the button pressed is drawn afresh on another row: without this the focus would fall back to
    the page and a keyboard user would have to Tab all the way back (WCAG 2.4.3)."""
    selectors = json.dumps([f'.st-key-{key}:not([data-stale="true"]) button:not([disabled])' for key in keys])
    st.html(  # the old rows linger (stale) for a moment while the new ones are drawn: wait for one match
        f"""<script>
        // {time.monotonic_ns()}: new text each time, or Streamlit keeps the element and the script does not run again
        (function focusMoved(tries) {{
          const shown = {selectors}.map(s => Array.from(document.querySelectorAll(s))
            .filter(b => b.getClientRects().length > 0)).find(all => all.length > 0);
          if (shown && shown.length === 1) shown[0].focus();
          else if (tries > 0) setTimeout(() => focusMoved(tries - 1), 50);
        }})(40);
        </script>""",
        unsafe_allow_javascript=True,
    )


def _add(token: str, round_id: int) -> None:
    chosen = st.session_state.get(add_key(round_id))
    st.session_state[add_key(round_id)] = None
    if chosen is not None:
        _change(token, round_id, (*st.session_state.get(order_key(round_id), ()), chosen))


def _row(token: str, rnd: Round, order: tuple[int, ...], position: int, priority: Priority) -> None:
    last = len(order) - 1
    up, down = button_key("up", rnd.id, priority.id), button_key("down", rnd.id, priority.id)
    with st.container(border=True, horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f"**{position + 1}.** {md(priority.name)}", width="stretch")
        st.button(
            "Up",
            icon=":material/arrow_upward:",
            key=up,
            help=f"Move '{priority.name}' up",
            disabled=position == 0,
            on_click=_change,
            args=(token, rnd.id, moved(order, position, -1) if position > 0 else order, (up, down)),
        )
        st.button(
            "Down",
            icon=":material/arrow_downward:",
            key=down,
            help=f"Move '{priority.name}' down",
            disabled=position == last,
            on_click=_change,
            args=(token, rnd.id, moved(order, position, 1) if position < last else order, (down, up)),
        )
        if rnd.pick_count:
            st.button(
                "Remove",
                icon=":material/close:",
                key=button_key("remove", rnd.id, priority.id),
                help=f"Take '{priority.name}' off your list",
                on_click=_change,
                args=(token, rnd.id, tuple(pid for pid in order if pid != priority.id)),
            )


@st.fragment
@outage.handled("ranking form")
def ranking_form(token: str, rnd: Round, priorities: tuple[Priority, ...]) -> None:
    """The participant's order (saved as they go); when picking, the priorities still to choose from."""
    follow_closed_round()  # a save refused because the round closed: the page moves on
    saved = service().my_ranking(token, rnd.id).priority_ids
    key = order_key(rnd.id)
    if key not in st.session_state:
        st.session_state[key] = starting_order(saved, rnd, priorities)
    order: tuple[int, ...] = st.session_state[key]
    by_id = {p.id: p for p in priorities}
    if rnd.pick_count:
        st.markdown(
            f"Pick your top **{rnd.pick_count}** of these {len(priorities)} priorities and put them in order, "
            "best first."
        )
    else:
        st.markdown("Put these priorities in order, best first. Use **Up** and **Down** (Tab to reach them).")
    for position, priority_id in enumerate(order):
        _row(token, rnd, order, position, by_id[priority_id])
    if rnd.pick_count:
        left = [p.id for p in priorities if p.id not in order]
        full = len(order) >= rnd.pick_count
        st.selectbox(
            "Add a priority to your list",
            left,
            index=None,
            format_func=lambda pid: by_id[pid].name,
            key=add_key(rnd.id),
            placeholder=f"You have picked {rnd.pick_count}; remove one to add another" if full else "Choose…",
            disabled=full or not left,
            on_change=_add,
            args=(token, rnd.id),
        )
        st.caption(f"{len(order)} of {rnd.pick_count} picked.")
    elif tuple(saved) != order:
        st.button(
            "Save this order",
            key=button_key("keep", rnd.id),
            type="primary",
            on_click=_change,
            args=(token, rnd.id, order),
            help="Your order is not saved yet: moving a priority saves it, or press this if it is right as it is.",
        )
    show_note(key)
    focus = st.session_state.pop(state.RANKING_FOCUS, ())
    if focus:
        refocus(focus)


def my_ranking_list(token: str, rnd: Round, priorities: Sequence[Priority]) -> None:
    """The participant's saved ranking, read-only."""
    saved = service().my_ranking(token, rnd.id).priority_ids
    if not saved:
        st.info("You did not rank any priorities in this round.")
        return
    names = {p.id: p.name for p in priorities}
    st.markdown("\n".join(f"{n}. {md(names[pid])}" for n, pid in enumerate(saved, start=1)))
