"""Settings read from the environment, once, into a frozen dataclass.

``DATABASE_URL``        a postgresql:// (or postgres://) URL selects PostgreSQL;
                        a sqlite:/// URL is also accepted.
``PRIORITISE_DB_PATH``  the SQLite file used when DATABASE_URL is unset
                        (default ./prioritise.sqlite3).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workshop.db import normalize_url

DEFAULT_DB_PATH = "prioritise.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get("DATABASE_URL", "").strip()
        if url:
            return cls(normalize_url(url))
        path = Path(env.get("PRIORITISE_DB_PATH", "").strip() or DEFAULT_DB_PATH)
        return cls(f"sqlite:///{path.expanduser().resolve()}")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
