"""Engine benchmark: the full analysis of a large room, and SMAA against a
per-sample baseline.

    python bench/engine.py            # prints the figures; last line is JSON
    python bench/engine.py --write    # also rewrites the Engine section of bench/RESULTS.md

The room is synthetic and seeded: 300 participants × 32 priorities × 6
criteria on a 1–5 scale, 6 stakeholder groups, about 8% "don't know".  Each
stage is timed with ``time.perf_counter``, best of ``REPEATS`` runs (the
best is the least disturbed by the rest of the machine).

Baseline: the same TOPSIS SMAA weight samples ranked one by one with
pymcdm's TOPSIS (vector normalisation), as a straightforward per-sample
implementation would, on ``BASELINE_SAMPLES`` samples, extrapolated per
sample and compared with our vectorised SMAA per sample.

Issue 17's figures, measured in the same run:

* Borda and Copeland SMAA (``SMAA_SAMPLES`` samples) and the median
  bootstrap (``RESAMPLES``) on the room with 5 criteria, against the
  pairwise reference (``contest`` on ``participant_utilities``, what SMAA
  used before) and the per-resample ``rank`` loop on a few samples;
* whole processes (``python -m ranking``, Python start-up and imports
  included; peak RSS: the child's VmHWM): ``sensitivity`` with
  TOPSIS and ``BIG_SAMPLES`` uniform samples on the room, against pymcdm's
  per-sample time × ``BIG_SAMPLES``; ``rank`` on a long file of
  ``BIG_PARTICIPANTS`` × 32 × 5 (480,000 rows).  Elapsed time on a shared
  machine depends on the other work, so CPU time (user + system) is
  reported too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pymcdm.methods import TOPSIS  # noqa: E402
from pymcdm.normalizations import vector_normalization  # noqa: E402

from bench.git_base import module_at  # noqa: E402
from bench.results_md import write_section  # noqa: E402
from ranking.aggregate import aggregate  # noqa: E402
from ranking.methods import (  # noqa: E402
    Method,
    RankingOptions,
    ballot_weights,
    contest,
    contest_points,
    participant_matrix,
    participant_utilities,
    rank,
)
from ranking.model import Criterion, Priority, ScoreSet  # noqa: E402
from ranking.ranks import min_ranks  # noqa: E402
from ranking.resample import top_masks_loop  # noqa: E402
from ranking.sensitivity import (  # noqa: E402
    WeightSampling,
    bootstrap,
    one_way,
    sample_weights,
    smaa,
)

PARTICIPANTS, PRIORITIES, CRITERIA, GROUPS = 300, 32, 6, 6
TOP, SMAA_SAMPLES, RESAMPLES = 5, 20000, 2000
BASELINE_SAMPLES = 500
SLOW_SAMPLES = 200
REPEATS = 5
SEED = 20090401
SECTION = "## Engine (bench/engine.py)"
BIG_SAMPLES = 500_000
BIG_PARTICIPANTS = 3000
#: The commit whose ``contest_points`` (the Borda/Copeland part of SMAA) is timed beside today's.
BASE = "364be29"
CHILD = """
import resource, runpy, sys, time
sys.argv = ["python -m ranking", *sys.argv[1:]]
try:
    runpy.run_module("ranking", run_name="__main__")
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # its ru_maxrss would include the parent's, from the fork
    peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(peak, usage.ru_utime + usage.ru_stime, "pandas" in sys.modules, file=sys.stderr)
