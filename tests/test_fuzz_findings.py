"""What the full fuzz runs found, each kept fixed: a date drill-down no
calendar holds in Django admin (or a number of thousands of digits, which
Python refuses to read), and a control character in an Excel cell."""

import io

import openpyxl
import pytest
from django.urls import reverse

from improvement.kernel.spreadsheets import xlsx_bytes
from tests.factories import InspectionFactory, ProgressUpdateFactory, ThemeFactory

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
