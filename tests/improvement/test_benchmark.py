"""``benchmark``: a row of figures for every page that exists, notes for the rest."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from improvement.demo.management.commands.benchmark import (
    AS_AT_DAYS,
    BENCHMARK_USERNAME,
    PAGES,
    Command,
    percentile,
)
from tests.factories import PlanFactory
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


def test_the_board_pages_are_measured_kept_and_built(output):
    """A board page read again is kept (fewer queries); its built figures
    are measured with nothing kept. Other pages cost the same both ways."""
    rows = benchmark_rows(output)
    for label in ("Dashboard", "Golden thread", "Board pack (as at)", "Trend"):
        assert int(rows[label]["q"]) < int(rows[label]["built_q"]), label
    for label in ("Floor: 50 actions", "Actions register", "Findings register"):
        assert rows[label]["q"] == rows[label]["built_q"], label
    assert float(rows["Golden thread"]["built"]) > 0


def test_each_page_is_compared_with_the_floor_measured_in_the_same_run(output):
    rows = benchmark_rows(output)
    floor = float(rows["Floor: 50 actions"]["median"])
    assert rows["Floor: 50 actions"]["ratio"] == "1.0"
    for label, match in rows.items():
        expected = float(match["median"]) / floor
        # Every printed figure is rounded to 0.1: allow for that rounding.
        tolerance = 0.05 + 0.05 * (1 + expected) / floor
        assert abs(float(match["ratio"]) - expected) <= tolerance, label


def test_pages_are_asked_for_as_users_ask_for_them():
    """The as-at pages carry a date, the plan pages the plan."""
    plan = PlanFactory()
    url = Command().url_for(
        next(p for p in PAGES if p.label == "As at (register)"), plan, {}
    )
    day = timezone.localdate() - datetime.timedelta(days=AS_AT_DAYS)
    assert url == f"{reverse('improvement:as_at')}?plan={plan.pk}&as_at={day}"


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
