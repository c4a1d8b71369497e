"""The archive without participants' display names (issue 14): no name anywhere in the file, and it
restores to a workshop with the same answers, results and decision; ``python -m workshop export
--without-names`` writes it, and the plain archive says it holds names."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.workshop.test_archive import rich_workshop
from workshop.archive import dumps, loads, without_names
from workshop.cli import main
from workshop.service import WorkshopService
from workshop.store import Store

NAMES = ("Zelda Quixote-Marsh", "![t](https://attacker.example/p.png)", "Ann")  # Ann: rich_workshop's, twice


def named_workshop(service: WorkshopService):  # type: ignore[no-untyped-def]
    workshop, key = rich_workshop(service)
    for name in NAMES[:2]:
        person = service.join(workshop.code, name, "NHS")
        service.save_ranking(person.token, workshop.rounds[2].id, [workshop.priorities[1].id])
    return service.workshop_by_id(workshop.id), key


def test_an_archive_without_names_holds_none_and_restores_the_same_answers(service: WorkshopService):
    workshop, key = named_workshop(service)
    named = service.export_archive(key, workshop.id)
    assert all(name in dumps(named) for name in NAMES)  # the plain archive does hold them
    anonymous = without_names(named)
    text = dumps(anonymous)
    assert not [name for name in NAMES if name in text]
    assert [p.display_name for p in anonymous.participants] == [None] * len(named.participants)
    joins = [e.detail for e in anonymous.audit_log if e.action == "participant joined"]
    groups = ["NHS", "Council", "NHS", "NHS", "NHS"]
    assert joins == [f"Anonymous {n} ({group})" for n, group in enumerate(groups, start=1)]

    copy, new_key = service.import_archive(loads(text.encode()))
    again = service.export_archive(new_key, copy.id)
    assert replace(again, code=anonymous.code, exported_at=anonymous.exported_at, audit_log=again.audit_log[:-1]) == (
        anonymous
    )
    assert [(r.scores, r.allocations, r.rankings) for r in again.rounds] == [
        (r.scores, r.allocations, r.rankings) for r in named.rounds
    ]
    for theirs, ours in zip(workshop.rounds[:3], copy.rounds[:3], strict=True):
        original, restored = service.results(key, theirs.id), service.results(new_key, ours.id)
        assert [p.number for p in restored.participants] == [p.number for p in original.participants]
        assert [p.label for p in restored.participants] == [f"Anonymous {p.number}" for p in original.participants]
    scoring = service.results(new_key, copy.rounds[1].id)
    assert scoring.ranking.order == service.results(key, workshop.rounds[1].id).ranking.order
    assert service.decision(new_key, copy.id) is not None and again.decisions == named.decisions


def test_the_command_line_writes_it_and_says_which_archive_holds_names(tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    workshop, key = named_workshop(WorkshopService(Store.open(url)))
    plain, anonymous = tmp_path / "named.json", tmp_path / "anonymous.json"

    assert main(["--database-url", url, "export", workshop.code, "--key", key, "-o", str(plain)]) == 0
    assert "it holds participants' display names (--without-names leaves them out)" in capsys.readouterr().out
    assert main(["--database-url", url, "export", workshop.code, "--key", key, "--without-names",
                 "-o", str(anonymous)]) == 0
    assert "participants as 'Anonymous N', without their names" in capsys.readouterr().out

    assert NAMES[0] in plain.read_text() and not [n for n in NAMES if n in anonymous.read_text()]
    assert main(["--database-url", url, "import", str(anonymous)]) == 0
