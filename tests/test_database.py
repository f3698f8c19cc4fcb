"""The suite runs on the database CI asked for."""

import os

from django.db import connection


def test_runs_on_the_database_that_database_url_names():
    """Fails if DATABASE_URL asks for PostgreSQL but the run uses SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
