"""The documents keep up with the code: every environment variable the code reads is in the
README's configuration table, and every module the architecture document names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _environment_variables() -> set[str]:
    """Names read from the environment anywhere under workshop/, ui/, app_pages/ and app.py:
    the literal (or module-level constant) first argument of ``<env>.get(...)`` or ``os.getenv``."""
    found: set[str] = set()
    files = [ROOT / "app.py", *(p for d in ("workshop", "ui", "app_pages") for p in (ROOT / d).rglob("*.py"))]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            reads_env = (
                isinstance(func, ast.Attribute)
                and func.attr == "get"
                and re.search(r"env", ast.unparse(func.value), re.IGNORECASE)
            ) or (isinstance(func, ast.Attribute) and func.attr == "getenv")
            if not reads_env:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.Name) and arg.id in constants:
                found.add(constants[arg.id])
    return found


def test_readme_lists_every_environment_variable():
    names = _environment_variables()
    assert {"DATABASE_URL", "PRIORITISE_DB_PATH"} <= names, names  # the scan finds what it is about
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert not missing, f"README's Configuration section does not list {missing}"


def test_architecture_document_names_only_real_paths():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:ranking|workshop|ui|app_pages|tests|bench|deploy|docs)/[\w/.]*)`", text))
    assert len(paths) > 20, paths
    missing = sorted(p for p in paths if not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"docs/ARCHITECTURE.md names paths that do not exist: {missing}"
