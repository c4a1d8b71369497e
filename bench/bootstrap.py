"""Participant bootstrap benchmark: the vectorised ``ranking.resample`` against the code it replaced.

    python bench/bootstrap.py [BASE]      # prints a markdown table; last line is JSON

The room is bench/engine.py's with 5 criteria (300 participants × 32
priorities × 5 criteria, 6 groups).  For each setting, ``bootstrap`` with
``RESAMPLES`` resamples (new) and the base commit's ``bootstrap`` (default
``d2238e9``, loaded from ``git show`` into a module of its own; it re-ranked
each resample for Borda, Copeland and balanced groups, so it runs on
``OLD_RESAMPLES`` and is scaled up) are timed alternately, median of
``REPEATS``: the ratio is measured under the same load.  Both use the same
seed, and the test suite checks that the masks agree
(tests/ranking/test_resample.py).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.engine import SEED, synthetic_room  # noqa: E402
from bench.git_base import module_at  # noqa: E402
from ranking.methods import RankingOptions  # noqa: E402
from ranking.sensitivity import bootstrap  # noqa: E402

RESAMPLES, OLD_RESAMPLES, REPEATS, TOP = 2000, 200, 3, 5
SETTINGS = (
    ("weighted sum, median", RankingOptions(aggregation="median")),
    ("weighted sum, mean, balanced groups", RankingOptions(balance_groups=True)),
    ("weighted sum, median, balanced groups", RankingOptions(aggregation="median", balance_groups=True)),
    ("Borda, mean", RankingOptions(method="borda")),
    ("Borda, median", RankingOptions(method="borda", aggregation="median")),
    ("Borda, mean, balanced groups", RankingOptions(method="borda", balance_groups=True)),
    ("Copeland, mean", RankingOptions(method="copeland")),
    ("Copeland, median", RankingOptions(method="copeland", aggregation="median")),
    ("Copeland, mean, balanced groups", RankingOptions(method="copeland", balance_groups=True)),
)


def old_bootstrap(base: str):
    return module_at(base, "ranking/sensitivity.py", "old_sensitivity").bootstrap


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(base: str) -> dict[str, object]:
    room = synthetic_room(np.random.default_rng(SEED), criteria=5)
    old = old_bootstrap(base)
    figures = {}
    for name, options in SETTINGS:
        new_times, old_times = [], []
        for _ in range(REPEATS):
            new_times.append(seconds(lambda o=options: bootstrap(room, o, TOP, RESAMPLES)))
            old_times.append(seconds(lambda o=options: old(room, o, TOP, OLD_RESAMPLES)) * RESAMPLES / OLD_RESAMPLES)
        new_s, old_s = statistics.median(new_times), statistics.median(old_times)
        figures[name] = {"new_s": new_s, "old_s": old_s, "ratio": old_s / new_s}
        print(f"| {name} | {new_s:.2f} | {old_s:.2f} | {old_s / new_s:.1f}× |", flush=True)
    return {"resamples": RESAMPLES, "base": base, "seconds": figures, "load_average": os.getloadavg()}


if __name__ == "__main__":
    print(f"| setting ({RESAMPLES} resamples) | new s | base s | ratio |\n|---|---:|---:|---:|")
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "d2238e9")))
