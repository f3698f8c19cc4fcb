"""The golden thread shows each finding's latest judgement at a later visit,
and flags a finding whose actions are all delivered but whose latest visit
found no progress; without a query per finding."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings.models import FindingJudgement
from improvement.board.thread import golden_thread
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    FindingJudgementFactory,
    InspectionFactory,
    MonitoringVisitFactory,
)

pytestmark = pytest.mark.django_db

NO_PROGRESS = FindingJudgement.Progress.NO_PROGRESS
SOME_PROGRESS = FindingJudgement.Progress.SOME_PROGRESS


@pytest.fixture
def story():
    """A finding of an inspection and two later visits of it."""
    inspection = InspectionFactory()
    return {
        "finding": FindingFactory(inspection=inspection, reference="R3"),
        "first": MonitoringVisitFactory(
            inspection=inspection,
            sequence=1,
            start_date=datetime.date(2026, 3, 10),
            end_date=datetime.date(2026, 3, 11),
        ),
        "second": MonitoringVisitFactory(
            inspection=inspection,
            sequence=2,
            start_date=datetime.date(2026, 7, 7),
            end_date=datetime.date(2026, 7, 8),
        ),
    }


def _delivered_action(finding):
    action = ActionFactory(status=Action.Status.DELIVERED)
    action.findings.add(finding)
    return action


def test_the_thread_shows_the_latest_judgement_and_flags_no_progress(
    client_as_board, story
):
    finding = story["finding"]
    _delivered_action(finding)
    FindingJudgementFactory(
        finding=finding, monitoring_visit=story["first"], progress=SOME_PROGRESS
    )
    FindingJudgementFactory(
        finding=finding, monitoring_visit=story["second"], progress=NO_PROGRESS
    )
    thread = golden_thread()
    (item,) = thread.findings
    assert item.latest_judgement.progress == NO_PROGRESS
    assert item.latest_judgement.visit.pk == story["second"].pk
    assert item.delivered_without_progress
    assert thread.summary.delivered_without_progress == 1

    response = client_as_board.get(reverse("improvement:golden_thread") + "?plan=")
    assert "All its actions are delivered, but the latest visit found no progress" in (
        response.text
    )
    assert "Latest judgement:" in response.text
    assert story["second"].get_absolute_url() in response.text


@pytest.mark.parametrize(
    ("status", "progress"),
    [
        (Action.Status.IN_PROGRESS, NO_PROGRESS),
        (Action.Status.DELIVERED, SOME_PROGRESS),
    ],
)
def test_the_thread_does_not_flag_otherwise(story, status, progress):
    finding = story["finding"]
    ActionFactory(status=status).findings.add(finding)
    FindingJudgementFactory(
        finding=finding, monitoring_visit=story["first"], progress=progress
    )
    (item,) = golden_thread().findings
    assert not item.delivered_without_progress


def test_the_thread_reads_judgements_without_a_query_per_finding(story):
    def count():
        with CaptureQueriesContext(connection) as captured:
            thread = golden_thread()
            [
                item.latest_judgement and str(item.latest_judgement.visit)
                for item in thread.findings
            ]
        return len(captured)

    small = count()
    for _ in range(20):
        finding = FindingFactory(inspection=story["finding"].inspection)
        _delivered_action(finding)
        FindingJudgementFactory(
            finding=finding, monitoring_visit=story["first"], progress=NO_PROGRESS
        )
        FindingJudgementFactory(
            finding=finding, monitoring_visit=story["second"], progress=SOME_PROGRESS
        )
    assert small == count() == 3
