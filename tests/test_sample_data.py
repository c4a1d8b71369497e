"""The shipped sample workshop (data/sample) loads, is complete, and its
simulated files are exactly what data/README.md says regenerates them."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from ranking.cli import main
from ranking.io import read_allocations, read_criterion_rows, read_groups, read_priority_rows, read_scores

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLE = DATA / "sample"

ECM_OUTCOMES = {
    "Be healthy",
    "Stay safe",
    "Enjoy and achieve",
    "Make a positive contribution",
    "Achieve economic well-being",
}
# Bromley's agreed five (docs/ARCHITECTURE.md §6), as the sample names them.
AGREED_FIVE = {
    "Attainment and achievement for all",
    "Health and wellbeing of children, young people and families",
    "Keeping children safe",
    "Promoting positive behaviour",
    "Supporting young people through transition to adulthood",
}
GROUPS = {
    "Local authority children's services",
    "Health (NHS)",
    "Police and youth justice",
    "Schools and colleges",
    "Voluntary and community sector",
    "Young people's representatives",
}


@pytest.fixture(scope="module")
def criteria_rows():
    return read_criterion_rows(SAMPLE / "criteria.csv")


def test_workshop_settings():
    settings = tomllib.loads((SAMPLE / "workshop.toml").read_text(encoding="utf-8"))
    assert settings["shortlist_size"] == 5
    assert settings["organisation"] == "Sample Children's Trust"
    assert "2011–14" in settings["title"]
    assert settings["description"].strip()


def test_priorities():
    rows = read_priority_rows(SAMPLE / "priorities.csv")
    priorities = [r.priority for r in rows]
    assert len(priorities) == 32
    assert {p.theme for p in priorities} == ECM_OUTCOMES
    assert AGREED_FIVE.issubset(p.name for p in priorities)
    assert all(p.description for p in priorities)
    assert all(r.evidence for r in rows)
    for theme in ECM_OUTCOMES:
        assert sum(p.theme == theme for p in priorities) >= 4, theme


def test_every_priority_has_plain_words_for_a_young_peoples_ballot():
    from workshop.imports import parse_priorities

    parsed = parse_priorities((SAMPLE / "priorities.csv").read_bytes(), "priorities.csv")
    assert not parsed.errors and len(parsed.items) == 32
    assert all(p.plain_title and p.plain_sentence.endswith(".") for p in parsed.items)
    assert len({p.plain_title for p in parsed.items}) == 32


def test_evidence_names_indicators_without_figures():
    for note in (r.evidence for r in read_priority_rows(SAMPLE / "priorities.csv")):
        assert "%" not in note
        assert "NI " in note or "local needs analysis" in note.lower() or "views of" in note.lower(), note


def test_criteria(criteria_rows):
    assert len(criteria_rows) == 5
    for crit, descriptors in ((r.criterion, r.descriptors) for r in criteria_rows):
        assert crit.direction == "benefit"
        assert (crit.scale_min, crit.scale_max) == (1, 5)
        assert crit.weight > 0
        assert crit.description
        assert [d.score for d in descriptors] == [1, 2, 3, 4, 5], crit.name
        assert len({d.text for d in descriptors}) == 5


def test_groups():
    assert {g.name for g in read_groups(SAMPLE / "groups.csv")} == GROUPS


def test_simulated_scores(criteria_rows):
    criteria = tuple(r.criterion for r in criteria_rows)
    room = read_scores(SAMPLE / "scores.csv", criteria)
    priorities = [r.priority for r in read_priority_rows(SAMPLE / "priorities.csv")]
    assert room.scores.shape == (30, 32, 5)
    assert set(room.priority_names) == {p.name for p in priorities}
    assert set(room.groups) == GROUPS
    dont_know = np.isnan(room.scores).mean()
    assert 0.01 < dont_know < 0.15
    points = read_allocations(SAMPLE / "allocations.csv", criteria)
    assert points.shape == (30, 5)
    assert (points.sum(axis=1) == 100).all()


def regenerate(capsys, *extra: str) -> str:
    """Run the simulate command exactly as data/README.md documents it."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    leans = re.findall(r'--lean "([^"]+)"', readme)
    participants, seed = re.search(r"--participants (\d+) --seed (\d+)", readme).groups()
    argv = [
        "simulate", str(SAMPLE / "priorities.csv"), "--criteria", str(SAMPLE / "criteria.csv"),
        "--groups", str(SAMPLE / "groups.csv"), "--participants", participants, "--seed", seed,
        *(arg for lean in leans for arg in ("--lean", lean)), *extra,
    ]
    assert main(argv) == 0
    return capsys.readouterr().out


def test_simulated_files_regenerate_exactly(capsys):
    assert regenerate(capsys) == (SAMPLE / "scores.csv").read_text(encoding="utf-8")
    assert regenerate(capsys, "--allocations") == (SAMPLE / "allocations.csv").read_text(encoding="utf-8")


def test_readme_describes_every_file():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in SAMPLE.iterdir():
        assert f"sample/{path.name}" in readme, path.name
    assert "illustrative" in readme and "simulated" in readme


def test_sample_rank_command(capsys):
    argv = ["rank", str(SAMPLE / "scores.csv"), "--criteria", str(SAMPLE / "criteria.csv"), "--format", "json"]
    assert main(argv) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["priorities"]) == 32
    assert len(payload["shortlist"]) == 5
