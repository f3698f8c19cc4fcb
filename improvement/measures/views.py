"""Measures: a plan's list, each measure's page, and the forms that change them."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.kernel.dates import end_of_day
from improvement.kernel.editing import (
    add_page,
    apply_person_changes,
    delete_if_current,
    edit_page,
)
from improvement.kernel.permissions import (
    can_add_measure,
    can_correct_values,
    can_edit_measure,
    can_record_values,
    can_upload_values,
    can_view_measures,
    refuse_unless,
    require,
)
from improvement.kernel.timeline import HistorySource, Timeline, latest_changes
from improvement.kernel.tracking import EditConflict
from improvement.kernel.views import history_page
from improvement.measures.chart import value_chart
from improvement.measures.forms import (
    DeleteWithReasonForm,
    KnownOnForm,
    MeasureForm,
    MeasureTargetForm,
    MeasureValueCorrectionForm,
    MeasureValueForm,
)
from improvement.measures.known import (
    EVIDENCES,
    evidence_known,
    measure_known,
    off_target_first,
)
from improvement.measures.models import (
    Measure,
    MeasureTarget,
    MeasureValue,
    period_label,
)
from improvement.plan.views.access import plan_from_query


def _plan_measures_url(plan_id):
    return f"{reverse('measures:measure_list')}?plan={plan_id}"


@require_safe
@require(can_view_measures)
def measure_list(request):
    """Everyone sees the measures of each plan, those off target first."""
    plan = plan_from_query(request)
    measures = Measure.objects.visible_to(request.user).for_list()
    if plan is not None:
        measures = measures.filter(plan=plan)
    by_plan = {}
    for measure in off_target_first(measures):
        by_plan.setdefault(measure.plan, []).append(measure)
    return render(
        request,
        "measures/measure_list.html",
        {
            "plan": plan,
            "by_plan": list(by_plan.items()),
            "count": sum(len(group) for group in by_plan.values()),
            "can_add": can_add_measure(request.user),
            "can_upload": can_upload_values(request.user),
        },
    )


def _get_measure(request, pk, queryset=None):
    """The measure ``pk`` if the user may see measures (else 403), or 404."""
    refuse_unless(can_view_measures, request.user)
    queryset = queryset or Measure.objects.select_related("plan", "owner")
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def _measure_timeline(measure):
    """The measure's own changes and its values' changes, newest first."""
    frequency = measure.frequency

    def name_value(record):
        return (f"Value for {period_label(record.period, frequency)}", "")

    # A value never moves to another measure (admin shows its measure
    # read-only), so its rows are the history rows of this measure's values.
    return Timeline(
        HistorySource(Measure, {"id": measure.pk}, subject=lambda r: (r.name, "")),
        HistorySource(MeasureValue, {"measure_id": measure.pk}, subject=name_value),
    )


def _values_context(measure, values):
    """What the page shows of ``measure``'s values: the latest, each with its
    RAG against the target in force for its period, the chart and the
    trajectory. ``measure`` has its targets prefetched."""
    latest = values[-1] if values else None
    return {
        "latest": latest,
        "latest_rag": measure.rag_of(
            latest.value if latest else None, latest.period if latest else None
        ),
        "latest_text": measure.format_value(latest.value if latest else None),
        "latest_label": period_label(latest.period, measure.frequency)
        if latest
        else "",
        "trajectory": _trajectory_of(measure, measure.targets.all()),
        "amber_text": measure.format_value(measure.amber_tolerance),
        "red_text": measure.format_value(measure.red_tolerance),
        "values": values,
        "value_rows": [
            {
                "value": v,
                "label": period_label(v.period, measure.frequency),
                "text": measure.format_value(v.value),
                "rag": measure.rag_of(v.value, v.period),
            }
            for v in reversed(values)
        ],
        "chart": value_chart(measure, values),
    }


@require_safe
def measure_detail(request, pk):
    """A measure: its definition, target, values against target, and history.

    ``?as_at=`` (or the date boxes) shows it as it was known at the end of
    that day: its definition, targets and values as they stood then, and
    nothing recorded later.
    """
    measure = _get_measure(request, pk)
    known_on = KnownOnForm(request.GET, today=timezone.localdate())
    as_at = known_on.day
    shown = measure
    if as_at is None:
        # The page reads the trajectory for every value: read it once.
        steps = list(measure.targets.order_by("from_period"))
        measure._prefetched_objects_cache = {"targets": steps}
        values = list(measure.values.order_by("period"))
    else:
        shown, values = measure_known(measure, end_of_day(as_at))
    if as_at is None:
        evidence = {name: getattr(measure, name).all() for name in EVIDENCES}
    else:
        evidence = evidence_known(measure, end_of_day(as_at))
    history = latest_changes(
        _measure_timeline(measure),
        reverse("measures:measure_history", args=[measure.pk]),
        keep=True,
    )
    editable = as_at is None
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "shown": shown,
            "as_at": as_at,
            "known_on": known_on,
            **(_values_context(shown, values) if shown else {}),
            "plan_measures_url": _plan_measures_url(measure.plan_id),
            "priorities": evidence["priorities"].order_by("number"),
            "actions": evidence["actions"]
            .select_related("priority")
            .in_reference_order(),
            "findings": evidence["findings"].in_reference_order(),
            "timeline": history.entries,
            "history": history,
            "can_edit": editable and can_edit_measure(request.user),
            "can_record": editable and can_record_values(request.user, measure),
            "can_correct": editable and can_correct_values(request.user, measure),
        },
    )


@require_safe
def measure_history(request, pk):
    """Every change to a measure and its values, a page at a time."""
    measure = _get_measure(request, pk)
    return history_page(
        request,
        measure,
        _measure_timeline(measure),
        breadcrumbs=[
            (measure.plan.name, measure.plan.get_absolute_url()),
            ("Measures", _plan_measures_url(measure.plan_id)),
        ],
        show_subject=True,
    )


@require(can_add_measure)
def measure_create(request):
    """Improvement managers define a measure, usually from a plan's page."""
    plan = plan_from_query(request)

    def save(form):
        try:
            with transaction.atomic():
                if plan is not None:
                    form.instance.plan = plan
                return form.save()
        except IntegrityError:
            # Someone added a measure of the same name a moment before.
            form.add_error("name", "This plan already has a measure with that name")
            return None

    cancel = _plan_measures_url(plan.pk) if plan else reverse("measures:measure_list")
    return add_page(
        request,
        partial(MeasureForm, plan=plan),
        "measures/measure_form.html",
        name=lambda measure: f"Measure “{measure.name}”",
        save=save,
        context={
            "page_title": "Add a measure",
            "caption": plan.name if plan else "",
            "cancel_url": cancel,
        },
    )


