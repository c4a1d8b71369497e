"""``python -m workshop``: each command, and each bad input ending in one
line on stderr (``error: …``), a non-zero status and no traceback."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from workshop.archive import FORMAT_NAME, FORMAT_VERSION, loads
from workshop.cli import KEY_VARIABLE, RELATIVE_NOTE, main
from workshop.demo import Demo, create_demo
from workshop.joining import JoinLimiter, TooManyJoins
from workshop.migrations import MIGRATIONS
from workshop.service import WorkshopService
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def cli(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv(KEY_VARIABLE, raising=False)

    def run(*argv: str) -> Run:
        status = main(["--database-url", url, *argv])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def demo(url: str) -> Demo:
    return create_demo(WorkshopService(Store.open(url)), participants=3)


def failed(result: Run, message: str) -> None:
    assert (result.status, result.out, result.err) == (1, "", f"error: {message}\n")


def value(output: str, label: str) -> str:
    return next(line.split(":", 1)[1].split()[0] for line in output.splitlines() if line.startswith(label))


def test_migrate_applies_the_migrations_once(cli):  # type: ignore[no-untyped-def]
    versions = [m.version for m in MIGRATIONS]
    listed = ", ".join(str(v) for v in versions)
    assert cli("migrate") == Run(0, f"Applied migrations {listed}; now at {versions[-1]}.\n", "")
    assert cli("migrate") == Run(0, f"The database is up to date (migration {versions[-1]}).\n", "")


def test_demo_prints_the_code_the_key_and_relative_links(cli, url: str):  # type: ignore[no-untyped-def]
    result = cli("demo", "--participants", "4", "--seed", "5")
    assert result.status == 0 and result.err == ""
    code, key = value(result.out, "Join code"), value(result.out, "Facilitator key")
    assert "4 simulated participants" in result.out and "which is now closed." in result.out
    assert f"Facilitator link:  /?w={code}&k={key}\n" in result.out
    assert f"Participant link:  /join?code={code}\n" in result.out
    assert result.out.endswith(RELATIVE_NOTE + "\n")
    service = WorkshopService(Store.open(url))
    workshop = service.check_key(code, key)
    assert len(service.progress(key, workshop.rounds[0].id).participants) == 4


def test_demo_of_more_people_than_the_join_burst(cli, url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``demo --participants 300`` against the join limit's burst of 200 (workshop.joining), scaled down to
    keep the test fast: a burst of 5, a demo of 12.  The simulated room is announced and joins at once."""
    monkeypatch.setattr("workshop.service.base.JoinLimiter", functools.partial(JoinLimiter, burst=5, per_second=0.001))
    result = cli("demo", "--participants", "12")
    assert result.status == 0 and result.err == "" and "12 simulated participants" in result.out
    code, key = value(result.out, "Join code"), value(result.out, "Facilitator key")
    service = WorkshopService(Store.open(url))
    assert len(service.progress(key, service.check_key(code, key).rounds[0].id).participants) == 12
    group = service.check_key(code, key).groups[0].name
    for _ in range(5):  # a real crowd at the door is still held to the burst
        service.join(code, None, group)
    with pytest.raises(TooManyJoins):
        service.join(code, None, group)


def test_demo_with_a_base_url_prints_absolute_links_and_can_reveal(cli):  # type: ignore[no-untyped-def]
    result = cli("demo", "--participants", "2", "--reveal", "--base-url", "https://prioritise.example.org/app/")
    code, key = value(result.out, "Join code"), value(result.out, "Facilitator key")
    assert "which is now revealed." in result.out
    assert f"Facilitator link:  https://prioritise.example.org/app/?w={code}&k={key}\n" in result.out
    assert f"Participant link:  https://prioritise.example.org/app/join?code={code}\n" in result.out
    assert RELATIVE_NOTE not in result.out


def test_list_shows_every_workshop(cli, demo: Demo):  # type: ignore[no-untyped-def]
    result = cli("list")
    header, row = result.out.splitlines()
    assert header.split() == ["CODE", "CREATED", "TITLE", "ORGANISATION"]
    assert row.startswith(f"{demo.workshop.code}  ") and row.endswith("Sample Children's Trust")


def test_list_of_an_empty_database(cli):  # type: ignore[no-untyped-def]
    assert cli("list") == Run(0, "No workshops yet.\n", "")


