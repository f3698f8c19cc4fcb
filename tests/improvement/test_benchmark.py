"""``benchmark``: a row of figures for every page that exists, notes for the rest."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from improvement.demo.management.commands.benchmark import (
    BENCHMARK_USERNAME,
    percentile,
)
from tests.helpers import BENCHMARK_PAGES, benchmark_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    """What the benchmark printed over a small scale dataset, run once.

    Built inside a transaction rolled back after the module's last test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", plans=2, scale=0.04, stdout=StringIO())
        out = StringIO()
        call_command("benchmark", repeat=2, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_it_prints_figures_for_every_page(output):
    rows = benchmark_rows(output)
    assert list(rows) == BENCHMARK_PAGES
    for match in rows.values():
        median, p95 = float(match["median"]), float(match["p95"])
        assert 0 < median <= p95
        assert int(match["q"]) > 0
    assert "Note:" not in output


def test_it_names_the_plan_and_signs_in_as_a_board_member(output):
    assert "(scale data 01)" in output
    user = get_user_model().objects.get(username=BENCHMARK_USERNAME)
    assert user.groups.filter(name="Board members").exists()
    assert not user.has_usable_password()


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert percentile(values, 0.95) == 19
    assert percentile(values, 0.5) == 10
    assert percentile([7.0], 0.95) == 7.0
