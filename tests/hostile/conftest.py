"""Fixtures for the hostile-input tests: the workshop service on SQLite and PostgreSQL
(tests.workshop) and the app's database (tests.faults)."""

from tests.faults.conftest import app_database  # noqa: F401 - fixtures shared with those tests
from tests.workshop.conftest import _close_engines, clock, database_url, made, service, store  # noqa: F401
