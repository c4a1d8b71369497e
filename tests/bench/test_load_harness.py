"""The live-app load harness (bench/load.py), run for real: its own ``streamlit run``
server on 127.0.0.1 (or two on one store), participants joining by the join page and
scoring for a few seconds while the facilitator's live panel refreshes,
then the store read back.  Its pure parts (arguments, spreading participants
over servers, summing the servers' meters) are tested on their own."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

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


def test_a_consultation_run_each_participant_answers_a_share_and_leaves(tmp_path: Path) -> None:
    done = run_harness(
        "--consultation", "--per-person", "2", "--participants", "3", "--duration", "12", "--ramp", "2",
        "--pace-min", "0.2", "--pace-max", "0.4", "--database-url", f"sqlite:///{tmp_path / 'load.sqlite3'}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["consultation_per_person"] == 2 and figures["joined"] == figures["finished"] == 3
    assert figures["saves_acknowledged"] == figures["cells_acknowledged"] == 3 * 2 * 5  # 2 priorities × 5 criteria
    assert figures["lost_saves"] == 0 and figures["errors"] == 0, figures["error_samples"]


def test_refuses_a_server_that_is_not_on_this_machine() -> None:
    done = run_harness("--url", "http://192.0.2.1:8501", "--database-url", "sqlite:////tmp/none.sqlite3")
    assert done.returncode != 0
    assert "127.0.0.1" in done.stderr


def test_two_servers_on_one_sqlite_file_share_the_room_and_nothing_is_lost(tmp_path: Path) -> None:
    done = run_harness(
        "--participants", "4", "--servers", "2", "--duration", "5", "--ramp", "1",
        "--pace-min", "0.4", "--pace-max", "0.8", "--database-url", f"sqlite:///{tmp_path / 'load.sqlite3'}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "4 participants on 2 servers" in done.stdout
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["servers"] == 2
    assert figures["participants"] == figures["joined"] == 4
    assert figures["saves_found"] == figures["cells_acknowledged"] > 0
    assert figures["lost_saves"] == 0 and figures["errors"] == 0, figures["error_samples"]
    assert figures["server_tracebacks"] == 0, figures["server_fault_samples"]
    assert figures["refreshes"] > 0
    each = figures["server_cpu_pct_each"]
    assert len(each) == 2 and all(cpu > 0 for cpu in each)  # both servers had participants
    assert figures["server_cpu_pct"] == pytest.approx(sum(each), abs=0.2)
    assert len(figures["server_peak_rss_mb_each"]) == 2
    assert figures["server_peak_rss_mb"] <= sum(figures["server_peak_rss_mb_each"]) + 0.2


# --------------------------------------------------------------------------- the harness's pure parts


@pytest.fixture(scope="module")
def load() -> ModuleType:
    """bench/load.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_load", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_participants_are_spread_round_robin_over_the_servers(load: ModuleType) -> None:
    assert load.assign(5, 2) == [0, 1, 0, 1, 0]
    assert load.assign(3, 1) == [0, 0, 0]
    assert load.assign(2, 3) == [0, 1]
    counts = [load.assign(301, 3).count(server) for server in range(3)]
    assert counts == [101, 100, 100]
    with pytest.raises(ValueError):
        load.assign(3, 0)


def test_every_participant_has_its_own_browser_cookie(load: ModuleType) -> None:
    browsers = {load.browser_id(n) for n in range(300)}
    assert len(browsers) == 300 and load.FACILITATOR_BROWSER not in browsers


