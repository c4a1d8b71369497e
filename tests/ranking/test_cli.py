"""``python -m ranking``: output contracts, defaults and one-line errors."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking.cli import main
from ranking.io import read_allocations, read_criteria, read_scores

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"

CRITERIA_CSV = "criterion,weight,direction,min,max\nNeed,3,benefit,1,5\nCost,1,cost,1,5\n"
# Weighted sum by scale: A = 1, B = 0.5, C = 0, D = 0.75·0.75 + 0.25·0.25 = 0.625
WIDE_CSV = "priority,theme,Need,Cost\nA,Be healthy,5,1\nB,Stay safe,3,3\nC,Stay safe,1,5\nD,Be healthy,4,4\n"
LONG_CSV = """participant,group,priority,criterion,score
P1,Health,A,Need,5
P1,Health,A,Cost,1
P1,Health,B,Need,3
P1,Health,B,Cost,3
P1,Health,C,Need,1
P1,Health,C,Cost,
P2,Police,A,Need,4
P2,Police,A,Cost,2
P2,Police,B,Need,5
P2,Police,B,Cost,1
P2,Police,C,Need,2
P2,Police,C,Cost,4
P3,Police,A,Need,4
P3,Police,B,Need,5
P3,Police,C,Need,1
"""
PAIRWISE_CSV = ",Need,Cost,Reach\nNeed,1,3,5\nCost,1/3,1,2\nReach,1/5,1/2,1\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    contents = {
        "criteria.csv": CRITERIA_CSV,
        "wide.csv": WIDE_CSV,
        "long.csv": LONG_CSV,
        "pairwise.csv": PAIRWISE_CSV,
        "allocations.csv": "participant,criterion,points\nP1,Need,80\nP1,Cost,20\nP2,Need,40\nP2,Cost,60\n",
    }
    paths = {}
    for name, content in contents.items():
        paths[name.removesuffix(".csv")] = tmp_path / name
        paths[name.removesuffix(".csv")].write_text(content, encoding="utf-8")
    return paths


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 1
    assert out == ""
    assert err.startswith("error: ")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


# --------------------------------------------------------------------------- rank


class TestRank:
    def test_json_contract(self, capsys, files):
        argv = ["rank", files["wide"], "--criteria", files["criteria"], "--top", 2, "--format", "json"]
        code, out, err = run(capsys, *argv)
        assert code == 0 and err == ""
        payload = json.loads(out)
        assert {"method", "normalization", "priorities", "shortlist"} <= payload.keys()
        assert payload["method"] == "weighted-sum"
        assert payload["normalization"] == "scale"
        assert [set(p) for p in payload["priorities"]] == [{"priority", "score", "rank"}] * 4
        assert [p["priority"] for p in payload["priorities"]] == ["A", "D", "B", "C"]
        assert [p["rank"] for p in payload["priorities"]] == [1, 2, 3, 4]
        np.testing.assert_allclose([p["score"] for p in payload["priorities"]], [1, 0.625, 0.5, 0])
        assert payload["shortlist"] == ["A", "D"]

    def test_default_top_is_five_and_ties_at_the_cut_are_all_in(self, capsys, tmp_path, files):
        scores = tmp_path / "ties.csv"
        scores.write_text("priority,Need,Cost\n" + "".join(f"P{i},3,3\n" for i in range(7)), encoding="utf-8")
        payload = json.loads(run(capsys, "rank", scores, "--criteria", files["criteria"], "--format", "json")[1])
        assert payload["top"] == 5
        assert len(payload["shortlist"]) == 7
        assert {p["rank"] for p in payload["priorities"]} == {1}

    def test_csv_format(self, capsys, files):
        code, out, _ = run(capsys, "rank", files["wide"], "--criteria", files["criteria"], "--format", "csv")
        assert code == 0
        assert out.splitlines() == [
            "rank,priority,score", "1,A,1.000000", "2,D,0.625000", "3,B,0.500000", "4,C,0.000000",
        ]

    def test_table_format(self, capsys, files):
        code, out, _ = run(capsys, "rank", files["wide"], "--criteria", files["criteria"], "--top", 2)
        assert code == 0
        lines = out.splitlines()
        assert lines[0] == "Weighted sum (scale normalisation) of the room's mean scores"
        header = next(line for line in lines if line.startswith("rank"))
        assert header.split() == ["rank", "priority", "theme", "score", "responses"]
        assert "Shortlist (top 2, marked *): A; D" in out
        first = lines[lines.index(header) + 1]
        assert first.split() == ["1", "*", "A", "Be", "healthy", "1.0000", "1"]

    def test_long_format_and_options(self, capsys, files):
        base = ["rank", files["long"], "--criteria", files["criteria"], "--format", "json"]
        plain = json.loads(run(capsys, *base)[1])
        # A: Need mean 13/3, Cost mean 1.5 → 0.75·(10/3)/4 + 0.25·(1 − 0.5/4) = 0.84375
        assert plain["priorities"][0] == {"priority": "A", "score": pytest.approx(0.84375), "rank": 1}
        balanced = json.loads(run(capsys, *base, "--balance-groups")[1])
        assert balanced["balance_groups"] is True
        # Health (P1) and Police (P2, P3) count equally: Need 4.5, Cost 1.5 → 0.875
        assert balanced["priorities"][0]["score"] == pytest.approx(0.875)
        median = json.loads(run(capsys, *base, "--aggregate", "median")[1])
        assert median["aggregation"] == "median"

    @pytest.mark.parametrize(
        ("extra", "method", "normalization"),
        [
            ([], "weighted-sum", "scale"),
            (["--method", "topsis"], "topsis", "vector"),
            (["--method", "topsis", "--normalization", "minmax"], "topsis", "minmax"),
            (["--method", "borda"], "borda", "scale"),
            (["--method", "copeland", "--normalization", "max"], "copeland", "max"),
        ],
    )
    def test_methods_and_default_normalisation(self, capsys, files, extra, method, normalization):
        code, out, _ = run(capsys, "rank", files["long"], "--criteria", files["criteria"], "--format", "json", *extra)
        assert code == 0
        payload = json.loads(out)
        assert (payload["method"], payload["normalization"]) == (method, normalization)
        assert len(payload["priorities"]) == 3


# --------------------------------------------------------------------------- sensitivity


class TestSensitivity:
    def test_json_contract(self, capsys, files):
        code, out, err = run(
            capsys, "sensitivity", files["wide"], "--criteria", files["criteria"], "--top", 2,
            "--samples", 500, "--seed", 3, "--format", "json",
        )
        assert code == 0 and err == ""
        payload = json.loads(out)
        assert {"top", "samples", "seed", "priorities", "thresholds"} <= payload.keys()
        assert (payload["top"], payload["samples"], payload["seed"]) == (2, 500, 3)
        assert [p["priority"] for p in payload["priorities"]] == ["A", "D", "B", "C"]
        for entry in payload["priorities"]:
            assert {"priority", "rank", "p_top", "rank_acceptability", "central_weights"} <= entry.keys()
            assert "p_top_bootstrap" not in entry
            assert len(entry["rank_acceptability"]) == 4
            assert sum(entry["rank_acceptability"]) == pytest.approx(1)
            assert 0 <= entry["p_top"] <= 1
            assert list(entry["central_weights"]) == ["Need", "Cost"]
        # C is never first: its central weights are undefined (null)
        c = payload["priorities"][3]
        assert c["central_weights"] == {"Need": None, "Cost": None}
        a = payload["priorities"][0]
        assert sum(a["central_weights"].values()) == pytest.approx(1)
        assert [t["criterion"] for t in payload["thresholds"]] == ["Need", "Cost"]
        for threshold in payload["thresholds"]:
            assert {"criterion", "weight", "lower", "upper"} <= threshold.keys()
            for bound in (threshold["lower"], threshold["upper"]):
                assert bound is None or 0 <= bound <= 1
        need = payload["thresholds"][0]
        assert need["weight"] == pytest.approx(0.75)

    def test_defaults(self, capsys, files):
        payload = json.loads(run(capsys, "sensitivity", files["long"], "--criteria", files["criteria"], "--top", 1,
                                 "--format", "json")[1])
        assert (payload["samples"], payload["seed"], payload["weights"], payload["bootstrap"]) == (
            10_000, 0, "uniform", 0,
        )
        assert payload["method"] == "weighted-sum"

    def test_reproducible_with_a_seed(self, capsys, files):
        argv = ["sensitivity", files["long"], "--criteria", files["criteria"], "--top", 1, "--samples", 300,
                "--bootstrap", 50, "--format", "json"]
        first = run(capsys, *argv, "--seed", 11)[1]
        assert run(capsys, *argv, "--seed", 11)[1] == first
        assert run(capsys, *argv, "--seed", 12)[1] != first

    def test_bootstrap_and_weight_sampling(self, capsys, files):
        base = ["sensitivity", files["long"], "--criteria", files["criteria"], "--top", 1, "--samples", 300,
                "--format", "json"]
        payload = json.loads(run(capsys, *base, "--bootstrap", 100)[1])
        assert payload["bootstrap"] == 100
        assert all(0 <= p["p_top_bootstrap"] <= 1 for p in payload["priorities"])
        around = json.loads(run(capsys, *base, "--weights", "around", "--concentration", 5)[1])
        assert (around["weights"], around["concentration"]) == ("around", 5)
        code, out, _ = run(capsys, *base, "--weights", "participants", "--allocations", files["allocations"])
        assert code == 0 and json.loads(out)["weights"] == "participants"

    def test_table(self, capsys, files):
        code, out, _ = run(capsys, "sensitivity", files["wide"], "--criteria", files["criteria"], "--top", 2,
                           "--samples", 200, "--bootstrap", 20)
        assert code == 0
        assert "P(top 2)" in out and "bootstrap" in out
        assert "One-way" in out
        assert any(line.split()[:1] == ["Need"] for line in out.splitlines())

    def test_participants_without_allocations(self, capsys, files):
        result = run(capsys, "sensitivity", files["long"], "--criteria", files["criteria"], "--weights", "participants")
        assert_one_line_error(*result, "--weights participants needs --allocations")


# --------------------------------------------------------------------------- ahp


class TestAHP:
    def test_json_contract(self, capsys, files):
        code, out, _ = run(capsys, "ahp", files["pairwise"], "--format", "json")
        assert code == 0
        payload = json.loads(out)
        assert {"weights", "lambda_max", "ci", "cr", "ri_table", "consistent"} <= payload.keys()
        assert list(payload["weights"]) == ["Need", "Cost", "Reach"]
        assert sum(payload["weights"].values()) == pytest.approx(1)
        assert payload["weights"]["Need"] > payload["weights"]["Cost"] > payload["weights"]["Reach"]
        assert payload["ri_table"]["3"] == 0.58 and payload["ri_table"]["10"] == 1.49
        assert payload["consistent"] is True
        assert payload["lambda_max"] >= 3 - 1e-9
        assert payload["cr"] == pytest.approx(payload["ci"] / 0.58)

    def test_table_and_inconsistency_warning(self, capsys, tmp_path, files):
        code, out, _ = run(capsys, "ahp", files["pairwise"])
        assert code == 0 and "CR = " in out and "consistent" in out
        cyclic = tmp_path / "cyclic.csv"
        cyclic.write_text(",A,B,C\nA,1,9,1/9\nB,1/9,1,9\nC,9,1/9,1\n", encoding="utf-8")
        code, out, _ = run(capsys, "ahp", cyclic)
        assert code == 0 and "above 0.10" in out
        assert json.loads(run(capsys, "ahp", cyclic, "--format", "json")[1])["consistent"] is False


# --------------------------------------------------------------------------- simulate


class TestSimulate:
    def test_scores_and_allocations_round_trip(self, capsys, tmp_path):
        argv = ["simulate", SAMPLE / "priorities.csv", "--criteria", SAMPLE / "criteria.csv",
                "--groups", SAMPLE / "groups.csv", "--participants", 12, "--seed", 5]
        code, scores, _ = run(capsys, *argv)
        assert code == 0
        assert scores == run(capsys, *argv)[1]
        criteria = read_criteria(SAMPLE / "criteria.csv")
        room = read_scores(scores.encode(), criteria)
        assert room.scores.shape == (12, 32, 5)
        code, allocations, _ = run(capsys, *argv, "--allocations")
        points = read_allocations(allocations.encode(), criteria)
        assert points.shape == (12, 5) and (points.sum(axis=1) == 100).all()

    def test_bad_lean(self, capsys):
        argv = ["simulate", SAMPLE / "priorities.csv", "--criteria", SAMPLE / "criteria.csv"]
        assert_one_line_error(*run(capsys, *argv, "--lean", "Nobody=Stay safe"), "unknown group 'Nobody'")
        with pytest.raises(SystemExit) as info:
            main([str(a) for a in argv] + ["--lean", "no equals sign"])
        assert info.value.code == 2


# --------------------------------------------------------------------------- bad input


class TestBadInput:
    def write(self, tmp_path: Path, name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def test_missing_column(self, capsys, tmp_path, files):
        criteria = self.write(tmp_path, "crit.csv", "name_of_criterion,weight\nNeed,1\n")
        assert_one_line_error(*run(capsys, "rank", files["wide"], "--criteria", criteria),
                              "crit.csv: the file needs a 'criterion' column (found: name_of_criterion, weight)")

    def test_unknown_criterion(self, capsys, tmp_path, files):
        scores = self.write(tmp_path, "scores.csv", LONG_CSV + "P4,Police,A,Risk,3\n")
        assert_one_line_error(*run(capsys, "rank", scores, "--criteria", files["criteria"]),
                              "error: scores.csv row 17: unknown criterion 'Risk'")

    def test_non_numeric_score(self, capsys, tmp_path, files):
        scores = self.write(tmp_path, "scores.csv", "priority,Need,Cost\nA,high,1\n")
        assert_one_line_error(*run(capsys, "rank", scores, "--criteria", files["criteria"]), "scores.csv row 2")

    def test_negative_weight(self, capsys, tmp_path, files):
        criteria = self.write(tmp_path, "crit.csv", "criterion,weight,direction\nNeed,-3,benefit\nCost,1,cost\n")
        assert_one_line_error(*run(capsys, "rank", files["wide"], "--criteria", criteria),
                              "crit.csv row 2: weight must be a non-negative number, not '-3'")

    def test_a_weight_too_large_to_normalise(self, capsys, tmp_path, files):
        criteria = self.write(tmp_path, "crit.csv", "criterion,weight,direction\nNeed,1e308,benefit\nCost,1e308,cost\n")
        assert_one_line_error(*run(capsys, "rank", files["wide"], "--criteria", criteria),
                              "weight of criterion 'Need' is too large (1e+308)")

    def test_non_reciprocal_pairwise(self, capsys, tmp_path):
        pairwise = self.write(tmp_path, "pw.csv", ",A,B\nA,1,3\nB,3,1\n")
        assert_one_line_error(*run(capsys, "ahp", pairwise), "not reciprocal")

    def test_empty_files(self, capsys, tmp_path, files):
        empty = self.write(tmp_path, "empty.csv", "")
        assert_one_line_error(
            *run(capsys, "rank", empty, "--criteria", files["criteria"]), "empty.csv: the file is empty"
        )
        assert_one_line_error(*run(capsys, "ahp", empty), "empty.csv: the file is empty")

    def test_missing_files(self, capsys, tmp_path, files):
        missing = tmp_path / "missing.csv"
        assert_one_line_error(*run(capsys, "rank", missing, "--criteria", files["criteria"]), "no such file")
        assert_one_line_error(*run(capsys, "rank", files["wide"], "--criteria", missing), "no such file")
        assert_one_line_error(*run(capsys, "ahp", missing), "no such file")
        assert_one_line_error(
            *run(capsys, "sensitivity", files["long"], "--criteria", files["criteria"], "--top", 1,
                 "--weights", "participants", "--allocations", missing),
            "no such file",
        )

    def test_not_utf8(self, capsys, tmp_path, files):
        scores = self.write(tmp_path, "scores.csv", "priority,Need,Cost\nCaf\xe9,1,1\n".encode("cp1252"))
        assert_one_line_error(*run(capsys, "rank", scores, "--criteria", files["criteria"]), "not UTF-8")

    def test_score_outside_the_scale(self, capsys, tmp_path, files):
        scores = self.write(tmp_path, "scores.csv", "priority,Need,Cost\nA,9,1\n")
        assert_one_line_error(*run(capsys, "rank", scores, "--criteria", files["criteria"]), "outside the scale 1..5")

    def test_top_beyond_the_priorities(self, capsys, files):
        for command in ("rank", "sensitivity"):
            assert_one_line_error(*run(capsys, command, files["wide"], "--criteria", files["criteria"], "--top", 9),
                                  "--top 9 is more than the 4 priorities")

    def test_multi_line_messages_become_one_line(self, capsys, tmp_path, files):
        criteria = self.write(tmp_path, "crit.csv", 'criterion,weight,direction\n"Need",1,"up\nwards"\n')
        assert_one_line_error(*run(capsys, "rank", files["wide"], "--criteria", criteria), "'up\\nwards'")

    @pytest.mark.parametrize(
        "argv",
        [
            ["rank", "s.csv", "--criteria", "c.csv", "--method", "magic"],
            ["rank", "s.csv", "--criteria", "c.csv", "--normalization", "zscore"],
            ["rank", "s.csv", "--criteria", "c.csv", "--format", "xml"],
            ["rank", "s.csv", "--criteria", "c.csv", "--top", "0"],
            ["rank", "s.csv"],
            ["sensitivity", "s.csv", "--criteria", "c.csv", "--weights", "guess"],
            ["sensitivity", "s.csv", "--criteria", "c.csv", "--samples", "many"],
            ["sensitivity", "s.csv", "--criteria", "c.csv", "--concentration", "-1"],
            ["ahp", "p.csv", "--format", "csv"],
            [],
        ],
    )
    def test_usage_errors_are_argparse_exit_2(self, capsys, argv):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert "error:" in err and "Traceback" not in err


# --------------------------------------------------------------------------- python -m ranking


def python_m_ranking(*argv: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ranking", *map(str, argv)], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_subprocess_sample_rank():
    done = python_m_ranking("rank", SAMPLE / "scores.csv", "--criteria", SAMPLE / "criteria.csv", "--format", "json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert len(payload["shortlist"]) == 5
    assert len(payload["priorities"]) == 32


def test_subprocess_bad_input_is_one_line(tmp_path):
    scores = tmp_path / "scores.csv"
    scores.write_text("priority,Need,Cost\nA,1,x\n", encoding="utf-8")
    criteria = tmp_path / "criteria.csv"
    criteria.write_text(CRITERIA_CSV, encoding="utf-8")
    done = python_m_ranking("rank", scores, "--criteria", criteria)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "error: scores.csv row 2: score for criterion 'Cost' must be a number or blank, not 'x'\n"
    )


# --------------------------------------------------------------------------- fuzz

CRITERIA_VARIANTS = [
    CRITERIA_CSV,
    "criterion,weight,direction\nNeed,1,benefit\nCost,0,cost\n",  # observed ranges, one zero weight
    "criterion,weight,direction,min,max\nNeed,,benefit,0,10\nCost,,cost,,\n",
]
def mostly(good: list[str], bad: list[str]) -> list[str]:
    """Cells to sample from: the good ones much more often than the bad."""
    return good * 8 + bad


NUMBERS = mostly(["", "1", "2", "3", "4", "5", "4.5"], ["0", "10", "-2", "x"])
CELLS = {
    "priority": mostly(["A", "B", "C"], [""]),
    "participant": ["P1", "P2", "P3"],
    "group": ["", "G1", "G2"],
    "criterion": mostly(["Need", "Cost", "cost"], ["Risk"]),
    "theme": ["", "T1", "T2"],
    "score": NUMBERS,
    "Need": NUMBERS,
    "Cost": NUMBERS,
}
WELL_FORMED_HEADERS = st.sampled_from(
    [
        ("priority", "Need", "Cost"),
        ("priority", "theme", "Cost", "Need"),
        ("participant", "group", "priority", "criterion", "score"),
        ("participant", "priority", "criterion", "score"),
    ]
)
HEADERS = st.one_of(  # three well-formed headers to one random
    WELL_FORMED_HEADERS,
    WELL_FORMED_HEADERS,
    WELL_FORMED_HEADERS,
    st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=6, unique=True).map(tuple),
)


@st.composite
def score_files(draw) -> str:
    """Mostly well-formed wide or long score files with the odd bad cell:
    rows usually have distinct keys and each participant one group."""
    header = draw(HEADERS)
    rows = draw(
        st.lists(st.tuples(*(st.sampled_from(CELLS[column]) for column in header)), min_size=0, max_size=12)
    )
    if draw(st.integers(0, 4)):
        keys = [header.index(c) for c in ("participant", "priority", "criterion") if c in header]
        rows = list({tuple(row[k] for k in keys): row for row in rows}.values())
        if "participant" in header and "group" in header:
            who, group = header.index("participant"), header.index("group")
            rows = [(*row[:group], f"G{row[who]}", *row[group + 1 :]) for row in rows]
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


@settings(max_examples=150, deadline=None)
@given(
    criteria=st.sampled_from(CRITERIA_VARIANTS),
    scores=score_files(),
    command=st.sampled_from(
        [
            ["rank"],
            ["rank", "--method", "topsis", "--format", "json"],
            ["rank", "--method", "borda", "--balance-groups"],
            ["rank", "--method", "copeland", "--aggregate", "median", "--format", "csv"],
            ["sensitivity", "--top", "1", "--samples", "20", "--bootstrap", "5"],
        ]
    ),
)
def test_fuzz_commands_succeed_or_fail_in_one_line(criteria, scores, command):
    """Whatever the files hold, a command prints its result or one error line."""
    with tempfile.TemporaryDirectory() as folder:
        criteria_path, scores_path = Path(folder) / "criteria.csv", Path(folder) / "scores.csv"
        criteria_path.write_text(criteria, encoding="utf-8")
        scores_path.write_text(scores, encoding="utf-8")
        stderr = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
            code = main([command[0], str(scores_path), "--criteria", str(criteria_path), *command[1:]])
    assert code in (0, 1)
    if code == 1:
        assert stderr.getvalue().startswith("error: ") and stderr.getvalue().count("\n") == 1


def test_a_priority_nobody_scored_is_listed_as_not_scored(capsys, tmp_path: Path, files):
    wide = tmp_path / "half.csv"
    wide.write_text("priority,Need,Cost\nA,4,2\nB,1,5\nC,,\n", encoding="utf-8")
    code, out, _ = run(capsys, "rank", wide, "--criteria", files["criteria"], "--top", "3")
    assert code == 0
    assert out.splitlines()[-3:] == [
        "",
        "Shortlist (top 3, marked *): A; B",
        "Not scored by anyone (not ranked, never in the shortlist): C",
    ]
    assert any(line.split() == ["-", "C", "not", "scored", "0"] for line in out.splitlines())
    code, out, _ = run(capsys, "rank", wide, "--criteria", files["criteria"], "--format", "json")
    last = json.loads(out)["priorities"][-1]
    assert last == {"priority": "C", "score": None, "rank": None}
    code, out, _ = run(capsys, "rank", wide, "--criteria", files["criteria"], "--format", "csv")
    assert out.splitlines()[-1] == "-,C,"


@pytest.mark.parametrize("command", ["rank", "sensitivity"])
def test_commands_on_a_room_start_without_pandas(files, command):
    """Issue 17: importing pandas costs about 0.3 s, most of ``python -m
    ranking``'s start-up, and these commands on a short long-format file do
    not need it (``ranking.io.PANDAS_FROM_CHARS``)."""
    check = (
        "import runpy, sys; sys.argv = ['python -m ranking', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('ranking', run_name='__main__')\n"
        "finally:\n    print('pandas' in sys.modules, file=sys.stderr)\n"
    )
    argv = [command, files["long"], "--criteria", files["criteria"], "--format", "json"]
    done = subprocess.run(
        [sys.executable, "-c", check, *map(str, argv)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["priorities"]
    assert done.stderr.strip().splitlines()[-1] == "False"