def test_export_json_writes_the_archive_and_import_restores_it(cli, demo: Demo, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "board.json"
    result = cli("export", demo.workshop.code.lower(), "--key", demo.key, "-o", str(path))
    assert result.status == 0 and result.out.startswith(f"Wrote {path} (")
    exported = loads(path.read_bytes())
    assert json.loads(path.read_text())["format"] == FORMAT_NAME and len(exported.participants) == 3

    monkeypatch.setenv(KEY_VARIABLE, demo.key)  # the key from the environment; the file's default name
    monkeypatch.chdir(tmp_path)
    assert cli("export", demo.workshop.code).status == 0
    assert loads((tmp_path / f"prioritise-{demo.workshop.code}.json").read_bytes()).setup == exported.setup

    imported = cli("import", str(path))
    assert imported.status == 0 and imported.err == ""
    code, key = value(imported.out, "Join code"), value(imported.out, "Facilitator key")
    assert code != demo.workshop.code and f"(archived as {demo.workshop.code})" in imported.out
    assert "cannot resume" in imported.out
    again = tmp_path / "again.json"
    assert cli("export", code, "--key", key, "-o", str(again)).status == 0
    second = loads(again.read_bytes())
    assert (
        replace(second, code=exported.code, exported_at=exported.exported_at, audit_log=second.audit_log[:-1])
        == exported
    )


def test_other_formats_come_from_workshop_exports(cli, demo: Demo, tmp_path: Path):  # type: ignore[no-untyped-def]
    pytest.importorskip("workshop.exports")
    path = tmp_path / "board.zip"
    result = cli("export", demo.workshop.code, "--key", demo.key, "--format", "csv", "-o", str(path))
    assert result.status == 0 and "csv export of" in result.out
    assert path.read_bytes()[:2] == b"PK"


def test_a_format_whose_module_is_missing_is_not_available_yet(cli, demo: Demo, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "workshop.exports", None)  # as before workshop/exports/ existed
    failed(
        cli("export", demo.workshop.code, "--key", demo.key, "--format", "docx"), "the docx export is not available yet"
    )


CORRUPT = '{"format": "prioritise-workshop", "format_version": 1, "exported_at": '
NEWER = f'{{"format": "prioritise-workshop", "format_version": {FORMAT_VERSION + 1}}}'


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "ZZZZ22", "--key", "{key}"], "No workshop has the code 'ZZZZ22'. Check the code on the screen."),
        (
            ["export", "{code}", "--key", "AAAAA-BBBBB-CCCCC-DDDDD"],
            "That facilitator key is not right for this workshop.",
        ),
        (
            ["export", "{code}", "--key", "AAAAA", "--format", "xlsx"],
            "That facilitator key is not right for this workshop.",
        ),
        (["export", "{code}"], f"give the workshop's facilitator key with --key or the {KEY_VARIABLE} variable"),
        (
            ["export", "{code}", "--key", "{key}", "-o", "{tmp}/no/such/folder.json"],
            "cannot write {tmp}/no/such/folder.json: No such file or directory",
        ),
        (["import", "{tmp}/missing.json"], "cannot read {tmp}/missing.json: No such file or directory"),
        (["import", "{tmp}"], "cannot read {tmp}: Is a directory"),
        (["import", "{tmp}/corrupt.json"], "The archive is not valid JSON: Expecting value (line 1, column 71)."),
        (
            ["import", "{tmp}/newer.json"],
            f"The archive is format version {FORMAT_VERSION + 1}; this Prioritise reads version {FORMAT_VERSION}. "
            "Import it with a newer Prioritise.",
        ),
        (["import", "{tmp}/scores.csv"], "The archive is not valid JSON: Expecting value (line 1, column 1)."),
    ],
)
def test_bad_input_is_one_line_and_status_1(cli, demo: Demo, tmp_path: Path, argv: list[str], message: str):  # type: ignore[no-untyped-def]
    (tmp_path / "corrupt.json").write_text(CORRUPT)
    (tmp_path / "newer.json").write_text(NEWER)
    (tmp_path / "scores.csv").write_text("participant,priority\nP1,A\n")
    fill = {"code": demo.workshop.code, "key": demo.key, "tmp": str(tmp_path)}
    failed(cli(*[a.format(**fill) for a in argv]), message.format(**fill))


def test_an_unusable_database_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    assert main(["--database-url", "mysql://db/prioritise", "list"]) == 1
    assert capsys.readouterr().err == "error: the database URL must be postgresql:// or sqlite:///, not mysql://\n"
    assert main(["--database-url", f"sqlite:///{tmp_path}/missing/folder/x.sqlite3", "list"]) == 1
    assert capsys.readouterr().err == "error: the database could not be used: unable to open database file\n"


@pytest.mark.parametrize("argv", [[], ["demo", "--participants", "0"], ["export"], ["export", "C", "--format", "pdf"]])
def test_usage_mistakes_are_argparse_s(cli, argv: list[str]):  # type: ignore[no-untyped-def]
    result = cli(*argv)
    assert result.status == 2 and result.out == "" and "usage: python -m workshop" in result.err
    assert "Traceback" not in result.err


def test_as_a_program(tmp_path: Path):
    env = {**os.environ, "PRIORITISE_DB_PATH": str(tmp_path / "program.sqlite3"), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)

    def program(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workshop", *argv], capture_output=True, text=True, env=env, cwd=tmp_path
        )

    made = program("demo", "--participants", "2")
    assert made.returncode == 0 and made.stderr == "" and "Join code:" in made.stdout
    listed = program("list")
    assert value(made.stdout, "Join code") in listed.stdout
    refused = program("export", value(made.stdout, "Join code"), "--key", "WRONG")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == "error: That facilitator key is not right for this workshop.\n"


def test_demo_consultation_prints_the_code_the_key_and_the_links(cli):  # type: ignore[no-untyped-def]
    result = cli("demo", "--consultation", "--participants", "40", "--per-person", "4", "--base-url", "http://x")
    assert result.status == 0 and result.err == ""
    assert "40 simulated young people answered 4 priorities each (a balanced share of 32)" in result.out
    assert "Closed at " in result.out
    code, key = value(result.out, "Join code"), value(result.out, "Facilitator key")
    assert f"http://x/?w={code}&k={key}" in result.out
    assert cli("demo", "--per-person", "4") == Run(
        1, "", "error: --per-person is for a consultation demo: add --consultation\n"
    )
