"""Inspections and the visits and reviews that follow them."""

import copy
import json

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from improvement.kernel.editing import (
    add_page,
    conflict_user,
    delete_if_current,
    edit_page,
    holding_changes,
    must_refuse,
    new_record_form,
    save_model_form,
)
from improvement.kernel.forms import comparable
from improvement.kernel.history import (
    describe,
    history_queryset,
    pair_consecutive,
    pairs_since_version,
)
from improvement.kernel.permissions import (
    can_add_finding,
    can_add_inspection,
    can_add_visit,
    can_edit_inspection,
    can_edit_visit,
    require,
)
from improvement.kernel.query import positive_int
from improvement.kernel.timeline import (
    HistorySource,
    Timeline,
    latest_changes,
    own_timeline,
)
from improvement.kernel.tracking import EditConflict
from improvement.kernel.views import history_page
from visits import buttons
from visits.forms import (
    InspectionForm,
    JudgementFormSet,
    MonitoringVisitForm,
)
from visits.models import Inspection, Judgement, MonitoringVisit


def _findings_raised(source):
    """The findings an inspection or visit raised, with whether each is answered.

    Reached through the reverse relation: visits never import findings.
    """
    return source.findings.with_is_answered().in_reference_order()


@require_safe
def inspection_list(request):
    """Everyone signed in: every inspection, then every visit and review."""
    inspections = Inspection.objects.visible_to(request.user).annotate(
        finding_count=Count("findings")
    )
    visits = (
        MonitoringVisit.objects.visible_to(request.user)
        .select_related("inspection")
        .annotate(finding_count=Count("findings"))
    )
    return render(
        request,
        "visits/inspection_list.html",
        {
            "inspections": list(inspections),
            "visits": list(visits),
            "can_add_inspection": can_add_inspection(request.user),
            "can_add_visit": can_add_visit(request.user),
        },
    )


def _inspection_timeline(inspection):
    """The inspection's own changes and its judgements', newest first."""
    return Timeline(
        HistorySource(
            Inspection, {"id": inspection.pk}, subject=lambda r: (str(inspection), "")
        ),
        HistorySource(
            Judgement,
            {"inspection_id": inspection.pk},
            subject=lambda record: (f"Judgement: {record.area}", ""),
        ),
    )


def _latest(timeline, name, obj):
    """The detail page's latest changes and the link to ``name``'s history page."""
    history = latest_changes(timeline, reverse(name, args=[obj.pk]))
    return {"timeline": history.entries, "history": history}


def _get_inspection(request, pk, queryset=None):
    """The inspection ``pk`` if the user may see it, else 404."""
    queryset = queryset if queryset is not None else Inspection.objects
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def _get_visit(request, pk):
    """The visit or review ``pk`` if the user may see it, else 404."""
    visits = MonitoringVisit.objects.visible_to(request.user)
    return get_object_or_404(visits.select_related("inspection"), pk=pk)


@require_safe
def inspection_history(request, pk):
    """Every change to an inspection and its judgements, a page at a time."""
    inspection = _get_inspection(request, pk)
    return history_page(
        request,
        inspection,
        _inspection_timeline(inspection),
        breadcrumbs=[("Inspections and visits", reverse("visits:inspection_list"))],
        show_subject=True,
    )


@require_safe
def monitoringvisit_history(request, pk):
    """Every change to a visit or review, a page at a time."""
    visit = _get_visit(request, pk)
    return history_page(
        request,
        visit,
        own_timeline(visit),
        breadcrumbs=[("Inspections and visits", reverse("visits:inspection_list"))],
    )


@require_safe
def inspection_detail(request, pk):
    """Everyone signed in: an inspection, its judgements, visits and findings."""
    inspection = _get_inspection(
        request, pk, Inspection.objects.prefetch_related("judgements")
    )
    visits = inspection.monitoring_visits.annotate(finding_count=Count("findings"))
    return render(
        request,
        "visits/inspection_detail.html",
        {
            "inspection": inspection,
            "judgements": list(inspection.judgements.all()),
            "visits": list(visits),
            "findings": list(_findings_raised(inspection)),
            **_latest(
                _inspection_timeline(inspection),
                "visits:inspection_history",
                inspection,
            ),
            "can_edit": can_edit_inspection(request.user),
            "can_add_visit": can_add_visit(request.user),
            "can_add_finding": can_add_finding(request.user),
            "more_buttons": buttons.for_source(request.user, inspection),
        },
    )


