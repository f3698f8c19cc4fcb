"""Downloads too big to write while a request waits go through the job too.

The limit is lowered here so that a handful of rows counts as "large"; the
rows must be exactly those the same download gives when written at once.
"""

import csv
import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from improvement.board.documents.models import Document
from improvement.board.views import exports as export_views
from improvement.kernel import downloads
from improvement.kernel.history import acting_as
from tests.factories import (
    ActionFactory,
    AuditFactory,
    FindingFactory,
    MeasureFactory,
    MeasureValueFactory,
    PriorityFactory,
    UserFactory,
)
from tests.helpers import (
    DATABASE_QUEUE,
    assert_not_cached,
    body,
    run_worker,
    sign_in_as,
)

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def plan(manager):
    with acting_as(manager):
        priority = PriorityFactory()
        for number in range(1, 4):
            action = ActionFactory(
                priority=priority, reference=f"1.{number}", title=f"Action {number}"
            )
            action.findings.add(FindingFactory(reference=f"R{number}"))
            action.title = f"Action {number}, renamed"
            action.save()
    return priority.plan


def csv_rows(content):
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _written_at_once(client, url, params):
    """The download as written in the request (the usual limit)."""
    assert not Document.objects.exists()
    response = client.get(url, params)
    assert response.status_code == 200
    assert not Document.objects.exists(), "small downloads are written at once"
    return _content(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "params", "kind"),
    [
        ("improvement:action_export_csv", {}, Document.Kind.ACTIONS),
        ("improvement:finding_export_csv", {}, Document.Kind.FINDINGS),
        (
            "improvement:change_export_csv",
            {"since": "2000-01-01"},
            Document.Kind.CHANGES,
        ),
    ],
)
def test_a_large_download_is_prepared_and_holds_the_same_rows(
    client_as_board, plan, monkeypatch, name, params, kind
):
    url = reverse(name)
    at_once = csv_rows(_written_at_once(client_as_board, url, params))

    monkeypatch.setattr(export_views, "ROWS_IN_REQUEST", 2)
    response = client_as_board.get(url, params)
    assert response.status_code == 200
    assert_not_cached(response)
    document = Document.objects.get()
    assert document.kind == kind
    assert document.status == Document.Status.READY
    assert csv_rows(body(response)) == at_once
    assert len(at_once) > 3

    # Asked again: the kept file.
    again = client_as_board.get(url, params)
    assert csv_rows(body(again)) == at_once
    assert Document.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_large_xlsx_waits_for_the_worker(
    client_as_board, plan, settings, monkeypatch
):
    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setattr(export_views, "ROWS_IN_REQUEST", 2)
    url = reverse("improvement:action_export_xlsx")

    response = client_as_board.get(url, {"plan": plan.pk})
    document = Document.objects.get()
    detail = reverse("improvement:document_detail", args=[document.pk])
    assert response.url == detail
    page = client_as_board.get(detail)
    assert "Actions register (XLSX)" in page.text
    assert f'href="{reverse("improvement:action_list")}?plan={plan.pk}"' in page.text

    run_worker()

    response = client_as_board.get(
        reverse("improvement:document_download", args=[document.pk])
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).worksheets[0]
    titles = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == [f"Action {n}, renamed" for n in range(1, 4)]


