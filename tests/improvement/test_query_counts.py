"""Pages run the same number of SQL queries with 10 and with 200 actions.

Guards against N+1 queries: each page is measured with a small plan, the plan
is grown twentyfold (with findings, owners, links and progress), and the count
must not move. The count is pinned too, so one more query a page, even a fixed
one, fails here and is either fixed or written down.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    FindingFactory,
    MeasureFactory,
    MeasureValueFactory,
    OwnerFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def grow(priority, officer_owner, count):
    """Add ``count`` actions, each with an owner, a finding, a link and progress."""
    for _ in range(count):
        action = ActionFactory(priority=priority, lead_owner=OwnerFactory())
        action.supporting_owners.add(officer_owner)
        action.findings.add(FindingFactory())
        ProgressUpdateFactory(action=action)
        action.rag = "amber"
        action.save()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def plan_of(officer):
    priority = PriorityFactory()
    focus = ActionFactory(priority=priority, lead_owner=officer.owner)
    # Every kind of history row appears at both sizes; only the numbers grow.
    focus.findings.add(FindingFactory())
    focus.supporting_owners.add(OwnerFactory())
    ProgressUpdateFactory(action=focus)
    _evidence(focus)
    grow(priority, officer.owner, 9)
    return priority, focus


def _evidence(action):
    """A measure with a value that evidences ``action``."""
    measure = MeasureFactory(plan=action.plan)
    MeasureValueFactory(measure=measure)
    measure.actions.add(action)


#: The SQL queries each page runs, at either size.
ACTION_PAGE_QUERIES = {
    "Actions register": 9,
    "Actions register, filtered and sorted": 9,
    "My actions": 5,
    "Action page": 17,
    "Progress update": 5,
    "Action's findings": 7,
}


def _urls(focus):
    return {
        "Actions register": reverse("improvement:action_list"),
        "Actions register, filtered and sorted": reverse("improvement:action_list")
        + "?rag=amber&sort=-due_date",
        "My actions": reverse("improvement:my_actions"),
        "Action page": focus.get_absolute_url(),
        "Progress update": reverse("improvement:action_progress", args=[focus.pk]),
        "Action's findings": reverse("improvement:action_findings", args=[focus.pk]),
    }


def test_action_pages_do_not_grow_with_the_plan(client_as_officer, officer, plan_of):
    priority, focus = plan_of
    small = {
        page: queries(client_as_officer, url) for page, url in _urls(focus).items()
    }
    grow(priority, officer.owner, 190)
    # The focus action also gains many findings, updates and history rows.
    for _ in range(40):
        focus.findings.add(FindingFactory())
        ProgressUpdateFactory(action=focus)
    for _ in range(10):
        _evidence(focus)
    large = {
        page: queries(client_as_officer, url) for page, url in _urls(focus).items()
    }
    assert small == large == ACTION_PAGE_QUERIES
