"""The live-app load harness (bench/load.py), run for real: its own ``streamlit run``
server on 127.0.0.1, three participants joining by the join page and
scoring for a few seconds while the facilitator's live panel refreshes,
then the store read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "bench" / "load.py"
FIGURES = {
    "participants",
    "duration_s",
    "saves_sent",
    "saves_acknowledged",
    "saves_found",
    "lost_saves",
    "save_p50_ms",
    "save_p95_ms",
    "save_p99_ms",
    "refresh_p50_ms",
    "refresh_p95_ms",
    "server_cpu_pct",
    "server_peak_rss_mb",
    "server_mb_per_session",
    "errors",
}


def run_harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HARNESS), *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_three_participants_save_through_the_real_app_and_nothing_is_lost(tmp_path: Path) -> None:
    done = run_harness(
        "--participants", "3", "--duration", "5", "--ramp", "1", "--pace-min", "0.4", "--pace-max", "0.8",
        "--database-url", f"sqlite:///{tmp_path / 'load.sqlite3'}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures.keys() >= FIGURES
    assert figures["participants"] == figures["joined"] == 3
    assert figures["saves_acknowledged"] > 0
    assert figures["saves_found"] == figures["cells_acknowledged"] > 0
    assert figures["lost_saves"] == 0
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["server_tracebacks"] == 0
    assert figures["refreshes"] > 0  # the live panel's run_every timer ran
    assert figures["server_cpu_pct"] > 0 and figures["server_peak_rss_mb"] > 0


def test_refuses_a_server_that_is_not_on_this_machine() -> None:
    done = run_harness("--url", "http://192.0.2.1:8501", "--database-url", "sqlite:////tmp/none.sqlite3")
    assert done.returncode != 0
    assert "127.0.0.1" in done.stderr
