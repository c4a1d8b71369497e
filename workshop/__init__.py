"""The workshop service and its store (SQLAlchemy Core; SQLite by default,
PostgreSQL by DATABASE_URL).  Never imports streamlit.

The app's entry point is ``WorkshopService.from_settings()``; see
``workshop.service`` for what it offers and ``workshop.errors`` for what it
refuses with.
"""
