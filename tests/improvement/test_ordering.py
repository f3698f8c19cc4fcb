"""References sort naturally (3.2 before 3.10), in the database, everywhere.

``improvement.kernel.ordering.natural_key`` is the one definition; ``sort_key``
stores it beside each action's and finding's reference, and every list,
export and the board pack orders by it in SQL.
"""

import csv
import datetime
import importlib
import io
import random
import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from django.db.models.functions import Collate
from django.urls import reverse

from findings.models import Finding
from improvement.board.exports import ACTION_COLUMNS, FINDING_COLUMNS
from improvement.board.pack import pack_content
from improvement.board.states import current_states, findings_to_answer, states_as_at
from improvement.kernel.ordering import KEY_LENGTH, natural_key
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    PlanFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db

ACTION_HEADERS = [c.header for c in ACTION_COLUMNS]
FINDING_HEADERS = [c.header for c in FINDING_COLUMNS]

ACTION_REFERENCES = ["3.1", "3.2", "3.9", "3.10", "3.11", "3.20", "3.100"]
FINDING_REFERENCES = [
    "Findings & evaluation para 6",
    "Findings & evaluation para 10",
    "MV2-3",
    "MV2-10",
    "MV10-1",
    "PR-5",
    "PR-12",
    "R2",
    "R9",
    "R10",
]


def shuffled(items):
    items = list(items)
    random.Random(8).shuffle(items)
    return items


# ---------------------------------------------------------------------------
# The key
# ---------------------------------------------------------------------------


def test_natural_key_orders_numbers_as_numbers():
    mixed = ["1.10", "1.2", "R10", "R2", "2.1", *ACTION_REFERENCES]
    assert sorted(mixed, key=natural_key) == [
        "1.2",
        "1.10",
        "2.1",
        *ACTION_REFERENCES,
        "R2",
        "R10",
    ]
    assert sorted(shuffled(FINDING_REFERENCES), key=natural_key) == FINDING_REFERENCES


def test_natural_key_ignores_case_accents_and_punctuation():
    assert natural_key("r9") == natural_key("R9") == natural_key("R 9")
    assert natural_key("Évaluation 2") == natural_key("evaluation 2")
    assert natural_key("3.010") == natural_key("3.10")
    assert natural_key("") == natural_key(None) == ""


def test_the_key_holds_only_digits_and_lower_case_letters():
    """So SQLite, PostgreSQL's C and en_GB collations all sort it alike."""
    for reference in [*FINDING_REFERENCES, "Ofsted (ILACS) §4 — “para” 12"]:
        assert re.fullmatch(r"[0-9a-z]*", natural_key(reference)), reference


def test_a_very_long_reference_is_cut_to_the_column():
    assert len(natural_key("1." * 200)) == KEY_LENGTH


# ---------------------------------------------------------------------------
# Stored and kept up to date
# ---------------------------------------------------------------------------


def stored_key(obj):
    return type(obj).objects.values_list("sort_key", flat=True).get(pk=obj.pk)


def test_the_key_is_stored_on_create_and_on_change():
    action = ActionFactory(reference="3.10")
    assert stored_key(action) == natural_key("3.10")
    action.reference = "3.2"
    action.save()
    assert stored_key(action) == natural_key("3.2")
    finding = FindingFactory(reference="R10")
    assert stored_key(finding) == natural_key("R10")


def test_a_save_naming_only_the_reference_writes_the_key_too():
    action = ActionFactory(reference="3.10")
    action.reference = "3.9"
    action.save(update_fields=["reference"])
    assert stored_key(action) == natural_key("3.9")


def test_bulk_create_fills_the_key():
    priority = PriorityFactory()
    owner = ActionFactory(priority=priority).lead_owner
    (made,) = Action.objects.bulk_create(
        [
            Action(
                plan=priority.plan,
                priority=priority,
                reference="3.10",
                title="Made in bulk",
                lead_owner=owner,
                original_due_date=datetime.date(2026, 6, 30),
                due_date=datetime.date(2026, 6, 30),
            )
        ]
    )
    assert stored_key(made) == natural_key("3.10")


def test_the_key_is_not_history():
    action = ActionFactory(reference="3.10")
    action.reference = "3.11"
    action.save()
    history_fields = {f.name for f in Action.history.model._meta.fields}
    assert "sort_key" not in history_fields
    assert "sort_key" not in {f.name for f in Finding.history.model._meta.fields}
    assert Action.history.filter(id=action.pk).count() == 2


def test_the_migration_fills_keys_for_existing_rows():
    action = ActionFactory(reference="3.10")
    finding = FindingFactory(reference="R10")
    Action.objects.update(sort_key="")
    Finding.objects.update(sort_key="")
    for module in (
        "improvement.plan.migrations.0006_action_sort_key",
        "findings.migrations.0003_finding_sort_key",
    ):
        importlib.import_module(module).fill_sort_keys(apps, None)
    assert stored_key(action) == natural_key("3.10")
    assert stored_key(finding) == natural_key("R10")


# ---------------------------------------------------------------------------
# Sorted by the database, on every page that lists references
# ---------------------------------------------------------------------------


