"""docs/ARCHITECTURE.md §2 house rules, checked by walking every module's imports.

Every import counts: ``import a.b``, ``from a.b import c`` (as ``a.b`` and
``a.b.c``), relative imports resolved against the module's package, imports
inside functions, and ``importlib.import_module("…")`` / ``__import__("…")``
with a literal name.  Each check first asserts that it found the modules it
is about, so a moved folder cannot make it pass by checking nothing."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    """The dotted names of every module ``path`` imports."""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            if module:
                names.add(module)
            names.update(f"{module}.{alias.name}" if module else alias.name for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def imported_modules(*paths: str) -> dict[str, set[str]]:
    """Module path → the dotted names it imports, for every ``.py`` file under
    (or at) ``paths``; fails if there is none, so a check never passes empty."""
    found: dict[str, set[str]] = {}
    for name in paths:
        target = ROOT / name
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for path in files:
            found[str(path.relative_to(ROOT))] = _imports(path)
    assert found, f"no modules found under {paths}"
    return found


def breaches(modules: dict[str, set[str]], allowed) -> list[tuple[str, str]]:
    """(module, import) for every import ``allowed(name)`` refuses."""
    return [(module, name) for module, names in modules.items() for name in sorted(names) if not allowed(name)]


def top(name: str) -> str:
    return name.split(".")[0]


def test_engine_is_pure():
    forbidden = {"streamlit", "sqlalchemy", "workshop", "plotly", "ui", "app_pages"}
    assert breaches(imported_modules("ranking"), lambda name: top(name) not in forbidden) == []


def test_workshop_never_imports_streamlit():
    assert breaches(imported_modules("workshop"), lambda name: top(name) != "streamlit") == []


def test_workshop_never_imports_ui_or_pages():
    assert breaches(imported_modules("workshop"), lambda name: top(name) not in {"ui", "app_pages", "app"}) == []


def test_ui_never_imports_sqlalchemy():
    """Database errors reach ui/ as the store's own (workshop.errors.DatabaseOutage, DatabaseFault)."""
    assert breaches(imported_modules("ui"), lambda name: top(name) != "sqlalchemy") == []


def test_pages_import_only_ui_and_workshop_models():
    """A page reads like a description of the screen: its logic lives in ui/;
    from workshop/ it may name only the domain types (workshop.models)."""

    def allowed(name: str) -> bool:
        return top(name) in {"__future__", "streamlit", "ui"} or name == "workshop.models" or (
            name.startswith("workshop.models.")
        )

    assert breaches(imported_modules("app_pages", "app.py"), allowed) == []


def test_the_walk_sees_every_kind_of_import(tmp_path: Path, monkeypatch):
    """The checks above are only as good as ``_imports``: a relative import, a
    from-import, one inside a function and a dynamic one are all seen."""
    package = tmp_path / "workshop" / "exports"
    package.mkdir(parents=True)
    module = package / "thing.py"
    module.write_text(
        "import json\n"
        "from ..store import Store\n"
        "from . import charts\n"
        "def later():\n"
        "    import streamlit as st\n"
        "    importlib.import_module('ui.state')\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _imports(module) == {
        "json", "workshop.store", "workshop.store.Store", "workshop.exports", "workshop.exports.charts",
        "streamlit", "ui.state",
    }


def test_every_workshop_and_ui_module_is_small_and_says_what_it_is_for():
    """docs/ARCHITECTURE.md: a module a newcomer can read; its opening docstring says what it is for."""
    modules = imported_modules("workshop", "ui")
    too_long = {m: n for m in modules if (n := len((ROOT / m).read_text(encoding="utf-8").splitlines())) > 500}
    assert not too_long, f"modules over 500 lines: {too_long}"
    silent = [m for m in modules if not ast.get_docstring(ast.parse((ROOT / m).read_text(encoding="utf-8")))]
    assert not silent, f"modules without an opening docstring: {silent}"
