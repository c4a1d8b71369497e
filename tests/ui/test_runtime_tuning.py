"""The server's settings (``ui.runtime_tuning``): applied once per process, whatever calls it; the theme
message made once per reading of the config is the one Streamlit makes."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator

import pytest
from streamlit import config
from streamlit.proto.NewSession_pb2 import CustomThemeConfig
from streamlit.runtime import app_session

from ui import runtime_tuning

SECTIONS = ("theme", "theme.light", "theme.dark", "theme.sidebar", "theme.light.sidebar", "theme.dark.sidebar")


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As in a server that has not run a page yet; the test process's own settings are put back after."""
    before = gc.get_threshold()
    monkeypatch.setattr(runtime_tuning, "_applied", [])
    monkeypatch.setattr(app_session, "_populate_theme_msg", app_session._populate_theme_msg)  # put back after
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


def test_apply_wraps_streamlits_theme_message(fresh_process: None):
    before = app_session._populate_theme_msg
    runtime_tuning.apply()
    assert inspect.unwrap(app_session._populate_theme_msg) is inspect.unwrap(before)
    runtime_tuning.apply()  # once: not wrapped twice
    assert app_session._populate_theme_msg.__wrapped__ is inspect.unwrap(before)


def test_the_theme_made_once_is_streamlits_own_and_is_made_again_when_the_config_is_read_again():
    calls: list[str] = []
    original = inspect.unwrap(app_session._populate_theme_msg)  # the AppTests of this process may have applied it

    def counted(msg: CustomThemeConfig, section: str = "theme") -> None:
        calls.append(section)
        original(msg, section)

    once = runtime_tuning.theme_made_once(counted)
    for _ in range(3):  # three full runs' new-session messages
        for section in SECTIONS:
            ours, streamlits = CustomThemeConfig(), CustomThemeConfig()
            once(ours, section)
            original(streamlits, section)
            assert ours == streamlits
    assert sorted(calls) == sorted(SECTIONS)  # each section built once
    ours = CustomThemeConfig()
    once(ours)
    assert ours.primary_color == config.get_option("theme.primaryColor") == "#1f5fa8"  # .streamlit/config.toml

    config.get_config_options(force_reparse=True)  # the config read again (a changed config.toml)
    once(CustomThemeConfig())
    assert calls.count("theme") == 2