"""


def synthetic_room(
    rng: np.random.Generator, participants: int = PARTICIPANTS, criteria: int = CRITERIA
) -> ScoreSet:
    """Priorities with a latent standing per criterion, groups that lean,
    participants who are lenient or severe, integer scores, some NaN."""
    standing = rng.normal(3.0, 0.8, size=(PRIORITIES, criteria))
    groups = rng.integers(0, GROUPS, size=participants)
    lean = rng.normal(0.0, 0.4, size=(GROUPS, PRIORITIES, criteria))
    leniency = rng.normal(0.0, 0.3, size=(participants, 1, 1))
    noise = rng.normal(0.0, 0.9, size=(participants, PRIORITIES, criteria))
    scores = np.clip(np.rint(standing + lean[groups] + leniency + noise), 1, 5)
    scores[rng.random(scores.shape) < 0.08] = np.nan
    weights = rng.dirichlet(np.full(criteria, 4.0))
    named = tuple(Criterion(f"Criterion {c + 1}", float(w)) for c, w in enumerate(weights))
    priorities = tuple(Priority(f"Priority {i + 1:02d}") for i in range(PRIORITIES))
    return ScoreSet(priorities, named, scores, groups=tuple(f"Group {g + 1}" for g in groups))


def best_of(run: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def baseline_per_sample(room: ScoreSet, weights: np.ndarray) -> tuple[float, np.ndarray]:
    """pymcdm TOPSIS + min-rank, one weight sample at a time: seconds per
    sample and the (S, N) ranks (to check both agree)."""
    matrix = np.asarray(aggregate(room).matrix)
    types = np.ones(CRITERIA)
    topsis = TOPSIS(normalization_function=vector_normalization)

    def run() -> np.ndarray:
        return np.stack([min_ranks(topsis(matrix, w, types)) for w in weights])

    seconds = best_of(run, repeats=3)
    return seconds / len(weights), run()


def write_room(room: ScoreSet, folder: Path, name: str) -> tuple[Path, Path]:
    """The room as a long scores file and a criteria file, for the CLI."""
    criteria = folder / f"{name}-criteria.csv"
    criteria.write_text(
        "criterion,weight,direction,min,max\n"
        + "".join(f"{c.name},{c.weight:.6f},benefit,1,5\n" for c in room.criteria),
        encoding="utf-8",
    )
    p, i, c = (axis.ravel() for axis in np.indices(room.scores.shape))
    values = room.scores.ravel()
    cells = np.where(np.isnan(values), "", values.astype(int).astype(str))
    names = np.array(room.participants)[p]
    lines = [
        f"{who},{room.groups[p_]},{room.priorities[i_].name},"
        f"{room.criteria[c_].name},{cell}"
        for who, p_, i_, c_, cell in zip(names, p, i, c, cells, strict=True)
    ]
    scores = folder / f"{name}-scores.csv"
    scores.write_text("participant,group,priority,criterion,score\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return scores, criteria


def whole_process(*args: str) -> dict[str, float]:
    """``python -m ranking ARGS`` in a fresh interpreter: elapsed s, CPU s, peak RSS MB."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - start
    rss_kb, cpu, pandas = done.stderr.split()[-3:]
    return {"elapsed_s": elapsed, "cpu_s": float(cpu), "peak_rss_mb": int(rss_kb) / 1024, "pandas": pandas == "True"}


def best_process(*args: str, repeats: int = 3) -> dict[str, float]:
    runs = [whole_process(*args) for _ in range(repeats)]
    return min(runs, key=lambda run: run["elapsed_s"])


def import_seconds(module: str = "ranking.cli") -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return min(
        float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout)
        for _ in range(3)
    )


def issue_17(room: ScoreSet, per_sample_pymcdm: float) -> dict[str, object]:
    """Borda/Copeland SMAA, the median bootstrap and the whole processes."""
    room5 = synthetic_room(np.random.default_rng(SEED), criteria=5)
    agg = aggregate(room5)
    voters = ballot_weights(room5, False)
    few = sample_weights(np.random.default_rng(0), SLOW_SAMPLES, WeightSampling.UNIFORM, room5.weights)
    figures: dict[str, object] = {}
    base = module_at(BASE, "ranking/methods.py", "base_methods")
    samples = sample_weights(np.random.default_rng(0), SMAA_SAMPLES, WeightSampling.UNIFORM, room5.weights)
    for method in (Method.BORDA, Method.COPELAND):
        options = RankingOptions(method=method)
        name = f"SMAA {method.label} ({SMAA_SAMPLES} samples)"
        figures[name] = best_of(lambda o=options: smaa(room5, o, TOP, SMAA_SAMPLES), 2)
        table = participant_matrix(room5, agg.matrix, options.normalization)[:, agg.scored]
        ours, theirs = [], []
        for _ in range(2):  # alternated, so that both see the same load
            ours.append(best_of(lambda m=method, t=table: contest_points(t, voters, samples, m), 1))
            theirs.append(best_of(lambda m=method, t=table: base.contest_points(t, voters, samples, base.Method(m)), 1))
        figures[f"its `contest_points` ({method.label} points of the samples)"] = min(ours)
        figures[f"base {BASE}: `contest_points`, {method.label}, the same samples"] = min(theirs)
        same = contest_points(table, voters, samples, method) == base.contest_points(
            table, voters, samples, base.Method(method)
        )
        if not same.all():
            raise AssertionError(f"{method.label}: today's points differ from {BASE}'s")
        before = best_of(
            lambda m=method: contest(participant_utilities(room5, few, agg.matrix), voters, agg.scored, m), 2
        )
        figures[f"before: {name}, pairwise reference"] = before * SMAA_SAMPLES / SLOW_SAMPLES
    median = RankingOptions(aggregation="median")
    figures[f"bootstrap median ({RESAMPLES})"] = best_of(lambda: bootstrap(room5, median, TOP, RESAMPLES), 2)
    indices = np.random.default_rng(0).integers(0, PARTICIPANTS, size=(SLOW_SAMPLES, PARTICIPANTS))
    loop = best_of(lambda: top_masks_loop(room5, median, TOP, indices), 1)
    figures[f"before: bootstrap median ({RESAMPLES}), rank per resample"] = loop * RESAMPLES / SLOW_SAMPLES
    with tempfile.TemporaryDirectory() as folder:
        scores, criteria = write_room(room, Path(folder), "room")
        sensitivity = best_process(
            "sensitivity", str(scores), "--criteria", str(criteria), "--method", "topsis",
            "--samples", str(BIG_SAMPLES), "--format", "json",
        )
        big = synthetic_room(np.random.default_rng(SEED + 1), participants=BIG_PARTICIPANTS, criteria=5)
        big_scores, big_criteria = write_room(big, Path(folder), "big")
        rows = BIG_PARTICIPANTS * PRIORITIES * 5
        ranked = best_process("rank", str(big_scores), "--criteria", str(big_criteria))
    return {
        "in_process_s": figures,
        "sensitivity_process": sensitivity,
        "pymcdm_big_s": per_sample_pymcdm * BIG_SAMPLES,
        "process_speedup": per_sample_pymcdm * BIG_SAMPLES / sensitivity["elapsed_s"],
        "rank_process": ranked,
        "rank_rows": rows,
        "import_s": import_seconds(),
        "pandas_import_s": import_seconds("pandas"),
        "load_average": os.getloadavg(),
    }


