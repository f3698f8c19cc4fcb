"""A priority's, action's and finding's pages show the measures that
evidence them, with the latest value against target, at a fixed cost."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActionFactory,
    FindingFactory,
    MeasureFactory,
    MeasureTargetFactory,
    MeasureValueFactory,
)

pytestmark = pytest.mark.django_db


def _section(response):
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find(id="measures")
    if heading is None:
        return None
    table = heading.find_next("table")
    return [
        [" ".join(cell.get_text().split()) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    ]


@pytest.fixture
def evidenced():
    action = ActionFactory()
    finding = FindingFactory()
    action.findings.add(finding)
    measure = MeasureFactory(
        plan=action.plan,
        name="Average caseload per social worker",
        target=Decimal("18"),
        amber_tolerance=Decimal("2"),
        red_tolerance=Decimal("4"),
    )
    MeasureValueFactory(
        measure=measure, period=datetime.date(2025, 10, 1), value=Decimal("23")
    )
    measure.actions.add(action)
    measure.priorities.add(action.priority)
    measure.findings.add(finding)
    return action, finding, measure


def test_each_page_shows_the_measures_that_evidence_it(client_as_board, evidenced):
    action, finding, measure = evidenced
    for record, what in (
        (action, "action"),
        (action.priority, "priority"),
        (finding, "finding"),
    ):
        response = client_as_board.get(record.get_absolute_url())
        assert f"Measures that evidence this {what}" in response.content.decode()
        assert _section(response) == [
            ["Average caseload per social worker", "23 October 2025", "18", "Red"]
        ], what
        assert measure.get_absolute_url() in response.content.decode()


def test_pages_without_measures_say_nothing_of_them(client_as_board):
    action = ActionFactory()
    for record in (action, action.priority):
        response = client_as_board.get(record.get_absolute_url())
        assert _section(response) is None
        assert "Measures that evidence" not in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_sections_cost_the_same_however_many_measures(client_as_officer, evidenced):
    action, finding, _ = evidenced
    urls = [
        action.get_absolute_url(),
        action.priority.get_absolute_url(),
        finding.get_absolute_url(),
    ]
    small = [_queries(client_as_officer, url) for url in urls]
    for _ in range(12):
        measure = MeasureFactory(plan=action.plan)
        MeasureTargetFactory(measure=measure)
        for month in range(1, 7):
            MeasureValueFactory(measure=measure, period=datetime.date(2025, month, 1))
        measure.actions.add(action)
        measure.priorities.add(action.priority)
        measure.findings.add(finding)
    large = [_queries(client_as_officer, url) for url in urls]
    assert small == large
