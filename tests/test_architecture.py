"""DESIGN.md §2 house rules, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_engine_is_pure():
    for module, names in imported_modules("ranking").items():
        assert not names & {"streamlit", "sqlalchemy", "workshop", "plotly"}, module


def test_workshop_never_imports_streamlit():
    if not (ROOT / "workshop").is_dir():
        return
    for module, names in imported_modules("workshop").items():
        assert "streamlit" not in names, module
