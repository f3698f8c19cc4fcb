"""Every "Sort by" option of the registers does what its label says.

Ties always fall back to reference order read naturally (1.2 before 1.10),
and the order shown is the order the form says, with or without a choice.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from findings.filters import FindingFilter
from findings.models import Finding
from improvement.plan.filters import ActionFilter
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

URL = "/actions/"
d = datetime.date

# reference: (status, rag, due date, title, lead officer, last update)
ACTIONS = {
    "1.1": ("in_progress", "red", d(2026, 5, 1), "Bravo", "Zoe Smith", d(2026, 2, 1)),
    "1.2": ("not_started", "amber", d(2026, 3, 1), "alpha", "adam Jones", None),
    "1.10": (
        "in_progress",
        "green",
        d(2026, 3, 1),
        "Charlie",
        "Bea Brown",
        d(2026, 4, 1),
    ),
    "1.3": ("delivered", "green", d(2026, 1, 1), "delta", "adam Jones", d(2026, 1, 1)),
    "1.4": ("paused", "red", d(2026, 7, 1), "Echo", "Zoe Smith", None),
    "1.5": ("in_progress", "", d(2026, 2, 1), "foxtrot", "Bea Brown", d(2026, 4, 1)),
    "1.6": ("withdrawn", "amber", d(2026, 8, 1), "Golf", "Carl", d(2026, 3, 1)),
}

EXPECTED = {
    "reference": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.10"],
    "-reference": ["1.10", "1.6", "1.5", "1.4", "1.3", "1.2", "1.1"],
    # 1.2 and 1.10 are due the same day: reference order between them.
    "due_date": ["1.3", "1.5", "1.2", "1.10", "1.1", "1.4", "1.6"],
    "-due_date": ["1.6", "1.4", "1.1", "1.2", "1.10", "1.5", "1.3"],
    # Red, Amber, Green, Blue (delivered); then not assessed, then withdrawn.
    "rag": ["1.1", "1.4", "1.2", "1.10", "1.3", "1.5", "1.6"],
    "-rag": ["1.3", "1.10", "1.2", "1.1", "1.4", "1.5", "1.6"],
    # Not started, in progress, delivered, paused, withdrawn.
    "status": ["1.2", "1.1", "1.5", "1.10", "1.3", "1.4", "1.6"],
    "-status": ["1.6", "1.4", "1.3", "1.1", "1.5", "1.10", "1.2"],
    # Never updated first; then oldest update first.
    "last_update": ["1.2", "1.4", "1.3", "1.1", "1.6", "1.5", "1.10"],
    "-last_update": ["1.5", "1.10", "1.6", "1.1", "1.3", "1.2", "1.4"],
    # Alphabetical whatever the case of the first letter.
    "title": ["1.2", "1.1", "1.10", "1.3", "1.4", "1.5", "1.6"],
    "-title": ["1.6", "1.5", "1.4", "1.3", "1.10", "1.1", "1.2"],
    "lead_owner": ["1.2", "1.3", "1.5", "1.10", "1.6", "1.1", "1.4"],
    "-lead_owner": ["1.1", "1.4", "1.6", "1.5", "1.10", "1.2", "1.3"],
}


@pytest.fixture
def register():
    priority = PriorityFactory(plan=PlanFactory(), number=1)
    owners = {}
    for reference, (status, rag, due, title, lead, updated) in ACTIONS.items():
        if lead not in owners:
            owners[lead] = OwnerFactory(name=lead)
        action = ActionFactory(
            plan=priority.plan,
            priority=priority,
            reference=reference,
            status=status,
            status_reason="Agreed at the board"
            if status in ("paused", "withdrawn")
            else "",
            rag=rag,
            title=title,
            lead_owner=owners[lead],
            start_date=d(2025, 12, 1),
            original_due_date=due,
            due_date=due,
        )
        if updated:
            ProgressUpdateFactory(
                action=action, update_date=updated, rag=rag or "green"
            )
    return priority.plan


def listed(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return [a.reference for a in response.context["object_list"]]


def test_every_option_is_tested():
    assert set(ActionFilter.base_filters["sort"].options) == set(EXPECTED)


@pytest.mark.parametrize("sort", EXPECTED)
def test_each_sort_option_gives_its_order(client_as_board, register, sort):
    assert listed(client_as_board, sort=sort) == EXPECTED[sort]


@pytest.mark.parametrize("sort", EXPECTED)
def test_the_download_keeps_the_sort(client_as_board, register, sort):
    response = client_as_board.get(
        reverse("improvement:action_export_csv"), {"sort": sort}
    )
    lines = response.content.decode("utf-8-sig").splitlines()[1:]
    assert [line.split(",")[2] for line in lines] == EXPECTED[sort]


def selected_sort(response):
    soup = BeautifulSoup(response.content, "html.parser")
    select = soup.find("select", attrs={"name": "sort"})
    chosen = select.find("option", selected=True) or select.find("option")
    return chosen["value"], chosen.get_text(strip=True)


@pytest.mark.parametrize("query", [{}, {"rag": "red"}, {"sort": "nonsense"}])
def test_with_no_valid_choice_the_list_follows_the_option_shown(
    client_as_board, register, query
):
    response = client_as_board.get(URL, query)
    value, label = selected_sort(response)
    assert (value, label) == ("reference", "Reference")
    shown = [a.reference for a in response.context["object_list"]]
    assert shown == [r for r in EXPECTED["reference"] if r in shown]


def test_the_option_chosen_is_shown_selected(client_as_board, register):
    response = client_as_board.get(URL, {"sort": "due_date"})
    assert selected_sort(response) == ("due_date", "Due date (soonest first)")


def test_the_labels_say_which_way_round():
    labels = dict(ActionFilter.base_filters["sort"].extra["choices"])
    assert labels["rag"] == "RAG (red first)"
    assert labels["-rag"] == "RAG (blue first)"
    assert labels["due_date"] == "Due date (soonest first)"


def test_pages_never_overlap_when_many_rows_tie(client_as_board):
    priority = PriorityFactory()
    for number in range(1, 31):
        ActionFactory(
            plan=priority.plan,
            priority=priority,
            reference=f"1.{number}",
            original_due_date=d(2026, 6, 30),
        )
    first = listed(client_as_board, sort="due_date")
    second = listed(client_as_board, sort="due_date", page=2)
    assert first + second == [f"1.{n}" for n in range(1, 31)]


# ---------------------------------------------------------------------------
# The findings register
# ---------------------------------------------------------------------------

FINDINGS = {
    # reference: (kind, priority, title)
    "R1": (Finding.Kind.STRENGTH, Finding.Priority.LOW, "delta"),
    "R2": (Finding.Kind.RECOMMENDATION, Finding.Priority.MEDIUM, "Alpha"),
    "R10": (Finding.Kind.AREA_FOR_IMPROVEMENT, Finding.Priority.HIGH, "bravo"),
    "R3": (Finding.Kind.RECOMMENDATION, Finding.Priority.HIGH, "Charlie"),
}

FINDING_EXPECTED = {
    "reference": ["R1", "R2", "R3", "R10"],
    "-reference": ["R10", "R3", "R2", "R1"],
    "priority": ["R3", "R10", "R2", "R1"],
    "-priority": ["R1", "R2", "R3", "R10"],
    "kind": ["R2", "R3", "R10", "R1"],
    "-kind": ["R1", "R10", "R2", "R3"],
    "title": ["R2", "R10", "R3", "R1"],
    "-title": ["R1", "R3", "R10", "R2"],
}


@pytest.mark.parametrize("sort", FINDING_EXPECTED)
def test_each_findings_sort_option_gives_its_order(client_as_board, sort):
    for reference, (kind, priority, title) in FINDINGS.items():
        FindingFactory(reference=reference, kind=kind, priority=priority, title=title)
    response = client_as_board.get(reverse("findings:finding_list"), {"sort": sort})
    shown = [f.reference for f in response.context["object_list"]]
    assert shown == FINDING_EXPECTED[sort]


def test_every_findings_option_is_tested():
    assert set(FindingFilter.base_filters["sort"].options) == set(FINDING_EXPECTED)
