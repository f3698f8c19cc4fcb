"""Downloads of the actions and findings registers and of the changes list.

Each download is read back the way a user's spreadsheet would read it: CSV
with the ``csv`` module, XLSX with openpyxl.
"""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from improvement.board.exports import ACTION_COLUMNS, CHANGE_COLUMNS, FINDING_COLUMNS
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)

ACTION_HEADERS = [c.header for c in ACTION_COLUMNS]
FINDING_HEADERS = [c.header for c in FINDING_COLUMNS]
CHANGE_HEADERS = [c.header for c in CHANGE_COLUMNS]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOON, tick=False):
        yield


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "CSV starts with a byte-order mark for Excel"
    return list(csv.reader(io.StringIO(body[1:])))


def read_xlsx(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def plan_data():
    """A plan with red, amber and delivered actions, findings, owners, progress."""
    plan = PlanFactory(name="Children's services improvement plan")
    priority = PriorityFactory(plan=plan, number=2, title="Practice")
    lead = OwnerFactory(name="Head of Service, Children in Care")
    visit = MonitoringVisitFactory()
    r3 = FindingFactory(reference="R3", title="Supervision")
    r1 = FindingFactory(reference="R1", title="Caseloads")
    r1.themes.add(ThemeFactory(name="Workforce"), ThemeFactory(name="Caseloads"))
    visit_finding = FindingFactory(
        inspection=None, monitoring_visit=visit, reference="MV1", title="Plans"
    )
    FindingFactory(reference="R9", title="Nothing answers this")

    red = ActionFactory(
        priority=priority,
        reference="2.1",
        title="Reduce social worker caseloads",
        lead_owner=lead,
        start_date=datetime.date(2026, 1, 5),
        original_due_date=datetime.date(2026, 6, 30),
        rag=Action.Rag.RED,
        status=Action.Status.IN_PROGRESS,
        success_measure="Average caseload below 18",
    )
    red.supporting_owners.add(
        OwnerFactory(name="Principal Social Worker"), OwnerFactory(name="HR lead")
    )
    red.findings.add(r3, r1)
    red.due_date = datetime.date(2026, 9, 30)
    red._change_reason = "Recruitment took longer than planned"
    red.save()
    ProgressUpdateFactory(action=red, update_date=datetime.date(2026, 10, 1))
    ProgressUpdateFactory(action=red, update_date=datetime.date(2026, 11, 2))

    amber = ActionFactory(
        priority=priority,
        reference="2.2",
        title="Audit supervision monthly",
        lead_owner=lead,
        rag=Action.Rag.AMBER,
        original_due_date=datetime.date(2027, 3, 31),
    )
    amber.findings.add(visit_finding, r3)

    delivered = ActionFactory(
        priority=priority,
        reference="2.3",
        title='=HYPERLINK("http://example.org")',
        lead_owner=OwnerFactory(name="Service Manager, Front Door"),
        status=Action.Status.DELIVERED,
        rag=Action.Rag.RED,
        impact=Action.Impact.EMERGING,
    )
    return {
        "plan": plan,
        "red": red,
        "amber": amber,
        "delivered": delivered,
        "visit": visit,
    }


# ---------------------------------------------------------------------------
# The actions register
# ---------------------------------------------------------------------------


def test_actions_csv_holds_every_column_of_the_filtered_rows(
    client_as_board, plan_data
):
    url = reverse("improvement:action_export_csv")
    response = client_as_board.get(url, {"rag": "red", "status": "in_progress"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="actions-2026-11-23.csv"'
    )
    header, *rows = read_csv(response)
    assert header == ACTION_HEADERS
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row == {
        "Plan": "Children's services improvement plan",
        "Priority": "Priority 2: Practice",
        "Reference": "2.1",
        "Title": "Reduce social worker caseloads",
        "Lead officer": "Head of Service, Children in Care",
        "Supporting owners": "HR lead; Principal Social Worker",
        "Start date": "2026-01-05",
        "Original due date": "2026-06-30",
        "Current due date": "2026-09-30",
        "Days slipped": "92",
        "Overdue": "Yes",
        "Delivery status": "In progress",
        "RAG": "Red",
        "Impact": "Not yet assessed",
        "Findings answered": "R1; R3",
        "Last progress update": "2026-11-02",
        "What good looks like": "Average caseload below 18",
    }


def test_actions_csv_without_filters_holds_every_action(client_as_board, plan_data):
    response = client_as_board.get(reverse("improvement:action_export_csv"))
    header, *rows = read_csv(response)
    by_reference = {row[2]: dict(zip(header, row, strict=True)) for row in rows}

    assert list(by_reference) == ["2.1", "2.2", "2.3"]
    assert by_reference["2.2"]["Overdue"] == "No"
    assert by_reference["2.2"]["Days slipped"] == "0"
    assert by_reference["2.2"]["Findings answered"] == "MV1; R3"
    assert by_reference["2.2"]["Last progress update"] == ""
    assert by_reference["2.3"]["RAG"] == "Blue", "delivered shows Blue"
    assert by_reference["2.3"]["Overdue"] == "No", "delivered is never overdue"
    assert by_reference["2.3"]["Impact"] == "Emerging"
    # A title that a spreadsheet would run as a formula stays text.
    assert by_reference["2.3"]["Title"].startswith("'=HYPERLINK")


def test_actions_export_follows_the_registers_filters(client_as_board, plan_data):
    url = reverse("improvement:action_export_csv")
    cases = {
        "q=caseloads": ["2.1"],
        "overdue=true": ["2.1"],
        "slipped=true": ["2.1"],
        # The RAG as shown: 2.3 is delivered, so Blue whatever it recorded.
        "rag=amber&rag=red": ["2.1", "2.2"],
        "rag=blue": ["2.3"],
        "status=delivered": ["2.3"],
        f"finding={plan_data['amber'].findings.get(reference='MV1').pk}": ["2.2"],
        "sort=-reference": ["2.3", "2.2", "2.1"],
        "due_before=2026-12-31": ["2.1", "2.3"],
        # A bad value is ignored, as on the register.
        "plan=not-a-number": ["2.1", "2.2", "2.3"],
        # The page number is not a filter: a download holds every page.
        "page=3": ["2.1", "2.2", "2.3"],
    }
    for query, expected in cases.items():
        _, *rows = read_csv(client_as_board.get(f"{url}?{query}"))
        assert [row[2] for row in rows] == expected, query


def test_actions_xlsx_has_header_frozen_pane_dates_and_numbers(
    client_as_board, plan_data
):
    url = reverse("improvement:action_export_xlsx")
    response = client_as_board.get(url, {"rag": "red", "status": "in_progress"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="actions-2026-11-23.xlsx"'
    )
    sheet = read_xlsx(response)
    assert sheet.title == "Actions"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["D"].width == 45
    header, *rows = rows_of(sheet)
    assert header == ACTION_HEADERS
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    # openpyxl reads date cells back as datetimes.
    assert row["Start date"] == datetime.datetime(2026, 1, 5)
    assert row["Original due date"] == datetime.datetime(2026, 6, 30)
    assert row["Current due date"] == datetime.datetime(2026, 9, 30)
    assert row["Last progress update"] == datetime.datetime(2026, 11, 2)
    assert row["Days slipped"] == 92
    assert row["Overdue"] == "Yes"
    assert row["Findings answered"] == "R1; R3"
    assert row["RAG"] == "Red"
    date_cell = sheet.cell(row=2, column=ACTION_HEADERS.index("Start date") + 1)
    assert date_cell.is_date
    assert date_cell.number_format == "d mmmm yyyy"


def test_actions_xlsx_keeps_formula_like_text_as_text(client_as_board, plan_data):
    url = reverse("improvement:action_export_xlsx")
    sheet = read_xlsx(client_as_board.get(url, {"status": "delivered"}))
    title = sheet.cell(row=2, column=ACTION_HEADERS.index("Title") + 1)
    assert title.value == '=HYPERLINK("http://example.org")'
    assert title.data_type == "s"
    start = sheet.cell(row=2, column=ACTION_HEADERS.index("Start date") + 1)
    assert isinstance(start.value, datetime.datetime)
    last_update = sheet.cell(
        row=2, column=ACTION_HEADERS.index("Last progress update") + 1
    )
    assert last_update.value is None


def test_an_empty_register_downloads_just_the_header(client_as_board):
    header, *rows = read_csv(
        client_as_board.get(reverse("improvement:action_export_csv"))
    )
    assert header == ACTION_HEADERS
    assert rows == []
    sheet = read_xlsx(client_as_board.get(reverse("improvement:action_export_xlsx")))
    assert rows_of(sheet) == [ACTION_HEADERS]


# ---------------------------------------------------------------------------
# The findings register
# ---------------------------------------------------------------------------


def test_findings_csv_lists_the_actions_answering_each(client_as_board, plan_data):
    response = client_as_board.get(reverse("improvement:finding_export_csv"))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="findings-2026-11-23.csv"'
    )
    header, *rows = read_csv(response)
    assert header == FINDING_HEADERS
    by_reference = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(by_reference) == ["MV1", "R1", "R3", "R9"]
    r3 = by_reference["R3"]
    assert r3["Kind"] == "Recommendation"
    assert r3["Priority"] == "Medium"
    assert r3["Answered"] == "Yes"
    assert r3["Actions answering"] == "2.1; 2.2"
    assert r3["Action statuses"] == "2.1: In progress; 2.2: Not started"
    assert by_reference["R1"]["Themes"] == "Caseloads; Workforce"
    assert by_reference["MV1"]["Source"] == str(plan_data["visit"])
    assert by_reference["R9"]["Answered"] == "No"
    assert by_reference["R9"]["Actions answering"] == ""


def test_findings_export_follows_the_registers_filters(client_as_board, plan_data):
    url = reverse("improvement:finding_export_csv")
    cases = {
        "answered=unanswered": ["R9"],
        "answered=answered": ["MV1", "R1", "R3"],
        "q=caseloads": ["R1"],
        f"monitoring_visit={plan_data['visit'].pk}": ["MV1"],
        "sort=-reference": ["R9", "R3", "R1", "MV1"],
    }
    for query, expected in cases.items():
        _, *rows = read_csv(client_as_board.get(f"{url}?{query}"))
        assert [row[1] for row in rows] == expected, query


def test_findings_xlsx_opens_with_the_rows(client_as_board, plan_data):
    response = client_as_board.get(
        reverse("improvement:finding_export_xlsx"), {"answered": "answered"}
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="findings-2026-11-23.xlsx"'
    )
    sheet = read_xlsx(response)
    assert sheet.title == "Findings"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    header, *rows = rows_of(sheet)
    assert header == FINDING_HEADERS
    assert [row[1] for row in rows] == ["MV1", "R1", "R3"]
    assert rows[2][header.index("Actions answering")] == "2.1; 2.2"
    assert rows[2][header.index("Answered")] == "Yes"


# ---------------------------------------------------------------------------
# Who may download
# ---------------------------------------------------------------------------

REGISTER_EXPORTS = (
    "improvement:action_export_csv",
    "improvement:action_export_xlsx",
    "improvement:finding_export_csv",
    "improvement:finding_export_xlsx",
)


@pytest.mark.parametrize("name", REGISTER_EXPORTS)
@pytest.mark.parametrize("persona", ["board", "officer", "manager"])
def test_every_role_that_views_the_plan_may_download(
    client, request, persona, name, plan_data
):
    sign_in_as(client, request.getfixturevalue(persona))
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")


@pytest.mark.parametrize("name", REGISTER_EXPORTS)
def test_anonymous_is_sent_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", REGISTER_EXPORTS)
def test_downloads_are_read_only(client_as_manager, name):
    assert client_as_manager.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", REGISTER_EXPORTS)
def test_someone_without_a_role_is_refused(client, no_group_user, name):
    sign_in_as(client, no_group_user)
    assert client.get(reverse(name)).status_code == 403


# ---------------------------------------------------------------------------
# Query counts do not grow with the rows
# ---------------------------------------------------------------------------


def _grow(priority, count):
    """Add ``count`` actions, each with owners, findings, themes and progress."""
    theme = ThemeFactory(name="Practice")
    for _ in range(count):
        action = ActionFactory(priority=priority, lead_owner=OwnerFactory())
        action.supporting_owners.add(OwnerFactory(), OwnerFactory())
        finding = FindingFactory()
        finding.themes.add(theme)
        action.findings.add(finding, FindingFactory())
        ProgressUpdateFactory(action=action)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


#: The SQL queries each download runs, whole and filtered, at either size.
EXPORT_QUERIES = {
    ("improvement:action_export_csv", "whole"): 8,
    ("improvement:action_export_csv", "filtered"): 6,
    ("improvement:action_export_xlsx", "whole"): 8,
    ("improvement:action_export_xlsx", "filtered"): 6,
    ("improvement:finding_export_csv", "whole"): 8,
    ("improvement:finding_export_csv", "filtered"): 7,
    ("improvement:finding_export_xlsx", "whole"): 8,
    ("improvement:finding_export_xlsx", "filtered"): 7,
}


def test_downloads_run_the_same_queries_at_two_sizes(client_as_board):
    """Guards against N+1: a download of 5 rows and of 60 rows cost the same."""
    priority = PriorityFactory()
    _grow(priority, 5)
    plan = priority.plan
    urls = {
        (name, "filtered" if query else "whole"): reverse(name) + query
        for name in REGISTER_EXPORTS
        for query in ("", f"?plan={plan.pk}&rag=green&sort=-due_date")
    }
    small = {key: _queries(client_as_board, url) for key, url in urls.items()}
    _grow(priority, 55)
    large = {key: _queries(client_as_board, url) for key, url in urls.items()}
    # Session, user, one for permissions, one to check a filter's plan, then
    # the rows and up to four look-ups (priorities or sources, owners or
    # themes, findings or actions). Pinned: a fixed extra query fails too.
    assert small == large == EXPORT_QUERIES


# ---------------------------------------------------------------------------
# The changes list
# ---------------------------------------------------------------------------


@pytest.fixture
def changed_plan(manager):
    """A plan whose action changed yesterday, with a reason, by the manager."""
    with time_machine.travel(NOON - datetime.timedelta(days=40), tick=False):
        with acting_as(manager):
            action = ActionFactory(reference="4.1", title="Refresh the QA framework")
    plan = action.plan
    with time_machine.travel(NOON - datetime.timedelta(days=1), tick=False):
        with acting_as(manager):
            action.due_date = datetime.date(2027, 1, 31)
            action._change_reason = "Waiting for the new audit tool"
            action.save()
    return plan


def test_changes_csv_lists_the_periods_changes(client_as_board, changed_plan):
    url = reverse("improvement:change_export_csv")
    response = client_as_board.get(url, {"plan": changed_plan.pk})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="changes-2026-10-24-to-2026-11-23.csv"'
    )
    header, *rows = read_csv(response)
    assert header == CHANGE_HEADERS
    assert rows, "the due-date move of yesterday is listed"
    text = "\n".join(",".join(row) for row in rows)
    assert "4.1" in text
    assert "Waiting for the new audit tool" in text
    # Creation was 40 days ago: outside the default thirty days.
    assert all(row[0] >= "2026-10-24" for row in rows)


def _changes_csv(client, plan):
    url = reverse("improvement:change_export_csv")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"plan": plan.pk, "since": "2026-10-01"})
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_the_same_changes_are_read_once_until_something_changes(
    client_as_board, changed_plan, manager
):
    built, built_queries = _changes_csv(client_as_board, changed_plan)
    again, kept_queries = _changes_csv(client_as_board, changed_plan)
    assert again == built
    # The session, the person and their permissions, the plan, the size of
    # the period and the plan's latest change: the changes are not read again.
    assert (kept_queries, built_queries) == (5, 13)

    action = changed_plan.actions.get()
    with time_machine.travel(NOON - datetime.timedelta(hours=1), tick=False):
        with acting_as(manager):
            action.rag = "red"
            action._change_reason = "Audit tool delayed again"
            action.save()
    after, _ = _changes_csv(client_as_board, changed_plan)
    assert "Audit tool delayed again" in after
    assert "Audit tool delayed again" not in built


