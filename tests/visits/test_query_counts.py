"""Inspection and visit pages run the same number of SQL queries at 10 and 200 rows.

Guards against N+1 queries: each page is measured small, the data is grown
twentyfold (inspections, visits, judgements, findings and history), and the
count must not move. The count is pinned too, so one more query a page, even a
fixed one, fails.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MonitoringVisitFactory,
)
from visits.models import Grade, MonitoringVisit

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_register(count):
    for n in range(count):
        inspection = InspectionFactory()
        visit = MonitoringVisitFactory(inspection=inspection if n % 2 else None)
        FindingFactory(inspection=inspection)
        FindingFactory(inspection=None, monitoring_visit=visit)


def test_register_does_not_grow_with_inspections_and_visits(client_as_board):
    url = reverse("visits:inspection_list")
    grow_register(10)
    small = queries(client_as_board, url)
    grow_register(190)
    assert (small, queries(client_as_board, url)) == (5, 5)


def grow_inspection(inspection, action, count):
    """Judgements (some regraded), visits and findings (some answered)."""
    for n in range(count):
        judgement = JudgementFactory(inspection=inspection)
        if n % 3 == 0:
            judgement.grade = Grade.GOOD
            judgement.save()
        MonitoringVisitFactory(inspection=inspection)
        finding = FindingFactory(inspection=inspection)
        if n % 2:
            action.findings.add(finding)


def test_inspection_page_does_not_grow(client_as_board):
    inspection = InspectionFactory()
    action = ActionFactory()
    inspection.summary = "Changed once, so the inspection has its own history"
    inspection.save()
    grow_inspection(inspection, action, 10)
    url = inspection.get_absolute_url()
    small = queries(client_as_board, url)
    grow_inspection(inspection, action, 190)
    assert (small, queries(client_as_board, url)) == (12, 12)


def test_inspection_edit_page_does_not_grow(client_as_manager):
    inspection = InspectionFactory()
    for _ in range(10):
        JudgementFactory(inspection=inspection)
    url = reverse("visits:inspection_edit", args=[inspection.pk])
    small = queries(client_as_manager, url)
    for _ in range(40):
        JudgementFactory(inspection=inspection)
        InspectionFactory()
    assert (small, queries(client_as_manager, url)) == (5, 5)


def grow_visit(visit, action, count):
    for n in range(count):
        finding = FindingFactory(inspection=None, monitoring_visit=visit)
        if n % 2:
            action.findings.add(finding)
        if n % 5 == 0:
            visit.summary = f"Summary {n}"
            visit.save()


def test_visit_page_does_not_grow(client_as_board):
    visit = MonitoringVisitFactory()
    action = ActionFactory()
    grow_visit(visit, action, 10)
    url = visit.get_absolute_url()
    small = queries(client_as_board, url)
    grow_visit(visit, action, 190)
    assert MonitoringVisit.objects.get(pk=visit.pk).findings.count() == 200
    assert (small, queries(client_as_board, url)) == (8, 8)
