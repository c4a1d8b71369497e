"""Live app load: many participants' browsers and a facilitator's live panel
against a real ``streamlit run`` server, over Streamlit's own websocket protocol.

    python bench/load.py --participants 40
    python bench/load.py --step 40,100,200,300 --duration 60
    python bench/load.py --participants 10 --database-url postgresql://user@127.0.0.1/prioritise
    python bench/load.py --url http://127.0.0.1:8501 --database-url sqlite:////abs/path/prioritise.sqlite3
    python bench/load.py --step 100,200,300 --servers 2 --database-url postgresql://user@127.0.0.1/prioritise
    python bench/load.py --url http://127.0.0.1:8080 --server-pid 4242,4243 --database-url postgresql://…
    python bench/load.py --participants 300 --arrive-over 180 --both-arrivals --duration 60
    python bench/load.py --consultation --participants 150 --ramp 30 --duration 240
    python bench/load.py --consultation --participants 650 --ramp 3600 --duration 300 --per-person 8

Each step starts its own server on a free loopback port (unless ``--url``
names a running one on 127.0.0.1), creates the sample workshop through the
service on the server's database and opens round 1, then runs one
facilitator and N participants as asyncio tasks on one event loop.  The
harness only ever connects to 127.0.0.1 (proxies are bypassed), every loop
is bounded by the run's deadline, and the server it started is stopped.

``--servers N`` starts N servers (each on its own port, all on the one
database, sharing one cookie secret) and spreads the participants over them
round-robin, a participant's tab on one server all along, the facilitator on
the first: what a sticky load balancer does with a room of browsers, only
evenly.  Server CPU and peak memory are then the servers' total (CPU per
rerun over the total), with each server's CPU and peak alongside.  With
``--url`` the servers are someone else's: several URLs are spread over the
same way, and one URL may be a load balancer (``deploy/nginx.conf``), which
keeps each participant on one server by the route cookie every tab sends
(``prioritise_route=load-N``); ``--server-pid`` names the app processes to
measure, and their number is the number of servers reported.

What a client does is what the browser's frontend does (read from the
installed streamlit 1.67: ``web/server/starlette/starlette_websocket.py``,
``runtime/app_session.py``, the ``BackMsg``/``ForwardMsg`` protos and the
frontend bundle's ``sendRerunBackMsg`` / ``handleAutoRerun``):

* connect to ``ws://127.0.0.1:PORT/_stcore/stream`` (subprotocol
  "streamlit", same-origin Origin header, permessage-deflate) and send a
  ``rerun_script`` ClientState with the URL's query string and page name
  ("join", "vote", "live") and the browser's context (time zone, locale);
* keep the page as the frontend does: deltas land at their ``delta_path``;
  when a run finishes, elements it did not redraw are dropped (all of them
  after a full run, those of its fragments after a fragment run);
* keep widget values as the frontend does: a widget's value starts from its
  proto (``default``, or ``raw_value`` when ``set_value``) and every rerun
  carries the values of the widgets on the page; a change or a click is a
  rerun with ``fragment_id`` set to the delta's fragment id of the widget
  (``st.fragment``), a button a one-shot ``trigger_value``;
* follow the page URL from ``navigation`` (page script hash) and
  ``page_info_changed`` (query string): after joining, ``st.switch_page``
  moves the tab to ``/vote?p=TOKEN`` and the following reruns say so;
* run ``st.fragment(run_every=…)`` timers: the server sends ``auto_rerun``
  (fragment id, interval) and the browser's ``setInterval`` sends a rerun of
  that fragment with ``is_auto_rerun``, whether or not the last one is done.

``--consultation`` runs a consultation instead of a room: round 1 is opened
until a closing time a day away and gives each participant a balanced share
of ``--per-person`` priorities (``workshop.shares``); participants arrive at
random times over the ramp (seeded), answer every criterion of each card of
their share at the usual pace, and leave (close the tab) when their share is
done, so the load is the crowd arriving over time, not a room that stays.
``finished`` counts those who answered their whole share before the run's end,
``finish_p50_s`` how long it took them from joining.

``--arrive-over SECONDS`` makes the room arrive over a few minutes: each
participant opens the join page at a random moment (seeded) within SECONDS
instead of the join burst's even spread over N/10 s (the default: a room
told "join now"); ``--both-arrivals`` runs each step both ways, the burst
first.  Either way the saves are also reported in two parts, those that
came back while people were still arriving and those after the last
arrival (``save_p95_arriving_ms``, ``save_p95_settled_ms``).

A participant joins through the join page (``/join?code=…``: group, name,
the form's Join button), lands on the scoring cards, and answers one
criterion of the current card every ``--pace-min``..``--pace-max`` seconds
(uniform), going to the next card when one is done.  A save's round trip
runs from sending the radio's new value to the end of the fragment run that
shows "Saved ✓" under that radio.  The participant page's poll (every
20 s while a round is open: runs shorter than that see none) and the
facilitator's 3 s ``live_progress`` refresh
run on their timers all along (round trips: send to the end of that
fragment's run).  Any exception element, or error alert, in any delta is
an error.  The run lasts the ramp-up (connections staggered evenly) plus
``--duration``; the figures cover all of it.  Afterwards the store is read
back: every acknowledged cell must hold its last acknowledged value (or a
later value whose save was sent but not confirmed).

Browsers also fetch the static bundle and answer ``ref_hash`` messages from
their cache; this client fetches nothing static and announces no cached
messages, so the server always sends whole messages (slightly more work for
the server than a room of browsers).

Server CPU and memory come from /proc (CPU over the run in % of one core, summed over the servers;
peak RSS, and its growth over the warmed-up server divided by the
participants).  The harness shares the machine's cores with the server: its
own CPU, its event loop's worst lag and the machine's load average are
reported so that a saturated client or a busy machine is not mistaken for a
slow server.  The server the harness starts inherits its environment, so
Streamlit settings can be tried without editing the app, e.g.
``STREAMLIT_RUNNER_POST_SCRIPT_GC=false python bench/load.py``; the
STREAMLIT_* variables are recorded with the figures.

A saved answer whose "Saved ✓" never reaches the browser because the
server dropped the run's output (see ``Finished``) is an unconfirmed save
and a dropped run, not an error: errors are exception elements, error
alerts, missing confirmations and clients that fail.  The last line printed
is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.typing import Origin, Subprotocol  # noqa: E402

from workshop.db import dispose_engines  # noqa: E402
from workshop.imports import sample_setup  # noqa: E402
from workshop.models import RoundKind, ShareMode  # noqa: E402
from workshop.service import WorkshopService  # noqa: E402
from workshop.store import Store  # noqa: E402

LOOPBACK = "127.0.0.1"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
TIME_ZONE, LOCALE = "Europe/London", "en-GB"
SAVED = "Saved ✓"
DONT_KNOW = "Don't know"
DONT_KNOW_SHARE = 0.05  # how often a participant answers "don't know"
NEXT_CARD_PAUSE = (0.3, 1.0)  # seconds between finishing a card and pressing Next
CELL_ID = re.compile(r"-score-(\d+)-(\d+)-(\d+)$")  # ui.scoring.cell_key, the suffix of the radio's element id
RUN_OK = (
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
)
STRING_WIDGETS = ("radio", "selectbox", "text_input")  # the widgets whose values this client keeps
SERVER_START_TIMEOUT = 90.0
ROUTE_COOKIE = "prioritise_route"  # deploy/nginx.conf keeps a browser on one server by this cookie
HISTORY = 16  # finished runs a tab remembers


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class LoadConfig:
    participants: int
    duration: float  # seconds of scoring after the ramp-up
    ramp: float  # seconds over which the participants' connections are spread
    pace_min: float
    pace_max: float
    timeout: float  # the longest wait for any one confirmation
    seed: int
    facilitator: bool = True
    per_person: int | None = None  # --consultation: each participant's share of the list; None: a room
    arrive_at_random: bool = False  # --arrive-over (and --consultation): arrivals at random over the ramp


def arrival_times(config: LoadConfig, begin: float) -> list[float]:
    """When each participant opens the join page: evenly over the ramp (the join burst: a room told to
    join now, N/10 s by default), or at random over it (seeded; ``--arrive-over``, a consultation):
    a room arriving over a few minutes."""
    if not config.arrive_at_random:
        return [begin + n * config.ramp / config.participants for n in range(config.participants)]
    arrivals = random.Random(config.seed)
    return sorted(begin + arrivals.uniform(0, config.ramp) for _ in range(config.participants))


def arrival(config: LoadConfig) -> str:
    """How the room arrived, as the figures say it."""
    return f"{'random' if config.arrive_at_random else 'even'} over {config.ramp:g} s"


@dataclass(frozen=True)
class Target:
    """The server the clients talk to."""

    base: str  # http://127.0.0.1:PORT


FACILITATOR_BROWSER = "load-facilitator"


def browser_id(index: int) -> str:
    """Participant ``index``'s browser, as its route cookie names it."""
    return f"load-{index + 1}"