def test_changes_xlsx_opens_with_real_date_times(client_as_board, changed_plan):
    url = reverse("improvement:change_export_xlsx")
    response = client_as_board.get(
        url, {"plan": changed_plan.pk, "since": "2026-10-01", "until": "2026-11-23"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="changes-2026-10-01-to-2026-11-23.xlsx"'
    )
    sheet = read_xlsx(response)
    assert sheet.freeze_panes == "A2"
    header, *rows = rows_of(sheet)
    assert header == CHANGE_HEADERS
    assert rows
    assert all(isinstance(row[0], datetime.datetime) for row in rows)


def test_changes_default_to_the_newest_active_plan(client_as_board, changed_plan):
    PlanFactory(start_date=datetime.date(2020, 1, 1), name="An old plan")
    response = client_as_board.get(reverse("improvement:change_export_csv"))
    _, *rows = read_csv(response)
    assert any("Waiting for the new audit tool" in ",".join(r) for r in rows)


def test_changes_export_is_for_people_who_view_the_plan(client, no_group_user):
    url = reverse("improvement:change_export_csv")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    sign_in_as(client, no_group_user)
    assert client.get(url).status_code == 403


def test_officer_may_download_changes(client_as_officer, changed_plan):
    response = client_as_officer.get(reverse("improvement:change_export_xlsx"))
    assert response.status_code == 200
    assert timezone.localdate() == TODAY
