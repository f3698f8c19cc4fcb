"""Asking for a document: find the kept one, or start a job to prepare it.

``request_document`` is what a download view calls. It works out the
document's key (what it holds, and the latest change to the records it
includes), returns the kept document when one has that key, and otherwise
records a new one and queues the job that prepares it. ``respond`` then sends
the file when it is ready, or the page that says it is being prepared.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskException

from findings.models import Finding, Theme
from improvement.audits.models import Audit, PracticeWeek
from improvement.board.documents.models import Document
from improvement.board.documents.tasks import prepare_document
from improvement.board.pack import PACK_RECORDS
from improvement.kernel.kept import latest, moment, newest_rows
from improvement.measures.models import Measure, MeasureTarget, MeasureValue
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from visits.models import Inspection, Judgement, MonitoringVisit

logger = logging.getLogger(__name__)

#: Raise this when what a document of any kind looks like changes (its
#: template or columns), so documents kept before the change are not sent.
DOCUMENT_FORMAT = 3

#: Records that a document may show whichever plan it is for (owners'
#: names, findings and where they came from). A change to any of them
#: counts for every document.
SHARED_RECORDS = (Owner, Finding, Theme, Inspection, Judgement, MonitoringVisit)


#: The records that belong to one plan.
PLAN_RECORDS = (Plan, Priority, Action, ProgressUpdate)


def plan_histories(plan):
    """The history rows of ``plan``'s own records, one queryset per model.

    The plan, its priorities, and every action that has ever been in it (an
    action moved to another plan leaves it, which changes it too) with their
    progress updates. Link changes are rows of the action's history.
    """
    ever_in_plan = Action.history.filter(plan_id=plan.pk).values("id")
    return [
        Plan.history.filter(id=plan.pk),
        Priority.history.filter(plan_id=plan.pk),
        Action.history.filter(id__in=ever_in_plan),
        ProgressUpdate.history.filter(action_id__in=ever_in_plan),
    ]


def latest_change(plan=None, also=()):
    """The moment of the latest change to the records a document may include.

    For a plan: the plan, its priorities, every action that has ever been in
    it (an action moved to another plan leaves it, which changes it too) with
    their links and progress updates, and the shared records. Without a plan:
    every plan's records. ``also``: more models whose every change counts
    (what one kind of document shows besides). Read from the history tables'
    date indexes, in one query. None when nothing has any history yet.
    """
    if plan is None:
        rows = [model.history.all() for model in (*PLAN_RECORDS, *SHARED_RECORDS)]
    else:
        rows = plan_histories(plan) + [m.history.all() for m in SHARED_RECORDS]
    rows += [model.history.all() for model in also]
    moments = [moment(value) for value in newest_rows([latest(r) for r in rows])]
    return max((when for when in moments if when is not None), default=None)


def document_key(*, kind, file_type, plan, parameters, latest):
    """A fingerprint of everything the document's content depends on."""
    identity = {
        "format": DOCUMENT_FORMAT,
        "kind": kind,
        "file_type": file_type,
        "plan": getattr(plan, "pk", None),
        "parameters": parameters,
        "latest_change": latest.isoformat() if latest else None,
        "settings": [
            settings.COUNCIL_NAME,
            settings.SERVICE_NAME,
            settings.STALE_AFTER_DAYS,
        ],
    }
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Records each kind of document shows besides the plan's own (and the
#: shared records): the pack's measures, audits and meetings; the measures'
#: and audits' own downloads.
SHOWN_BESIDES = {
    Document.Kind.BOARD_PACK: PACK_RECORDS,
    Document.Kind.MEASURE_VALUES: (Measure, MeasureTarget, MeasureValue),
    Document.Kind.AUDITS: (Audit, PracticeWeek),
}


def _shown_besides(kind):
    """Records a document of ``kind`` shows besides the plan's own."""
    return SHOWN_BESIDES.get(kind, ())


