"""The import pages: upload, choose the columns, check, confirm."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from improvement.imports.models import ColumnMapping, ImportFile
from improvement.plan.models import Action, Owner
from tests import factories
from tests.helpers import sign_in_as
from tests.imports.trackers import tracker_rows, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = factories.PlanFactory()
    inspection = factories.InspectionFactory()
    plan.inspections.add(inspection)
    factories.FindingFactory(inspection=inspection, reference="R1")
    factories.OwnerFactory(name="Head of Service, Children in Need")
    factories.OwnerFactory(name="Principal Social Worker")
    return plan


def _upload(client, plan, data, name="tracker.xlsx"):
    return client.post(
        reverse("imports:plan_import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def _columns_data(response):
    """The columns form as the page offers it (the suggested choices)."""
    form = response.context["form"]
    return {
        f"column_{i}": form[f"column_{i}"].value() or ""
        for i in range(len(form.headings))
    }


def test_a_manager_imports_a_tracker_start_to_finish(client_as_manager, manager, plan):
    response = _upload(client_as_manager, plan, workbook_bytes(tracker_rows(3)))
    record = ImportFile.objects.get()
    assert response.url == reverse("imports:importfile_columns", args=[record.pk])

    response = client_as_manager.get(response.url)
    assert response.status_code == 200
    data = _columns_data(response)
    assert data["column_0"] == "reference"
    assert data["column_2"] == "lead"
    assert data["column_7"] == "rag"
    assert "The headings are on row 3" in response.content.decode()

    response = client_as_manager.post(
        reverse("imports:importfile_columns", args=[record.pk]), data
    )
    check_url = reverse("imports:importfile_check", args=[record.pk])
    assert response.url == check_url
    response = client_as_manager.get(check_url)
    page = response.content.decode()
    assert "3 actions in the file: 3 to create" in page
    assert "Nothing has been saved yet" in page
    assert not Action.objects.exists()

    response = client_as_manager.post(
        check_url, {"fingerprint": response.context["fingerprint"]}
    )
    assert response.url == plan.get_absolute_url()
    assert Action.objects.filter(plan=plan).count() == 3
    action = Action.objects.get(reference="1.1")
    assert action.history.earliest().history_user == manager
    assert action.history.earliest().history_change_reason == (
        "Imported from tracker.xlsx"
    )
    page = client_as_manager.get(response.url).content.decode()
    assert "Imported from tracker.xlsx: 3 actions created" in page
    # The file is used up: it cannot be imported twice.
    assert client_as_manager.get(check_url).status_code == 404


def test_every_problem_is_named_before_anything_is_saved(client_as_manager, plan):
    rows = tracker_rows(3)
    rows[2][5] = "soon"
    rows[3][2] = "Director of Children's Services"
    _upload(client_as_manager, plan, workbook_bytes(rows))
    record = ImportFile.objects.get()
    columns_url = reverse("imports:importfile_columns", args=[record.pk])
    client_as_manager.post(
        columns_url, _columns_data(client_as_manager.get(columns_url))
    )
    check_url = reverse("imports:importfile_check", args=[record.pk])
    response = client_as_manager.get(check_url)
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Row 5, Target date: “soon” is not a date" in page
    assert (
        "Row 6, Lead Officer: “Director of Children&#x27;s Services” is not yet" in page
    )
    assert response.context["fingerprint"] == ""
    # Confirming anyway saves nothing.
    client_as_manager.post(check_url, {"fingerprint": "anything"})
    assert not Action.objects.exists()
    # The manager chooses to create the owner; the date is still wrong.
    client_as_manager.post(check_url, {"create_owners": "yes"})
    page = client_as_manager.get(check_url).content.decode()
    assert "is not yet an owner" not in page
    assert "New owner: Director of Children&#x27;s Services" in page
    assert not Owner.objects.filter(name__startswith="Director").exists()


def test_a_changed_plan_since_the_check_is_shown_again(client_as_manager, plan):
    _upload(client_as_manager, plan, workbook_bytes(tracker_rows(2)))
    record = ImportFile.objects.get()
    columns_url = reverse("imports:importfile_columns", args=[record.pk])
    client_as_manager.post(
        columns_url, _columns_data(client_as_manager.get(columns_url))
    )
    check_url = reverse("imports:importfile_check", args=[record.pk])
    fingerprint = client_as_manager.get(check_url).context["fingerprint"]
    # Someone adds action 1.1 by hand before the import is confirmed.
    factories.ActionFactory(plan=plan, priority__plan=plan, reference="1.1")
    response = client_as_manager.post(check_url, {"fingerprint": fingerprint})
    assert response.status_code == 200
    assert "Something changed in the plan" in response.content.decode()
    assert Action.objects.count() == 1


def test_the_columns_are_remembered_for_the_plans_next_upload(client_as_manager, plan):
    rows = tracker_rows(1)
    rows[0][9] = "Comments from the lead"
    _upload(client_as_manager, plan, workbook_bytes(rows))
    record = ImportFile.objects.get()
    columns_url = reverse("imports:importfile_columns", args=[record.pk])
    data = _columns_data(client_as_manager.get(columns_url))
    assert data["column_9"] == ""
    data["column_9"] = "note"
    client_as_manager.post(columns_url, data)
    assert ColumnMapping.objects.get(plan=plan).headings["comments from the lead"] == (
        "note"
    )
    _upload(client_as_manager, plan, workbook_bytes(rows))
    second = ImportFile.objects.latest("pk")
    response = client_as_manager.get(
        reverse("imports:importfile_columns", args=[second.pk])
    )
    assert _columns_data(response)["column_9"] == "note"


def test_one_column_for_each_field(client_as_manager, plan):
    _upload(client_as_manager, plan, workbook_bytes(tracker_rows(1)))
    record = ImportFile.objects.get()
    columns_url = reverse("imports:importfile_columns", args=[record.pk])
    data = _columns_data(client_as_manager.get(columns_url))
    data["column_1"] = "reference"
    response = client_as_manager.post(columns_url, data)
    assert response.status_code == 200
    assert "Reference is already the column “Ref”" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.xlsm", b"PK anything", "macros"),
        ("plan.xlsx", b"not a workbook", "may be damaged"),
        ("plan.pdf", b"%PDF", "must be an Excel workbook (.xlsx) or a CSV file"),
    ],
)
def test_a_bad_file_is_refused_beside_the_field(
    client_as_manager, plan, name, data, message
):
    response = _upload(client_as_manager, plan, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportFile.objects.exists()


def test_another_managers_file_is_not_found(client_as_manager, plan, second_manager):
    record = factories.ImportFileFactory(plan=plan, uploaded_by=second_manager)
    for name in ("imports:importfile_columns", "imports:importfile_check"):
        assert client_as_manager.get(reverse(name, args=[record.pk])).status_code == 404


def test_a_file_older_than_a_day_is_gone(client_as_manager, manager, plan):
    import datetime

    from django.utils import timezone

    record = factories.ImportFileFactory(
        plan=plan,
        uploaded_by=manager,
        uploaded_at=timezone.now() - datetime.timedelta(days=1, minutes=1),
    )
    url = reverse("imports:importfile_check", args=[record.pk])
    assert client_as_manager.get(url).status_code == 404
    _upload(client_as_manager, plan, workbook_bytes(tracker_rows(1)))
    assert not ImportFile.objects.filter(pk=record.pk).exists()


def test_the_plan_page_offers_the_import_to_managers_only(
    client_as_manager, plan, officer, client
):
    url = plan.get_absolute_url()
    link = reverse("imports:plan_import", args=[plan.pk])
    assert link in client_as_manager.get(url).content.decode()
    sign_in_as(client, officer)
    assert link not in client.get(url).content.decode()


@pytest.mark.parametrize("count", [5, 40])
def test_checking_page_queries_do_not_grow_with_rows(
    client_as_manager, manager, plan, count, django_assert_max_num_queries
):
    """Guards against a query per row on the check page."""
    record = factories.ImportFileFactory(
        plan=plan,
        uploaded_by=manager,
        name="tracker.xlsx",
        data=workbook_bytes(tracker_rows(count)),
        mapping=[
            "reference",
            "title",
            "lead",
            "supporting",
            "start_date",
            "due_date",
            "status",
            "rag",
            "findings",
            "progress",
        ],
    )
    url = reverse("imports:importfile_check", args=[record.pk])
    with django_assert_max_num_queries(12):
        response = client_as_manager.get(url)
    assert re.search(rf"{count} actions in the file", response.content.decode())
