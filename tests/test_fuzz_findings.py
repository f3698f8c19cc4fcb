"""What the full fuzz runs found, each kept fixed: a date drill-down no
calendar holds in Django admin (or a number of thousands of digits, which
Python refuses to read), a control character in an Excel cell, and a digit
that is not a number."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from improvement.board.documents.models import IssuedPack
from improvement.imports.cells import heading_date
from improvement.kernel.spreadsheets import xlsx_bytes
from tests.factories import (
    InspectionFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("admin:visits_inspection_changelist", {"start_date__year": "9999"}),
        (
            "admin:improvement_progressupdate_changelist",
            {"update_date__year": "2147483648"},
        ),
        ("admin:visits_monitoringvisit_changelist", {"start_date__month": "13"}),
        ("admin:audits_audit_changelist", {"audit_date__day": "x"}),
        ("admin:measures_measurevalue_changelist", {"period__day": "9" * 5000}),
        ("admin:audits_audit_changelist", {"audit_date__year": "0009999"}),
    ],
)
def test_a_drill_down_out_of_range_is_an_invalid_filter_not_an_error(
    client_as_admin, url_name, query
):
    InspectionFactory()
    ProgressUpdateFactory()
    response = client_as_admin.get(reverse(url_name), query)
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_a_real_drill_down_still_lists(client_as_admin):
    InspectionFactory()
    response = client_as_admin.get(
        reverse("admin:visits_inspection_changelist"), {"start_date__year": "2025"}
    )
    assert response.status_code == 200


def test_control_characters_are_dropped_from_a_workbook():
    from improvement.kernel.spreadsheets import Column, Table

    table = Table(
        title="Themes",
        columns=[Column("Name")],
        rows=[["Supervision\x1b and \x00caseloads"]],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert sheet["A2"].value == "Supervision and caseloads"


def test_the_findings_workbook_opens_with_a_theme_named_with_an_escape(
    client_as_board,
):
    ThemeFactory(name="\x1b")
    response = client_as_board.get(reverse("improvement:finding_export_xlsx"))
    assert response.status_code == 200


# A digit to ``str.isdigit`` that ``int`` cannot read ("²", superscript two),
# found by the full fuzz run of 2 December 2026 on a meeting's "issue the
# board pack" form; the same test guarded two other places.
SUPERSCRIPT_TWO = "\u00b2"


def test_a_superscript_digit_is_not_a_plan_to_issue_a_pack_for(client_as_manager):
    meeting = MeetingFactory()
    response = client_as_manager.post(
        reverse("improvement:meeting_issuepack", args=[meeting.pk]),
        {"plan": SUPERSCRIPT_TWO},
    )
    assert response.status_code == 302
    assert not IssuedPack.objects.exists()
    page = client_as_manager.get(response.url)
    assert "Select a plan this meeting reviews" in page.text


def test_a_superscript_digit_is_an_invalid_drill_down(client_as_admin):
    response = client_as_admin.get(
        reverse("admin:visits_inspection_changelist"),
        {"start_date__year": SUPERSCRIPT_TWO * 2},
    )
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_a_superscript_year_in_a_heading_names_no_month():
    assert heading_date(f"Update Jan {SUPERSCRIPT_TWO}3") is None
    assert heading_date("Update Jan 23") == datetime.date(2023, 1, 31)
