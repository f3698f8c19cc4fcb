"""The trend: statuses and RAG at each month end, and what it costs."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board import figures
from improvement.plan.models import Action, Plan
from tests.factories import ActionFactory, PlanFactory, PriorityFactory
from tests.helpers import at, plan_with_history, travel

pytestmark = pytest.mark.django_db

TREND = reverse("improvement:trend")


@pytest.fixture
def plan(db):
    """Three actions: added in January with no RAG, one started (green) in
    February and delivered in March, one turned red in March, one withdrawn
    in April without ever being assessed."""
    with travel(at(2026, 1, 12)):
        plan = PlanFactory(start_date=datetime.date(2026, 1, 1))
        priority = PriorityFactory(plan=plan)
        first, second, third = (
            ActionFactory(plan=plan, priority=priority, reference=f"1.{n}")
            for n in (1, 2, 3)
        )
    with travel(at(2026, 2, 3)):
        first.status = Action.Status.IN_PROGRESS
        first.rag = Action.Rag.GREEN
        first.save()
    with travel(at(2026, 3, 31, 23, 0)):  # still 31 March in London
        first.status = Action.Status.DELIVERED
        first.save()
        second.rag = Action.Rag.RED
        second.save()
    with travel(at(2026, 4, 1, 0, 30)):  # 1 April in London
        third.status = Action.Status.WITHDRAWN
        third.status_reason = "Merged into 1.2"
        third.save()
    return plan


def test_trend_counts_each_month(plan):
    points = figures.trend(plan, datetime.date(2026, 4, 15))
    assert [p.day for p in points] == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 15),
    ]
    statuses = [
        (p.status_counts["not_started"], p.status_counts["in_progress"])
        + (p.status_counts["delivered"], p.status_counts["withdrawn"])
        for p in points
    ]
    assert statuses == [(3, 0, 0, 0), (2, 1, 0, 0), (2, 0, 1, 0), (1, 0, 1, 1)]
    rags = [p.rag_counts for p in points]
    # Nobody has assessed them yet: not counted as on track.
    none = {"red": 0, "amber": 0, "green": 0, "blue": 0}
    assert rags[0] == {**none, "not_assessed": 3}
    assert rags[1] == {**none, "green": 1, "not_assessed": 2}
    assert rags[2] == {**none, "red": 1, "blue": 1, "not_assessed": 1}
    # Withdrawn actions drop out of RAG; the total still counts them.
    assert rags[3] == {**none, "red": 1, "blue": 1, "not_assessed": 0}
    assert [p.total for p in points] == [3, 3, 3, 3]


def test_trend_page_shows_both_charts_and_their_numbers(client_as_board, plan):
    with travel(at(2026, 4, 15)):
        response = client_as_board.get(TREND)
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.text)
    assert 'aria-labelledby="status-trend-title status-trend-desc"' in text
    assert 'aria-labelledby="rag-trend-title rag-trend-desc"' in text
    assert text.count("Show the numbers as a table") == 2
    assert "From 31 January 2026 to 15 April 2026" in text
    # The status table: one row per month end, counts in series order.
    table = response.context["status_chart"].table
    assert [row["label"] for row in table.rows] == [
        "31 January 2026",
        "28 February 2026",
        "31 March 2026",
        "15 April 2026",
    ]
    assert table.rows[1]["values"] == [2, 1, 0, 0, 0]
    assert '<th scope="row" class="govuk-table__header"> 31 March 2026 </th>' in text
    lines = response.context["rag_chart"].lines
    assert [line.end_label for line in lines] == [
        "Red 1",
        "Green 0",
        "Blue (delivered) 1",
        "Not assessed 0",
    ]


def test_a_plan_that_has_not_started_has_no_trend(client_as_board):
    PlanFactory(start_date=datetime.date(2026, 9, 1))
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(TREND)
    assert response.status_code == 200
    assert "there is nothing to show yet" in response.text


def test_the_trend_costs_the_same_whatever_the_actions_and_months(client_as_board):
    small, large = plan_with_history(10), plan_with_history(150)
    counts = []
    with travel(at(2026, 6, 15)):
        client_as_board.get(TREND, {"plan": small.pk})
        for start, months in (
            (datetime.date(2026, 1, 1), 6),
            (datetime.date(2025, 1, 1), 18),
        ):
            Plan.objects.filter(pk__in=[small.pk, large.pk]).update(start_date=start)
            for plan in (small, large):
                cache.clear()  # the page built, not the page kept
                with CaptureQueriesContext(connection) as queries:
                    response = client_as_board.get(TREND, {"plan": plan.pk})
                assert len(response.context["points"]) == months
                counts.append(len(queries.captured_queries))
    # Pinned, at 10 and 150 actions and at 6 and 18 months: the history is
    # read in one query, so a fixed extra query fails too.
    assert counts == [6, 6, 6, 6]


def test_the_trend_follows_an_action_out_of_the_plan_and_back():
    """Moved to another plan and back, deleted: counted only while it is in."""
    with travel(at(2026, 1, 5)):
        plan, other = PlanFactory(start_date=datetime.date(2026, 1, 1)), PlanFactory()
        action = ActionFactory(plan=plan, priority=PriorityFactory(plan=plan))
        kept = ActionFactory(plan=plan, priority=action.priority)
    with travel(at(2026, 2, 10)):
        action.plan, action.priority = other, PriorityFactory(plan=other)
        action.save()
    with travel(at(2026, 3, 10)):
        action.plan, action.priority = plan, kept.priority
        action.save()
    with travel(at(2026, 4, 10)):
        action.delete()
    with travel(at(2026, 5, 10)):
        later = ActionFactory(plan=plan, priority=kept.priority)
        later.status = Action.Status.IN_PROGRESS
        later.save()
    points = figures.trend(plan, datetime.date(2026, 5, 31))
    assert [p.total for p in points] == [2, 1, 2, 1, 2]
    assert [p.status_counts["in_progress"] for p in points] == [0, 0, 0, 0, 1]