@require(can_edit_measure)
def measure_edit(request, pk):
    """Improvement managers edit a measure's definition, target and links."""
    measures = Measure.objects.visible_to(request.user).select_related("plan")
    return edit_page(
        request,
        lambda: get_object_or_404(measures, pk=pk),
        MeasureForm,
        "measures/measure_form.html",
        name=lambda measure: f"Measure “{measure.name}”",
        context=lambda measure: {
            "measure": measure,
            "page_title": "Edit measure",
            "caption": measure.plan.name,
            "cancel_url": measure.get_absolute_url(),
        },
    )


@require(can_edit_measure)
def measure_target(request, pk):
    """Improvement managers set the target from a period: the trajectory."""
    measure = _get_measure(request, pk)
    steps = list(measure.targets.order_by("from_period"))
    form = MeasureTargetForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            step = form.save()
        messages.success(
            request,
            f"Target of {measure.format_value(step.target)} from "
            f"{period_label(step.from_period, measure.frequency)} saved",
        )
        return redirect(measure)
    return render(
        request,
        "measures/measuretarget_form.html",
        {
            "form": form,
            "measure": measure,
            "steps": [
                (label, target, reverse("measures:measuretarget_delete", args=[pk]))
                for pk, (label, target) in zip(
                    [step.pk for step in steps],
                    _trajectory_of(measure, steps),
                    strict=True,
                )
            ],
            "page_title": "Set a target from a period",
            "caption": measure.name,
            "submit_label": "Save target",
            "cancel_url": measure.get_absolute_url(),
        },
    )


def _trajectory_of(measure, steps):
    return [
        (period_label(s.from_period, measure.frequency), measure.format_value(s.target))
        for s in steps
    ]


