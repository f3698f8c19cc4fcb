"""The measures pages run the same number of SQL queries however much data.

Guards against N+1 queries: each page is measured with a plan of 3 measures
of 3 values each, then with 30 measures of 24 values each, linked to
priorities, actions and findings. The count is pinned too.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.measures.models import MeasureValue
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MeasureFactory,
    MeasureTargetFactory,
    PlanFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db

#: The SQL queries each page runs, at either size.
PAGE_QUERIES = {
    "Measures": 5,
    "Measures of a plan": 6,
    "Measure page": 16,
    # Its latest changes as kept by the page just before.
    "Measure page as known on a date": 11,
    "Measure history": 12,
    "Add a measure": 9,
    "Edit measure": 15,
    "Set a target": 5,
    "Record a value": 4,
    "Correct a value": 5,
    "Upload values": 6,
    "Download values (CSV)": 8,
    "Download values (Excel)": 8,
}


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(plan, owner, measures, months):
    """Add ``measures`` measures, each with ``months`` values, a step of its
    target trajectory, and links."""
    priority = PriorityFactory(plan=plan)
    for n in range(measures):
        measure = MeasureFactory(plan=plan, owner=owner)
        measure.priorities.add(priority)
        measure.actions.add(ActionFactory(priority=priority))
        measure.findings.add(FindingFactory())
        MeasureTargetFactory(measure=measure)
        for month in range(months):
            value = MeasureValue.objects.create(
                measure=measure,
                period=datetime.date(2024 + month // 12, month % 12 + 1, 1),
                value=Decimal(15 + (n + month) % 10),
            )
            value.value += 1
            value._change_reason = "Recount"
            value.save()


def counts(client, plan, focus):
    value = focus.values.order_by("period").first()
    return {
        "Measures": queries(client, reverse("measures:measure_list")),
        "Measures of a plan": queries(
            client, f"{reverse('measures:measure_list')}?plan={plan.pk}"
        ),
        "Measure page": queries(client, focus.get_absolute_url()),
        "Measure page as known on a date": queries(
            client, f"{focus.get_absolute_url()}?as_at={datetime.date.today()}"
        ),
        "Measure history": queries(
            client, reverse("measures:measure_history", args=[focus.pk])
        ),
        "Add a measure": queries(
            client, f"{reverse('measures:measure_create')}?plan={plan.pk}"
        ),
        "Edit measure": queries(
            client, reverse("measures:measure_edit", args=[focus.pk])
        ),
        "Set a target": queries(
            client, reverse("measures:measure_target", args=[focus.pk])
        ),
        "Record a value": queries(
            client, reverse("measures:measure_record", args=[focus.pk])
        ),
        "Correct a value": queries(
            client, reverse("measures:measurevalue_correct", args=[value.pk])
        ),
        "Upload values": queries(
            client, f"{reverse('measures:measurevalue_upload')}?plan={plan.pk}"
        ),
        "Download values (CSV)": queries(
            client, f"{reverse('measures:measurevalue_export_csv')}?plan={plan.pk}"
        ),
        "Download values (Excel)": queries(
            client, f"{reverse('measures:measurevalue_export_xlsx')}?plan={plan.pk}"
        ),
    }


def test_measure_pages_do_not_grow_with_the_data(client_as_manager, officer):
    plan = PlanFactory()
    grow(plan, officer.owner, 3, 3)
    focus = plan.measures.order_by("pk").first()
    small = counts(client_as_manager, plan, focus)
    grow(plan, officer.owner, 27, 24)
    # The newest measure: 24 values, each corrected once.
    large = counts(client_as_manager, plan, plan.measures.order_by("-pk").first())
    assert small == large
    assert large == PAGE_QUERIES
