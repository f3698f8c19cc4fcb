"""An action has no RAG until someone assesses it, and a withdrawn one has none.

"Not assessed" is counted on its own everywhere the board looks (dashboard,
trend, charts, board pack, exports, the register's filter), so work nobody
has assessed never counts as on track. The RAG shown is one rule,
``Action.shown_rag``: Blue when delivered, nothing when withdrawn.
"""

import csv
import datetime
import io
import itertools
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from improvement.board import charts, figures, states
from improvement.plan.models import Action, ProgressUpdate
from tests.factories import (
    ActionFactory,
    FindingFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

STATUSES = Action.Status.values
RAGS = Action.Rag.values


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _words(html):
    """What the page says, tags left out."""
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", text)


# The rule -------------------------------------------------------------------


def test_a_new_action_is_not_assessed():
    action = ActionFactory()
    assert action.rag == ""
    assert action.get_rag_display() == "Not assessed"
    assert (action.display_rag, action.display_rag_label) == (
        "not_assessed",
        "Not assessed",
    )


@pytest.mark.parametrize(
    ("status", "rag", "shown", "label"),
    [
        ("in_progress", "", "not_assessed", "Not assessed"),
        ("not_started", "red", "red", "Red"),
        ("paused", "amber", "amber", "Amber"),
        ("in_progress", "green", "green", "Green"),
        ("delivered", "amber", "blue", "Blue"),
        ("delivered", "", "blue", "Blue"),
        ("withdrawn", "amber", "", "None: withdrawn actions have no RAG"),
        ("withdrawn", "", "", "None: withdrawn actions have no RAG"),
    ],
)
def test_the_rag_shown(status, rag, shown, label):
    assert Action.rag_tag(status, rag) == (shown, label)


def test_the_database_expression_agrees_with_the_rule():
    """Filters and sorting use the expression; it must match ``shown_rag``."""
    priority = PriorityFactory()
    for status, rag in itertools.product(STATUSES, RAGS):
        ActionFactory(
            priority=priority,
            status=status,
            rag=rag,
            status_reason="Because" if status in ("paused", "withdrawn") else "",
        )
    shown = dict(
        Action.objects.annotate(shown=Action.shown_rag_expression()).values_list(
            "pk", "shown"
        )
    )
    for action in Action.objects.all():
        assert shown[action.pk] == Action.shown_rag(action.status, action.rag)


def test_a_progress_update_reports_the_rag_as_shown():
    update = ProgressUpdateFactory(rag="")
    assert update.display_rag_label == "Not assessed"
    withdrawn = ProgressUpdateFactory(status="withdrawn", rag="amber")
    assert withdrawn.display_rag == ""


def test_the_migration_keeps_every_rag_and_its_history(transactional_db):
    """Existing actions keep the RAG they had (Green stays Green), history too."""
    executor = MigrationExecutor(connection)
    before = [("improvement", "0004_plan_sources")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    owner = old.get_model("improvement", "Owner").objects.create(name="Head")
    plan = old.get_model("improvement", "Plan").objects.create(
        name="Plan", start_date=datetime.date(2026, 1, 1)
    )
    priority = old.get_model("improvement", "Priority").objects.create(
        plan=plan, number=1, title="Practice"
    )
    action_model = old.get_model("improvement", "Action")
    fields = {
        "plan": plan,
        "priority": priority,
        "lead_owner": owner,
        "original_due_date": datetime.date(2026, 6, 30),
        "due_date": datetime.date(2026, 6, 30),
    }
    started_green = action_model.objects.create(reference="1.1", title="A", **fields)
    red = action_model.objects.create(reference="1.2", title="B", rag="red", **fields)
    history = old.get_model("improvement", "HistoricalAction")
    history.objects.create(
        id=started_green.pk,
        history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        history_type="+",
        reference="1.1",
        title="A",
        rag="green",
        plan_id=plan.pk,
        priority_id=priority.pk,
        lead_owner_id=owner.pk,
        original_due_date=fields["due_date"],
        due_date=fields["due_date"],
        status="not_started",
        impact="not_assessed",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(Action.objects.values_list("reference", "rag")) == {
        "1.1": "green",
        "1.2": "red",
    }
    assert list(Action.history.values_list("rag", flat=True)) == ["green"]
    assert red.pk in Action.objects.values_list("pk", flat=True)


# Counted on its own ---------------------------------------------------------


@pytest.fixture
def plan():
    """One action of each kind: assessed, not assessed, delivered, withdrawn."""
    plan = PlanFactory()
    priority = PriorityFactory(plan=plan, number=1, title="Practice")
    make = ActionFactory
    make(plan=plan, priority=priority, reference="1.1", rag="green", title="Green")
    make(plan=plan, priority=priority, reference="1.2", title="Unassessed")
    make(plan=plan, priority=priority, reference="1.3", title="Also unassessed")
    make(
        plan=plan,
        priority=priority,
        reference="1.4",
        title="Done",
        status="delivered",
        rag="green",
    )
    make(
        plan=plan,
        priority=priority,
        reference="1.5",
        title="Dropped",
        status="withdrawn",
        status_reason="Merged into 1.1",
        rag="amber",
    )
    return plan


def test_figures_count_not_assessed_on_its_own(plan):
    summary = figures.summarise(states.current_states(plan))
    assert summary.rag_counts == {
        "red": 0,
        "amber": 0,
        "green": 1,
        "blue": 1,
        "not_assessed": 2,
    }
    assert [t.label for t in summary.rags] == [
        "Red",
        "Amber",
        "Green",
        "Blue",
        "Not assessed",
    ]


def test_the_trend_counts_not_assessed_on_its_own(plan):
    point = figures.trend(plan)[-1]
    assert point.rag_counts["not_assessed"] == 2
    assert point.rag_counts["green"] == 1
    assert sum(point.rag_counts.values()) == 4, "withdrawn has no RAG"


def test_the_rag_chart_has_a_not_assessed_series(plan):
    priorities = figures.by_priority(states.current_states(plan))
    chart = charts.rag_by_priority_chart(priorities)
    assert [s.key for s in chart.series][-1] == "not_assessed"
    assert chart.table.rows[0]["values"] == [0, 0, 1, 1, 2]


def test_the_dashboard_shows_not_assessed(client_as_board, plan):
    response = client_as_board.get(reverse("improvement:dashboard"), {"plan": plan.pk})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find("h3", string="Actions by RAG")
    counts = _words(str(heading.find_next("dl")))
    assert "Green 1 Blue 1 Not assessed 2" in counts


def test_the_register_filters_by_the_rag_shown(client_as_board, plan):
    url = reverse("improvement:action_list")

    def listed(query):
        response = client_as_board.get(f"{url}?plan={plan.pk}&{query}")
        return sorted(a.reference for a in response.context["object_list"])

    assert listed("rag=not_assessed") == ["1.2", "1.3"]
    assert listed("rag=green") == ["1.1"], "the delivered one shows Blue"
    assert listed("rag=blue") == ["1.4"]
    assert listed("rag=amber") == [], "withdrawn has no RAG"


def test_the_register_shows_no_rag_for_a_withdrawn_action(client_as_board, plan):
    response = client_as_board.get(reverse("improvement:action_list"))
    text = _text(response)
    row = re.search(r"1\.5: Dropped.*?</tr>", text).group(0)
    assert "Amber" not in row
    assert "None: withdrawn actions have no RAG" in row
    row = re.search(r"1\.2: Unassessed.*?</tr>", text).group(0)
    assert "Not assessed" in row


def test_the_golden_thread_shows_no_rag_for_a_withdrawn_action(client_as_board, plan):
    finding = FindingFactory(reference="R1")
    plan.inspections.add(finding.inspection)
    for action in plan.actions.all():
        action.findings.add(finding)
    response = client_as_board.get(
        reverse("improvement:golden_thread"), {"plan": plan.pk}
    )
    text = _text(response)
    row = re.search(r"1\.5.*?</tr>", text[text.index("R1") :]).group(0)
    assert "Amber" not in row


def test_the_export_gives_the_rag_shown(client_as_board, plan):
    response = client_as_board.get(
        reverse("improvement:action_export_csv"), {"plan": plan.pk}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["Reference"]: row["RAG"] for row in rows} == {
        "1.1": "Green",
        "1.2": "Not assessed",
        "1.3": "Not assessed",
        "1.4": "Blue",
        "1.5": "",
    }


# Assessing it ---------------------------------------------------------------


def _update(client, action, **changes):
    data = {
        "version": action.version,
        "narrative": "",
        "evidence_url": "",
        "status": action.status,
        "status_reason": action.status_reason,
        "rag": action.rag,
        "impact": action.impact,
        "impact_evidence": action.impact_evidence,
        "due_date_0": action.due_date.day,
        "due_date_1": action.due_date.month,
        "due_date_2": action.due_date.year,
        "due_date_reason": "",
        **changes,
    }
    url = reverse("improvement:action_progress", args=[action.pk])
    return client.post(url, data)


def test_an_update_may_leave_the_rag_not_assessed(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    response = _update(client_as_officer, action, narrative="Work has started")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.rag == ""
    update = ProgressUpdate.objects.get(action=action)
    assert update.rag == ""
    assert update.display_rag_label == "Not assessed"


def test_once_assessed_a_rag_is_needed(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner, rag="green")
    response = _update(client_as_officer, action, rag="", narrative="x")
    assert response.status_code == 200
    assert "Select the RAG" in response.content.decode()
    action.refresh_from_db()
    assert action.rag == "green"


def test_the_timeline_names_not_assessed(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    assert _update(client_as_officer, action, rag="amber").status_code == 302
    response = client_as_officer.get(action.get_absolute_url())
    words = _words(response.content)
    assert re.search(r"RAG: Not assessed → changed to Amber", words)
