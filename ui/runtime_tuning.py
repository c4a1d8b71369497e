"""The server process's garbage-collector settings for a room of hundreds (bench/RESULTS.md, "Live app load").

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
"""

from __future__ import annotations

import gc
import threading

#: (young, middle, old) for ``gc.set_threshold``: see the module's docstring.
GC_THRESHOLDS = (50_000, 20, 20)

_lock = threading.Lock()
_applied: list[bool] = []


def apply() -> None:
    """Set this process's collector (once: later calls do nothing)."""
    with _lock:
        if _applied:
            return
        _applied.append(True)
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
