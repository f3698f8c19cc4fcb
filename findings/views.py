"""The findings register: the list, a finding's page, its form and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from findings.filters import FindingFilter
from findings.forms import ActionLinkForm, FindingForm
from findings.history import finding_timeline
from findings.models import Finding
from improvement.kernel.editing import edit_with_version, saved_message
from improvement.kernel.permissions import is_manager
from improvement.kernel.query import positive_int, search_text
from visits.models import Inspection, MonitoringVisit

PAGE_SIZE = 25
#: How many actions the "link an action" page offers before asking for a search.
MAX_CANDIDATES = 50


def _action_model():
    """The plan's Action model, reached through the relation (no upward import)."""
    return Finding._meta.get_field("actions").related_model


def _visible_actions(user):
    return _action_model().objects.visible_to(user).select_related("plan")


def can_link_actions(user):
    """Improvement managers may link any action to a finding from its page.

    Officers link the findings their own actions answer from the action's page.
    """
    return is_manager(user) and user.has_perm("improvement.change_action")


def _get_finding(request, pk):
    return get_object_or_404(
        Finding.objects.visible_to(request.user).with_source(), pk=pk
    )


@require_safe
def finding_list(request):
    """Everyone signed in: the findings register, filtered, sorted and paginated."""
    findings = (
        Finding.objects.visible_to(request.user)
        .with_source()
        .with_is_answered()
        .prefetch_related(Prefetch("actions", queryset=_visible_actions(request.user)))
    )
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
            "can_add": request.user.has_perm("findings.add_finding"),
        },
    )


@require_safe
def finding_detail(request, pk):
    """Everyone signed in: a finding, the actions answering it, and its history."""
    finding = get_object_or_404(
        Finding.objects.visible_to(request.user)
        .with_source()
        .prefetch_related(
            "themes",
            Prefetch(
                "actions",
                queryset=_visible_actions(request.user).select_related("lead_owner"),
            ),
        ),
        pk=pk,
    )
    actions = list(finding.actions.all())
    # A strength needs no action: none is offered, though links made before
    # can still be removed.
    is_strength = finding.kind == Finding.Kind.STRENGTH
    return render(
        request,
        "findings/finding_detail.html",
        {
            "finding": finding,
            "actions": actions,
            "is_unanswered": not actions and not is_strength,
            "timeline": finding_timeline(finding),
            "can_edit": request.user.has_perm("findings.change_finding"),
            "can_link": can_link_actions(request.user)
            and (not is_strength or bool(actions)),
            "can_add_action": is_manager(request.user)
            and request.user.has_perm("improvement.add_action")
            and not is_strength,
            "today": timezone.localdate(),
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


@permission_required("findings.add_finding", raise_exception=True)
def finding_create(request):
    """Improvement managers add a finding raised by an inspection or a visit."""
    initial = _preselected_source(request)
    data = request.POST if request.method == "POST" else None
    form = FindingForm(data, initial=initial)
    form.fields.pop("version")
    if form.is_bound and form.is_valid():
        with transaction.atomic():
            finding = form.save()
        messages.success(request, f"Finding {finding.reference} added")
        return redirect(finding)
    source = initial.get("inspection") or initial.get("monitoring_visit")
    return render(
        request,
        "findings/finding_form.html",
        {
            "form": form,
            "source": source,
            "page_title": "Add a finding",
            "submit_label": "Add finding",
            "cancel_url": source.get_absolute_url()
            if source
            else reverse("findings:finding_list"),
        },
    )


@permission_required("findings.change_finding", raise_exception=True)
def finding_update(request, pk):
    """Improvement managers correct a finding's source, wording, themes or priority."""
    result = edit_with_version(request, lambda: _get_finding(request, pk), FindingForm)
    finding = result.stored
    if result.saved:
        messages.success(request, saved_message(result, f"Finding {finding.reference}"))
        return redirect(finding)
    return render(
        request,
        "findings/finding_form.html",
        {
            "form": result.form,
            "finding": finding,
            "conflict": result.conflict,
            "page_title": f"Edit finding {finding.reference}",
            "cancel_url": finding.get_absolute_url(),
        },
        status=result.status,
    )


def _confirm_unlink(request, finding, action):
    """Ask before an action stops answering the finding: nothing changes yet."""
    page = reverse("findings:finding_actions", args=[finding.pk])
    return render(
        request,
        "layouts/confirm.html",
        {
            "page_title": f"Stop action {action.reference} answering finding "
            f"{finding.reference}?",
            "caption": f"Finding {finding.reference}: {finding.title}",
            "body": f"Action {action.reference}: {action.title} will no longer "
            f"answer finding {finding.reference}. The change is kept in the "
            "action's history, and you can link the action again later.",
            "hidden": [("remove", action.pk)],
            "button": "Yes, remove the link",
            "cancel_url": page,
            "form_action": page,
        },
    )


def finding_actions(request, pk):
    """Improvement managers link existing actions to a finding, or unlink them."""
    finding = _get_finding(request, pk)
    if not can_link_actions(request.user):
        raise PermissionDenied
    actions = _visible_actions(request.user)
    data = request.POST if request.method == "POST" else None
    if data is None and "remove" in request.GET:
        data = {"remove": request.GET["remove"]}  # asks for the confirmation
    form = ActionLinkForm(data, finding=finding, actions=actions)
    if form.is_bound and form.is_valid() and form.needs_confirmation:
        return _confirm_unlink(request, finding, form.cleaned_data["remove"])
    if request.method != "POST" and form.is_bound:
        form = ActionLinkForm(finding=finding, actions=actions)
    if form.is_bound and form.is_valid():
        added = list(form.cleaned_data["add"])
        removed = form.cleaned_data["remove"]
        with transaction.atomic():
            # Linked from the action's side, so the action's history records it.
            for action in added:
                action.findings.add(finding)
            if removed is not None:
                removed.findings.remove(finding)
        if added:
            names = ", ".join(action.reference for action in added)
            messages.success(
                request,
                f"Linked action{'s' if len(added) > 1 else ''} {names} "
                f"to finding {finding.reference}",
            )
        if removed is not None:
            messages.success(
                request,
                f"Action {removed.reference} no longer answers finding "
                f"{finding.reference}. To link it again, search for "
                f"{removed.reference} below.",
            )
        return redirect("findings:finding_actions", pk=finding.pk)

    query = search_text(request.GET.get("q"))
    candidates = form.fields["add"].queryset
    if query:
        candidates = candidates.filter(
            Q(reference__icontains=query) | Q(title__icontains=query)
        )
    candidates = list(candidates[: MAX_CANDIDATES + 1])
    return render(
        request,
        "findings/finding_actions.html",
        {
            "finding": finding,
            "form": form,
            "linked": list(actions.filter(findings=finding)),
            "candidates": candidates[:MAX_CANDIDATES],
            "more_candidates": len(candidates) > MAX_CANDIDATES,
            "max_candidates": MAX_CANDIDATES,
            "selected": set(request.POST.getlist("add")),
            "query": query,
        },
    )
