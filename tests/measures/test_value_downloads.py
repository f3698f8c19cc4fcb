"""Downloading measures' values as CSV and Excel: rows, guards and queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from improvement.measures.models import Measure
from tests.factories import (
    MeasureFactory,
    MeasureTargetFactory,
    MeasureValueFactory,
    PlanFactory,
)
from tests.helpers import csv_rows, sign_in_as

pytestmark = pytest.mark.django_db

CSV_URL = reverse("measures:measurevalue_export_csv")
XLSX_URL = reverse("measures:measurevalue_export_xlsx")


def test_the_csv_has_a_row_per_value_with_target_and_rag(client_as_board):
    plan = PlanFactory(name="Children's services plan")
    measure = MeasureFactory(plan=plan, name="Average caseload", target=Decimal("18"))
    MeasureTargetFactory(
        measure=measure, from_period=datetime.date(2025, 10, 1), target=Decimal("16")
    )
    MeasureValueFactory(
        measure=measure, period=datetime.date(2025, 9, 1), value=Decimal("19")
    )
    MeasureValueFactory(
        measure=measure,
        period=datetime.date(2025, 10, 1),
        value=Decimal("21"),
        note="Two agency workers left",
    )
    response = client_as_board.get(f"{CSV_URL}?plan={plan.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Plan",
        "Measure",
        "Unit",
        "Period",
        "Period starts",
        "Value",
        "Target",
        "RAG",
        "Note",
        "Last recorded",
    ]
    september, october = rows[1], rows[2]
    assert september[:8] == [
        "Children's services plan",
        "Average caseload",
        "Number",
        "September 2025",
        "2025-09-01",
        "19.00",
        "18.00",
        "Green",
    ]
    # October's target is the trajectory's 16: 21 is 5 short, beyond red (4).
    assert october[3:9] == [
        "October 2025",
        "2025-10-01",
        "21.00",
        "16.00",
        "Red",
        "Two agency workers left",
    ]


def test_a_quarter_reads_as_the_site_writes_it(client_as_board):
    measure = MeasureFactory(frequency=Measure.Frequency.QUARTERLY, target=None)
    MeasureValueFactory(measure=measure, period=datetime.date(2026, 1, 1))
    rows = csv_rows(client_as_board.get(f"{CSV_URL}?plan={measure.plan_id}"))
    assert rows[1][3:8] == ["January to March 2026", "2026-01-01", "21.00", "", ""]


def test_without_a_plan_every_plans_values_are_downloaded(client_as_officer):
    first, second = MeasureValueFactory(), MeasureValueFactory()
    rows = csv_rows(client_as_officer.get(CSV_URL))
    plans = {row[0] for row in rows[1:]}
    assert plans == {first.measure.plan.name, second.measure.plan.name}


def test_a_plan_that_is_not_there_gives_every_plan(client_as_board):
    MeasureValueFactory()
    rows = csv_rows(client_as_board.get(f"{CSV_URL}?plan=99999999"))
    assert len(rows) == 2


def test_formulas_are_kept_as_text(client_as_manager):
    measure = MeasureFactory(name='=HYPERLINK("http://x")')
    MeasureValueFactory(measure=measure, note="+SUM(A1:A9)")
    row = csv_rows(client_as_manager.get(CSV_URL))[1]
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[8] == "'+SUM(A1:A9)"
    response = client_as_manager.get(XLSX_URL)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def test_the_excel_file_holds_numbers_and_dates(client_as_board):
    value = MeasureValueFactory(
        period=datetime.date(2025, 10, 1), value=Decimal("19.5")
    )
    response = client_as_board.get(f"{XLSX_URL}?plan={value.measure.plan_id}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Measure values"
    row = [cell.value for cell in sheet[2]]
    assert row[3] == "October 2025"
    assert row[4] == datetime.datetime(2025, 10, 1)
    assert row[5] == 19.5
    assert row[6] == 18


def test_the_list_links_to_the_downloads_of_its_plan(client_as_board):
    value = MeasureValueFactory()
    plan = value.measure.plan
    response = client_as_board.get(f"{reverse('measures:measure_list')}?plan={plan.pk}")
    assert f'href="{CSV_URL}?plan={plan.pk}"' in response.content.decode()
    assert f'href="{XLSX_URL}?plan={plan.pk}"' in response.content.decode()
    response = client_as_board.get(reverse("measures:measure_list"))
    assert f'href="{CSV_URL}"' in response.content.decode()


def test_no_role_is_refused(client, no_group_user):
    MeasureValueFactory()
    sign_in_as(client, no_group_user)
    assert client.get(CSV_URL).status_code == 403
    assert client.get(XLSX_URL).status_code == 403


def test_posts_are_refused(client_as_manager):
    assert client_as_manager.post(CSV_URL).status_code == 405


#: The SQL queries of a download, at any size; one counts the rows, to write a
#: large download in the background.
DOWNLOAD_QUERIES = {"csv": 7, "xlsx": 7, "csv of a plan": 8}


def _grow(plan, measures, months):
    for _ in range(measures):
        measure = MeasureFactory(plan=plan)
        MeasureTargetFactory(measure=measure)
        for month in range(months):
            MeasureValueFactory(
                measure=measure,
                period=datetime.date(2023 + month // 12, month % 12 + 1, 1),
            )


def _download_queries(client, plan):
    counts = {}
    for label, url in (
        ("csv", CSV_URL),
        ("xlsx", XLSX_URL),
        ("csv of a plan", f"{CSV_URL}?plan={plan.pk}"),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[label] = len(captured)
    return counts


def test_downloads_run_the_same_queries_however_many_values(client_as_board):
    """Guards against N+1: 2 measures of 2 values, then 20 of 24."""
    plan = PlanFactory()
    _grow(plan, 2, 2)
    small = _download_queries(client_as_board, plan)
    _grow(plan, 18, 24)
    _grow(PlanFactory(), 3, 5)
    large = _download_queries(client_as_board, plan)
    assert small == large
    assert large == DOWNLOAD_QUERIES