def assign(participants: int, servers: int) -> list[int]:
    """Which server each participant uses: round-robin, one server for all of a participant's tab.

    That is what a sticky load balancer does with a room of browsers (deploy/nginx.conf), only evenly."""
    if servers < 1:
        raise ValueError("need at least one server")
    return [n % servers for n in range(participants)]


@dataclass(frozen=True)
class WorkshopUnderLoad:
    code: str
    key: str
    workshop_id: int
    round_id: int


# --------------------------------------------------------------------------- measurements


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class SentSave:
    """One score change as sent; ``acknowledged`` once "Saved ✓" came back for it."""

    value: float | None
    acknowledged: bool


class Recorder:
    """Everything the clients observe, in milliseconds (one event loop: no locks needed)."""

    def __init__(self) -> None:
        self.save_ms: list[float] = []
        self.save_done: list[float] = []  # when each acknowledged save came back (monotonic s), as save_ms
        self.arrived_by = math.inf  # when the last participant opened the join page (monotonic s)
        self.next_ms: list[float] = []
        self.load_ms: list[float] = []
        self.join_ms: list[float] = []
        self.refresh_ms: list[float] = []  # the facilitator's live_progress
        self.poll_ms: list[float] = []  # the participants' follow_workshop
        self.saves_sent = 0
        self.saves_refused = 0
        self.saves_unconfirmed = 0
        self.runs_dropped = 0  # runs whose output the server dropped (see Finished)
        self.reruns = 0  # rerun_script messages sent, timers' included
        self.joined = 0
        self.finished = 0  # --consultation: participants who answered their whole share
        self.finish_s: list[float] = []  # --consultation: from joining to the share answered
        self.errors: Counter[str] = Counter()
        self.cells: dict[tuple[str, int, int], list[SentSave]] = {}

    def error(self, text: str) -> None:
        self.errors[text[:200]] += 1

    def save(self, token: str, cell: tuple[int, int], value: float | None, ms: float | None, refused: bool) -> None:
        self.cells.setdefault((token, *cell), []).append(SentSave(value, ms is not None))
        if ms is not None:
            self.save_ms.append(ms)
            self.save_done.append(time.monotonic())
        elif refused:
            self.saves_refused += 1
        else:
            self.saves_unconfirmed += 1


# --------------------------------------------------------------------------- the page as the frontend keeps it


@dataclass(frozen=True, slots=True)
class Node:
    element: Element | None  # None for a block (container)
    fragment_id: str
    generation: int  # the number of the run that drew it


@dataclass(frozen=True)
class Finished:
    """The end of a run, as script_finished tells it, or as the next run's new_session reveals it.

    ``complete`` is False for FINISHED_EARLY_FOR_RERUN.  That status also
    marks runs that did finish, when the next run started before their
    script_finished was sent (``forward_msg_queue._update_script_finished_message``):
    their deltas have arrived and the browser shows them, so a run's end is
    its end whatever the status; only the pruning of stale elements waits
    for a complete run, as in the frontend.

    ``dropped``: a new_session came while the run was still open, so the
    run's remaining deltas and its script_finished will never come.  That
    happens when the run's ScriptRunner finished and stopped, and a BackMsg
    (a click, a run_every timer) reached ``AppSession.request_rerun``
    before the event loop had forwarded that runner's last events: a new
    ScriptRunner is created and ``_handle_scriptrunner_event_on_event_loop``
    ignores events from any runner but the current one.  The browser never
    shows what the run drew."""

    generation: int
    fragment_ids: tuple[str, ...]  # empty for a full run
    complete: bool
    dropped: bool = False

    def covers(self, fragment_id: str | None) -> bool:
        """Whether this run redrew ``fragment_id`` (None: whether it was a full run)."""
        return not self.fragment_ids or (fragment_id is not None and fragment_id in self.fragment_ids)


class ConnectionLost(Exception):
    """The tab's websocket is closed (by the server, or by the tab before a wait began)."""


def initial_value(element: Element) -> str | None:
    """The value the frontend gives a string-valued widget when it appears (or is set by the script)."""
    kind = element.WhichOneof("type")
    widget = getattr(element, kind)
    if kind == "text_input":
        if widget.set_value and widget.HasField("value"):
            return widget.value
        return widget.default if widget.HasField("default") else None
    if widget.set_value:
        return widget.raw_value if widget.HasField("raw_value") else None
    return widget.options[widget.default] if widget.HasField("default") else None


