"""Measures as they were known on a date: what a board could have seen then.

The story: a caseload measure defined on 1 October (target 18), its value for
September recorded on 5 October (21), corrected on 20 November (19, a late
return), its value for October recorded only on 10 December (17), and a
target of 16 from October set on 12 December. A second measure is defined
only on 1 December.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from improvement.kernel.dates import end_of_day
from improvement.kernel.history import acting_as
from improvement.measures.known import measure_known, measures_known
from improvement.measures.models import MeasureTarget, MeasureValue, Rag
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MeasureFactory,
    PlanFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db

OCT = datetime.date(2025, 10, 1)
SEP = datetime.date(2025, 9, 1)


def _at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
        tick=False,
    )


@pytest.fixture
def story(manager):
    with acting_as(manager):
        with _at(datetime.date(2025, 9, 1)):
            plan = PlanFactory(start_date=datetime.date(2025, 9, 1))
        with _at(datetime.date(2025, 10, 1)):
            caseload = MeasureFactory(plan=plan, name="Average caseload")
        with _at(datetime.date(2025, 10, 5)):
            september = MeasureValue.objects.create(
                measure=caseload, period=SEP, value=Decimal("21")
            )
        with _at(datetime.date(2025, 11, 20)):
            september.value = Decimal("19")
            september._change_reason = "Late return from one team"
            september.save()
        with _at(datetime.date(2025, 12, 1)):
            later = MeasureFactory(plan=plan, name="Agency social workers")
        with _at(datetime.date(2025, 12, 10)):
            MeasureValue.objects.create(
                measure=caseload, period=OCT, value=Decimal("17")
            )
        with _at(datetime.date(2025, 12, 12)):
            MeasureTarget.objects.create(
                measure=caseload, from_period=OCT, target=Decimal("16")
            )
    return {"plan": plan, "caseload": caseload, "later": later}


def _known(story, day):
    return measures_known(story["plan"], end_of_day(day))


def test_a_value_recorded_later_for_an_earlier_month_was_not_known(story):
    [caseload] = _known(story, datetime.date(2025, 11, 30))
    # October's value was recorded in December: November knew September's.
    assert caseload.latest_period == SEP
    assert caseload.latest_value == Decimal("19")


def test_a_corrected_value_is_known_as_it_stood(story):
    [caseload] = _known(story, datetime.date(2025, 10, 31))
    assert caseload.latest_value == Decimal("21")
    # 21 against 18, lower is better, red beyond 4 short: Amber.
    assert caseload.latest_rag == Rag.AMBER


def test_a_measure_defined_later_is_not_known(story):
    assert [m.name for m in _known(story, datetime.date(2025, 11, 30))] == [
        "Average caseload"
    ]
    assert {m.name for m in _known(story, datetime.date(2025, 12, 1))} == {
        "Average caseload",
        "Agency social workers",
    }


def test_a_target_set_later_is_not_applied_before_it_was_set(story):
    [caseload, *_] = _known(story, datetime.date(2025, 12, 10))
    assert caseload.latest_value == Decimal("17")
    assert caseload.latest_target_text == "18"
    assert caseload.latest_rag == Rag.GREEN
    now = {m.name: m for m in measures_known(story["plan"])}
    assert now["Average caseload"].latest_target_text == "16"


def test_now_and_at_the_latest_moment_agree(story):
    def seen(measures):
        return [
            (m.name, m.latest_period, m.latest_value, m.latest_rag) for m in measures
        ]

    assert seen(_known(story, datetime.date(2026, 1, 1))) == seen(
        measures_known(story["plan"])
    )


def test_measures_come_off_target_first(story):
    with _at(datetime.date(2025, 12, 15)):
        MeasureValue.objects.create(
            measure=story["later"], period=OCT, value=Decimal("40")
        )
    # Agency: 40 against 18 is Red; caseload 17 against 16 is Green.
    names = [m.name for m in measures_known(story["plan"])]
    assert names == ["Agency social workers", "Average caseload"]


def test_one_measure_as_known_then(story):
    then, values = measure_known(
        story["caseload"], end_of_day(datetime.date(2025, 11, 1))
    )
    assert then.target == Decimal("18")
    assert [(v.period, v.value) for v in values] == [(SEP, Decimal("21"))]
    assert measure_known(story["later"], end_of_day(datetime.date(2025, 11, 1))) == (
        None,
        [],
    )


# The measure's page as known on a date ---------------------------------------


def _page(client, measure, **query):
    url = reverse("measures:measure_detail", args=[measure.pk])
    with _at(datetime.date(2026, 1, 5)):
        return client.get(url, query)


def test_the_page_as_known_on_a_date_shows_only_what_was_known(client_as_board, story):
    response = _page(client_as_board, story["caseload"], as_at="2025-11-30")
    assert response.status_code == 200
    text = response.text
    assert "as it was known at the end of 30 November 2025" in text
    assert "<strong>19</strong> for September 2025" in text
    assert "October 2025" not in text.split('id="evidences"')[0].split('id="chart"')[1]
    assert response.context["values"][-1].period == SEP


def test_the_page_today_shows_every_value(client_as_board, story):
    response = _page(client_as_board, story["caseload"])
    assert "<strong>17</strong> for October 2025" in response.text
    assert "govuk-inset-text" not in response.text


def test_the_page_says_when_a_measure_was_not_yet_defined(client_as_board, story):
    response = _page(client_as_board, story["later"], as_at="2025-11-01")
    assert response.status_code == 200
    assert "This measure had not been defined by the end of 1 November 2025" in (
        response.text
    )


def test_the_page_as_known_on_a_date_offers_no_changes(client_as_manager, story):
    response = _page(client_as_manager, story["caseload"], as_at="2025-11-30")
    assert "Record a value" not in response.text
    assert "Edit measure" not in response.text
    assert reverse("measures:measure_edit", args=[story["caseload"].pk]) not in (
        response.text
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ({"as_at": "2026-02-01"}, "Enter today’s date or a date in the past"),
        (
            {"as_at_0": "31", "as_at_1": "2", "as_at_2": "2025"},
            "must be a real date",
        ),
        ({"as_at": "99999-01-01"}, "must be a real date"),
    ],
)
def test_a_bad_date_is_named_beside_the_field_and_today_is_shown(
    client_as_board, story, query, message
):
    response = _page(client_as_board, story["caseload"], **query)
    assert response.status_code == 200
    assert message in response.text
    assert "govuk-error-message" in response.text
    assert "<strong>17</strong> for October 2025" in response.text


def test_the_page_as_known_on_a_date_lists_what_the_measure_evidenced_then(
    client_as_board, manager
):
    """Links made or removed after the date are not shown as they are now."""
    with acting_as(manager):
        with _at(datetime.date(2025, 10, 1)):
            plan = PlanFactory(start_date=datetime.date(2025, 9, 1))
            first, later = PriorityFactory(plan=plan), PriorityFactory(plan=plan)
            supervision = ActionFactory(priority=first, title="Audit supervision")
            caseloads = ActionFactory(priority=later, title="Cut caseloads")
            finding = FindingFactory(title="Supervision is not regular")
            measure = MeasureFactory(plan=plan, name="Supervision in time")
            measure.actions.add(supervision)
            measure.priorities.add(first)
            measure.findings.add(finding)
        with _at(datetime.date(2025, 12, 1)):
            measure.actions.remove(supervision)
            measure.actions.add(caseloads)
            measure.priorities.set([later])
            measure.findings.clear()

    then = _page(client_as_board, measure, as_at="2025-11-30")
    assert list(then.context["actions"]) == [supervision]
    assert list(then.context["priorities"]) == [first]
    assert list(then.context["findings"]) == [finding]
    evidenced = then.text.split('id="evidences"')[1].split("History of the measure")[0]
    assert "as linked at the end of 30 November 2025" in evidenced
    assert "Audit supervision" in evidenced
    assert "Cut caseloads" not in evidenced

    now = _page(client_as_board, measure)
    assert list(now.context["actions"]) == [caseloads]
    assert list(now.context["priorities"]) == [later]
    assert list(now.context["findings"]) == []

    before = _page(client_as_board, measure, as_at="2025-09-30")
    assert "This measure had not been defined" in before.text
    assert not any(before.context[name] for name in ("actions", "findings"))
    assert "was not linked to any priority, action or finding at the end of" in (
        before.text
    )
