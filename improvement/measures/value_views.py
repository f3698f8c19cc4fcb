"""Measures' values in bulk: download them, and upload a period's values.

Everyone who may see measures may download their values (CSV or Excel), for
one plan (``?plan=``) or every plan. Improvement managers upload a CSV of
values for many measures at once: the first step checks it and shows what
saving would do, row by row, saving nothing; the second saves it, all or
nothing, after checking it again.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.kernel import downloads
from improvement.kernel.permissions import (
    can_upload_values,
    can_view_measures,
    require,
)
from improvement.measures import uploads
from improvement.measures.downloads import VALUES_DOWNLOAD, value_count
from improvement.measures.upload_forms import ValuesConfirmForm, ValuesUploadForm
from improvement.plan.models import Plan
from improvement.plan.views.access import plan_from_query


def _values_download(request, extension):
    plan = plan_from_query(request)
    return downloads.download(
        request,
        VALUES_DOWNLOAD,
        extension,
        plan=plan,
        rows=value_count(request.user, plan),
        name=f"measure-values-{timezone.localdate():%Y-%m-%d}",
        title="Measure values",
        back=reverse("measures:measure_list"),
    )


@require_safe
@require(can_view_measures)
def measurevalue_export_csv(request):
    """Anyone who may see measures: their values as CSV (one plan, or all)."""
    return _values_download(request, "csv")


@require_safe
@require(can_view_measures)
def measurevalue_export_xlsx(request):
    """Anyone who may see measures: their values as Excel (one plan, or all)."""
    return _values_download(request, "xlsx")


def _measures_url(plan):
    url = reverse("measures:measure_list")
    return f"{url}?plan={plan.pk}" if plan else url


def _page(request, form, *, plan=None, upload=None, confirm=None, changed=False):
    problems = upload.row_problems if upload else []
    return render(
        request,
        "measures/measurevalue_upload.html",
        {
            "form": form,
            "error_form": confirm if confirm is not None and confirm.errors else form,
            "plan": plan,
            "upload": upload,
            "problems": problems,
            "confirm": confirm,
            "changed": changed,
            "cancel_url": _measures_url(plan),
            "example_measure": (
                plan.measures.order_by("name").values_list("name", flat=True).first()
                if plan
                else None
            ),
        },
    )


def _checked(request, form, plans):
    """Step 1: check the file and show what saving it would do."""
    plan = form.cleaned_data["plan"]
    upload = uploads.check(form.cleaned_data["csv_text"], plan)
    field = form.source_field
    for problem in upload.problems:
        form.add_error(field, problem)
    if upload.row_problems:
        count = len(upload.row_problems)
        form.add_error(
            field,
            f"The file has {count} problem{'s' if count != 1 else ''}. Put "
            f"{'them' if count != 1 else 'it'} right, then check the file again",
        )
    confirm = _confirm_form(
        request,
        upload,
        name=form.cleaned_data["source_name"],
        text=form.cleaned_data["csv_text"],
    )
    if not form.errors:
        # Shown below the preview, for checking a different file instead.
        form = ValuesUploadForm(initial={"plan": plan.pk}, plans=plans)
    return _page(request, form, plan=plan, upload=upload, confirm=confirm)


def _confirm_form(request, upload, *, name, text):
    """The confirmation of a checked upload that can be saved, else None."""
    if not upload.can_save:
        return None
    signed = uploads.sign(
        user=request.user, plan=upload.plan, name=name, text=text, upload=upload
    )
    return ValuesConfirmForm(
        initial={"upload": signed},
        user=request.user,
        needs_reason=bool(upload.correct_count),
    )


def _confirmed(request, plans):
    """Step 2: check the signed content again, then save it all or nothing."""
    confirm = ValuesConfirmForm(request.POST, user=request.user, needs_reason=True)
    form = ValuesUploadForm(plans=plans)
    if not confirm.is_valid():
        return _page(request, form, confirm=confirm)
    content = confirm.cleaned_data["upload"]
    plan = plans.filter(pk=content["plan"]).first()
    if plan is None:
        confirm.add_error(None, "The plan of these values is no longer there")
        return _page(request, form, confirm=confirm)
    form = ValuesUploadForm(initial={"plan": plan.pk}, plans=plans)
    name = content["name"]
    with transaction.atomic():
        upload = uploads.check(content["text"], plan, lock=True)
        if upload.fingerprint() != content["plan_of_rows"] or not upload.can_save:
            # Someone recorded, corrected or removed something since the
            # check: show what saving would do now, and save nothing.
            confirm = _confirm_form(request, upload, name=name, text=content["text"])
            return _page(
                request, form, plan=plan, upload=upload, confirm=confirm, changed=True
            )
        if upload.correct_count and not confirm.require_reason():
            return _page(request, form, plan=plan, upload=upload, confirm=confirm)
        new, corrected = uploads.save(
            upload, name=name, reason=confirm.cleaned_data.get("reason", "")
        )
    messages.success(request, _saved_message(new, corrected, name))
    return redirect(_measures_url(plan))


def _saved_message(new, corrected, name):
    parts = []
    if new:
        parts.append(f"{new} new value{'s' if new != 1 else ''} recorded")
    if corrected:
        parts.append(f"{corrected} value{'s' if corrected != 1 else ''} corrected")
    text = f"{' and '.join(parts)} from {name}"
    return text[:1].upper() + text[1:]


@require(can_upload_values)
def measurevalue_upload(request):
    """Improvement managers upload a period's values for many measures (CSV)."""
    plans = Plan.objects.visible_to(request.user).order_by("name")
    if request.method == "POST" and "upload" in request.POST:
        return _confirmed(request, plans)
    if request.method == "POST":
        form = ValuesUploadForm(request.POST, request.FILES, plans=plans)
        if form.is_valid():
            return _checked(request, form, plans)
        return _page(request, form, plan=form.cleaned_data.get("plan"))
    plan = plan_from_query(request)
    form = ValuesUploadForm(initial={"plan": plan.pk} if plan else None, plans=plans)
    return _page(request, form, plan=plan)
