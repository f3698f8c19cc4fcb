"""The background job that prepares a document, and what each kind holds.

The job runs in ``manage.py db_worker`` (the database backend), or at once in
the request with the immediate backend (tests and local use). It is given the
document's id only; everything else it needs is on the document.
"""

import datetime

from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from improvement.board.documents.models import Document
from improvement.kernel import downloads, spreadsheets


def _date(text):
    return datetime.date.fromisoformat(text)


def _requester(document):
    if document.requested_by is None:
        raise LookupError("The person who asked for this download has no account")
    return document.requested_by


def board_pack_pdf(document):
    from improvement.board.pack import pack_content, pack_pdf

    parameters = document.parameters
    pack = pack_content(
        document.plan,
        _date(parameters["as_at"]),
        _date(parameters["since"]),
        timezone.localdate(),
    )
    return pack_pdf(pack, parameters["base_url"])


def actions_register(document):
    from improvement.board import exports
    from improvement.board.views.exports import actions_for

    parameters = document.parameters
    actions = actions_for(QueryDict(parameters["query"]), _requester(document))
    table = exports.actions_table(actions, today=_date(parameters["today"]))
    return spreadsheets.table_bytes(table, document.file_type)


def findings_register(document):
    from improvement.board.views.exports import findings_table_for

    query = QueryDict(document.parameters["query"])
    table = findings_table_for(query, _requester(document))
    return spreadsheets.table_bytes(table, document.file_type)


def changes_list(document):
    from improvement.board.views.exports import changes_table_for

    parameters = document.parameters
    table = changes_table_for(
        document.plan, _date(parameters["since"]), _date(parameters["until"])
    )
    return spreadsheets.table_bytes(table, document.file_type)


def registered_download(document):
    """A download an app registered with ``kernel.downloads``."""
    table = downloads.table_for(document.kind, _requester(document), document.plan)
    return spreadsheets.table_bytes(table, document.file_type)


#: What makes the file of each kind of document: a function of the document
#: that returns the file's bytes.
MAKERS = {
    Document.Kind.BOARD_PACK: board_pack_pdf,
    Document.Kind.ACTIONS: actions_register,
    Document.Kind.FINDINGS: findings_register,
    Document.Kind.CHANGES: changes_list,
    Document.Kind.MEASURE_VALUES: registered_download,
    Document.Kind.AUDITS: registered_download,
}


@task()
def prepare_document(document_id):
    """Make the document's file and keep it; on failure, say so on the document.

    Returns the kept file's name. A document already prepared (by an earlier
    job for the same request) or since deleted is left alone.
    """
    document = (
        Document.objects.select_related("plan", "requested_by")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.status != Document.Status.PREPARING:
        return None
    try:
        document.keep(MAKERS[document.kind](document))
    except Exception as error:
        # Recorded on the document for the person, and re-raised so the task
        # backend records the job as failed and logs the traceback.
        document.fail(f"{type(error).__name__}: {error}")
        raise
    return document.file_name