@require_safe
def monitoringvisit_detail(request, pk):
    """Everyone signed in: a visit or review, what it covered and what it found."""
    visit = _get_visit(request, pk)
    return render(
        request,
        "visits/monitoringvisit_detail.html",
        {
            "visit": visit,
            "findings": list(_findings_raised(visit)),
            **_latest(own_timeline(visit), "visits:monitoringvisit_history", visit),
            "can_edit": can_edit_visit(request.user),
            "can_add_finding": can_add_finding(request.user),
            "more_buttons": buttons.for_source(request.user, visit),
        },
    )


# Create and edit ----------------------------------------------------------


def _existing_rows(formset):
    """The row forms of judgements already stored, not marked for removal."""
    deleted = formset.deleted_forms
    return [f for f in formset.forms if f.instance.pk and f not in deleted]


def _must_refuse(form, formset):
    """Did someone save over what this person is changing since they opened it?

    Call after validation: sorts every form's fields by ``merge()``.
    """
    refuse = False
    for each in (form, *_existing_rows(formset)):
        refuse = must_refuse(each, each.instance.version) or refuse
    return refuse


def _save_judgements(formset, inspection):
    """Save what the person changed in the rows; refuse rows changed since."""
    deleted = formset.deleted_forms
    for index, form in enumerate(formset.forms):
        judgement = form.instance
        if form in deleted:
            if judgement.pk:
                delete_if_current(judgement, form.cleaned_data.get("version"))
            continue
        if judgement.pk:
            save_model_form(form, judgement, form.cleaned_data["version"])
        elif form.has_changed():
            judgement = form.save(commit=False)
            judgement.inspection = inspection
            judgement.position = index
            judgement.save()


def _judgement_versions(formset):
    """Each existing judgement row's id and the version the person opened."""
    versions = {}
    for form in formset.forms:
        pk = form.instance.pk
        version = positive_int(form["version"].value())
        if pk and version:
            versions[pk] = version
    return versions


def _inspection_conflict(inspection, version, judgement_versions):
    """Changes to the inspection and to the rows the person was editing."""
    pairs = pairs_since_version(Inspection, version, id=inspection.pk)
    records = list(history_queryset(Judgement, id__in=list(judgement_versions) or [0]))
    pairs += [
        (record, previous)
        for record, previous in pair_consecutive(records)
        if record.version > judgement_versions.get(record.id, record.version)
        or record.history_type == "-"
    ]
    return describe(
        pairs,
        subject=lambda record: (
            (f"Judgement: {record.area}", "")
            if record.instance_type is Judgement
            else (str(inspection), "")
        ),
    )


def _rows_data(formset, fresh, conflict_user):
    """The judgement rows as a refused page shows them, as form data.

    Every stored row at its newest version with this person's changes on
    top (and their choice to make where both changed a row), then the new
    rows they typed, then one blank row.
    """
    prefix = formset.prefix
    typed = {f.instance.pk: f for f in formset.forms if f.instance.pk}
    removed = {f.instance.pk for f in formset.deleted_forms}
    stored = list(fresh.judgements.all())
    new_rows = [f for f in formset.forms if not f.instance.pk and f.has_changed()]
    data = {
        f"{prefix}-INITIAL_FORMS": len(stored),
        f"{prefix}-TOTAL_FORMS": len(stored) + len(new_rows) + 1,
    }
    conflicts = {}
    for index, judgement in enumerate(stored):
        row = typed.get(judgement.pk)
        values = {"area": judgement.area, "grade": judgement.grade}
        if row is not None:
            for name in (*row.mine, *row.conflicts):
                values[name] = row.cleaned_data[name]
            conflicts[index] = row.conflicts
        data |= {
            f"{prefix}-{index}-id": judgement.pk,
            f"{prefix}-{index}-version": judgement.version,
            f"{prefix}-{index}-opened": json.dumps(
                {
                    "area": comparable(judgement.area),
                    "grade": comparable(judgement.grade),
                }
            ),
            f"{prefix}-{index}-conflicted": ",".join(conflicts.get(index, [])),
            f"{prefix}-{index}-area": values["area"],
            f"{prefix}-{index}-grade": values["grade"],
        }
        if judgement.pk in removed:
            data[f"{prefix}-{index}-DELETE"] = "on"
    for offset, row in enumerate(new_rows, start=len(stored)):
        data[f"{prefix}-{offset}-area"] = row.cleaned_data.get("area", "")
        data[f"{prefix}-{offset}-grade"] = row.cleaned_data.get("grade", "")
    return JudgementFormSet(
        data,
        instance=fresh,
        prefix=prefix,
        form_kwargs={"conflict_user": conflict_user},
    )


