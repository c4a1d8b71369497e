"""``python -m ranking consensus`` and ``python -m ranking ballots``: output contracts and one-line refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ranking.test_cli import ROOT, assert_one_line_error, run

CRITERIA_9 = "criterion,weight,min,max\nNeed,1,1,9\n"
# A: the RAND/UCLA manual's worked example (15 answers) and one "don't know"; B: the mirror, all answered.
RAND = [4, 5, 6] + [7] * 5 + [8] * 5 + [9] * 2
SCORES_9 = "participant,group,priority,criterion,score\n" + "".join(
    f"P{p},G,A,Need,{v}\nP{p},G,B,Need,{10 - v}\n" for p, v in enumerate(RAND)
) + "P99,G,A,Need,\nP99,G,B,Need,5\n"
# Five of Health rank A > B > C; one of Police B > C > A; one of Schools B > A (a short ballot).
RANKINGS = "participant,group,priority,position\n" + "".join(
    f"H{p},Health,A,1\nH{p},Health,B,2\nH{p},Health,C,3\n" for p in range(5)
) + "Q1,Police,B,1\nQ1,Police,C,2\nQ1,Police,A,3\nS1,Schools,B,1\nS1,Schools,A,2\n"


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def room(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "scores.csv", SCORES_9), write(tmp_path, "criteria.csv", CRITERIA_9)


# --------------------------------------------------------------------------- consensus


class TestConsensus:
    def test_json_contract(self, capsys, room):
        code, out, err = run(capsys, "consensus", room[0], "--criteria", room[1], "--format", "json")
        assert (code, err) == (0, "")
        payload = json.loads(out)
        assert payload["rule"] == {
            "high_band": [7, 9], "low_band": [1, 3], "in_share": 0.7, "against_share": 0.15,
            "in_comparison": ">=", "against_comparison": "<",
        }
        a, b = payload["priorities"]
        assert a == {
            "priority": "A", "answers": 15, "dont_know": 1, "share_high": 0.8, "share_low": 0.0, "median": 7.0,
            "p30": 7.0, "p70": 8.0, "ipr": 1.0, "ipras": pytest.approx(6.1), "disagreement": False, "status": "in",
        }
        assert (b["priority"], b["answers"], b["share_low"], b["status"]) == ("B", 16, 0.75, "out")
        changes = {v["rule"]: v["changes"] for v in payload["rule_sensitivity"]}
        assert changes["80% / 15%"] == [{"priority": "B", "from": "out", "to": "none"}]

    def test_options_change_the_rule(self, capsys, room):
        argv = ["consensus", room[0], "--criteria", room[1], "--high-band", "8-9", "--low-band", "1-2",
                "--in-share", "50", "--against-share", "10%", "--format", "json"]
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        payload = json.loads(out)
        assert payload["rule"]["high_band"] == [8, 9] and payload["rule"]["in_share"] == 0.5
        assert payload["rule"]["against_share"] == 0.1
        assert payload["priorities"][0]["share_high"] == pytest.approx(7 / 15)
        assert payload["priorities"][0]["status"] == "none"

    def test_table(self, capsys, room):
        code, out, err = run(capsys, "consensus", room[0], "--criteria", room[1])
        assert code == 0, err
        assert code == 0
        assert "at least 70% of the answers in 7–9 and fewer than 15% in 1–3" in out
        assert "80% / 15%: B out → none" in out
        line = next(row for row in out.splitlines() if row.startswith("A "))
        assert line.split() == ["A", "15", "1", "80%", "0%", "7.00", "7.00", "8.00", "1.00", "6.10", "no", "in"]

    def test_several_criteria_show_the_working(self, capsys, tmp_path):
        criteria = write(tmp_path, "c.csv", "criterion,weight,direction,min,max\nNeed,3,benefit,1,5\nCost,1,cost,1,5\n")
        scores = write(tmp_path, "s.csv", "priority,Need,Cost\nA,5,1\nB,1,5\n")
        code, out, err = run(capsys, "consensus", scores, "--criteria", criteria, "--format", "json")
        assert code == 0, err
        payload = json.loads(out)
        assert payload["rule"]["high_band"] == [4, 5] and payload["rule"]["low_band"] == [1, 2]
        assert [p["status"] for p in payload["priorities"]] == ["in", "out"]
        assert [c["criterion"] for c in payload["criteria"]] == ["Need", "Cost"]
        code, out, err = run(capsys, "consensus", scores, "--criteria", criteria)
        assert code == 0, err
        assert "Working: criterion 'Cost' alone" in out

    @pytest.mark.parametrize(
        ("criteria", "extra", "message"),
        [
            ("criterion,weight\nNeed,1\n", (), "error: criteria.csv row 2: criterion 'Need' has no scale"),
            ("criterion,weight,min,max\nNeed,1,1,9\nCost,1,1,5\n", (),
             "error: criteria.csv row 3: criterion 'Cost' is scored on 1..5 but 'Need' on 1..9"),
            (CRITERIA_9, ("--high-band", "7-12"), "error: the high band 7–12 is not on the scale 1..9"),
            (CRITERIA_9, ("--low-band", "1-7"), "error: the low band (1–7) must lie below the high band (7–9)"),
            (CRITERIA_9, ("--in-share", "10", "--against-share", "20"),
             "error: --against-share 20% is above --in-share 10%: a priority could be both in and out"),
        ],
    )
    def test_refusals_are_one_line(self, capsys, tmp_path, criteria, extra, message):
        scores = write(tmp_path, "scores.csv", SCORES_9)
        path = write(tmp_path, "criteria.csv", criteria)
        assert_one_line_error(*run(capsys, "consensus", scores, "--criteria", path, *extra), message)

    def test_a_bad_score_names_the_file_and_row(self, capsys, tmp_path, room):
        scores = write(tmp_path, "bad.csv", SCORES_9 + "P100,G,A,Need,12\n")
        assert_one_line_error(*run(capsys, "consensus", scores, "--criteria", room[1]),
                              "error: bad.csv row 34: score 12 for criterion 'Need' is outside the scale 1..9")

    @pytest.mark.parametrize("extra", [("--high-band", "high"), ("--in-share", "0"), ("--in-share", "150"),
                                       ("--against-share", "-1"), ("--format", "csv")])
    def test_usage_mistakes_are_argparse_exit_2(self, capsys, room, extra):
        from ranking.cli import main

        with pytest.raises(SystemExit) as info:
            main(["consensus", str(room[0]), "--criteria", str(room[1]), *extra])
        assert info.value.code == 2
        assert "error:" in capsys.readouterr().err


# --------------------------------------------------------------------------- ballots


class TestBallots:
    def test_borda_json_contract_pools_every_ballot(self, capsys, tmp_path):
        path = write(tmp_path, "rankings.csv", RANKINGS)
        code, out, err = run(capsys, "ballots", path, "--format", "json", "--top", "1")
        assert (code, err) == (0, "")
        payload = json.loads(out)
        assert payload["method"] == "borda"
        # A: 5·3 + 1 + 1 = 17; B: 5·2 + 3 + 2 = 15; C: 5 + 2 = 7 (the short ballot gives C nothing).
        assert payload["priorities"] == [
            {"priority": "A", "score": 17.0, "rank": 1},
            {"priority": "B", "score": 15.0, "rank": 2},
            {"priority": "C", "score": 7.0, "rank": 3},
        ]
        assert payload["shortlist"] == ["A"]

    def test_jla_counts_every_group_the_same_and_notes_the_disagreement(self, capsys, tmp_path):
        path = write(tmp_path, "rankings.csv", RANKINGS)
        code, out, err = run(capsys, "ballots", path, "--method", "jla", "--format", "json", "--top", "1")
        assert code == 0, err
        payload = json.loads(out)
        assert payload["method"] == "jla"
        # Health (A 3, B 2, C 1) + Police (B 3, C 2, A 1) + Schools (B 3, A 2, C 1 at the bottom).
        assert [(p["priority"], p["score"], p["rank"]) for p in payload["priorities"]] == [
            ("B", 8.0, 1), ("A", 6.0, 2), ("C", 4.0, 3)
        ]
        assert payload["shortlist"] == ["B"] and payload["pooled_shortlist"] == ["A"]
        assert "disagree on the top 1" in payload["note"]
        code, out, err = run(capsys, "ballots", path, "--method", "jla", "--top", "1")
        assert code == 0, err
        assert "disagree on the top 1" in out and "3 groups" in out

    def test_csv_and_default_top(self, capsys, tmp_path):
        path = write(tmp_path, "rankings.csv", RANKINGS)
        code, out, err = run(capsys, "ballots", path, "--format", "csv")
        assert code == 0, err
        assert out == "rank,priority,score\n1,A,17\n2,B,15\n3,C,7\n"
        code, out, err = run(capsys, "ballots", path, "--format", "json")
        assert code == 0, err
        assert json.loads(out)["top"] == 3  # 5 by default, or all when there are fewer

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("participant,group,priority\nP1,G,A\n", "error: rankings.csv: the file needs a 'position' column"),
            ("participant,group,priority,position\n", "error: rankings.csv: has no rankings"),
            ("participant,group,priority,position\n,G,A,1\n", "error: rankings.csv row 2: participant is blank"),
            ("participant,group,priority,position\nP1,G,,1\n", "error: rankings.csv row 2: priority name is blank"),
            ("participant,group,priority,position\nP1,G,A,first\n",
             "error: rankings.csv row 2: position of priority 'A' must be a whole number from 1 (most important), "
             "not 'first'"),
            ("participant,group,priority,position\nP1,G,A,0\n", "row 2: position of priority 'A' must be a whole"),
            ("participant,group,priority,position\nP1,G,A,1\nP1,G,A,2\n",
             "error: rankings.csv row 3: participant 'P1' ranks priority 'A' again (first at row 2)"),
            ("participant,group,priority,position\nP1,G,A,1\nP1,G,B,1\n",
             "error: rankings.csv row 3: participant 'P1' gives position 1 to 'B' here and to 'A' at row 2"),
            ("participant,group,priority,position\nP1,G,A,1\nP1,G,B,3\n",
             "error: rankings.csv row 3: participant 'P1' ranks position 3 but not position 2"),
            ("participant,group,priority,position\nP1,G,A,1\nP1,H,B,2\n",
             "error: rankings.csv row 3: participant 'P1' is in group 'H' here but 'G' at row 2"),
        ],
    )
    def test_refusals_name_the_file_row_and_item(self, capsys, tmp_path, content, message):
        path = write(tmp_path, "rankings.csv", content)
        assert_one_line_error(*run(capsys, "ballots", path, "--method", "jla"), message)

    def test_top_beyond_the_priorities(self, capsys, tmp_path):
        path = write(tmp_path, "rankings.csv", RANKINGS)
        assert_one_line_error(*run(capsys, "ballots", path, "--top", "4"),
                              "error: --top 4 is more than the 3 priorities in rankings.csv")

    def test_missing_file(self, capsys, tmp_path):
        assert_one_line_error(*run(capsys, "ballots", tmp_path / "nope.csv"), "nope.csv: no such file")


def test_subprocess_contracts(tmp_path):
    rankings = write(tmp_path, "rankings.csv", RANKINGS)
    scores, criteria = write(tmp_path, "s.csv", SCORES_9), write(tmp_path, "c.csv", CRITERIA_9)
    for argv in (["ballots", rankings, "--method", "jla", "--format", "json"],
                 ["consensus", scores, "--criteria", criteria, "--format", "json"]):
        done = subprocess.run([sys.executable, "-m", "ranking", *map(str, argv)], cwd=ROOT, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert "priorities" in json.loads(done.stdout)
    done = subprocess.run([sys.executable, "-m", "ranking", "ballots", str(tmp_path / "none.csv")], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and done.stdout == "" and done.stderr.count("\n") == 1