@pytest.fixture
def numbered():
    """One priority with actions 3.1 … 3.100 and findings R2 … made out of order.

    Each action answers every finding, so every list of either is complete.
    """
    inspection = InspectionFactory()
    plan = PlanFactory(inspections=[inspection])
    priority = PriorityFactory(plan=plan, number=3)
    actions = [
        ActionFactory(plan=plan, priority=priority, reference=reference)
        for reference in shuffled(ACTION_REFERENCES)
    ]
    findings = [
        FindingFactory(inspection=inspection, reference=reference)
        for reference in shuffled(FINDING_REFERENCES)
    ]
    for action in actions:
        action.findings.add(*findings)
    return {"plan": plan, "priority": priority, "inspection": inspection}


def test_querysets_sort_in_the_database(numbered):
    actions = Action.objects.filter(plan=numbered["plan"])
    assert [a.reference for a in actions.in_reference_order()] == ACTION_REFERENCES
    # Actions have no default order (it would join plan and priority on every
    # query, subqueries included): each list asks for the order it shows.
    assert not actions.ordered
    findings = Finding.objects.all()
    assert [f.reference for f in findings.in_reference_order()] == FINDING_REFERENCES
    assert [f.reference for f in findings] == FINDING_REFERENCES, "default ordering"
    sql = str(actions.in_reference_order().query)
    assert "sort_key" in sql.split("ORDER BY")[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own collations"
)
@pytest.mark.parametrize("collation", ["C", "en-GB-x-icu", "und-x-icu"])
def test_every_collation_sorts_the_key_alike(numbered, collation):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [collation])
        if cursor.fetchone() is None:
            pytest.skip(f"no {collation} collation here")
    findings = Finding.objects.order_by(Collate("sort_key", collation), "pk")
    assert [f.reference for f in findings] == FINDING_REFERENCES


def references_in(html, pattern):
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return [m for m in re.findall(pattern, text)]


def in_page_order(found, wanted):
    """``wanted``'s items in the order they first appear in ``found``."""
    seen = []
    for item in found:
        if item in wanted and item not in seen:
            seen.append(item)
    return seen


ACTION_PATTERN = r"\b3\.\d+\b"


def test_the_priority_page(client_as_board, numbered):
    response = client_as_board.get(numbered["priority"].get_absolute_url())
    found = references_in(response.content, ACTION_PATTERN)
    assert in_page_order(found, ACTION_REFERENCES) == ACTION_REFERENCES


def test_the_actions_register(client_as_board, numbered):
    response = client_as_board.get(reverse("improvement:action_list"))
    assert [a.reference for a in response.context["object_list"]] == (ACTION_REFERENCES)
    response = client_as_board.get(
        reverse("improvement:action_list"), {"sort": "-reference"}
    )
    assert [a.reference for a in response.context["object_list"]] == (
        ACTION_REFERENCES[::-1]
    )


def test_the_findings_register(client_as_board, numbered):
    response = client_as_board.get(reverse("findings:finding_list"))
    assert [f.reference for f in response.context["object_list"]] == (
        FINDING_REFERENCES
    )


def test_the_inspection_page(client_as_board, numbered):
    response = client_as_board.get(numbered["inspection"].get_absolute_url())
    found = references_in(response.content, r"R\d+|PR-\d+|MV\d+-\d+")
    wanted = [r for r in FINDING_REFERENCES if not r.startswith("Findings")]
    assert in_page_order(found, wanted) == wanted


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_exports(client_as_board, numbered):
    _, *rows = read_csv(client_as_board.get(reverse("improvement:action_export_csv")))
    assert [row[2] for row in rows] == ACTION_REFERENCES
    answered = rows[0][ACTION_HEADERS.index("Findings answered")]
    assert answered.split("; ") == FINDING_REFERENCES

    _, *rows = read_csv(client_as_board.get(reverse("improvement:finding_export_csv")))
    assert [row[1] for row in rows] == FINDING_REFERENCES
    answering = rows[0][FINDING_HEADERS.index("Actions answering")]
    assert answering.split("; ") == ACTION_REFERENCES


def test_the_board_pack_and_golden_thread(numbered):
    today = datetime.date(2026, 11, 23)
    pack = pack_content(
        numbered["plan"], today, today - datetime.timedelta(days=30), today
    )
    items = pack["thread"].findings
    assert [item.finding.reference for item in items] == FINDING_REFERENCES
    for item in items:
        assert [a.reference for a in item.actions] == ACTION_REFERENCES


def test_the_board_pack_page(client_as_board, numbered):
    response = client_as_board.get(
        reverse("improvement:board_pack"), {"plan": numbered["plan"].pk}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    # Every action is overdue, all due the same day: then by reference.
    overdue = soup.find("table", attrs={"aria-labelledby": "overdue"})
    found = re.findall(ACTION_PATTERN, overdue.get_text(" "))
    assert in_page_order(found, ACTION_REFERENCES) == ACTION_REFERENCES


def test_the_register_as_it_stood(numbered):
    """Rebuilt from history, sorted with the same key."""
    states = current_states(numbered["plan"])
    assert [s.reference for s in states] == ACTION_REFERENCES
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=1)
    states = states_as_at(numbered["plan"], later)
    assert [s.reference for s in states] == ACTION_REFERENCES
    findings = findings_to_answer(numbered["plan"])
    assert [f.reference for f in findings] == FINDING_REFERENCES
    findings = findings_to_answer(numbered["plan"], later)
    assert [f.reference for f in findings] == FINDING_REFERENCES
