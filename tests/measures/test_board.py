"""The board sees the measures furthest off target first, on the dashboard and
in the board pack (page and PDF), as they were known on the date it asks for.

The story: a plan started on 1 September 2025 with two measures. Agency
social workers (target 20, lower is better) is Red in October at 30.
Caseload (target 18) is Green at 18 for September, recorded on 5 October;
its October value of 26 (Red) was recorded only on 10 December.
"""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.kernel.history import acting_as
from improvement.measures.models import MeasureValue
from tests.factories import (
    MeasureFactory,
    MeasureTargetFactory,
    PlanFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db

SEP = datetime.date(2025, 9, 1)
OCT = datetime.date(2025, 10, 1)
TODAY = datetime.date(2026, 1, 5)


def _at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
        tick=False,
    )


@pytest.fixture
def plan(manager):
    with acting_as(manager), _at(datetime.date(2025, 9, 1)):
        plan = PlanFactory(start_date=SEP, name="Children's services plan")
        PriorityFactory(plan=plan)
        caseload = MeasureFactory(plan=plan, name="Average caseload")
        agency = MeasureFactory(
            plan=plan, name="Agency social workers", target=Decimal("20")
        )
    with acting_as(manager):
        with _at(datetime.date(2025, 10, 5)):
            MeasureValue.objects.create(measure=caseload, period=SEP, value=18)
            MeasureValue.objects.create(measure=agency, period=OCT, value=30)
        with _at(datetime.date(2025, 12, 10)):
            MeasureValue.objects.create(measure=caseload, period=OCT, value=26)
    return plan


def _get(client, name, **query):
    with _at(TODAY):
        return client.get(reverse(name), query)


def _section(text, heading_id):
    """The page from a heading to the next top-level heading."""
    start = text.index(f'id="{heading_id}"')
    end = text.find('class="govuk-heading-l"', start)
    return text[start : end if end > 0 else None]


def _order(text, *names):
    return sorted(names, key=text.index)


def test_the_dashboard_lists_measures_off_target_first(client_as_board, plan):
    response = _get(client_as_board, "improvement:dashboard", plan=plan.pk)
    assert response.status_code == 200
    section = _section(response.text, "measures")
    # Both Red today: 26 against 18 and 30 against 20; then by name.
    assert _order(section, "Average caseload", "Agency social workers") == [
        "Agency social workers",
        "Average caseload",
    ]
    assert "26" in section
    assert "October 2025" in section


def test_the_dashboard_as_at_a_date_shows_what_was_known(client_as_board, plan):
    response = _get(
        client_as_board, "improvement:dashboard", plan=plan.pk, as_at="2025-11-30"
    )
    section = _section(response.text, "measures")
    # On 30 November caseload's latest known value was September's 18: Green,
    # so the Red agency measure comes first and caseload's 26 is unknown.
    assert _order(section, "Average caseload", "Agency social workers") == [
        "Agency social workers",
        "Average caseload",
    ]
    assert "September 2025" in section
    assert ">26<" not in section and "26 " not in section
    assert "?as_at=2025-11-30" in section


def test_the_dashboard_links_to_every_measure_when_there_are_many(
    client_as_board, plan
):
    with _at(datetime.date(2025, 9, 2)):
        for n in range(10):
            MeasureFactory(plan=plan, name=f"Measure {n:02}")
    response = _get(client_as_board, "improvement:dashboard", plan=plan.pk)
    section = _section(response.text, "measures")
    assert "See all 12 measures" in section
    assert section.count('class="govuk-table__row"') == 11  # heading + 10


def test_the_board_pack_page_has_the_measures_off_target_first(client_as_board, plan):
    response = _get(client_as_board, "improvement:board_pack", plan=plan.pk)
    section = _section(response.text, "pack-measures")
    assert "Measures of impact" in section
    assert "26" in section


def test_a_board_pack_for_a_past_date_shows_what_was_known_then(client_as_board, plan):
    response = _get(
        client_as_board,
        "improvement:board_pack",
        plan=plan.pk,
        as_at="2025-11-30",
        since="2025-11-01",
    )
    section = _section(response.text, "pack-measures")
    assert "Values recorded or corrected after that day are not shown" in section
    assert "September 2025" in section
    assert "October 2025" in section  # the agency value, recorded in October
    # Its value as known then, not the correction made later (a record's id
    # in a link may hold the same digits, so the value's cell is matched).
    assert '<td class="govuk-table__cell">30 <span' in section
    assert '<td class="govuk-table__cell">26 <span' not in section