@pytest.mark.django_db
def test_a_findings_download_needs_the_findings_permission(
    client, board, plan, monkeypatch
):
    monkeypatch.setattr(export_views, "ROWS_IN_REQUEST", 2)
    sign_in_as(client, board)
    client.get(reverse("improvement:finding_export_csv"))
    document = Document.objects.get(kind=Document.Kind.FINDINGS)

    user = UserFactory(username="actions-only")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="improvement", codename="view_action"
        ),
        Permission.objects.get(
            content_type__app_label="improvement", codename="view_plan"
        ),
    )
    sign_in_as(client, user)
    for name in ("improvement:document_detail", "improvement:document_download"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 403


# ---------------------------------------------------------------------------
# The setting that chooses the backend
# ---------------------------------------------------------------------------

SHOW_TASKS = "from django.conf import settings; print(settings.TASKS)"


def _settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW_TASKS],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_queues_jobs_in_the_database_unless_told_otherwise():
    result = _settings_with()
    assert result.returncode == 0, result.stderr
    assert "django_tasks_db.backend.DatabaseBackend" in result.stdout
    result = _settings_with(TASKS_BACKEND="immediate")
    assert "django_tasks.backends.immediate.ImmediateBackend" in result.stdout
    result = _settings_with(TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of database, immediate" in result.stderr


# ---------------------------------------------------------------------------
# Downloads of the apps below the board (measures' values, audits)
# ---------------------------------------------------------------------------


@pytest.fixture
def evidence(plan, manager):
    """Three values of one measure and three audits, in ``plan``."""
    with acting_as(manager):
        measure = MeasureFactory(plan=plan, name="Average caseload")
        for month in (1, 2, 3):
            MeasureValueFactory(
                measure=measure, period=datetime.date(2026, month, 1), value=20 + month
            )
        for number in range(3):
            AuditFactory(plan=plan, case_reference=f"CF-{900 + number}")
    return plan


# The worker closes the database connection it ran in: a transactional test,
# as for the register's XLSX above.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("name", "kind", "column", "expected", "back"),
    [
        (
            "measures:measurevalue_export_csv",
            Document.Kind.MEASURE_VALUES,
            5,
            ["21.00", "22.00", "23.00"],
            "measures:measure_list",
        ),
        (
            "audits:audit_export_csv",
            Document.Kind.AUDITS,
            3,
            ["CF-900", "CF-901", "CF-902"],
            "audits:audit_list",
        ),
    ],
)
def test_a_large_values_or_audits_download_is_prepared_with_the_same_rows(
    client_as_officer,
    evidence,
    monkeypatch,
    settings,
    name,
    kind,
    column,
    expected,
    back,
):
    url = reverse(name)
    params = {"plan": evidence.pk}
    at_once = csv_rows(_written_at_once(client_as_officer, url, params))
    assert sorted(row[column] for row in at_once[1:]) == expected

    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setattr(downloads, "ROWS_IN_REQUEST", 2)
    response = client_as_officer.get(url, params)
    document = Document.objects.get()
    assert (document.kind, document.plan) == (kind, evidence)
    assert response.url == reverse("improvement:document_detail", args=[document.pk])
    page = client_as_officer.get(response.url)
    assert f'href="{reverse(back)}?plan={evidence.pk}"' in page.text

    run_worker()

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    again = client_as_officer.get(url, params)
    assert csv_rows(body(again)) == at_once
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_a_new_value_makes_a_new_values_download(
    client_as_board, evidence, manager, monkeypatch
):
    monkeypatch.setattr(downloads, "ROWS_IN_REQUEST", 2)
    url = reverse("measures:measurevalue_export_csv")
    first = csv_rows(body(client_as_board.get(url, {"plan": evidence.pk})))
    with acting_as(manager):
        MeasureValueFactory(
            measure=evidence.measures.get(), period=datetime.date(2026, 4, 1), value=19
        )
    second = csv_rows(body(client_as_board.get(url, {"plan": evidence.pk})))
    assert len(second) == len(first) + 1
    assert Document.objects.count() == 2


@pytest.mark.django_db
def test_a_prepared_audits_download_needs_the_audits_permission(
    client, board, evidence, monkeypatch
):
    monkeypatch.setattr(downloads, "ROWS_IN_REQUEST", 2)
    sign_in_as(client, board)
    client.get(reverse("audits:audit_export_csv"))
    document = Document.objects.get(kind=Document.Kind.AUDITS)

    user = UserFactory(username="actions-only")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="improvement",
            codename__in=["view_action", "view_plan"],
        )
    )
    sign_in_as(client, user)
    for name in ("improvement:document_detail", "improvement:document_download"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 403
