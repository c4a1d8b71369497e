"""The app starts under ``streamlit run`` and renders in Chromium without errors."""

from tests.browser.conftest import assert_no_errors, wait_for_app


def test_app_renders_in_chromium(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_text("Prioritise").first.wait_for()
    assert_no_errors(page)
    page.close()
