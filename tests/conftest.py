"""Suite-wide settings.

Hypothesis's per-example deadline is a timing assertion, and timing
assertions flake on a shared 2-core machine: it is switched off for the whole
suite (speed is measured by the benchmarks in bench/, not by tests).

Every test that starts an app server or a Chromium is marked ``browser``, and
every test that needs PostgreSQL is marked ``postgres``, here, from what it
uses (so the fast loop ``-m "not browser and not postgres"`` cannot pick one
up by a forgotten marker): the ``app_server``/``browser`` fixtures; a call,
directly or through the module's helpers, of ``start_server``/``in_chromium``
(browser) or ``postgres_base``/``postgres_admin`` (PostgreSQL); a fixture
parametrised with ``"postgresql"``.  Browser tests get a longer per-test
timeout than pyproject's default."""

from __future__ import annotations

import inspect
from types import CodeType

import pytest
from hypothesis import settings

settings.register_profile("prioritise", deadline=None)
settings.load_profile("prioritise")

BROWSER_FIXTURES = frozenset({"app_server", "browser"})
BROWSER_CALLS = frozenset({"start_server", "in_chromium"})
POSTGRES_CALLS = frozenset({"postgres_base", "postgres_admin"})
BROWSER_TIMEOUT_SECONDS = 900  # a whole workshop in Chromium on a busy 2-core machine


def _codes(code: CodeType) -> list[CodeType]:
    """``code`` and the code of every function and lambda defined inside it."""
    found = [code]
    for const in code.co_consts:
        if isinstance(const, CodeType):
            found += _codes(const)
    return found


def names_reached(function: object, depth: int = 4) -> set[str]:
    """Every global name ``function`` uses, and those of the module functions it
    uses in turn, down to ``depth`` calls."""
    names: set[str] = set()
    seen: set[CodeType] = set()
    todo = [(function, 0)]
    while todo:
        fn, level = todo.pop()
        fn = inspect.unwrap(fn) if callable(fn) else fn
        code = getattr(fn, "__code__", None)
        if code is None or code in seen:
            continue
        seen.add(code)
        for inner in _codes(code):
            names.update(inner.co_names)
            if level < depth:
                todo += [
                    (value, level + 1)
                    for name in inner.co_names
                    if inspect.isfunction(value := fn.__globals__.get(name))
                ]
    return names


def _uses_postgresql(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        reached = names_reached(getattr(item, "function", None))
        if fixtures & BROWSER_FIXTURES or reached & BROWSER_CALLS:
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT_SECONDS))
        if _uses_postgresql(item) or reached & POSTGRES_CALLS:
            item.add_marker(pytest.mark.postgres)
