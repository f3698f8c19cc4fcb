"""Heavy documents are prepared by a background job, kept, and sent again.

The board pack PDF (and any download too big to write while a request waits)
goes through Django's Tasks framework. Most tests use the immediate backend
(the job runs inside the request); the first ones use the real database
backend and its worker, ``manage.py db_worker``, as production does.
"""

import datetime
import io
import os

import pypdf
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from improvement.board.documents.models import PREPARING_TIMEOUT, Document
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    PlanFactory,
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

PDF_URL = "improvement:board_pack_pdf"


@pytest.fixture
def plan(manager):
    """A small plan whose history names the manager, as the site would."""
    with acting_as(manager):
        inspection = InspectionFactory()
        plan = PlanFactory(
            name="Children's services improvement plan", inspections=[inspection]
        )
        priority = PriorityFactory(plan=plan, title="Supervision and caseloads")
        action = ActionFactory(priority=priority, title="Cut caseloads", rag="red")
        action.findings.add(FindingFactory(reference="R1", inspection=inspection))
    return plan


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join((page.extract_text() or "") for page in reader.pages)


# ---------------------------------------------------------------------------
# The real queue: the database backend and its worker
# ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_pack_is_queued_prepared_by_the_worker_and_then_kept(
    client_as_board, plan, database_queue
):
    url = reverse(PDF_URL)

    # Asking for the PDF queues one job and shows the page that follows it.
    response = client_as_board.get(url)
    assert response.status_code == 302
    document = Document.objects.get()
    detail = reverse("improvement:document_detail", args=[document.pk])
    assert response.url == detail
    assert document.status == Document.Status.PREPARING
    job = DBTaskResult.objects.get()
    assert job.status == "READY"
    assert job.task_path == "improvement.board.documents.tasks.prepare_document"
    assert job.args_kwargs["args"] == [str(document.pk)]

    # The page says so, reloads itself every few seconds, and can be refreshed.
    page = client_as_board.get(detail)
    assert page.status_code == 200
    assert page["Refresh"] == "5"
    assert_not_cached(page)
    text = page.text
    assert "Your document is being prepared" in text
    assert "This page updates itself every 5 seconds" in text
    assert f'href="{detail}">Refresh this page</a>' in text
    assert f'href="{detail}?updates=off"' in text
    assert "Board pack for" in text

    # Asking again while it is prepared queues nothing more.
    assert client_as_board.get(url).url == detail
    assert DBTaskResult.objects.count() == 1

    run_worker()

    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.has_file()

    page = client_as_board.get(detail)
    assert "Refresh" not in page
    assert "Your document is ready" in page.text
    download = reverse("improvement:document_download", args=[document.pk])
    assert f'href="{download}"' in page.text

    response = client_as_board.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    assert (
        f'filename="board-pack-{today:%Y-%m-%d}.pdf"'
        in (response["Content-Disposition"])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert_not_cached(response)
    content = body(response)
    assert "Cut caseloads" in pdf_text(content)

    # A second request for the same pack is answered from the kept file.
    again = client_as_board.get(url)
    assert again.status_code == 200
    assert body(again) == content
    assert_not_cached(again)
    assert DBTaskResult.objects.count() == 1
    assert Document.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_lost_for_too_long_fails_and_may_be_tried_again(
    client_as_board, plan, database_queue
):
    client_as_board.get(reverse(PDF_URL))
    document = Document.objects.get()
    detail = reverse("improvement:document_detail", args=[document.pk])
    later = timezone.now() + PREPARING_TIMEOUT + datetime.timedelta(minutes=1)

    with time_machine.travel(later, tick=False):
        page = client_as_board.get(detail)
        assert "Refresh" not in page
        assert "Your document could not be prepared" in page.text
        assert f'href="{detail}?again=1"' in page.text
        # Asking for the same pack meanwhile shows the failure, queuing nothing.
        assert client_as_board.get(reverse(PDF_URL)).url == detail
        assert DBTaskResult.objects.count() == 1

        retry = client_as_board.get(detail, {"again": "1"})
        assert retry.status_code == 302
        assert retry.url == detail
        assert DBTaskResult.objects.count() == 2
        # Following the link twice queues nothing more.
        client_as_board.get(detail, {"again": "1"})
        assert DBTaskResult.objects.count() == 2

    run_worker()
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert "Your document is ready" in client_as_board.get(detail).text


@pytest.mark.django_db(transaction=True)
def test_a_job_that_fails_says_so_plainly_and_trying_again_works(
    client_as_board, plan, database_queue, settings, tmp_path
):
    # The storage cannot be written: its folder is a file.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    working = settings.STORAGES["documents"]
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**working, "OPTIONS": {"location": str(blocked)}},
    }
    client_as_board.get(reverse(PDF_URL))
    run_worker()

    document = Document.objects.get()
    assert document.status == Document.Status.FAILED
    assert DBTaskResult.objects.get().status == "FAILED"
    detail = reverse("improvement:document_detail", args=[document.pk])
    page = client_as_board.get(detail)
    assert "Your document could not be prepared" in page.text
    assert "Nothing in the plan has been changed" in page.text
    assert "Refresh" not in page
    download = client_as_board.get(
        reverse("improvement:document_download", args=[document.pk])
    )
    assert download.status_code == 302
    assert download.url == detail

    settings.STORAGES = {**settings.STORAGES, "documents": working}
    client_as_board.get(detail, {"again": "1"})
    run_worker()
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    response = client_as_board.get(reverse(PDF_URL))
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_a_job_stopped_before_it_could_say_so_shows_as_failed(
    client_as_board, plan, database_queue
):
    """A worker forced to stop mid-job: the task backend records the failure
    (the job itself never got to), and the page reads it from there."""
    client_as_board.get(reverse(PDF_URL))
    document = Document.objects.get()
    job = DBTaskResult.objects.get()
    job.claim("a worker that was stopped")
    job.set_failed(SystemExit(1))

    detail = reverse("improvement:document_detail", args=[document.pk])
    page = client_as_board.get(detail)
    assert "Your document could not be prepared" in page.text
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED


