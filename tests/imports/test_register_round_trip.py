"""The actions register's download, edited and imported back into its plan.

The download goes through the real export view and the import through the
real upload, columns, check and confirm pages: an unedited download changes
nothing, and an edited one changes exactly the cells edited.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from improvement.board.exports import ACTION_COLUMNS
from improvement.imports.columns import IGNORED_HEADINGS, suggest_field
from improvement.imports.models import ImportFile, PlanImport
from improvement.kernel.history import acting_as
from improvement.plan.models import Action, ProgressUpdate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(manager):
    """A plan whose actions use every column of the register: delivered,
    paused and withdrawn actions, a blank RAG, impact with evidence, a moved
    due date, supporting owners, findings, and texts a spreadsheet would
    otherwise run as formulas."""
    plan = factories.PlanFactory(name="Children's services improvement plan")
    inspection = factories.InspectionFactory()
    visit = factories.MonitoringVisitFactory(inspection=inspection)
    plan.inspections.add(inspection)
    plan.visits.add(visit)
    r1 = factories.FindingFactory(inspection=inspection, reference="R1")
    r2 = factories.FindingFactory(inspection=inspection, reference="R2")
    # A later visit numbers its own findings from R1 again.
    visit_r1 = factories.FindingFactory(
        inspection=None, monitoring_visit=visit, reference="R1"
    )
    first = factories.PriorityFactory(plan=plan, number=1, title="Leadership")
    second = factories.PriorityFactory(plan=plan, number=2, title="Practice")
    lead = factories.OwnerFactory(name="Head of Service, Children in Need")
    support = factories.OwnerFactory(name="Principal Social Worker")
    other = factories.OwnerFactory(name="Service Manager, Front Door")
    # A partner's owner of the same name as one of the council's.
    partner = factories.OwnerFactory(
        name="Principal Social Worker", organisation="NHS Trust"
    )
    with acting_as(manager):
        actions = [
            factories.ActionFactory(
                priority=first,
                reference="1.1",
                title="Embed monthly reflective supervision",
                lead_owner=lead,
                status="in_progress",
                rag="amber",
                success_measure="- 90% of supervisions in timescale\r\n"
                "- audits show reflection",
            ),
            factories.ActionFactory(
                priority=first,
                reference="1.2",
                title="=Refresh the practice framework",
                lead_owner=support,
                start_date=None,
                status="delivered",
                rag="green",
                impact="evidenced",
                impact_evidence="Audit of March shows the framework in use.",
                # A line break pasted from Word, which no workbook can hold.
                success_measure="Every team uses it\x0bin supervision",
            ),
            factories.ActionFactory(
                priority=first,
                reference="1.10",
                title="Quality assurance framework",
                lead_owner=lead,
                status="paused",
                status_reason="Waiting for the new principal social worker.",
            ),
            factories.ActionFactory(
                priority=second,
                reference="2.1",
                title="+ Recruit permanent social workers",
                lead_owner=other,
                status="withdrawn",
                status_reason="Merged into 2.2.",
                rag="red",
            ),
            factories.ActionFactory(
                priority=second,
                reference="2.2",
                title="Reduce caseloads",
                lead_owner=other,
                status="not_started",
                rag="",
                impact="emerging",
            ),
        ]
        actions[0].supporting_owners.set([support, other])
        # Led by the council's principal social worker, supported by the
        # partner's of the same name.
        actions[1].supporting_owners.set([partner])
        actions[0].findings.set([r1, r2])
        actions[3].findings.set([visit_r1])
        actions[4].findings.set([r2, visit_r1])
        moved = actions[4]
        moved.due_date = datetime.date(2026, 9, 30)
        moved._change_reason = "Recruitment took longer"
        moved.save()
    # Another plan's actions are not in its register download.
    factories.ActionFactory(reference="1.1")
    return plan


def _download(client, plan, extension):
    url = reverse(f"improvement:action_export_{extension}")
    response = client.get(url, {"plan": plan.pk})
    assert response.status_code == 200
    return response.content


def _import(client, plan, data, name):
    """Upload ``data`` and take the suggested columns: the check page."""
    response = client.post(
        reverse("imports:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()
    record = ImportFile.objects.latest("pk")
    response = client.get(response.url)
    form = response.context["form"]
    choices = {
        f"column_{i}": form[f"column_{i}"].value() or ""
        for i in range(len(form.headings))
    }
    response = client.post(response.request["PATH_INFO"], choices)
    assert response.status_code == 302, response.content.decode()
    check = client.get(reverse("imports:importfile_check", args=[record.pk]))
    assert check.status_code == 200
    return check


def _state(plan):
    """Everything an import may change, for every action of the plan."""
    return {
        action.reference: (
            action.version,
            action.title,
            action.priority_id,
            action.lead_owner_id,
            sorted(action.supporting_owners.values_list("pk", flat=True)),
            action.start_date,
            action.original_due_date,
            action.due_date,
            action.status,
            action.status_reason,
            action.rag,
            action.impact,
            action.impact_evidence,
            sorted(action.findings.values_list("pk", flat=True)),
            action.success_measure,
        )
        for action in Action.objects.filter(plan=plan)
    }


def test_the_register_s_headings_need_no_choosing():
    """Every heading of the download is a field, or worked out and left out."""
    for column in ACTION_COLUMNS:
        heading = column.header
        assert suggest_field(heading) or heading.casefold() in IGNORED_HEADINGS, heading


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_an_unedited_download_changes_nothing(client_as_manager, plan, extension):
    before = _state(plan)
    history = {a.pk: a.history.count() for a in Action.objects.all()}
    data = _download(client_as_manager, plan, extension)
    check = _import(client_as_manager, plan, data, f"actions.{extension}")
    checked = check.context["checked"]
    assert checked.problems == []
    assert checked.row_problems == []
    assert [row.changes for row in checked.action_rows] == [[]] * 5
    assert (checked.create_count, checked.change_count) == (0, 0)
    assert checked.unchanged_count == 5
    assert checked.new_priorities == []
    assert not checked.new_owners
    assert not checked.can_save
    page = check.content.decode()
    assert "5 actions in the file: 0 to create, 0 to change, 5 unchanged" in page
    assert "Nothing to import: the plan already holds everything" in page
    # Confirming anyway saves nothing.
    client_as_manager.post(check.request["PATH_INFO"], {"fingerprint": "x"})
    assert _state(plan) == before
    assert {a.pk: a.history.count() for a in Action.objects.all()} == history
    assert not PlanImport.objects.exists()


def _edited_workbook(data, edits, *, add_column=None):
    """The downloaded workbook with cells edited: ``{reference: {heading:
    value}}``; ``add_column``: ``(heading, {reference: value})``."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headings = [cell.value for cell in sheet[1]]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    for reference, values in edits.items():
        for heading, value in values.items():
            rows[reference][headings.index(heading)].value = value
    if add_column:
        heading, values = add_column
        column = len(headings) + 1
        sheet.cell(row=1, column=column, value=heading)
        for reference, value in values.items():
            sheet.cell(row=rows[reference][0].row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_edited_download_changes_exactly_the_cells_edited(
    client_as_manager, manager, plan
):
    before = _state(plan)
    data = _edited_workbook(
        _download(client_as_manager, plan, "xlsx"),
        {
            "1.1": {"Title": "Embed fortnightly reflective supervision"},
            "1.10": {"Delivery status": "In progress", "RAG": "Amber"},
            "2.2": {
                "Current due date": datetime.datetime(2026, 12, 31),
                "RAG": "Red",
                "Delivery status": "Paused",
            },
        },
        add_column=(
            "Progress update",
            {"2.2": "Paused until the recruitment drive ends in December."},
        ),
    )
    check = _import(client_as_manager, plan, data, "actions edited.xlsx")
    checked = check.context["checked"]
    assert checked.row_problems == []
    changes = {
        row.reference: [(c.label, c.old, c.new) for c in row.changes]
        for row in checked.action_rows
        if row.outcome == "change"
    }
    assert changes == {
        "1.1": [
            (
                "Title",
                "Embed monthly reflective supervision",
                "Embed fortnightly reflective supervision",
            )
        ],
        "1.10": [
            ("Delivery status", "Paused", "In progress"),
            ("RAG", "Not assessed", "Amber"),
        ],
        "2.2": [
            ("Current due date", "30 September 2026", "31 December 2026"),
            ("Delivery status", "Not started", "Paused"),
            ("RAG", "Not assessed", "Red"),
        ],
    }
    assert checked.unchanged_count == 2
    assert checked.update_count == 1

    response = client_as_manager.post(
        check.request["PATH_INFO"], {"fingerprint": check.context["fingerprint"]}
    )
    assert response.url == plan.get_absolute_url()
    after = _state(plan)
    for reference in ("1.2", "2.1"):
        assert after[reference] == before[reference]
    actions = {a.reference: a for a in Action.objects.filter(plan=plan)}
    assert actions["1.1"].title == "Embed fortnightly reflective supervision"
    assert (actions["1.10"].status, actions["1.10"].rag) == ("in_progress", "amber")
    paused = actions["2.2"]
    assert paused.due_date == datetime.date(2026, 12, 31)
    assert paused.original_due_date == datetime.date(2026, 6, 30)
    assert (paused.status, paused.rag) == ("paused", "red")
    assert paused.status_reason == (
        "Paused until the recruitment drive ends in December."
    )
    # Only the fields edited differ; everything else is as it was.
    unchanged = (2, 3, 4, 5, 6, 11, 12, 13, 14)
    for reference in ("1.1", "1.10", "2.2"):
        assert [after[reference][i] for i in unchanged] == [
            before[reference][i] for i in unchanged
        ]
    for reference in ("1.1", "1.10", "2.2"):
        latest = actions[reference].history.latest()
        assert latest.history_user == manager
        assert latest.history_change_reason == "Imported from actions edited.xlsx"
    update = ProgressUpdate.objects.get(action=paused)
    assert update.history.get().history_user == manager
    record = PlanImport.objects.get()
    assert (record.created, record.changed, record.updates) == (0, 3, 1)


def test_an_edited_csv_download_changes_the_cells_edited(client_as_manager, plan):
    data = _download(client_as_manager, plan, "csv").decode("utf-8-sig")
    lines = data.splitlines(keepends=True)
    edited = "".join(
        line.replace("Reduce caseloads", "Reduce caseloads to 18")
        if line.startswith("Children's services improvement plan,Priority 2")
        else line
        for line in lines
    )
    check = _import(client_as_manager, plan, edited.encode("utf-8-sig"), "actions.csv")
    checked = check.context["checked"]
    assert checked.row_problems == []
    assert [
        (row.reference, [(c.label, c.new) for c in row.changes])
        for row in checked.action_rows
        if row.changes
    ] == [("2.2", [("Title", "Reduce caseloads to 18")])]


def test_rows_of_another_plan_are_refused(client_as_manager, plan):
    """The register downloaded for every plan holds another plan's 1.1: it
    must not change this plan's 1.1."""
    url = reverse("improvement:action_export_xlsx")
    data = client_as_manager.get(url).content
    check = _import(client_as_manager, plan, data, "every plan.xlsx")
    checked = check.context["checked"]
    other = Action.objects.exclude(plan=plan).get()
    assert [text for _, text in checked.row_problems] == [
        f"Row {row.number}, Plan: this row is an action of “{other.plan.name}”, "
        "not of this plan; delete the row, or download the actions register of "
        "this plan alone"
        for row in checked.action_rows
        if row.reference == "1.1" and row.title == other.title
    ]
    assert len(checked.row_problems) == 1
    assert not checked.can_save


def test_a_name_two_records_share_cannot_link_a_new_one(client_as_manager, plan):
    data = _edited_workbook(
        _download(client_as_manager, plan, "xlsx"),
        {
            "1.10": {"Findings answered": "R1"},
            "2.2": {"Lead officer": "Principal Social Worker"},
        },
    )
    checked = _import(client_as_manager, plan, data, "actions.xlsx").context["checked"]
    assert [text for _, text in checked.row_problems] == [
        "Row 4, Findings answered: R1 is the reference of more than one finding "
        "this plan answers; link the action to the one it answers on the "
        "action's page",
        "Row 6, Lead officer: “Principal Social Worker” is the name of more than "
        "one owner; choose the owner on the action's page",
    ]
