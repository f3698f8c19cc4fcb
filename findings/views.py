"""The findings register: the list, a finding's page and its form.

What answers a finding (the plan's actions, and the page linking them) comes
from ``findings.answers``, which the plan app fills: findings never import it.
"""

import functools

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from findings.answers import answers
from findings.filters import FindingFilter
from findings.forms import FindingForm, FindingJudgementForm
from findings.history import finding_timeline
from findings.models import Finding, FindingJudgement
from improvement.kernel.editing import add_page, edit_page
from improvement.kernel.permissions import (
    can_add_finding,
    can_add_finding_judgement,
    can_edit_finding,
    can_edit_finding_judgement,
    can_view_finding_judgements,
    require,
)
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
    judgements = list(
        FindingJudgement.objects.visible_to(request.user)
        .filter(finding=finding)
        .select_related("monitoring_visit")
        .in_visit_order()
    )
    return render(
        request,
        "findings/finding_detail.html",
        {
            "finding": finding,
            "answers": answers().panel(request, finding),
            "judgements": judgements,
            "latest_judgement": judgements[-1] if judgements else None,
            "can_see_judgements": can_view_finding_judgements(request.user),
            "timeline": history.entries,
            "history": history,
            "can_edit": can_edit_finding(request.user),
            "can_judge": can_add_finding_judgement(request.user),
            "can_edit_judgements": can_edit_finding_judgement(request.user),
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


def _judgement_form(finding):
    """The judgement form for ``finding``, as the add and edit pages build it."""
    return functools.partial(FindingJudgementForm, finding=finding)


@require(can_add_finding_judgement)
def finding_judgement_create(request, pk):
    """Improvement managers record how a later visit judged a finding's progress."""
    finding = _get_finding(request, pk)
    return add_page(
        request,
        _judgement_form(finding),
        "findings/judgement_form.html",
        name=lambda judgement: f"Judgement of finding {finding.reference}",
        context={
            "finding": finding,
            "page_title": "Record progress judged at a later visit",
            "submit_label": "Record judgement",
            "cancel_url": finding.get_absolute_url(),
        },
    )


def _get_judgement(request, pk):
    """The judgement ``pk`` with its finding and visit, if the user may see it."""
    return get_object_or_404(
        FindingJudgement.objects.visible_to(request.user).select_related(
            "finding",
            "finding__inspection",
            "finding__monitoring_visit",
            "monitoring_visit",
        ),
        pk=pk,
    )


@require(can_edit_finding_judgement)
def finding_judgement_edit(request, pk):
    """Improvement managers correct a judgement: its visit, progress or words."""
    judgement = _get_judgement(request, pk)
    finding = judgement.finding
    return edit_page(
        request,
        lambda: _get_judgement(request, pk),
        FindingJudgementForm,
        "findings/judgement_form.html",
        name=lambda record: f"Judgement of finding {finding.reference}",
        context=lambda record: {
            "finding": finding,
            "judgement": record,
            "page_title": f"Edit the judgement of finding {finding.reference}",
            "cancel_url": finding.get_absolute_url(),
        },
        form_kwargs={"finding": finding},
    )
