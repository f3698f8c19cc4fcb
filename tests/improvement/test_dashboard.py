"""The dashboard: who may open it, what it shows, bad dates, and its cost."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.plan.models import Plan
from tests.factories import (
    ActionFactory,
    AuditFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    PlanFactory,
    ProgressUpdateFactory,
)
from tests.helpers import (
    HandBuiltPlan,
    at,
    plan_with_history,
    sign_in_as,
    travel,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("improvement:dashboard")
BOARD_URLS = [
    reverse("improvement:dashboard"),
    reverse("improvement:as_at"),
    reverse("improvement:trend"),
]


# Who may open it ------------------------------------------------------------


@pytest.mark.parametrize("url", BOARD_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    "persona", ["client_as_board", "client_as_officer", "client_as_manager"]
)
@pytest.mark.parametrize("url", BOARD_URLS)
def test_every_role_may_open_the_board_screens(request, persona, url):
    ActionFactory()
    client = request.getfixturevalue(persona)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", BOARD_URLS)
def test_a_sign_in_with_no_role_is_refused(client, no_group_user, url):
    sign_in_as(client, no_group_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", BOARD_URLS)
def test_the_board_screens_change_nothing(client_as_manager, url):
    ActionFactory()
    assert client_as_manager.post(url).status_code == 405


@pytest.mark.parametrize(
    "persona, landing",
    [
        ("client_as_board", "improvement:dashboard"),
        ("client_as_manager", "improvement:dashboard"),
        ("client_as_officer", "improvement:my_actions"),
    ],
)
def test_sign_in_lands_board_members_and_managers_on_the_dashboard(
    request, persona, landing
):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("home")).url == reverse(landing)


# Choosing the plan ----------------------------------------------------------


def test_with_no_plans_the_dashboard_says_so(client_as_board):
    response = client_as_board.get(DASHBOARD)
    assert response.status_code == 200
    assert "There are no improvement plans yet." in response.text


def test_the_newest_active_plan_is_shown_unless_another_is_chosen(client_as_board):
    older = PlanFactory(name="Older plan", start_date=datetime.date(2025, 1, 1))
    PlanFactory(
        name="Draft plan",
        start_date=datetime.date(2026, 1, 1),
        status=Plan.Status.DRAFT,
    )
    current = PlanFactory(name="Current plan", start_date=datetime.date(2025, 6, 1))
    assert client_as_board.get(DASHBOARD).context["plan"] == current
    chosen = client_as_board.get(DASHBOARD, {"plan": older.pk})
    assert chosen.context["plan"] == older
    assert f'<option value="{older.pk}" selected>' in chosen.text


def test_a_plan_not_on_the_list_gets_a_message(client_as_board):
    plan = PlanFactory()
    for value in ["999999", "not-a-number"]:
        response = client_as_board.get(DASHBOARD, {"plan": value})
        assert response.status_code == 200
        assert "Select an improvement plan from the list" in response.text
        assert response.context["plan"] == plan


# What it shows --------------------------------------------------------------


@pytest.fixture
def hand_built(db):
    return HandBuiltPlan()


def test_headline_figures_match_the_hand_worked_plan(client_as_board, hand_built):
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(DASHBOARD)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.delivered_percent == 20
    assert [s.reference for s in summary.overdue] == ["1.3", "2.1"]
    assert [f.reference for f in summary.unanswered_findings] == ["F3"]
    text = re.sub(r"\s+", " ", response.text)
    assert "20%</span> delivered: 1 of 5 actions (not counting 1 withdrawn)" in text
    assert "Headline figures today" in text
    assert "Red actions (1)" in text
    assert "Overdue actions (2)" in text
    assert "Stale actions (2)" in text
    assert "Most slipped actions (1)" in text
    assert "Findings that no action answers (1)" in text
    assert "Actions that answer no finding (2)" in text
    assert "45 days" in text and "61 days" in text
    assert f'href="{hand_built.a12.get_absolute_url()}"' in text
    assert f'href="{hand_built.findings["F3"].get_absolute_url()}"' in text


def test_the_dashboard_as_it_stood_at_a_date(client_as_board, hand_built):
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(
            DASHBOARD, {"plan": hand_built.plan.pk, "as_at": "2026-04-01"}
        )
    assert response.status_code == 200
    assert response.context["as_at"] == datetime.date(2026, 4, 1)
    summary = response.context["summary"]
    assert summary.on == datetime.date(2026, 4, 1)
    assert summary.overdue == []
    assert summary.status_counts["in_progress"] == 2
    assert "Dashboard as at 1 April 2026" in response.text
    assert "rebuilt from its history" in response.text
    # Lists continue on the register as it stood that day.
    assert response.context["more_urls"]["overdue"] == (
        f"{reverse('improvement:as_at')}?plan={hand_built.plan.pk}&as_at=2026-04-01"
    )


def test_charts_are_inline_svg_with_words_and_tables(client_as_board, hand_built):
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(DASHBOARD)
    text = response.text
    for chart_id, title in [
        ("status-by-priority", "Delivery status by priority"),
        ("rag-by-priority", "RAG by priority"),
    ]:
        assert f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in text
        assert f'<title id="{chart_id}-title">{title}</title>' in text
        assert f'<desc id="{chart_id}-desc">1. Leadership: 3 actions' in text
    assert text.count("Show the numbers as a table") == 2
    assert "Blue (delivered)" in text
    svgs = re.findall(r"<svg.*?</svg>", text, flags=re.S)
    chart_svgs = [svg for svg in svgs if 'role="img"' in svg]
    assert len(chart_svgs) == 2
    for svg in chart_svgs:
        assert "<script" not in svg
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    rag_table = response.context["rag_chart"].table
    assert rag_table.headings == [
        "Priority",
        "Red",
        "Amber",
        "Green",
        "Blue (delivered)",
        "Not assessed",
        "Total",
    ]
    assert rag_table.rows[0]["values"] == [1, 1, 0, 1, 0]


def test_quick_picks_offer_visits_and_month_ends(client_as_board):
    plan = PlanFactory(start_date=datetime.date(2026, 1, 1))
    visit = MonitoringVisitFactory(start_date=datetime.date(2026, 3, 10))
    plan.visits.add(visit)
    MonitoringVisitFactory(  # not the plan's
        start_date=datetime.date(2026, 4, 14), end_date=datetime.date(2026, 4, 15)
    )
    ProgressUpdateFactory(
        action=ActionFactory(plan=plan, priority__plan=plan),
        update_date=datetime.date(2026, 2, 3),
    )
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(DASHBOARD)
    text = response.text
    assert f"?plan={plan.pk}&amp;as_at=2026-03-10" in text
    assert "Ofsted monitoring visit" in text and "10 March 2026" in text
    assert "as_at=2026-04-14" not in text
    assert f"?plan={plan.pk}&amp;as_at=2026-02-28" in text
    assert "End of February 2026" in text


def test_quick_picks_list_each_month_once_newest_first_and_the_inspections(
    client_as_board,
):
    plan = PlanFactory(start_date=datetime.date(2026, 1, 1))
    inspection = InspectionFactory(
        title="ILACS inspection 2026",
        start_date=datetime.date(2026, 1, 20),
        end_date=datetime.date(2026, 1, 31),
        published_date=datetime.date(2026, 3, 2),
    )
    plan.inspections.add(inspection)
    action = ActionFactory(plan=plan, priority__plan=plan)
    for day in (3, 17, 24):
        ProgressUpdateFactory(action=action, update_date=datetime.date(2026, 2, day))
    ProgressUpdateFactory(action=action, update_date=datetime.date(2026, 4, 9))
    ProgressUpdateFactory(action=action, update_date=datetime.date(2026, 6, 2))
    with travel(at(2026, 6, 15)):
        text = client_as_board.get(DASHBOARD).text
    assert text.count("End of February 2026") == 1
    # June has not ended: no pick for it.
    assert "End of June 2026" not in text
    assert text.index("End of April 2026") < text.index("End of February 2026")
    assert f"?plan={plan.pk}&amp;as_at=2026-01-20" in text
    assert "ILACS inspection 2026" in text


# Bad dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        ("nonsense", "The date must be a real date"),
        ("2026-02-30", "The date must be a real date"),
        ("2026-12-01", "Enter today’s date or a date in the past"),
        (
            "2025-12-31",
            "Enter a date on or after 1 January 2026, when the plan started",
        ),
    ],
)
def test_a_bad_date_gets_a_message_beside_the_field(
    client_as_board, hand_built, value, message
):
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(DASHBOARD, {"as_at": value})
    assert response.status_code == 200
    assert response.context["as_at"] is None
    text = response.text
    assert "There is a problem" in text
    assert f'<a href="#id_as_at_0">{message}</a>' in text
    assert 'id="id_as_at_error"' in text
    assert "<title>Error: Dashboard" in text
    # The figures of today are still shown.
    assert "Headline figures today" in text


def test_a_typed_uk_date_is_understood(client_as_board, hand_built):
    with travel(at(2026, 6, 15)):
        response = client_as_board.get(DASHBOARD, {"as_at": "1/4/2026"})
    assert response.context["as_at"] == datetime.date(2026, 4, 1)


# Cost -----------------------------------------------------------------------


def _count_queries(client, url, params):
    cache.clear()  # the page built, not the page kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _audit(plan, count):
    """``count`` audits of ``plan``, recorded before the as-at date below."""
    with travel(at(2026, 2, 1)):
        for n in range(count):
            AuditFactory(plan=plan, audit_date=datetime.date(2025, 1 + n % 12, 5))


def test_the_dashboard_costs_the_same_for_10_or_150_actions(client_as_board):
    small, large = plan_with_history(10), plan_with_history(150)
    _audit(small, 2)
    _audit(large, 40)
    costs = {}
    with travel(at(2026, 6, 15)):
        for label, extra in (("now", {}), ("as at", {"as_at": "2026-02-20"})):
            client_as_board.get(DASHBOARD, {"plan": small.pk, **extra})  # warm up
            costs[label] = [
                _count_queries(client_as_board, DASHBOARD, {"plan": plan.pk, **extra})
                for plan in (small, large)
            ]
    # Pinned, at 10 and at 150 actions: a fixed extra query fails too.
    assert costs == {"now": [14, 14], "as at": [16, 16]}
