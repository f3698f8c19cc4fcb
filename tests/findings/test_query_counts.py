"""The findings pages run the same number of SQL queries with 10 and 200 rows.

Guards against N+1 queries: each page is measured small, the data is grown
twentyfold (findings, actions, links and history), and the count must not move.
The count is pinned too, so one more query a page, even a fixed one, fails.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PriorityFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def shared():
    """One priority, owner, inspection, visit and theme that every row reuses."""
    inspection = InspectionFactory()
    return {
        "priority": PriorityFactory(),
        "owner": OwnerFactory(),
        "inspection": inspection,
        "visit": MonitoringVisitFactory(inspection=inspection),
        "theme": ThemeFactory(),
    }


def new_action(shared):
    return ActionFactory(priority=shared["priority"], lead_owner=shared["owner"])


def grow_register(shared, count):
    """Findings from inspections and visits, most answered by one or two actions."""
    for n in range(count):
        if n % 2:
            finding = FindingFactory(inspection=shared["inspection"])
        else:
            finding = FindingFactory(inspection=None, monitoring_visit=shared["visit"])
        finding.themes.add(shared["theme"])
        if n % 3:
            for _ in range(n % 3):
                new_action(shared).findings.add(finding)


#: The SQL queries each view of the register runs, at either size.
REGISTER_QUERIES = {
    "Register": 10,
    "Unanswered, by priority": 10,
    "Strengths of a theme": 9,
}


def test_register_does_not_grow_with_the_findings(client_as_board, shared):
    register = reverse("findings:finding_list")
    urls = {
        "Register": register,
        "Unanswered, by priority": register + "?answered=unanswered&sort=priority",
        "Strengths of a theme": register + f"?theme={shared['theme'].pk}&kind=strength",
    }
    grow_register(shared, 10)
    small = {page: queries(client_as_board, url) for page, url in urls.items()}
    grow_register(shared, 190)
    large = {page: queries(client_as_board, url) for page, url in urls.items()}
    assert small == large == REGISTER_QUERIES


def grow_links(finding, shared, count):
    """Actions that answer ``finding``; some unlinked again, some edited."""
    for n in range(count):
        action = new_action(shared)
        action.findings.add(finding)
        if n % 4 == 0:
            action.findings.remove(finding)
            action.findings.add(finding)
        if n % 5 == 0:
            action.rag = "amber"
            action.save()


def test_finding_page_does_not_grow_with_its_actions_or_history(
    client_as_manager, shared
):
    finding = FindingFactory(inspection=shared["inspection"])
    finding.themes.add(shared["theme"])
    finding.title = "Renamed once, so the finding has its own history"
    finding.save()
    grow_links(finding, shared, 10)
    urls = {
        "Finding page": finding.get_absolute_url(),
        "Finding's actions": reverse("findings:finding_actions", args=[finding.pk]),
    }
    small = {page: queries(client_as_manager, url) for page, url in urls.items()}
    grow_links(finding, shared, 190)
    for _ in range(40):
        new_action(shared)  # candidates for linking
    large = {page: queries(client_as_manager, url) for page, url in urls.items()}
    # The finding page's 15: 12, and three for the judgements later visits
    # made of it (the list, and their history in the timeline).
    assert small == large == {"Finding page": 15, "Finding's actions": 7}
