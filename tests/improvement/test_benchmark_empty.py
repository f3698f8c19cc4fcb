"""``benchmark`` on an empty database: every page but the action page is timed.

Apart from ``test_benchmark.py``, whose module-wide scale data would make the
database not empty.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.helpers import BENCHMARK_PAGES, benchmark_rows

pytestmark = pytest.mark.django_db


def test_on_an_empty_database_only_the_action_page_is_skipped():
    out = StringIO()
    call_command("benchmark", repeat=1, stdout=out)
    output = out.getvalue()
    assert list(benchmark_rows(output)) == [
        p for p in BENCHMARK_PAGES if p != "Action page"
    ]
    assert "Note: Action page: skipped, there is no action" in output
    assert "failed" not in output
