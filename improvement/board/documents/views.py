"""The page that follows a document's preparation, and its download.

Only people who may see what the document holds may open either: the same
view permission as the page it came from (403 without it, as everywhere),
and the plan must be one they may see (404 otherwise). Both answers carry
``Cache-Control: no-store``, so a shared computer's browser keeps nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from improvement.board.documents.models import PREPARING_TIMEOUT, Document
from improvement.board.documents.service import (
    check_job,
    file_response,
    start_again,
)
from improvement.kernel.permissions import (
    can_view_actions,
    can_view_audits,
    can_view_findings,
    can_view_measures,
)
from improvement.plan.models import Plan

#: While a document is being prepared its page reloads itself this often
#: (no JavaScript needed), unless the person turns that off.
REFRESH_SECONDS = 5

#: The rule that allows opening a document of each kind: the same as for the
#: page it is downloaded from.
RULES = {
    Document.Kind.BOARD_PACK: can_view_actions,
    Document.Kind.ACTIONS: can_view_actions,
    Document.Kind.FINDINGS: can_view_findings,
    Document.Kind.CHANGES: can_view_actions,
    Document.Kind.MEASURE_VALUES: can_view_measures,
    Document.Kind.AUDITS: can_view_audits,
}


def _document_for(user, pk):
    """The document, if ``user`` may see what it holds (else 403 or 404)."""
    document = get_object_or_404(Document.objects.select_related("plan"), pk=pk)
    if not RULES[document.kind](user):
        raise PermissionDenied
    if (
        document.plan_id is not None
        and not Plan.objects.visible_to(user).filter(pk=document.plan_id).exists()
    ):
        raise Http404("No such document")
    return document


@require_safe
@never_cache
def document_detail(request, pk):
    """Being prepared (the page reloads itself), ready (a download link), or
    failed (with a link to try again).

    Trying again is a link, not a form: board members may post nothing, and
    it only ever restarts a failed job, so following it twice does no harm.
    """
    document = _document_for(request.user, pk)
    detail = reverse("improvement:document_detail", args=[document.pk])
    if "again" in request.GET:
        if document.current_status() == Document.Status.FAILED:
            start_again(document)
        return redirect(detail)
    check_job(document)
    status = document.current_status()
    stopped = request.GET.get("updates") == "off"
    updating = status == Document.Status.PREPARING and not stopped
    context = {
        "document": document,
        "status": status,
        "Status": Document.Status,
        "updating": updating,
        "stopped": stopped,
        "banner": (
            f"This page updates itself every {REFRESH_SECONDS} seconds. A link "
            "to download the document will appear here when it is ready."
            if updating
            else "This page does not update itself. Refresh it to see whether "
            "the document is ready."
        ),
        "timeout_minutes": int(PREPARING_TIMEOUT.total_seconds() // 60),
        "detail_url": detail,
        "page_title": document.title,
    }
    response = render(request, "documents/document.html", context)
    if updating:
        # The Refresh header reloads the page as <meta http-equiv="refresh">
        # would. The page offers to stop it (WCAG 2.2.1: a time limit the
        # person can turn off), and has a plain Refresh link either way.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_safe
@never_cache
def document_download(request, pk):
    """The kept file; until it is ready, the page about its progress."""
    document = _document_for(request.user, pk)
    if document.current_status() == Document.Status.READY:
        if document.has_file():
            return file_response(document)
        # The kept file has gone (the storage was cleared): make it again.
        start_again(document, file_lost=True)
    return redirect("improvement:document_detail", pk=document.pk)