def _refused_page(request, pk, version, judgement_versions):
    """The forms again after a refused save: newest record, this person's changes."""
    fresh = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
    conflict = _inspection_conflict(fresh, version, judgement_versions)
    form = InspectionForm(request.POST, instance=copy.copy(fresh))
    formset = JudgementFormSet(request.POST, instance=fresh, prefix="judgements")
    if not (form.is_valid() and formset.is_valid()):
        return fresh, form, formset, conflict
    _must_refuse(form, formset)
    page_form = holding_changes(form, fresh, conflict)
    rows = _rows_data(formset, fresh, conflict_user(conflict))
    return fresh, page_form, rows, conflict


def _inspection_form_page(request, inspection=None):
    """The add and edit pages of an inspection, with its judgements."""
    conflict = None
    editing = inspection is not None
    instance = inspection if editing else Inspection()
    data = request.POST if request.method == "POST" else None
    if editing:
        form = InspectionForm(data, instance=instance)
    else:
        form = new_record_form(InspectionForm, data, instance=instance)
    formset = JudgementFormSet(data, instance=instance, prefix="judgements")
    form_valid = data is not None and form.is_valid()
    formset_valid = data is not None and formset.is_valid()
    if form_valid and formset_valid:
        version = form.cleaned_data.get("version")
        try:
            if editing and _must_refuse(form, formset):
                raise EditConflict
            with transaction.atomic():
                if not editing:
                    saved = form.save()
                else:
                    saved = inspection
                    save_model_form(form, inspection, version)
                _save_judgements(formset, saved)
        except EditConflict:
            inspection, form, formset, conflict = _refused_page(
                request, inspection.pk, version, _judgement_versions(formset)
            )
        else:
            verb = "saved" if editing else "added"
            messages.success(request, f"Inspection “{saved.title}” {verb}")
            return redirect(saved)
    has_errors = (
        conflict is None
        and form.is_bound
        and not (form.is_valid() and formset.is_valid())
    )
    return render(
        request,
        "visits/inspection_form.html",
        {
            "form": form,
            "formset": formset,
            "has_errors": has_errors,
            "inspection": inspection,
            "conflict": conflict,
            "page_title": (
                f"Edit {inspection.title}" if editing else "Add an inspection"
            ),
            "submit_label": "Save inspection" if editing else "Add inspection",
            "cancel_url": inspection.get_absolute_url()
            if editing
            else reverse("visits:inspection_list"),
        },
        status=409 if conflict is not None else 200,
    )


@require(can_add_inspection)
def inspection_create(request):
    """Improvement managers record a new inspection and its judgements."""
    return _inspection_form_page(request)


@require(can_edit_inspection)
def inspection_edit(request, pk):
    """Improvement managers correct an inspection and grade its areas."""
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
    return _inspection_form_page(request, inspection)


@require(can_add_visit)
def monitoringvisit_create(request):
    """Improvement managers record a monitoring visit or review."""
    initial = {}
    inspection_id = positive_int(request.GET.get("inspection"))
    if inspection_id:
        inspection = (
            Inspection.objects.visible_to(request.user).filter(pk=inspection_id).first()
        )
        if inspection is not None:
            initial["inspection"] = inspection
    inspection = initial.get("inspection")
    return add_page(
        request,
        MonitoringVisitForm,
        "visits/monitoringvisit_form.html",
        initial=initial,
        name=_visit_name,
        context={
            "page_title": "Add a monitoring visit or review",
            "submit_label": "Add visit",
            "cancel_url": inspection.get_absolute_url()
            if inspection
            else reverse("visits:inspection_list"),
        },
    )


def _visit_name(visit):
    return f"{visit.get_kind_display()} {visit.sequence}"


@require(can_edit_visit)
def monitoringvisit_edit(request, pk):
    """Improvement managers correct a visit's dates, letter or summary."""
    queryset = MonitoringVisit.objects.visible_to(request.user)
    return edit_page(
        request,
        lambda: get_object_or_404(queryset, pk=pk),
        MonitoringVisitForm,
        "visits/monitoringvisit_form.html",
        name=_visit_name,
        context=lambda visit: {
            "visit": visit,
            "page_title": f"Edit {visit}",
            "cancel_url": visit.get_absolute_url(),
        },
    )