def test_servers_and_urls_from_the_command_line(load: ModuleType) -> None:
    assert load.arguments([]).servers == 1
    assert load.arguments([]).url == [] and load.arguments([]).server_pid == []
    assert load.arguments(["--servers", "2"]).servers == 2
    args = load.arguments([
        "--url", "http://127.0.0.1:8501,http://localhost:8502", "--url", "http://127.0.0.1:8503",
        "--server-pid", "10,11", "--server-pid", "12", "--database-url", "sqlite:////tmp/x.sqlite3",
    ])  # fmt: skip
    assert args.url == ["http://127.0.0.1:8501", "http://127.0.0.1:8502", "http://127.0.0.1:8503"]
    assert args.server_pid == [10, 11, 12]
    assert load.listed(["a, b", "", "c"]) == ["a", "b", "c"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--servers", "0"],
        ["--servers", "2", "--url", "http://127.0.0.1:8501", "--database-url", "sqlite:////tmp/x.sqlite3"],
        ["--server-pid", "10"],  # the harness measures the servers it starts itself
        ["--url", "http://127.0.0.1:8501", "--server-pid", "ten", "--database-url", "sqlite:////tmp/x.sqlite3"],
        ["--url", "http://127.0.0.1:8501"],  # no store to set up and read back
    ],
)
def test_refuses_contradictory_server_options(load: ModuleType, argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        load.arguments(argv)


class FakeProcess:
    """A ProcessMeter stand-in with scripted memory readings and a fixed CPU share."""

    def __init__(self, rss: list[int], cpu: float) -> None:
        self._rss, self._cpu, self.peak_rss = iter(rss), cpu, 0

    def rss(self) -> int:
        return next(self._rss)

    def start(self) -> None:
        pass

    def cpu_percent(self) -> float:
        return self._cpu


def test_server_meters_sum_cpu_and_take_the_peak_of_the_summed_memory(load: ModuleType) -> None:
    meters = load.ServerMeters([])
    assert not meters.known and meters.cpu_percent() is None and meters.cpu_each() == []
    meters.meters = [FakeProcess([100, 10], 30.0), FakeProcess([50, 200], 20.0)]
    meters.sample()
    meters.sample()
    assert [m.peak_rss for m in meters.meters] == [100, 200]
    assert meters.peak_rss == 210  # at most this much at once, not 100 + 200
    assert meters.cpu_each() == [30.0, 20.0] and meters.cpu_percent() == 50.0


def test_server_meters_read_real_processes(load: ModuleType) -> None:
    meters = load.ServerMeters([os.getpid(), os.getppid()])
    meters.start()
    meters.sample()
    assert meters.known and meters.peak_rss >= max(m.peak_rss for m in meters.meters) > 0
    assert len(meters.cpu_each()) == 2


def test_figures_report_the_servers_total_and_each(load: ModuleType) -> None:
    meters = load.ServerMeters([])
    meters.meters = [FakeProcess([300 * 2**20], 30.0), FakeProcess([200 * 2**20], 20.0)]
    meters.sample()
    recorder = load.Recorder()
    recorder.reruns = 100
    config = load.LoadConfig(participants=10, duration=8, ramp=2, pace_min=1, pace_max=2, timeout=5, seed=1)
    outcome = load.Outcome(recorder, 10.0, 400 * 2**20, load.Watch(1.0, 2.0), (0.5, 0.7))
    check = load.Verification(0, 0, 0, 0, ())
    result = load.figures(config, outcome, check, meters, servers=2)
    assert result["servers"] == 2
    assert result["server_cpu_pct"] == 50.0 and result["server_cpu_pct_each"] == [30.0, 20.0]
    assert result["server_cpu_ms_per_rerun"] == 50.0  # 50% of a core for 10 s over 100 reruns
    assert result["server_peak_rss_mb"] == 500.0 and result["server_peak_rss_mb_each"] == [300.0, 200.0]
    assert result["server_mb_per_session"] == 10.0  # (500 - 400) MB over 10 participants
    line = load.summary(result)
    assert "10 participants on 2 servers" in line and "server CPU 50.0% (30.0% + 20.0%)" in line
    assert load.curve([result, result]).splitlines()[2].startswith("| 2 | 10 |")


def test_a_room_arriving_over_minutes_or_in_the_join_burst(load: ModuleType) -> None:
    """--arrive-over: random (seeded) arrival moments within the window, instead of the burst's even N/10 s;
    --both-arrivals runs the burst first, then the room arriving."""
    burst, arriving = load.configs(load.arguments(["--arrive-over", "180", "--both-arrivals"]), [300])
    assert (burst.ramp, burst.arrive_at_random, arriving.ramp, arriving.arrive_at_random) == (30, False, 180, True)
    assert load.arrival(burst) == "even over 30 s" and load.arrival(arriving) == "random over 180 s"
    even = load.arrival_times(burst, 1000.0)
    assert even == [1000.0 + n * 0.1 for n in range(300)]
    spread = load.arrival_times(arriving, 1000.0)
    assert spread == sorted(spread) and spread[0] >= 1000.0 and spread[-1] <= 1180.0
    assert spread[-1] - spread[0] > 150 and spread != even  # over the window, not in a burst
    assert spread == load.arrival_times(arriving, 1000.0)  # seeded
    assert [c.ramp for c in load.configs(load.arguments(["--arrive-over", "120"]), [40, 100])] == [120, 120]
    for bad in (["--arrive-over", "0"], ["--arrive-over", "60", "--ramp", "5"], ["--both-arrivals"]):
        with pytest.raises(SystemExit):
            load.arguments(bad)
