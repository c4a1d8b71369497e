"""Fixtures for the hostile-input tests: the workshop service on SQLite and PostgreSQL
(tests.workshop), the app's database (tests.faults) and the browser harness (tests.browser)."""

from tests.browser.conftest import browser  # noqa: F401 - fixtures shared with the browser tests
from tests.faults.conftest import app_database  # noqa: F401
from tests.workshop.conftest import _close_engines, clock, database_url, made, service, store  # noqa: F401