# ---------------------------------------------------------------------------
# Kept documents: the key (immediate backend)
# ---------------------------------------------------------------------------


def _get_pdf(client, **params):
    response = client.get(reverse(PDF_URL), params)
    assert response.status_code == 200, response
    return body(response)


@pytest.mark.django_db
def test_the_same_pack_is_sent_again_and_a_change_makes_a_new_one(
    client_as_board, plan, manager
):
    first = _get_pdf(client_as_board)
    assert _get_pdf(client_as_board) == first
    assert Document.objects.count() == 1

    action = Action.objects.get(plan=plan)
    with acting_as(manager):
        action.title = "Halve caseloads by March"
        action.save()

    second = _get_pdf(client_as_board)
    assert Document.objects.count() == 2
    assert "Halve caseloads by March" in pdf_text(second)
    assert "Halve caseloads by March" not in pdf_text(first)
    newest = Document.objects.order_by("-requested_at").first()
    assert newest.includes_changes_to == action.history.latest().history_date


#: Queries to send a kept pack: the session and person, the plans on offer,
#: the latest change of everything the pack shows (one query) and the
#: document itself.
KEPT_PACK_QUERIES = 6


def _sending_queries(client, plan):
    """Queries to send the pack kept for ``plan`` (prepared first if need be)."""
    _get_pdf(client, plan=plan.pk)
    with CaptureQueriesContext(connection) as captured:
        _get_pdf(client, plan=plan.pk)
    return len(captured)


@pytest.mark.django_db
def test_sending_a_kept_pack_takes_the_same_few_queries_however_long_the_history(
    client_as_board, plan, manager
):
    small = _sending_queries(client_as_board, plan)
    action = Action.objects.get(plan=plan)
    with acting_as(manager):
        for n in range(30):
            action.description = f"Caseloads reviewed, week {n}"
            action.save()
            ActionFactory(priority=action.priority)
    assert _sending_queries(client_as_board, plan) == small == KEPT_PACK_QUERIES


@pytest.mark.django_db
def test_other_dates_make_another_document(client_as_board, plan):
    _get_pdf(client_as_board)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _get_pdf(client_as_board, as_at=str(yesterday))
    _get_pdf(client_as_board, since=str(yesterday - datetime.timedelta(days=7)))
    assert Document.objects.count() == 3
    assert len(set(Document.objects.values_list("key", flat=True))) == 3


@pytest.mark.django_db
def test_a_change_to_another_plan_keeps_the_document(client_as_board, plan, manager):
    with acting_as(manager):
        elsewhere = ActionFactory(title="Somewhere else")
    _get_pdf(client_as_board, plan=plan.pk)
    with acting_as(manager):
        elsewhere.title = "Somewhere else entirely"
        elsewhere.save()
    _get_pdf(client_as_board, plan=plan.pk)
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_a_change_to_a_finding_makes_a_new_document(client_as_board, plan, manager):
    _get_pdf(client_as_board)
    with acting_as(manager):
        FindingFactory(
            reference="R2",
            title="Nothing answers this",
            inspection=plan.inspections.get(),
        )
    assert "R2: Nothing answers this" in pdf_text(_get_pdf(client_as_board))
    assert Document.objects.count() == 2


@pytest.mark.django_db
def test_a_progress_update_makes_a_new_document(client_as_board, plan, officer):
    _get_pdf(client_as_board)
    action = Action.objects.get(plan=plan)
    with acting_as(officer):
        action.progress_updates.create(
            author=officer,
            update_date=timezone.localdate(),
            narrative="Caseloads are down to 18 per worker.",
            status=Action.Status.IN_PROGRESS,
            rag=Action.Rag.AMBER,
        )
    _get_pdf(client_as_board)
    assert Document.objects.count() == 2


