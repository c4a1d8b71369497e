"""Fuzzing ``python -m workshop import`` (workshop.cli) with hypothesis: random files and real archives
with one value damaged either import or give the documented error — exit status 1 and one line
"error: …" on stderr, never the CLI's catch-all "error: unexpected …", never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workshop.conftest import small_setup
from workshop import cli
from workshop.archive import dumps
from workshop.models import ScoreEntry
from workshop.service import WorkshopService
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A SQLite database for the imports, and a real archive (a workshop with answers) to damage."""
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    url = f"sqlite:///{path}"
    service = WorkshopService(Store.open(url))
    workshop, key = service.create_workshop(small_setup(weighting_round=True))
    scoring = next(r for r in workshop.rounds if r.kind == "scoring")
    person = service.join(workshop.code, "Ann", "Council")
    service.open_round(key, scoring.id)
    service.save_scores(person.token, scoring.id, [ScoreEntry(workshop.priorities[0].id, workshop.criteria[0].id, 4)])
    return url, dumps(service.export_archive(key, workshop.id))


def run_import(url: str, data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "archive.json"
    path.write_bytes(data)
    status = cli.main(["--database-url", url, "import", str(path)])
    err = capsys.readouterr().err
    return status, err


def assert_documented(status: int, err: str) -> None:
    assert status in (0, 1), (status, err)
    if status == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert not lines[0].startswith("error: unexpected"), err  # the CLI's catch-all: an undocumented error


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=3000))
def test_cli_import_of_random_bytes(archive_db, tmp_path, capsys, data: bytes):
    assert_documented(*run_import(archive_db[0], data, tmp_path, capsys))


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(data=st.data())
def test_cli_import_of_damaged_archives(archive_db, tmp_path, capsys, data: st.DataObject):
    """A real archive with one value anywhere replaced (or deleted) by any JSON value."""
    url, text = archive_db
    document = json.loads(text)
    path = data.draw(st.sampled_from(paths(document)[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(json_values)
    assert_documented(*run_import(url, json.dumps(document).encode(), tmp_path, capsys))


def test_python_m_workshop_import_of_junk_says_so_in_one_line(archive_db, tmp_path: Path):
    path = tmp_path / "junk.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    done = subprocess.run(
        [sys.executable, "-m", "workshop", "--database-url", archive_db[0], "import", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