def measure() -> dict[str, object]:
    room = synthetic_room(np.random.default_rng(SEED))
    ws = RankingOptions(method=Method.WEIGHTED_SUM)
    topsis = RankingOptions(method=Method.TOPSIS)
    stages: dict[str, Callable[[], object]] = {
        "aggregation": lambda: aggregate(room),
        "weighted sum": lambda: rank(room, ws),
        "TOPSIS": lambda: rank(room, topsis),
        f"SMAA weighted sum ({SMAA_SAMPLES} uniform)": lambda: smaa(room, ws, TOP, SMAA_SAMPLES),
        f"SMAA TOPSIS ({SMAA_SAMPLES} uniform)": lambda: smaa(room, topsis, TOP, SMAA_SAMPLES),
        f"bootstrap weighted sum ({RESAMPLES})": lambda: bootstrap(room, ws, TOP, RESAMPLES),
        f"bootstrap TOPSIS ({RESAMPLES})": lambda: bootstrap(room, topsis, TOP, RESAMPLES),
        "one-way weighted sum (exact)": lambda: one_way(room, ws, TOP),
        "one-way TOPSIS (grid + bisection)": lambda: one_way(room, topsis, TOP),
    }
    times = {name: best_of(run) for name, run in stages.items()}

    samples = sample_weights(np.random.default_rng(0), SMAA_SAMPLES, WeightSampling.UNIFORM, room.weights)
    ours = times[f"SMAA TOPSIS ({SMAA_SAMPLES} uniform)"] / SMAA_SAMPLES
    theirs, their_ranks = baseline_per_sample(room, samples[:BASELINE_SAMPLES])
    our_ranks = min_ranks(np.stack([rank(room, topsis, weights=w).scores for w in samples[:BASELINE_SAMPLES]]))
    return {
        "room": f"{PARTICIPANTS} participants × {PRIORITIES} priorities × {CRITERIA} criteria, {GROUPS} groups",
        "missing_share": round(float(np.isnan(room.scores).mean()), 3),
        "stages_s": times,
        "total_s": sum(times.values()),
        "smaa_topsis_per_sample_s": ours,
        "pymcdm_topsis_per_sample_s": theirs,
        "speedup": theirs / ours,
        "baseline_samples": BASELINE_SAMPLES,
        "baseline_ranks_agree": bool((their_ranks == our_ranks).all()),
        "issue_17": issue_17(room, theirs),
    }


