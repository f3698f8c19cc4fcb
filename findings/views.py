"""The findings register: the list, a finding's page and its form.

What answers a finding (the plan's actions, and the page linking them) comes
from ``findings.answers``, which the plan app fills: findings never import it.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from findings.answers import answers
from findings.filters import FindingFilter
from findings.forms import FindingForm
from findings.history import finding_timeline
from findings.models import Finding
from improvement.kernel.editing import add_page, edit_page
from improvement.kernel.permissions import can_add_finding, can_edit_finding, require
from improvement.kernel.query import positive_int
from improvement.kernel.timeline import latest_changes
from improvement.kernel.views import history_page
from visits.models import Inspection, MonitoringVisit

PAGE_SIZE = 25


def _get_finding(request, pk):
    return get_object_or_404(
        Finding.objects.visible_to(request.user).with_source(), pk=pk
    )


@require_safe
def finding_list(request):
    """Everyone signed in: the findings register, filtered, sorted and paginated."""
    findings = Finding.objects.visible_to(request.user).with_source().with_is_answered()
    prefetch = answers().prefetch(request.user)
    if prefetch is not None:
        findings = findings.prefetch_related(prefetch)
    finding_filter = FindingFilter(
        request.GET or None, queryset=findings, request=request
    )
    page_obj = Paginator(finding_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "findings/finding_list.html",
        {
            "filter_form": finding_filter.form,
            "page_obj": page_obj,
            "object_list": page_obj.object_list,
            "can_add": can_add_finding(request.user),
            "answers_template": answers().list_template,
            "downloads": answers().downloads(),
        },
    )


def _get_finding(request, pk):
    """The finding ``pk`` if the user may see it, else 404."""
    return get_object_or_404(
        Finding.objects.visible_to(request.user)
        .with_source()
        .prefetch_related("themes"),
        pk=pk,
    )


@require_safe
def finding_history(request, pk):
    """Every change to a finding and its links to actions, a page at a time."""
    finding = _get_finding(request, pk)
    return history_page(
        request,
        finding,
        finding_timeline(finding),
        breadcrumbs=[("Findings", reverse("findings:finding_list"))],
    )


@require_safe
def finding_detail(request, pk):
    """Everyone signed in: a finding, what answers it, and its history."""
    finding = _get_finding(request, pk)
    history = latest_changes(
        finding_timeline(finding), reverse("findings:finding_history", args=[pk])
    )
    return render(
        request,
        "findings/finding_detail.html",
        {
            "finding": finding,
            "answers": answers().panel(request, finding),
            "timeline": history.entries,
            "history": history,
            "can_edit": can_edit_finding(request.user),
        },
    )


def _preselected_source(request):
    """The inspection or visit named by ``?inspection=`` or ``?visit=``, if any.

    Ids that are not numbers, or name nothing the user may see, are ignored.
    """
    initial = {}
    inspection_id = positive_int(request.GET.get("inspection"))
    visit_id = positive_int(request.GET.get("visit"))
    if inspection_id:
        inspection = (
            Inspection.objects.visible_to(request.user).filter(pk=inspection_id).first()
        )
        if inspection is not None:
            initial["inspection"] = inspection
    elif visit_id:
        visit = (
            MonitoringVisit.objects.visible_to(request.user).filter(pk=visit_id).first()
        )
        if visit is not None:
            initial["monitoring_visit"] = visit
    return initial


@require(can_add_finding)
def finding_create(request):
    """Improvement managers add a finding raised by an inspection or a visit."""
    initial = _preselected_source(request)
    source = initial.get("inspection") or initial.get("monitoring_visit")
    return add_page(
        request,
        FindingForm,
        "findings/finding_form.html",
        initial=initial,
        name=lambda finding: f"Finding {finding.reference}",
        context={
            "source": source,
            "page_title": "Add a finding",
            "submit_label": "Add finding",
            "cancel_url": source.get_absolute_url()
            if source
            else reverse("findings:finding_list"),
        },
    )


@require(can_edit_finding)
def finding_edit(request, pk):
    """Improvement managers correct a finding's source, wording, themes or priority."""
    return edit_page(
        request,
        lambda: _get_finding(request, pk),
        FindingForm,
        "findings/finding_form.html",
        name=lambda finding: f"Finding {finding.reference}",
        context=lambda finding: {
            "finding": finding,
            "page_title": f"Edit finding {finding.reference}",
            "cancel_url": finding.get_absolute_url(),
        },
    )