class Tab:
    """One browser tab: its websocket, its page, its widget values and its fragment timers."""

    def __init__(
        self,
        target: Target,
        page: str,
        query: str,
        recorder: Recorder,
        timeout: float,
        poll: list[float],
        browser: str = "",
    ) -> None:
        self.target = target
        self.browser = browser  # the browser's route cookie (a sticky load balancer hashes it), "" for none
        self.page_name = page  # the URL's path until the server names the page's script hash
        self.page_hash = ""
        self.query = query
        self.recorder = recorder
        self.timeout = timeout
        self._poll = poll  # where this tab's auto-rerun round trips go
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._nodes: dict[tuple[int, ...], Node] = {}
        self._values: dict[str, str] = {}  # widget id -> string value
        self._generation = 0
        self._waiters: list[tuple[Callable[[Finished], bool], asyncio.Future[Finished]]] = []
        self._history: deque[Finished] = deque(maxlen=HISTORY)  # recent runs, for a waiter that comes late
        self._timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._auto_sent: dict[str, list[float]] = {}
        self._open: tuple[str, ...] | None = None  # the fragment ids of the run under way (() for a full run)
        self.closed = False

    # ------------------------------------------------------------------ connection

    async def open(self) -> None:
        """Connect and load the page (the first rerun); its load time is recorded."""
        port = urlsplit(self.target.base).port
        self._ws = await connect(
            f"ws://{LOOPBACK}:{port}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://{LOOPBACK}:{port}"),
            proxy=None,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
            additional_headers={"Cookie": f"{ROUTE_COOKIE}={self.browser}"} if self.browser else None,
        )
        self._reader = asyncio.create_task(self._read())
        started = time.monotonic()
        await self.finished(None, await self.rerun())
        self.recorder.load_ms.append((time.monotonic() - started) * 1000)

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await asyncio.wait_for(self._reader, self.timeout)
        self.closed = True

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                message = ForwardMsg()
                message.ParseFromString(data if isinstance(data, bytes) else data.encode())
                self._receive(message)
        except ConnectionClosed:
            pass
        finally:
            self.closed = True
            for _, future in self._waiters:
                if not future.done():
                    future.set_exception(ConnectionLost("the server closed the connection"))
            self._waiters.clear()

    # ------------------------------------------------------------------ what the server sends

    def _receive(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "delta":
            self._delta(message)
        elif kind == "new_session":
            if self._open is not None:
                self.recorder.runs_dropped += 1
                self._finished(Finished(self._generation, self._open, complete=False, dropped=True))
            self._open = tuple(message.metadata.run.fragment_ids)
        elif kind == "script_finished":
            self._open = None
            ids = tuple(message.metadata.run.fragment_ids)
            self._finished(Finished(self._generation, ids, message.script_finished in RUN_OK))
        elif kind == "navigation":
            self.page_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "auto_rerun":
            self._start_timer(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                self._stop_timer(fragment_id)
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            self.recorder.error(f"compile error: {message.session_event.script_compilation_exception.message}")

    def _delta(self, message: ForwardMsg) -> None:
        delta = message.delta
        path = tuple(message.metadata.delta_path)
        element = delta.new_element if delta.WhichOneof("type") == "new_element" else None
        self._nodes[path] = Node(element, delta.fragment_id, self._generation)
        if element is None:
            return
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.recorder.error(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == Alert.Format.ERROR:
            self.recorder.error(f"error: {element.alert.body}")
        elif kind in STRING_WIDGETS:
            widget = getattr(element, kind)
            if widget.id not in self._values or widget.set_value:
                value = initial_value(element)
                if value is None:
                    self._values.pop(widget.id, None)
                else:
                    self._values[widget.id] = value

    def _finished(self, run: Finished) -> None:
        """Drop what a complete run did not redraw; settle the waiters and the timers' round trips."""
        if run.complete:
            self._nodes = {
                path: node
                for path, node in self._nodes.items()
                if node.generation == run.generation
                or node.element is None
                or (run.fragment_ids and node.fragment_id not in run.fragment_ids)
            }
        self._generation += 1
        self._history.append(run)
        now = time.monotonic()
        for fragment_id, sent in self._auto_sent.items():  # a dropped run refreshed nothing: the next one will
            if sent and not run.dropped and run.covers(fragment_id):
                self._poll.extend((now - t) * 1000 for t in sent)
                sent.clear()
        waiting = []
        for accepts, future in self._waiters:
            if future.done():
                continue
            if accepts(run):
                future.set_result(run)
            else:
                waiting.append((accepts, future))
        self._waiters = waiting

    # ------------------------------------------------------------------ what the tab sends

    async def rerun(self, fragment_id: str = "", trigger: str | None = None, auto: bool = False) -> int:
        """Send a rerun_script as the frontend's sendRerunBackMsg does.

        Returns the number the run that answers it will have at the least:
        pass it to ``finished``."""
        if self._ws is None or self.closed:
            raise ConnectionLost("the tab is closed")
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        if self.page_hash:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = self.page_name
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        on_page = self._widget_ids()
        for widget_id, value in self._values.items():
            if widget_id in on_page:
                state.widget_states.widgets.append(WidgetState(id=widget_id, string_value=value))
        if trigger is not None:
            state.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        context = state.context_info
        context.timezone, context.timezone_offset, context.locale = TIME_ZONE, 0, LOCALE
        context.url = f"{self.target.base}/{self.page_name}?{self.query}"
        context.is_embedded, context.color_scheme = False, "light"
        generation = self._generation
        await self._ws.send(message.SerializeToString())
        self.recorder.reruns += 1
        return generation

    def _widget_ids(self) -> set[str]:
        return {proto.id for kind in STRING_WIDGETS for _, _, proto in self.elements(kind)}

    async def finished(self, fragment_id: str | None, after: int) -> Finished:
        """The first successful run numbered ``after`` or later that redrew ``fragment_id`` (None: a full run).

        Raises TimeoutError after the tab's timeout, ConnectionLost if the server hangs up."""
        for run in self._history:
            if run.generation >= after and run.covers(fragment_id):
                return run
        if self.closed:
            raise ConnectionLost("the tab is closed")
        future: asyncio.Future[Finished] = asyncio.get_running_loop().create_future()
        self._waiters.append((lambda run: run.generation >= after and run.covers(fragment_id), future))
        return await asyncio.wait_for(future, self.timeout)

    def set_value(self, widget_id: str, value: str) -> None:
        self._values[widget_id] = value

    def value(self, widget_id: str) -> str | None:
        return self._values.get(widget_id)

    # ------------------------------------------------------------------ st.fragment(run_every=...)

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        current = self._timers.get(fragment_id)
        if current is not None and current[0] == interval:
            return
        self._stop_timer(fragment_id)
        self._timers[fragment_id] = (interval, asyncio.create_task(self._auto_rerun(fragment_id, interval)))

    def _stop_timer(self, fragment_id: str) -> None:
        timer = self._timers.pop(fragment_id, None)
        if timer is not None:
            timer[1].cancel()

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        """The browser's setInterval: a rerun of the fragment every ``interval`` seconds, answered or not."""
        with contextlib.suppress(ConnectionLost, ConnectionClosed):
            while not self.closed:
                await asyncio.sleep(interval)
                self._auto_sent.setdefault(fragment_id, []).append(time.monotonic())
                await self.rerun(fragment_id, auto=True)

    # ------------------------------------------------------------------ reading the page

    def elements(self, kind: str) -> Iterator[tuple[tuple[int, ...], Node, Any]]:
        """The page's elements of one kind, in page order, with their proto."""
        for path in sorted(self._nodes):
            node = self._nodes[path]
            if node.element is not None and node.element.WhichOneof("type") == kind:
                yield path, node, getattr(node.element, kind)

    def widget(self, kind: str, label: str) -> tuple[Node, Any]:
        for _, node, proto in self.elements(kind):
            if proto.label == label:
                return node, proto
        raise LookupError(f"no {kind} labelled {label!r} on the page")

    def after(self, path: tuple[int, ...], generation: int) -> Element | None:
        """The element run ``generation`` drew right after the one at ``path``, in the same container."""
        node = self._nodes.get((*path[:-1], path[-1] + 1))
        return None if node is None or node.generation != generation else node.element


# --------------------------------------------------------------------------- the people


@dataclass(frozen=True)
class Radio:
    """A score control on the current card, where it stands on the page and which cell it answers."""

    path: tuple[int, ...]
    fragment_id: str
    id: str
    options: tuple[str, ...]
    cell: tuple[int, int]  # priority id, criterion id


def card_radios(tab: Tab, round_id: int) -> list[Radio]:
    """The score controls on the page (the current card's), found by their key ``score-ROUND-PRIORITY-CRITERION``."""
    radios = []
    for path, node, proto in tab.elements("radio"):
        match = CELL_ID.search(proto.id)
        if match and int(match[1]) == round_id:
            radios.append(Radio(path, node.fragment_id, proto.id, tuple(proto.options), (int(match[2]), int(match[3]))))
    return radios


def option_value(label: str) -> float | None:
    """ui.scoring.option_label read back: "3 — Significant effect" -> 3.0, "Don't know" -> None."""
    return None if label == DONT_KNOW else float(label.split(" ", 1)[0])


def choose(rng: random.Random, options: tuple[str, ...], current: str | None) -> str:
    """A scale point (now and then "don't know"), never the control's current answer."""
    if current != DONT_KNOW and rng.random() < DONT_KNOW_SHARE:
        return DONT_KNOW
    return rng.choice([o for o in options if o not in (DONT_KNOW, current)])


async def join(tab: Tab, index: int, recorder: Recorder) -> str:
    """Fill in the join form (a group by turns, a name), press Join and land on the scoring page.

    Returns the participant's token, from the URL the server moved the tab to."""
    group_node, group = tab.widget("selectbox", "Your stakeholder group")
    _, name = tab.widget("text_input", "Your name (optional)")
    submit = next(proto for _, _, proto in tab.elements("button") if proto.is_form_submitter)
    tab.set_value(group.id, group.options[index % len(group.options)])
    tab.set_value(name.id, f"Load {index + 1}")
    started = time.monotonic()
    after = await tab.rerun(group_node.fragment_id, trigger=submit.id)
    for _ in range(HISTORY):  # st.switch_page: the join run ends early, the scoring page's run follows
        run = await tab.finished(None, after)
        if "p=" in tab.query and any(True for _ in tab.elements("radio")):
            break
        after = run.generation + 1
    else:
        raise LookupError("joining did not lead to the scoring page")
    recorder.join_ms.append((time.monotonic() - started) * 1000)
    recorder.joined += 1
    return dict(part.split("=", 1) for part in tab.query.split("&"))["p"]


def button(tab: Tab, label: str) -> tuple[Node, Any] | None:
    """The enabled button with this label, if the page shows one."""
    return next(((n, b) for _, n, b in tab.elements("button") if b.label == label and not b.disabled), None)


async def press(tab: Tab, found: tuple[Node, Any], into: list[float]) -> None:
    node, proto = found
    started = time.monotonic()
    await tab.finished(node.fragment_id, await tab.rerun(node.fragment_id, trigger=proto.id))
    into.append((time.monotonic() - started) * 1000)


async def save(tab: Tab, round_id: int, radio: Radio, choice: str, token: str, recorder: Recorder) -> None:
    """Change one score control and wait for the fragment run that shows "Saved ✓" under it."""
    tab.set_value(radio.id, choice)
    value = option_value(choice)
    recorder.saves_sent += 1
    started = time.monotonic()
    after = await tab.rerun(radio.fragment_id)
    while True:
        try:
            run = await tab.finished(radio.fragment_id, after)
        except (TimeoutError, ConnectionLost):
            recorder.save(token, radio.cell, value, None, refused=False)
            raise
        ms = (time.monotonic() - started) * 1000
        if run.dropped:  # saved (the callback ran) but never shown: counted in runs_dropped, not as an app error
            recorder.save(token, radio.cell, value, None, refused=False)
            return
        drawn = next((r for r in card_radios(tab, round_id) if r.id == radio.id), None)
        if drawn is None:  # the server drew another card: whether or not the answer was stored, nothing said so
            recorder.error("save not confirmed: the run drew another card, without the control")
            recorder.save(token, radio.cell, value, None, refused=False)
            return
        note = tab.after(drawn.path, run.generation)
        if note is not None or run.complete:
            break
        # The run the tab asked for ended early (another request came first, or the save's callback
        # asked for a rerun of its own): the note comes with the run that follows.
        after = run.generation + 1
    kind = None if note is None else note.WhichOneof("type")
    if kind == "markdown" and SAVED in note.markdown.body:
        recorder.save(token, radio.cell, value, ms, refused=False)
    elif kind == "alert":  # a refusal: the alert itself was counted as an error when it arrived
        recorder.save(token, radio.cell, value, None, refused=True)
    else:
        recorder.error("save not confirmed: no note under the control")
        recorder.save(token, radio.cell, value, None, refused=False)


async def participant(
    index: int,
    target: Target,
    workshop: WorkshopUnderLoad,
    config: LoadConfig,
    recorder: Recorder,
    start_at: float,
    end_at: float,
) -> None:
    """Join at ``start_at``, then answer one criterion every few seconds until ``end_at``.

    A participant whose page stops answering (no confirmation within the timeout) gives up and closes
    the tab, as people do; that is counted as an error."""
    rng = random.Random(config.seed * 1_000_003 + index)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    query = f"code={workshop.code}"
    tab = Tab(target, "join", query, recorder, config.timeout, recorder.poll_ms, browser_id(index))
    try:
        await tab.open()
        token = await join(tab, index, recorder)
        if config.per_person is not None:
            await answer_share(tab, workshop, config, recorder, rng, token, end_at)
            return
        last = ""  # the control changed last: nobody changes the same answer twice in a row
        while time.monotonic() < end_at and not tab.closed:
            await asyncio.sleep(max(0.0, min(rng.uniform(config.pace_min, config.pace_max), end_at - time.monotonic())))
            if time.monotonic() >= end_at:
                break
            radios = card_radios(tab, workshop.round_id)
            if not radios:
                raise LookupError("no score controls on the page")
            todo = [r for r in radios if tab.value(r.id) is None]
            if not todo:
                found = button(tab, "Next") or button(tab, "Next unanswered")
                if found is not None:  # a card done: on to the next one, then answer it at the usual pace
                    await asyncio.sleep(rng.uniform(*NEXT_CARD_PAUSE))
                    await press(tab, found, recorder.next_ms)
                    continue
                todo = [r for r in radios if r.id != last]  # everything answered: change one's mind
            radio = todo[0] if tab.value(todo[0].id) is None else rng.choice(todo)
            await save(tab, workshop.round_id, radio, choose(rng, radio.options, tab.value(radio.id)), token, recorder)
            last = radio.id
    except (TimeoutError, ConnectionLost, LookupError, OSError) as problem:
        recorder.error(f"participant: {type(problem).__name__}: {problem}")
    finally:
        await tab.close()


async def answer_share(
    tab: Tab,
    workshop: WorkshopUnderLoad,
    config: LoadConfig,
    recorder: Recorder,
    rng: random.Random,
    token: str,
    end_at: float,
) -> None:
    """A consultation's respondent: every criterion of each card of their share, at the usual pace, then
    leave.  The cards shown are the share's (the page draws no others); Next goes round them."""
    joined, done = time.monotonic(), set()
    while time.monotonic() < end_at and not tab.closed:
        radios = card_radios(tab, workshop.round_id)
        if not radios:
            raise LookupError("no score controls on the page")
        todo = [r for r in radios if tab.value(r.id) is None]
        if not todo:
            done.add(radios[0].cell[0])
            if len(done) >= (config.per_person or 0):
                recorder.finished += 1
                recorder.finish_s.append(time.monotonic() - joined)
                return
            found = button(tab, "Next unanswered") or button(tab, "Next")
            if found is None:
                raise LookupError("a card is answered but there is no Next")
            await asyncio.sleep(rng.uniform(*NEXT_CARD_PAUSE))
            await press(tab, found, recorder.next_ms)
            continue
        await asyncio.sleep(max(0.0, min(rng.uniform(config.pace_min, config.pace_max), end_at - time.monotonic())))
        if time.monotonic() >= end_at:
            break
        await save(tab, workshop.round_id, todo[0], choose(rng, todo[0].options, None), token, recorder)


async def facilitator(
    target: Target, workshop: WorkshopUnderLoad, config: LoadConfig, recorder: Recorder, end_at: float
) -> None:
    """The live control panel, open all along: its progress fragment refreshes on its own timer."""
    query = f"w={workshop.code}&k={workshop.key}"
    tab = Tab(target, "live", query, recorder, config.timeout, recorder.refresh_ms, FACILITATOR_BROWSER)
    try:
        await tab.open()
        if not any(proto.label == "Joined" for _, _, proto in tab.elements("metric")):
            recorder.error("facilitator: the live panel shows no progress")
        while time.monotonic() < end_at and not tab.closed:
            await asyncio.sleep(min(1.0, max(0.0, end_at - time.monotonic())))
    except (TimeoutError, ConnectionLost, OSError) as problem:
        recorder.error(f"facilitator: {type(problem).__name__}: {problem}")
    finally:
        await tab.close()


# --------------------------------------------------------------------------- the server and the store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def healthy(base: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
    try:
        with opener.open(f"{base}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def own_server(database_url: str, log: Path, cookie_secret: str | None = None) -> Iterator[tuple[Target, int]]:
    """``streamlit run app.py`` on a free loopback port, on ``database_url``; stopped on leaving.

    ``cookie_secret``: the ``server.cookieSecret`` that several servers of one deployment share
    (unless STREAMLIT_SERVER_COOKIE_SECRET is set already)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PRIORITISE_DB_PATH")}
    env.update(DATABASE_URL=database_url, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    if cookie_secret is not None:
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", cookie_secret)
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", LOOPBACK,
        "--server.headless", "true", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    target = Target(f"http://{LOOPBACK}:{port}")
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not healthy(target.base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield target, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def loopback_url(url: str) -> str:
    """``url`` if it names a server on this machine's loopback interface; refuse anything else."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_NAMES or parts.port is None:
        raise SystemExit(f"--url must be http://127.0.0.1:PORT (a server on this machine), not {url!r}")
    return f"http://{LOOPBACK}:{parts.port}"


def listed(values: list[str] | None) -> list[str]:
    """A repeated option's values, each of which may also be a comma-separated list: ["a,b", "c"] -> [a, b, c]."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def setup_workshop(database_url: str, per_person: int | None = None) -> WorkshopUnderLoad:
    """The sample workshop, created through the service on the server's database, with round 1 open
    (with ``per_person``: a consultation open for a day, a balanced share of that many each)."""
    service = WorkshopService(Store.open(database_url))
    workshop, key = service.create_workshop(sample_setup())
    scoring = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    if per_person is None:
        service.open_round(key, scoring.id)
    else:
        service.set_consultation(key, scoring.id, share_mode=ShareMode.BALANCED, share_size=per_person)
        service.open_round(key, scoring.id, closes_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    return WorkshopUnderLoad(workshop.code, key, workshop.id, scoring.id)


@dataclass(frozen=True)
class Verification:
    cells_acknowledged: int  # (participant, priority, criterion) with at least one acknowledged save
    cells_found: int  # of those, stored with the last acknowledged value (or a later unconfirmed one)
    cells_unconfirmed: int  # cells whose last save was never confirmed
    unconfirmed_stored: int  # of those, stored with that last value all the same
    examples: tuple[str, ...]  # a few lost cells, to look into


def verify(database_url: str, workshop: WorkshopUnderLoad, recorder: Recorder) -> Verification:
    """Read every participant's answers back from the store and match them with what was acknowledged."""
    service = WorkshopService(Store.open(database_url))
    stored: dict[str, dict[tuple[int, int], float | None]] = {}
    for token in {token for token, _, _ in recorder.cells}:
        mine = service.my_scores(token, workshop.round_id)
        stored[token] = {(e.priority_id, e.criterion_id): e.value for e in mine.entries}
    acknowledged = found = unconfirmed = unconfirmed_stored = 0
    examples = []
    for (token, priority_id, criterion_id), sent in recorder.cells.items():
        value = stored[token].get((priority_id, criterion_id), "missing")
        if not sent[-1].acknowledged:
            unconfirmed += 1
            unconfirmed_stored += value == sent[-1].value
        last = max((n for n, s in enumerate(sent) if s.acknowledged), default=None)
        if last is None:
            continue
        acknowledged += 1
        allowed = [s.value for s in sent[last:]]
        if value in allowed:
            found += 1
        elif len(examples) < 5:
            examples.append(f"{token[:6]}… priority {priority_id} criterion {criterion_id}: {value} not {allowed}")
    return Verification(acknowledged, found, unconfirmed, unconfirmed_stored, tuple(examples))


class ProcessMeter:
    """CPU time and resident memory of one process, from /proc."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.peak_rss = 0
        self._ticks = os.sysconf("SC_CLK_TCK")
        self._cpu0 = self._wall0 = 0.0

    def _cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self._ticks  # utime + stime (fields 14 and 15)

    def rss(self) -> int:
        """Resident set size in bytes (0 when the process is unknown or gone)."""
        if self.pid is None:
            return 0
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def start(self) -> None:
        if self.pid is not None:
            self._cpu0, self._wall0 = self._cpu(), time.monotonic()

    def sample(self) -> None:
        self.peak_rss = max(self.peak_rss, self.rss())

    def cpu_percent(self) -> float | None:
        """CPU used since ``start``, in % of one core."""
        if self.pid is None:
            return None
        return 100 * (self._cpu() - self._cpu0) / max(time.monotonic() - self._wall0, 1e-9)


class ServerMeters:
    """The app's server processes measured together: CPU summed over them, peak RSS of their sum.

    Memory is read from every process at the same tick, so the peak is the most the servers held
    at once (not the sum of peaks that may have come at different times)."""

    def __init__(self, pids: list[int]) -> None:
        self.meters = [ProcessMeter(pid) for pid in pids]
        self.peak_rss = 0

    @property
    def known(self) -> bool:
        return bool(self.meters)

    def rss(self) -> int:
        return sum(m.rss() for m in self.meters)

    def start(self) -> None:
        for meter in self.meters:
            meter.start()

    def sample(self) -> None:
        total = 0
        for meter in self.meters:
            rss = meter.rss()
            meter.peak_rss = max(meter.peak_rss, rss)
            total += rss
        self.peak_rss = max(self.peak_rss, total)

    def cpu_each(self) -> list[float]:
        """Each server's CPU since ``start``, in % of one core."""
        return [cpu for cpu in (m.cpu_percent() for m in self.meters) if cpu is not None]

    def cpu_percent(self) -> float | None:
        """All the servers' CPU since ``start``, in % of one core (200 = two cores busy); None without a pid."""
        return sum(self.cpu_each()) if self.known else None


# --------------------------------------------------------------------------- one run


@dataclass(frozen=True)
class Watch:
    """The harness watching itself: its CPU and how late its event loop wakes up."""

    cpu_percent: float
    lag_max_ms: float


async def watch(meter: ServerMeters, stop: asyncio.Event, lags: list[float]) -> None:
    """Sample the servers' memory and this loop's lag (how late a 50 ms sleep wakes up) until ``stop``."""
    tick = 0.05
    while not stop.is_set():
        before = time.monotonic()
        await asyncio.sleep(tick)
        lags.append((time.monotonic() - before - tick) * 1000)
        if len(lags) % 10 == 0:
            meter.sample()


@dataclass(frozen=True)
class Outcome:
    recorder: Recorder
    elapsed: float  # seconds from the first connection to the last client's end
    base_rss: int  # the warmed-up servers' resident memory (summed) before the clients came
    watch: Watch
    load_avg: tuple[float, float]  # the machine's 1-minute load average as the run began and ended


async def drive(
    targets: list[Target], workshop: WorkshopUnderLoad, config: LoadConfig, meter: ServerMeters, servers: int = 1
) -> Outcome:
    """The facilitator and the participants, together, until the run's end (and no later than its deadline).

    The facilitator uses the first target; participant n uses target ``assign(...)[n]`` and sends its own
    route cookie, so a sticky load balancer behind one target spreads them too.  ``servers`` is how
    many server processes the targets reach (more than the targets behind a load balancer)."""
    recorder = Recorder()
    spread = assign(config.participants, len(targets))
    for n in range(min(max(servers, len(targets)), config.participants)):  # each server's first run imports modules
        warm = Tab(targets[spread[n]], "vote", "", recorder, config.timeout, [], browser_id(n))
        await warm.open()
        await warm.close()
    meter.sample()
    base_rss = meter.rss()
    stop, lags = asyncio.Event(), []
    watcher = asyncio.create_task(watch(meter, stop, lags))
    meter.start()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    begin = time.monotonic()
    end = begin + config.ramp + config.duration
    load_before = os.getloadavg()[0]
    people = [facilitator(targets[0], workshop, config, recorder, end)] if config.facilitator else []
    starts = arrival_times(config, begin)
    recorder.arrived_by = max(starts, default=begin)
    people += [
        participant(n, targets[spread[n]], workshop, config, recorder, starts[n], end)
        for n in range(config.participants)
    ]
    tasks = [asyncio.create_task(p) for p in people]
    _, late = await asyncio.wait(tasks, timeout=config.ramp + config.duration + 3 * config.timeout + 30)
    for task in late:
        task.cancel()
        recorder.error("harness: a client overran the run's deadline")
    await asyncio.gather(*late, return_exceptions=True)
    elapsed = time.monotonic() - begin
    stop.set()
    await watcher
    meter.sample()
    now = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (now.ru_utime + now.ru_stime - usage.ru_utime - usage.ru_stime) / elapsed * 100
    return Outcome(recorder, elapsed, base_rss, Watch(cpu, max(lags, default=0.0)), (load_before, os.getloadavg()[0]))


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def figures(
    config: LoadConfig, outcome: Outcome, check: Verification, meter: ServerMeters, servers: int = 1
) -> dict[str, Any]:
    """One step's figures (times in ms, memory in MB, CPU in % of one core).

    With several servers, CPU and memory are the servers' total (``_each``: per server, in order);
    CPU per rerun is the total CPU over every rerun sent to any of them."""
    r = outcome.recorder
    mb = 1024 * 1024
    peak = meter.peak_rss if meter.known else None
    per_session = None if peak is None else (peak - outcome.base_rss) / mb / config.participants
    cpu = meter.cpu_percent()
    arriving = [ms for ms, t in zip(r.save_ms, r.save_done, strict=True) if t <= r.arrived_by]
    settled = [ms for ms, t in zip(r.save_ms, r.save_done, strict=True) if t > r.arrived_by]
    return {
        "servers": servers,
        "participants": config.participants,
        "duration_s": round(outcome.elapsed, 1),
        "ramp_s": config.ramp,
        "arrival": arrival(config),
        "pace_s": [config.pace_min, config.pace_max],
        "joined": r.joined,
        "consultation_per_person": config.per_person,
        "finished": r.finished if config.per_person is not None else None,
        "finish_p50_s": rounded(percentile(r.finish_s, 50)),
        "saves_sent": r.saves_sent,
        "saves_acknowledged": len(r.save_ms),
        "saves_refused": r.saves_refused,
        "saves_unconfirmed": r.saves_unconfirmed,
        "runs_dropped": r.runs_dropped,
        "cells_unconfirmed": check.cells_unconfirmed,
        "unconfirmed_stored": check.unconfirmed_stored,
        "cells_acknowledged": check.cells_acknowledged,
        "saves_found": check.cells_found,
        "lost_saves": check.cells_acknowledged - check.cells_found,
        "lost_examples": list(check.examples),
        "saves_per_s": round(len(r.save_ms) / outcome.elapsed, 2),
        **{f"save_p{q}_ms": rounded(percentile(r.save_ms, q)) for q in (50, 95, 99)},
        "save_max_ms": rounded(max(r.save_ms, default=None)),
        "save_p95_arriving_ms": rounded(percentile(arriving, 95)),  # saves done while people still arrive
        "save_p95_settled_ms": rounded(percentile(settled, 95)),  # saves done after the last arrival
        "next_p95_ms": rounded(percentile(r.next_ms, 95)),
        "join_p95_ms": rounded(percentile(r.join_ms, 95)),
        "load_p95_ms": rounded(percentile(r.load_ms, 95)),
        "refreshes": len(r.refresh_ms),
        "refresh_p50_ms": rounded(percentile(r.refresh_ms, 50)),
        "refresh_p95_ms": rounded(percentile(r.refresh_ms, 95)),
        "polls": len(r.poll_ms),
        "poll_p50_ms": rounded(percentile(r.poll_ms, 50)),
        "poll_p95_ms": rounded(percentile(r.poll_ms, 95)),
        "server_cpu_pct": rounded(cpu),
        "server_cpu_pct_each": [round(c, 1) for c in meter.cpu_each()],
        "reruns": r.reruns,
        "server_cpu_ms_per_rerun": rounded(None if cpu is None else cpu * 10 * outcome.elapsed / max(r.reruns, 1), 2),
        "server_peak_rss_mb": None if peak is None else round(peak / mb, 1),
        "server_peak_rss_mb_each": [round(m.peak_rss / mb, 1) for m in meter.meters],
        "server_base_rss_mb": None if peak is None else round(outcome.base_rss / mb, 1),
        "server_mb_per_session": rounded(per_session, 2),
        "harness_cpu_pct": round(outcome.watch.cpu_percent, 1),
        "harness_lag_max_ms": round(outcome.watch.lag_max_ms, 1),
        "load_avg_1m": [round(v, 2) for v in outcome.load_avg],
        "errors": sum(r.errors.values()),
        "error_samples": [f"{n}× {text}" for text, n in r.errors.most_common(5)],
    }


def server_faults(log: str) -> Counter[str]:
    """The exceptions in the server's log, by their last line ("sqlite3.OperationalError: database is locked")."""
    faults: Counter[str] = Counter()
    lines = log.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            last = next((later for later in lines[n + 1 :] if later and not later.startswith(" ")), "?")
            faults[last[:200]] += 1
    return faults


def run_step(
    config: LoadConfig,
    urls: list[str],
    database_url: str | None,
    server_pids: list[int],
    servers: int = 1,
) -> dict[str, Any]:
    """One step: ``servers`` own servers on one store (unless ``urls``: checked loopback URLs of running
    servers or of a load balancer, ``server_pids`` the app processes behind them), a new workshop,
    the clients, the store read back."""
    with tempfile.TemporaryDirectory(prefix="prioritise-load-") as scratch:
        store_url = database_url or f"sqlite:///{Path(scratch) / 'load.sqlite3'}"
        logs = [Path(scratch) / f"server-{n + 1}.log" for n in range(servers)] if not urls else []
        with contextlib.ExitStack() as stack:
            if urls:
                targets, pids = [Target(url) for url in urls], server_pids
                servers = len(pids) or len(urls)
            else:  # one after the other: each is healthy before the next starts
                secret = os.urandom(16).hex()  # one deployment's servers share their cookie secret
                started = [stack.enter_context(own_server(store_url, log, secret)) for log in logs]
                targets, pids = [target for target, _ in started], [pid for _, pid in started]
            workshop = setup_workshop(store_url, config.per_person)
            meter = ServerMeters(pids)
            outcome = asyncio.run(drive(targets, workshop, config, meter, servers))
            check = verify(store_url, workshop, outcome.recorder)
            result = figures(config, outcome, check, meter, servers)
            if logs:  # the app logs every fault it turned into a polite message
                faults: Counter[str] = Counter()
                for log in logs:
                    faults += server_faults(log.read_text())
                result["server_tracebacks"] = sum(faults.values())
                result["server_fault_samples"] = [f"{n}× {text}" for text, n in faults.most_common(5)]
        dispose_engines()
    return result


# --------------------------------------------------------------------------- reporting


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.machine(),
    )  # fmt: skip
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, streamlit {streamlit_version()}"


def revision() -> str:
    """The commit the app was measured at, "+changes" when its code differs from it (the working tree runs)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "app.py", "app_pages", "ui", "workshop", "ranking", ".streamlit")
    return commit + ("+changes" if changed else "")


def streamlit_version() -> str:
    from importlib.metadata import version

    return version("streamlit")


def summary(result: dict[str, Any]) -> str:
    each = result["server_cpu_pct_each"]
    return (
        f"{result['participants']:>4} participants on {result['servers']} server{'s' * (result['servers'] != 1)}, "
        f"{result['duration_s']:.0f} s, arriving {result['arrival']}: "
        f"saves {result['saves_acknowledged']}/{result['saves_sent']} acknowledged, "
        f"{result['saves_found']}/{result['cells_acknowledged']} cells found, lost {result['lost_saves']}; "
        f"save p50/p95/p99 {result['save_p50_ms']}/{result['save_p95_ms']}/{result['save_p99_ms']} ms "
        f"(p95 while arriving {result['save_p95_arriving_ms']}, after {result['save_p95_settled_ms']}); "
        f"join p95 {result['join_p95_ms']} ms; "
        f"refresh p50/p95 {result['refresh_p50_ms']}/{result['refresh_p95_ms']} ms; "
        f"poll p95 {result['poll_p95_ms']} ms; runs dropped {result['runs_dropped']}; "
        f"server CPU {result['server_cpu_pct']}%"
        + (f" ({' + '.join(f'{c}%' for c in each)})" if len(each) > 1 else "")
        + f" ({result['server_cpu_ms_per_rerun']} ms/rerun), "
        f"peak RSS {result['server_peak_rss_mb']} MB ({result['server_mb_per_session']} MB/session); "
        f"harness CPU {result['harness_cpu_pct']}%, lag max {result['harness_lag_max_ms']} ms; "
        f"machine load {result['load_avg_1m'][0]}→{result['load_avg_1m'][1]}; errors {result['errors']}"
        + (f", server tracebacks {result['server_tracebacks']}" if "server_tracebacks" in result else "")
    )


def curve(results: list[dict[str, Any]]) -> str:
    """The steps as a markdown table."""
    rows = [
        "| servers | participants | arrival | saves ack/sent | lost | save p50 | p95 | p99 | p95 arriving | p95 after "
        "| join p95 | refresh p50 | p95 | poll p95 | runs dropped | server CPU | CPU ms/rerun | peak RSS | MB/session "
        "| errors | load avg |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r['servers']} | {r['participants']} | {r['arrival']} | {r['saves_acknowledged']}/{r['saves_sent']} "
            f"| {r['lost_saves']} | {r['save_p50_ms']} | {r['save_p95_ms']} | {r['save_p99_ms']} "
            f"| {r['save_p95_arriving_ms']} | {r['save_p95_settled_ms']} | {r['join_p95_ms']} | {r['refresh_p50_ms']} "
            f"| {r['refresh_p95_ms']} | {r['poll_p95_ms']} | {r['runs_dropped']} | {r['server_cpu_pct']}% "
            f"| {r['server_cpu_ms_per_rerun']} | {r['server_peak_rss_mb']} MB | {r['server_mb_per_session']} "
            f"| {r['errors']} | {r['load_avg_1m'][0]}–{r['load_avg_1m'][1]} |"
        )
    return "\n".join(rows)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=40, help="concurrent participants (default 40)")
    parser.add_argument("--step", help="a sequence of participant counts, e.g. 40,100,200,300: prints the curve")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of scoring after the ramp-up")
    parser.add_argument("--ramp", type=float, help="seconds over which connections are spread (default N/10, ≥ 2)")
    parser.add_argument(
        "--arrive-over", type=float, metavar="SECONDS",
        help="a room arriving over SECONDS (e.g. 180): each participant joins at a random moment\n"
        "(seeded) instead of the join burst's even N/10 s; --ramp is then SECONDS",
    )  # fmt: skip
    parser.add_argument(
        "--both-arrivals", action="store_true",
        help="with --arrive-over: run each step twice, the join burst first, then the room arriving",
    )  # fmt: skip
    parser.add_argument("--pace-min", type=float, default=2.0, help="shortest pause between two saves (s)")
    parser.add_argument("--pace-max", type=float, default=6.0, help="longest pause between two saves (s)")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait for one confirmation (s)")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument(
        "--servers", type=int,
        help="start N app servers on the one store, participants spread round-robin, the facilitator\n"
        "on the first (default 1)",
    )  # fmt: skip
    parser.add_argument("--database-url", help="the servers' store (default: a fresh SQLite file per step)")
    parser.add_argument(
        "--url", action="append",
        help="use the server(s) running at http://127.0.0.1:PORT (needs --database-url); repeat it or\n"
        "separate with commas for several (participants spread round-robin); one URL may be a sticky\n"
        "load balancer (deploy/nginx.conf): each participant sends its own route cookie",
    )  # fmt: skip
    parser.add_argument(
        "--server-pid", action="append",
        help="with --url: the app servers' process ids, for CPU and memory (repeat or comma-separate);\n"
        "their number is the number of servers reported",
    )  # fmt: skip
    parser.add_argument("--no-facilitator", action="store_true", help="leave the live panel closed")
    parser.add_argument(
        "--consultation", action="store_true",
        help="a consultation: participants arrive at random over --ramp, answer a balanced share of\n"
        "--per-person priorities (every criterion) and leave",
    )  # fmt: skip
    parser.add_argument("--per-person", type=int, default=8, help="--consultation: priorities each (default 8)")
    args = parser.parse_args(argv)
    args.url = [loopback_url(url) for url in listed(args.url)]
    try:
        args.server_pid = [int(pid) for pid in listed(args.server_pid)]
    except ValueError:
        parser.error("--server-pid takes process ids")
    if args.url and not args.database_url:
        parser.error("--url needs --database-url: the harness sets up and reads back the server's store")
    if args.server_pid and not args.url:
        parser.error("--server-pid goes with --url (the harness knows the servers it starts)")
    if args.url and args.servers is not None:
        parser.error("--servers starts servers; with --url, they are counted from --server-pid (or --url)")
    if args.servers is None:
        args.servers = 1
    if args.servers < 1:
        parser.error("--servers must be at least 1")
    if args.arrive_over is not None and (args.ramp is not None or args.arrive_over <= 0):
        parser.error("--arrive-over takes a positive number of seconds, instead of --ramp")
    if args.both_arrivals and args.arrive_over is None:
        parser.error("--both-arrivals needs --arrive-over")
    if not 0 < args.pace_min <= args.pace_max:
        parser.error("need 0 < --pace-min <= --pace-max")
    return args


def configs(args: argparse.Namespace, counts: list[int]) -> Iterator[LoadConfig]:
    """Each step's run: one per participant count, or two (the join burst, then --arrive-over) with
    --both-arrivals."""
    for n in counts:
        burst = args.ramp if args.ramp is not None else max(2.0, n / 10)
        config = LoadConfig(
            participants=n,
            duration=args.duration,
            ramp=burst if args.arrive_over is None else args.arrive_over,
            pace_min=args.pace_min,
            pace_max=args.pace_max,
            timeout=args.timeout,
            seed=args.seed,
            facilitator=not args.no_facilitator,
            per_person=args.per_person if args.consultation else None,
            arrive_at_random=args.consultation or args.arrive_over is not None,
        )
        if args.both_arrivals:
            yield replace(config, ramp=burst, arrive_at_random=args.consultation)
        yield config


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    counts = [int(n) for n in args.step.split(",")] if args.step else [args.participants]
    if any(n < 1 for n in counts):
        raise SystemExit("participant counts must be at least 1")
    settings = {k: v for k, v in os.environ.items() if k.startswith("STREAMLIT_")}  # passed on to the server
    app = None if args.url else revision()  # a server someone else started may run other code
    stamp = {"date": dt.date.today().isoformat(), "machine": machine(), "app": app, "streamlit_env": settings}
    results = []
    for config in configs(args, counts):
        result = run_step(config, args.url, args.database_url, args.server_pid, args.servers)
        print(summary(result), flush=True)
        for text in result["error_samples"] + result["lost_examples"] + result.get("server_fault_samples", []):
            print(f"      {text}", flush=True)
        results.append(result)
    if len(results) > 1:
        print(curve(results))
        print(json.dumps({**stamp, "steps": results}))
    else:
        print(json.dumps({**stamp, **results[0]}))


if __name__ == "__main__":
    main()