@pytest.mark.django_db
def test_a_kept_file_that_has_gone_is_prepared_again(client_as_board, plan):
    first = _get_pdf(client_as_board)
    document = Document.objects.get()
    document.delete_file()
    assert not document.has_file()
    assert pdf_text(_get_pdf(client_as_board)) == pdf_text(first)
    document.refresh_from_db()
    assert document.has_file()
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_bad_choices_queue_nothing(client_as_board, plan):
    response = client_as_board.get(reverse(PDF_URL), {"as_at": "2099-01-01"})
    assert "The date of the pack must be today or earlier" in response.text
    assert not Document.objects.exists()


# ---------------------------------------------------------------------------
# Who may see a document
# ---------------------------------------------------------------------------


@pytest.fixture
def prepared(manager, plan):
    """A board pack the manager asked for, ready to download."""
    client = Client()
    sign_in_as(client, manager)
    _get_pdf(client)
    return Document.objects.get()


def _document_urls(document):
    return [
        reverse("improvement:document_detail", args=[document.pk]),
        reverse("improvement:document_download", args=[document.pk]),
        reverse(PDF_URL),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["board", "officer", "manager"])
def test_every_role_that_views_the_plan_may_fetch_it(
    role, request, board, officer, prepared
):
    # (Every person exists before the pack is made: a new officer's owner
    # record is a change the pack could include.)
    client = Client()
    sign_in_as(client, request.getfixturevalue(role))
    detail, download, pdf = _document_urls(prepared)
    assert client.get(detail).status_code == 200
    response = client.get(download)
    assert response.status_code == 200
    assert pdf_text(body(response))
    assert client.get(pdf).status_code == 200
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_someone_without_a_role_is_refused(client, no_group_user, prepared):
    sign_in_as(client, no_group_user)
    for url in _document_urls(prepared):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, prepared):
    for url in _document_urls(prepared):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.django_db
def test_someone_who_may_not_see_the_plan_is_told_it_does_not_exist(client, prepared):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="actions-only")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="improvement", codename="view_action"
        )
    )
    sign_in_as(client, user)
    detail, download, _ = _document_urls(prepared)
    assert client.get(detail).status_code == 404
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_documents_are_read_only(client, manager, board, prepared):
    detail, download, _ = _document_urls(prepared)
    sign_in_as(client, manager)
    for url in (detail, download):
        assert client.post(url).status_code == 405
    sign_in_as(client, board)
    for url in (detail, download):
        assert client.post(url).status_code == 403


@pytest.mark.django_db
def test_an_unknown_document_is_not_found(client_as_board):
    url = reverse(
        "improvement:document_detail", args=["7d6b1c1e-0000-4000-8000-000000000000"]
    )
    assert client_as_board.get(url).status_code == 404


# ---------------------------------------------------------------------------
# Pruning old documents
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_old_documents_and_stray_files_are_pruned(client_as_board, plan):
    import os

    from django.core.files.base import ContentFile

    from improvement.board.documents.models import document_storage

    storage = document_storage()
    _get_pdf(client_as_board, as_at=str(timezone.localdate() - datetime.timedelta(1)))
    _get_pdf(client_as_board)
    old, recent = Document.objects.order_by("requested_at")
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Document.objects.filter(pk=old.pk).update(requested_at=eight_days_ago)
    stray = storage.save("board_pack/left-by-a-stopped-job.pdf", ContentFile(b"%"))
    fresh_stray = storage.save("board_pack/being-written.pdf", ContentFile(b"%"))
    when = eight_days_ago.timestamp()
    os.utime(storage.path(stray), (when, when))

    out = io.StringIO()
    call_command("prune_documents", "--dry-run", stdout=out)
    assert "Would delete 1 document(s) and 1 stray file(s)" in out.getvalue()
    assert Document.objects.count() == 2
    assert storage.exists(stray)

    out = io.StringIO()
    call_command("prune_documents", stdout=out)
    assert "Deleted 1 document(s) and 1 stray file(s)" in out.getvalue()
    assert list(Document.objects.all()) == [recent]
    assert not storage.exists(old.file_name)
    assert not storage.exists(stray)
    assert storage.exists(fresh_stray)
    assert recent.has_file()


@pytest.mark.django_db
def test_a_document_being_prepared_is_not_pruned(client_as_board, plan, settings):
    settings.TASKS = DATABASE_QUEUE
    client_as_board.get(reverse(PDF_URL))
    call_command("prune_documents", "--days", "0", stdout=io.StringIO())
    assert Document.objects.get().status == Document.Status.PREPARING


_LOADED = (
    "import sys, django;"
    "sys.argv = ['manage.py', {command!r}];"
    "import os;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'improvement.settings');"
    "django.setup();"
    "print('weasyprint' in sys.modules)"
)


@pytest.mark.parametrize(
    ("command", "loaded"), [("db_worker", "True"), ("runserver", "False")]
)
def test_the_worker_loads_the_pdf_typesetter_when_it_starts(command, loaded):
    """The first board pack a worker makes does not wait for WeasyPrint to
    load; the web servers, which never typeset, do not load it."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "-c", _LOADED.format(command=command)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == loaded, result.stderr