def markdown(figures: dict[str, object]) -> str:
    stages: dict[str, float] = figures["stages_s"]  # type: ignore[assignment]
    rows = "\n".join(f"| {name} | {seconds * 1000:.1f} |" for name, seconds in stages.items())
    i17: dict[str, object] = figures["issue_17"]  # type: ignore[assignment]
    rows_17 = "\n".join(f"| {name} | {seconds:.2f} |" for name, seconds in i17["in_process_s"].items())
    sens, ranked = i17["sensitivity_process"], i17["rank_process"]
    load = ", ".join(f"{x:.1f}" for x in i17["load_average"])
    return f"""{SECTION}

Run `python bench/engine.py --write`. Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores
({platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}); best of {REPEATS}
runs per stage, `time.perf_counter`. Figures are for a quiet machine: with other test suites sharing
the two cores we saw the vectorised stages up to 3× slower (total about 0.4 s, speed-up about 60×).

Room: {figures["room"]}, 1–5 scale, {figures["missing_share"]:.1%} "don't know" (synthetic, seeded).
Top k = {TOP}.

| stage | ms |
|---|---:|
{rows}
| **total** | **{figures["total_s"] * 1000:.1f}** |

SMAA against a per-sample baseline (same weight samples, TOPSIS with vector normalisation):

| | µs per sample |
|---|---:|
| pymcdm `TOPSIS` one sample at a time (+ min-rank), {figures["baseline_samples"]} samples | \
{figures["pymcdm_topsis_per_sample_s"] * 1e6:.1f} |
| `ranking.sensitivity.smaa` vectorised, {SMAA_SAMPLES} samples (whole call) | \
{figures["smaa_topsis_per_sample_s"] * 1e6:.2f} |
| **speed-up** | **{figures["speedup"]:.0f}×** |

Both rank the baseline samples identically: {"yes" if figures["baseline_ranks_agree"] else "NO"}.

Issue 17 (Borda, Copeland and the median bootstrap on the room with 5 criteria; "before" is the code this
replaced, timed on {SLOW_SAMPLES} samples or resamples in the same run and scaled up; "base" the commit
{BASE}'s `ranking/methods.py`, loaded from `git show`, alternated with today's; best of 2):

| | s |
|---|---:|
{rows_17}

Whole processes, `python -m ranking …` (Python start-up and imports included; best of 3 by elapsed
time; peak RSS: the child's `VmHWM`; load average {load} at the end, so elapsed time includes
waiting for the shared cores, CPU time does not):

| command | elapsed s | CPU s | peak RSS MB | pandas imported |
|---|---:|---:|---:|---|
| `sensitivity` TOPSIS, {BIG_SAMPLES:,} uniform samples, this room | {sens["elapsed_s"]:.2f} | \
{sens["cpu_s"]:.2f} | {sens["peak_rss_mb"]:.0f} | {"yes" if sens["pandas"] else "no"} |
| `rank`, long file {BIG_PARTICIPANTS:,} × {PRIORITIES} × 5 ({i17["rank_rows"]:,} rows) | \
{ranked["elapsed_s"]:.2f} | {ranked["cpu_s"]:.2f} | {ranked["peak_rss_mb"]:.0f} | \
{"yes" if ranked["pandas"] else "no"} |

pymcdm's TOPSIS one sample at a time, {BIG_SAMPLES:,} samples (per-sample time above × {BIG_SAMPLES:,}):
{i17["pymcdm_big_s"]:.0f} s, **{i17["process_speedup"]:.0f}×** the whole `sensitivity` process
({i17["pymcdm_big_s"] / sens["cpu_s"]:.0f}× its CPU time).
`import ranking.cli` takes {i17["import_s"] * 1000:.0f} ms, without pandas (`import pandas` alone, numpy with it:
{i17["pandas_import_s"] * 1000:.0f} ms): the tables (`.table()`) import it when called, and the long scores reader uses
its C parser only from `ranking.io.PANDAS_FROM_CHARS` (4 MB, about 100,000 rows; the csv module below), so
`sensitivity` on this room's 2.2 MB file starts without it and `rank` on the 19 MB file imports it.
"""


def main() -> None:
    figures = measure()
    for name, seconds in figures["stages_s"].items():  # type: ignore[union-attr]
        print(f"{name:<40} {seconds * 1000:8.1f} ms")
    print(f"{'total':<40} {figures['total_s'] * 1000:8.1f} ms")
    print(f"pymcdm TOPSIS per sample   {figures['pymcdm_topsis_per_sample_s'] * 1e6:8.1f} µs")
    print(f"our SMAA TOPSIS per sample {figures['smaa_topsis_per_sample_s'] * 1e6:8.2f} µs")
    print(f"speed-up {figures['speedup']:.0f}×, ranks agree: {figures['baseline_ranks_agree']}")
    print(json.dumps(figures["issue_17"], indent=1))
    if "--write" in sys.argv[1:]:
        write_section(SECTION, markdown(figures))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
