"""Board paper benchmark: every export format of a 300-participant workshop under every method.

    python bench/exports.py [BASE]     # prints the figures; last line is JSON

The room is ``workshop.demo.create_demo``'s (the sample workshop, 32
priorities × 5 criteria, 300 simulated participants, in a temporary SQLite
file), with the stored robustness settings' defaults (the same for every
method).  For each method the workshop's ranking options are set through the
service, then each of HTML, DOCX and XLSX is exported with
``workshop.exports.render`` (reading the workshop, every analysis and the
file, as a download does), timed with ``time.perf_counter``; median of
``REPEATS``.

* *cold*: the exports' kept analyses cleared first (the first export of a
  new state of the workshop); ``build_content`` (the analyses alone) is timed
  cold too;
* *warm*: another export of the same state (the analyses kept,
  ``workshop.exports.analysis``), which is what the app's "Prepare the
  exports" does for its second to fourth file.

The Excel writer alone (``render_content``: today's pauses the cycle
collector while it writes) is also timed against the base commit's
``render_xlsx`` (``BASE``, default ``d2238e9``: openpyxl), alternated on the
same content.  Target: each format under 5 s for every method.
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

from bench.git_base import module_at  # noqa: E402
from ranking.methods import Method, RankingOptions  # noqa: E402
from workshop.demo import create_demo  # noqa: E402
from workshop.exports import build_content, render, render_content  # noqa: E402
from workshop.exports.analysis import clear_sensitivity_cache  # noqa: E402
from workshop.service import WorkshopService  # noqa: E402
from workshop.store import Store  # noqa: E402

PARTICIPANTS = 300
REPEATS = 3
FORMATS = ("html", "docx", "xlsx")
TARGET_S = 5.0


def median_time(run, repeats: int = REPEATS, cold: bool = False) -> tuple[float, float]:
    """Median elapsed and CPU seconds (this process's CPU time: what the shared cores' load does not inflate)."""
    times, cpu = [], []
    for _ in range(repeats):
        if cold:
            clear_sensitivity_cache()
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def base_xlsx_writer(base: str):
    return module_at(base, "workshop/exports/xlsx_export.py", "base_xlsx_export").render_xlsx


def measure(base: str) -> dict[str, object]:
    load_before = os.getloadavg()
    folder = tempfile.mkdtemp(prefix="prioritise-exports-")
    store = Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    service = WorkshopService(store)
    demo = create_demo(service, PARTICIPANTS)
    key, wid = demo.key, demo.workshop.id
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    for method in Method:
        service.set_ranking_options(key, wid, RankingOptions(method=method))
        row = {"analyses": median_time(lambda: build_content(service, key, wid), cold=True)}
        for fmt in FORMATS:
            row[fmt] = median_time(lambda f=fmt: render(service, key, wid, f), cold=True)
            row[f"{fmt} warm"] = median_time(lambda f=fmt: render(service, key, wid, f))
        figures[method.label] = row
        print(method.label, " ".join(f"{k} {v[0]:.2f} s ({v[1]:.2f} CPU)" for k, v in row.items()), flush=True)
    content = build_content(service, key, wid)
    old_writer, writers = base_xlsx_writer(base), {"new": [], "base": []}
    for _ in range(REPEATS):
        for name, write in (("new", lambda c: render_content(c, "xlsx")), ("base", old_writer)):
            start = time.process_time()
            write(content)
            writers[name].append(time.process_time() - start)
    xlsx = {name: statistics.median(times) for name, times in writers.items()}
    print(f"XLSX writer alone, CPU: new {xlsx['new']:.2f} s, base {xlsx['base']:.2f} s", flush=True)
    worst = max(v[0] for row in figures.values() for k, v in row.items() if k in FORMATS)
    worst_cpu = max(v[1] for row in figures.values() for k, v in row.items() if k in FORMATS)
    return {
        "seconds": figures,
        "xlsx_writer_cpu_s": xlsx,
        "worst_cold_s": worst,
        "worst_cold_cpu_s": worst_cpu,
        "target_met": worst < TARGET_S,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "d2238e9")))
