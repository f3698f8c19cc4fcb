"""Downloading audits as CSV and Excel: rows, grades, guards and queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    ActionFactory,
    AuditFactory,
    PlanFactory,
    PracticeWeekFactory,
)
from tests.helpers import csv_rows, sign_in_as
from visits.models import Grade

pytestmark = pytest.mark.django_db

CSV_URL = reverse("audits:audit_export_csv")
XLSX_URL = reverse("audits:audit_export_xlsx")


def test_the_csv_has_a_row_per_audit_with_both_grades(client_as_board):
    plan = PlanFactory(name="Children's services plan")
    week = PracticeWeekFactory(plan=plan, practice_issue="Management oversight")
    moderated = AuditFactory(
        plan=plan,
        practice_week=week,
        audit_date=datetime.date(2025, 11, 10),
        case_reference="CF-100201",
        grade=Grade.GOOD,
        moderated_grade=Grade.REQUIRES_IMPROVEMENT,
        auditor__name="Principal Social Worker",
    )
    moderated.actions.add(
        ActionFactory(priority__plan=plan, reference="2.10"),
        ActionFactory(priority__plan=plan, reference="2.9"),
    )
    AuditFactory(
        plan=plan, audit_date=datetime.date(2025, 10, 2), grade=Grade.OUTSTANDING
    )
    response = client_as_board.get(f"{CSV_URL}?plan={plan.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Plan",
        "Date of the audit",
        "Team or service area",
        "Case reference",
        "Auditor",
        "Practice week",
        "Grade",
        "Grade after moderation",
        "Grade that counts",
        "Good or better",
        "Strengths",
        "Learning points",
        "Actions it gave rise to",
        "Last recorded",
    ]
    newest, oldest = rows[1], rows[2]
    assert newest[:10] == [
        "Children's services plan",
        "2025-11-10",
        "Assessment team 1",
        "CF-100201",
        "Principal Social Worker",
        str(week),
        "Good",
        "Requires improvement to be good",
        "Requires improvement to be good",
        "No",
    ]
    # Actions in the order people read references: 2.9 before 2.10.
    assert newest[12] == "2.9; 2.10"
    assert oldest[6:10] == ["Outstanding", "Not moderated", "Outstanding", "Yes"]


def test_without_a_plan_every_plans_audits_are_downloaded(client_as_officer):
    first, second = AuditFactory(), AuditFactory()
    rows = csv_rows(client_as_officer.get(CSV_URL))
    assert {row[0] for row in rows[1:]} == {first.plan.name, second.plan.name}


def test_formulas_are_kept_as_text(client_as_manager):
    AuditFactory(team='=HYPERLINK("http://x")', strengths="+SUM(A1:A9)")
    row = csv_rows(client_as_manager.get(CSV_URL))[1]
    assert row[2] == '\'=HYPERLINK("http://x")'
    assert row[10] == "'+SUM(A1:A9)"
    sheet = load_workbook(io.BytesIO(client_as_manager.get(XLSX_URL).content)).active
    assert sheet.cell(row=2, column=3).value == '=HYPERLINK("http://x")'
    assert sheet.cell(row=2, column=3).data_type == "s"


def test_the_excel_file_holds_dates(client_as_board):
    audit = AuditFactory(audit_date=datetime.date(2025, 11, 10))
    response = client_as_board.get(f"{XLSX_URL}?plan={audit.plan_id}")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Case-file audits"
    row = [cell.value for cell in sheet[2]]
    assert row[1] == datetime.datetime(2025, 11, 10)
    assert row[3] == audit.case_reference


def test_the_list_links_to_the_downloads_of_its_plan(client_as_board):
    plan = AuditFactory().plan
    page = client_as_board.get(f"{reverse('audits:audit_list')}?plan={plan.pk}")
    assert f'href="{CSV_URL}?plan={plan.pk}"' in page.content.decode()
    assert f'href="{XLSX_URL}?plan={plan.pk}"' in page.content.decode()
    page = client_as_board.get(reverse("audits:audit_list"))
    assert f'href="{CSV_URL}"' in page.content.decode()


def test_no_role_is_refused(client, no_group_user):
    AuditFactory()
    sign_in_as(client, no_group_user)
    assert client.get(CSV_URL).status_code == 403
    assert client.get(XLSX_URL).status_code == 403


def _grow(plan, audits):
    for _ in range(audits):
        audit = AuditFactory(plan=plan, practice_week=PracticeWeekFactory(plan=plan))
        audit.actions.add(ActionFactory(priority__plan=plan))


def _queries(client, plan):
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


#: The SQL queries of a download, at any size.
# One of them counts the rows, to write a large download in the background.
DOWNLOAD_QUERIES = {"csv": 6, "xlsx": 6, "csv of a plan": 7}


def test_downloads_run_the_same_queries_however_many_audits(client_as_board):
    """Guards against N+1: 2 audits, then 30 with weeks and actions."""
    plan = PlanFactory()
    _grow(plan, 2)
    small = _queries(client_as_board, plan)
    _grow(plan, 28)
    _grow(PlanFactory(), 3)
    assert _queries(client_as_board, plan) == small == DOWNLOAD_QUERIES
