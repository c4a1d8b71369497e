"""The server process's settings for a room of hundreds: its garbage collector, and Streamlit's theme message
made once (bench/RESULTS.md, "Live app load").

``apply`` runs once per process, from ``app.py`` before the first page; it changes nothing any page
shows, only what a script run costs.  With 300 participants the server holds about 440,000 tracked
objects (each session's widgets, fragments and their deep-copied containers), and every script run
(each answer, each poll) makes thousands of short-lived ones.  At CPython's default thresholds
(700, 10, 10) the young collections promoted those temporaries so fast that a full collection ran every
five seconds, each a pause of 0.2-0.4 s for every participant at once (measured: 10-12 a minute, 20%
of the server's time in the collector).  With a young collection every 50,000 allocations the
temporaries die young, by reference counting, before any collection looks at them: no full collection
in a minute of a full room.  ``gc.freeze`` first moves what the imports made (modules, classes,
functions: about 180,000 objects) out of every later collection's way.  Cyclic garbage is still
collected, only less often (peak memory at 300 participants: within 2% of the default's).

Every full script run starts with Streamlit's "new session" message, and its theme part is built from the
config every time: six scans of every config option, one per theme section, 7% of a full room's server time
under a profiler, for a theme that changes only when the config is read again.  ``apply`` wraps Streamlit's
``_populate_theme_msg`` so that each section is built once per reading of the config and copied after.  It
is Streamlit's private function: if a later Streamlit has no such function, nothing is wrapped.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from streamlit import config
from streamlit.runtime import app_session

#: (young, middle, old) for ``gc.set_threshold``: see the module's docstring.
GC_THRESHOLDS = (50_000, 20, 20)

_lock = threading.Lock()
_applied: list[bool] = []


def apply() -> None:
    """Set this process's collector and wrap Streamlit's theme message (once: later calls do nothing)."""
    with _lock:
        if _applied:
            return
        _applied.append(True)
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        populate = getattr(app_session, "_populate_theme_msg", None)
        if callable(populate) and not hasattr(populate, "__wrapped__"):
            app_session._populate_theme_msg = theme_made_once(populate)


def theme_made_once(populate: Callable[..., None]) -> Callable[..., None]:
    """``populate(msg, section)`` that builds each section's theme once per reading of the config (the
    options' dict, which Streamlit replaces when it reads the config again) and merges a copy into ``msg``."""
    made: dict[str, tuple[dict[str, Any], Any]] = {}
    lock = threading.Lock()

    def populate_once(msg: Any, section: str = "theme") -> None:
        options = config.get_config_options()
        with lock:
            known = made.get(section)
            if known is None or known[0] is not options:
                theme = type(msg)()
                populate(theme, section)
                known = made[section] = (options, theme)
        msg.MergeFrom(known[1])

    populate_once.__wrapped__ = populate  # type: ignore[attr-defined]
    return populate_once