def measure_record(request, pk):
    """A measure's owner, or a manager, records its value for a period."""
    measure = _get_measure(request, pk)
    if not can_record_values(request.user, measure):
        raise PermissionDenied
    form = MeasureValueForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            with transaction.atomic():
                value = MeasureValue.objects.create(
                    measure=measure,
                    period=period,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
        except IntegrityError:
            # Someone recorded the same period a moment before.
            form.add_error(
                "period",
                "A value is already recorded for that period. Correct it "
                "from the measure's page instead",
            )
        else:
            messages.success(request, f"Value for {value.period_label} recorded")
            return redirect(measure)
    return render(
        request,
        "measures/measurevalue_form.html",
        {
            "form": form,
            "measure": measure,
            "page_title": "Record a value",
            "caption": measure.name,
            "submit_label": "Record value",
            "cancel_url": measure.get_absolute_url(),
        },
    )


def _save_correction(form, stored, version):
    """Save the corrected value with the reason given, if anything changed."""
    if not form.mine:
        return False
    if not apply_person_changes(form):
        return None
    record = form.save(commit=False)
    record._change_reason = form.cleaned_data["reason"].strip()
    return record.save_if_current(version)


def measurevalue_correct(request, pk):
    """A measure's owner, or a manager, corrects a value and says why."""
    refuse_unless(can_view_measures, request.user)
    values = MeasureValue.objects.select_related("measure", "measure__plan")

    def fetch():
        return get_object_or_404(values, pk=pk)

    value = fetch()
    if not can_correct_values(request.user, value.measure):
        raise PermissionDenied
    return edit_page(
        request,
        fetch,
        MeasureValueCorrectionForm,
        "measures/measurevalue_form.html",
        save=_save_correction,
        name=lambda stored: f"The value for {stored.period_label}",
        context=lambda stored: {
            "measure": stored.measure,
            "page_title": f"Correct the value for {stored.period_label}",
            "caption": stored.measure.name,
            "submit_label": "Save correction",
            "cancel_url": stored.measure.get_absolute_url(),
        },
    )


def measurevalue_delete(request, pk):
    """A measure's owner, or a manager, deletes a value recorded by mistake
    (for the wrong period or measure), saying why; its history keeps it."""
    refuse_unless(can_view_measures, request.user)
    values = MeasureValue.objects.select_related("measure", "measure__plan")
    value = get_object_or_404(values, pk=pk)
    if not can_correct_values(request.user, value.measure):
        raise PermissionDenied
    return _delete_page(
        request,
        lambda: get_object_or_404(values, pk=pk),
        what=f"the value for {value.period_label}",
        shown=lambda record: record.measure.format_value(record.value),
        note=value.note,
        alternative=(
            "To change a value, correct it instead",
            reverse("measures:measurevalue_correct", args=[value.pk]),
        ),
    )


@require(can_edit_measure)
def measuretarget_delete(request, pk):
    """Improvement managers delete a step of a measure's trajectory set by
    mistake, saying why; its history keeps it."""
    targets = MeasureTarget.objects.select_related("measure", "measure__plan")
    step = get_object_or_404(targets, pk=pk)
    _get_measure(request, step.measure_id)  # the measure must be visible
    label = period_label(step.from_period, step.measure.frequency)
    return _delete_page(
        request,
        lambda: get_object_or_404(targets, pk=pk),
        what=f"the target from {label}",
        shown=lambda record: record.measure.format_value(record.target),
        alternative=(
            "To change a target, set it again from the same period instead",
            reverse("measures:measure_target", args=[step.measure_id]),
        ),
    )


def _delete_page(request, fetch, *, what, shown, note="", alternative=None):
    """Confirm deleting a measure's record, with a reason kept in its
    history; refused (409, showing the record as it is now) over a newer
    change, and done when confirmed again."""
    record = fetch()
    measure = record.measure
    posted = request.method == "POST"
    form = DeleteWithReasonForm(
        request.POST if posted else None, initial={"version": record.version}
    )
    status = 200
    if posted and form.is_valid():
        record._change_reason = form.cleaned_data["reason"].strip()
        try:
            with transaction.atomic():
                delete_if_current(record, form.cleaned_data["version"])
        except EditConflict:
            record = fetch()
            form = DeleteWithReasonForm(
                {**request.POST.dict(), "version": record.version}
            )
            form.is_valid()
            form.add_error(
                None,
                f"Someone changed {what} after you opened this page. Check it "
                "as it is now, then delete it if it is still wrong",
            )
            status = 409
        else:
            messages.success(request, f"{what[0].upper()}{what[1:]} deleted")
            return redirect(measure)
    return render(
        request,
        "measures/measure_delete.html",
        {
            "form": form,
            "measure": measure,
            "shown": shown(record),
            "note": note,
            "alternative": alternative,
            "page_title": f"Delete {what}",
            "caption": measure.name,
            "cancel_url": measure.get_absolute_url(),
        },
        status=status,
    )
