"""ui.export_widgets.download_buttons in AppTest: nothing is computed until
"Prepare the exports" is clicked; then one download button per format, a
draft warning while no shortlist is agreed, and the service's refusal of a
wrong key shown as an error."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import error_texts
from tests.workshop.conftest import small_setup
from workshop.exports import ExportFormat
from workshop.service import WorkshopService
from workshop.store import Store


def script() -> None:
    import os

    from ui.export_widgets import download_buttons
    from workshop.service import WorkshopService
    from workshop.store import Store

    service = WorkshopService(Store.open(os.environ["EXPORT_TEST_DB"]))
    download_buttons(service, os.environ["EXPORT_TEST_KEY"], int(os.environ["EXPORT_TEST_ID"]))


@pytest.fixture
def panel(tmp_path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    url = f"sqlite:///{tmp_path / 'exports.sqlite3'}"
    workshop, key = WorkshopService(Store.open(url)).create_workshop(small_setup())
    monkeypatch.setenv("EXPORT_TEST_DB", url)
    monkeypatch.setenv("EXPORT_TEST_KEY", key)
    monkeypatch.setenv("EXPORT_TEST_ID", str(workshop.id))
    return AppTest.from_function(script, default_timeout=60)


def test_files_are_prepared_on_request_with_one_button_per_format(panel):
    at = panel.run()
    assert [b.label for b in at.button] == ["Prepare the exports"]
    assert at.get("download_button") == []
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert [b.label for b in at.get("download_button")] == [fmt.label for fmt in ExportFormat]
    assert "No shortlist has been agreed yet" in at.warning[0].value


def test_a_refused_key_is_shown_as_an_error(panel, monkeypatch):
    monkeypatch.setenv("EXPORT_TEST_KEY", "not the key")
    at = panel.run()
    at.button[0].click().run()
    assert not at.exception
    assert error_texts(at)[0] == "That facilitator key is not right for this workshop."
    assert at.get("download_button") == []
