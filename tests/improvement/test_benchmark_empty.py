"""``benchmark`` on an empty database: every page but the action's and the
measure's is timed.

Apart from ``test_benchmark.py``, whose module-wide scale data would make the
database not empty.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.helpers import BENCHMARK_PAGES, benchmark_rows

pytestmark = pytest.mark.django_db


def test_on_an_empty_database_only_the_record_pages_are_skipped():
    out = StringIO()
    call_command("benchmark", repeat=1, stdout=out)
    output = out.getvalue()
    assert list(benchmark_rows(output)) == [
        p
        for p in BENCHMARK_PAGES
        if p not in ("Floor: 50 actions", "Action page", "Measure page (as at)")
    ]
    assert "Note: Floor: 50 actions: skipped, there is no plan" in output
    assert "Note: Action page: skipped, there is no action" in output
    assert "Note: Measure page (as at): skipped, there is no measure" in output
    assert "failed" not in output
