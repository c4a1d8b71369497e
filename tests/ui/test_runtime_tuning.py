"""The server's collector settings (``ui.runtime_tuning``): applied once per process, whatever calls it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ui import runtime_tuning


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As in a server that has not run a page yet; the test process's own settings are put back after."""
    before = gc.get_threshold()
    monkeypatch.setattr(runtime_tuning, "_applied", [])
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_apply_sets_the_thresholds_and_freezes_the_imports(fresh_process: None):
    runtime_tuning.apply()
    assert gc.get_threshold() == runtime_tuning.GC_THRESHOLDS
    assert gc.get_freeze_count() > 10_000  # the modules, classes and functions imported so far


def test_apply_runs_once(fresh_process: None):
    runtime_tuning.apply()
    gc.set_threshold(700, 10, 10)
    frozen = gc.get_freeze_count()
    runtime_tuning.apply()  # every later page run calls it again: nothing happens
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == frozen