def test_the_board_pack_pdf_has_the_measures_off_target_first(client_as_board, plan):
    with _at(TODAY):
        response = client_as_board.get(
            reverse("improvement:board_pack_pdf"),
            {"plan": plan.pk, "as_at": "2025-11-30", "since": "2025-11-01"},
        )
        content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    measures = text[text.index("Measures of impact") :]
    assert _order(measures, "Average caseload", "Agency social workers") == [
        "Agency social workers",
        "Average caseload",
    ]
    assert "September 2025" in measures


# Cost -----------------------------------------------------------------------


def _grow(plan, measures, months):
    """``measures`` more measures of ``months`` values, each corrected once."""
    with _at(datetime.date(2025, 9, 2)):
        for n in range(measures):
            measure = MeasureFactory(plan=plan)
            MeasureTargetFactory(measure=measure, from_period=OCT)
            for month in range(months):
                value = MeasureValue.objects.create(
                    measure=measure,
                    period=datetime.date(2024 + month // 12, month % 12 + 1, 1),
                    value=15 + (n + month) % 10,
                )
                value.value += 1
                value._change_reason = "Recount"
                value.save()


def _costs(client, plan):
    pages = {
        "dashboard": ("improvement:dashboard", {}),
        "dashboard as at": ("improvement:dashboard", {"as_at": "2025-11-30"}),
        "board pack": ("improvement:board_pack", {}),
        "board pack as at": (
            "improvement:board_pack",
            {"as_at": "2025-11-30", "since": "2025-11-01"},
        ),
    }
    costs = {}
    for label, (name, query) in pages.items():
        cache.clear()  # the page built, not the page kept
        with _at(TODAY), CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), {"plan": plan.pk, **query})
        assert response.status_code == 200
        costs[label] = len(captured)
    return costs


def test_the_measures_cost_the_board_the_same_however_many(client_as_board, plan):
    _get(client_as_board, "improvement:dashboard", plan=plan.pk)  # warm up
    small = _costs(client_as_board, plan)
    _grow(plan, 20, 12)
    assert _costs(client_as_board, plan) == small


# What changed ---------------------------------------------------------------


def _changes(plan, since, until):
    from improvement.board.periods import day_window
    from improvement.board.what_changed import changes_between

    return changes_between(plan, *day_window(since, until))


def test_what_changed_lists_values_recorded_and_corrected(plan, manager, officer):
    caseload = plan.measures.get(name="Average caseload")
    with acting_as(officer), _at(datetime.date(2025, 12, 20)):
        october = caseload.values.get(period=OCT)
        october.value = Decimal("24")
        october._change_reason = "Two teams' returns were counted twice"
        october.save()
        october.note = "Checked against the workforce report"
        october._change_reason = ""
        october.save()  # a note alone is not a correction
    report = _changes(plan, datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    assert [
        (i.kind_label, i.title, i.period, i.old, i.new, i.reason, i.who)
        for i in report.measure_values
    ] == [
        (
            "Measure value recorded",
            "Average caseload",
            "October 2025",
            "",
            "26",
            "",
            manager.get_full_name(),
        ),
        (
            "Measure value corrected",
            "Average caseload",
            "October 2025",
            "26",
            "24",
            "Two teams' returns were counted twice",
            officer.get_full_name(),
        ),
    ]
    # November saw none of it.
    november = _changes(plan, datetime.date(2025, 11, 1), datetime.date(2025, 11, 30))
    assert november.measure_values == []


def test_what_changed_lists_findings_judged_again_at_a_visit(manager):
    from tests.factories import (
        FindingFactory,
        FindingJudgementFactory,
        InspectionFactory,
    )

    inspection = InspectionFactory()
    plan = PlanFactory(start_date=SEP, inspections=[inspection])
    ours = FindingFactory(inspection=inspection, reference="R4")
    with acting_as(manager), _at(datetime.date(2026, 3, 20)):
        FindingJudgementFactory(finding=ours)
        FindingJudgementFactory()  # another inspection's finding
    report = _changes(plan, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    [item] = report.findings_judged
    assert item.reference == "R4"
    assert item.new == "Improved but not yet embedded"
    assert item.what.startswith("Judged at Ofsted monitoring visit")
    assert item.who == manager.get_full_name()


def test_the_what_changed_page_and_export_show_measure_values(client_as_board, plan):
    query = {"plan": plan.pk, "since": "2025-12-01", "until": "2025-12-31"}
    with _at(TODAY):
        page = client_as_board.get(reverse("improvement:changes_since"), query)
        export = client_as_board.get(reverse("improvement:change_export_csv"), query)
    assert page.status_code == 200
    assert "Measure values recorded and corrected" in page.text
    assert "October 2025: <strong>26</strong>" in page.text
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode()
        if export.streaming
        else (export.content.decode())
    )
    assert "Measure value recorded" in body
    assert "Value for October 2025 recorded" in body
