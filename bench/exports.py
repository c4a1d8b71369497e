"""Board paper benchmark: every export format of a 300-participant workshop under every method.

    python bench/exports.py            # prints the figures; last line is JSON

The room is ``workshop.demo.create_demo``'s (the sample workshop, 32
priorities × 5 criteria, 300 simulated participants, in a temporary SQLite
file), with the stored robustness settings' defaults (the same for every
method).  For each method the workshop's ranking options are set through the
service, then each of HTML, DOCX and XLSX is exported with
``workshop.exports.render`` (reading the workshop, every analysis and the
file, as a download does), timed with ``time.perf_counter``; median of
``REPEATS``.  ``build_content`` (the analyses alone) is timed too.  Target:
each format under 5 s for every method.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ranking.methods import Method, RankingOptions  # noqa: E402
from workshop.demo import MAX_PARTICIPANTS, create_demo  # noqa: E402
from workshop.exports import build_content, render  # noqa: E402
from workshop.joining import JoinLimiter  # noqa: E402
from workshop.service import WorkshopService  # noqa: E402
from workshop.store import Store  # noqa: E402

PARTICIPANTS = 300
REPEATS = 3
FORMATS = ("html", "docx", "xlsx")
TARGET_S = 5.0


def median_time(run, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure() -> dict[str, object]:
    folder = tempfile.mkdtemp(prefix="prioritise-exports-")
    # The simulated room joins all at once: past the live join limit (workshop.joining), not a real crowd.
    store = Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    service = WorkshopService(store, joins=JoinLimiter(burst=MAX_PARTICIPANTS))
    demo = create_demo(service, PARTICIPANTS)
    key, wid = demo.key, demo.workshop.id
    figures: dict[str, dict[str, float]] = {}
    for method in Method:
        service.set_ranking_options(key, wid, RankingOptions(method=method))
        row = {"analyses": median_time(lambda: build_content(service, key, wid))}
        for fmt in FORMATS:
            row[fmt] = median_time(lambda f=fmt: render(service, key, wid, f))
        figures[method.label] = row
        print(method.label, " ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
    worst = max(v for row in figures.values() for k, v in row.items() if k in FORMATS)
    return {"seconds": figures, "worst_s": worst, "target_met": worst < TARGET_S, "load_average": os.getloadavg()}


if __name__ == "__main__":
    print(json.dumps(measure()))
