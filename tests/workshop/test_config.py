"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.config import Settings


def test_sqlite_file_by_default_and_by_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({}).database_url == f"sqlite:///{tmp_path / 'prioritise.sqlite3'}"
    settings = Settings.from_env({"PRIORITISE_DB_PATH": str(tmp_path / "w.db")})
    assert settings.database_url == f"sqlite:///{tmp_path / 'w.db'}" and settings.is_sqlite


def test_database_url_selects_postgresql_with_psycopg():
    settings = Settings.from_env({"DATABASE_URL": "postgres://me:pw@db:5432/prioritise", "PRIORITISE_DB_PATH": "x"})
    assert settings.database_url == "postgresql+psycopg://me:pw@db:5432/prioritise"
    assert not settings.is_sqlite
    with pytest.raises(ValueError):
        Settings.from_env({"DATABASE_URL": "mysql://db/x"})