def is_current(document):
    """Whether ``document`` still holds what would be made now from the same
    choices (nothing it includes has changed since)."""
    key = document_key(
        kind=document.kind,
        file_type=document.file_type,
        plan=document.plan,
        parameters=document.parameters,
        latest=latest_change(document.plan, _shown_besides(document.kind)),
    )
    return key == document.key


def request_document(
    user, *, kind, file_type, plan, parameters, title, filename, back_url=""
):
    """The document for these choices: the kept one, or a new one being prepared.

    Asking again for a document that is being prepared, or that failed,
    returns it as it is and queues nothing: the person sees its progress (or
    the failure, with a way to try again).
    """
    latest = latest_change(plan, _shown_besides(kind))
    key = document_key(
        kind=kind,
        file_type=file_type,
        plan=plan,
        parameters=parameters,
        latest=latest,
    )
    document, created = Document.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "file_type": file_type,
            "plan": plan,
            "parameters": parameters,
            "title": title,
            "filename": filename,
            "back_url": back_url,
            "includes_changes_to": latest,
            "requested_by": user,
        },
    )
    if created:
        start(document)
    elif document.status == Document.Status.READY and not document.has_file():
        # The kept file has gone (the storage was cleared): prepare it again.
        start_again(document, file_lost=True)
    return document


def prepare_download(
    request, *, kind, extension, plan, name, title, back, parameters=None
):
    """A download through a background job: the kept file, or the page about
    its progress. Asking again from the page it came from comes back to it
    with the same query string."""
    query = request.GET.urlencode()
    document = request_document(
        request.user,
        kind=kind,
        file_type=extension,
        plan=plan,
        parameters=parameters or {},
        title=f"{title} ({extension.upper()})",
        filename=f"{name}.{extension}",
        back_url=f"{back}?{query}" if query else back,
    )
    return respond(document)


def start(document):
    """Queue the job that prepares ``document`` (or, immediately, run it)."""
    try:
        result = prepare_document.enqueue(str(document.pk))
    except Exception as error:  # the queue itself is unavailable
        logger.exception("Could not queue document %s", document.pk)
        document.fail(f"Could not queue the job: {type(error).__name__}")
        return
    # Only the job id: the job (run at once by the immediate backend) may
    # already have saved the outcome.
    Document.objects.filter(pk=document.pk).update(task_id=str(result.id))
    document.refresh_from_db()


def start_again(document, *, file_lost=False):
    """Prepare a failed (or lost) document again. Harmless to repeat.

    Only one of several people asking at the same moment queues a job: the
    document is claimed by a conditional update.
    """
    candidates = Document.objects.filter(pk=document.pk)
    if file_lost:
        candidates = candidates.filter(status=Document.Status.READY)
    else:
        candidates = candidates.may_start_again()
    claimed = candidates.update(
        status=Document.Status.PREPARING,
        requested_at=timezone.now(),
        finished_at=None,
        error="",
        task_id="",
        file_name="",
        size=None,
    )
    document.refresh_from_db()
    if claimed:
        start(document)


def check_job(document):
    """Notice a job that failed before it could record the failure itself.

    The job records its own errors; this catches the rest (the job could not
    be loaded, the worker was stopped), where the task backend keeps results.
    """
    if document.status != Document.Status.PREPARING or not document.task_id:
        return
    backend = prepare_document.get_backend()
    if not backend.supports_get_result:
        return
    try:
        result = prepare_document.get_result(document.task_id)
    except TaskException:
        return
    if result.status == TaskResultStatus.FAILED:
        document.refresh_from_db()
        if document.status == Document.Status.PREPARING:
            document.fail("The job failed before the document was kept")


def file_response(document):
    """The kept file as a download that no cache keeps."""
    response = FileResponse(
        document.open(),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    add_never_cache_headers(response)
    return response


def respond(document):
    """The file when it is ready; otherwise the page about its progress."""
    if document.status == Document.Status.READY:
        return file_response(document)
    return redirect("improvement:document_detail", pk=document.pk)
