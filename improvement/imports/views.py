"""Import a plan from the council's tracker, in three steps.

1. ``plan_import``: an improvement manager uploads the tracker (.xlsx or
   CSV). The file is kept on the server (``ImportFile``) for a day.
2. ``importfile_columns``: choose the sheet, and say what each column
   holds; the suggestion is what this plan's last import chose, else what
   the headings say. The choice is remembered for the plan.
3. ``importfile_check``: every row with what importing would do and every
   problem, saving nothing; then, on confirmation, the tracker is checked
   again and saved in one transaction, all or nothing.

Only the manager who uploaded a file may use it (another person gets 404;
an administrator may use any).
"""

import hashlib
import json

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from improvement.imports import reading, saving, tracker
from improvement.imports.columns import suggest_mapping
from improvement.imports.forms import ColumnsForm, TrackerUploadForm
from improvement.imports.models import ImportFile
from improvement.imports.sheets import (
    headings_of,
    remember,
    remembered_mapping,
    sheet_of,
)
from improvement.kernel.permissions import is_manager, require
from improvement.plan.models import Plan


def _own_file(request, pk):
    """The user's uploaded file, still waiting; 404 for anyone else's (an
    administrator may use any)."""
    files = ImportFile.objects.current().select_related("plan")
    if not request.user.is_superuser:
        files = files.filter(uploaded_by=request.user)
    return get_object_or_404(files, pk=pk)


@require(is_manager)
def plan_import(request, pk):
    """Improvement managers: upload the plan's tracker to import it."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        form = TrackerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            # Files left waiting more than a day go, whoever uploaded them.
            ImportFile.objects.expired().delete()
            sheets = form.cleaned_data["sheets"]
            record = ImportFile.objects.create(
                plan=plan,
                uploaded_by=request.user,
                name=form.cleaned_data["name"],
                data=form.cleaned_data["data"],
                sheet=next((s.name for s in sheets if s.rows), sheets[0].name),
            )
            return redirect("imports:importfile_columns", record.pk)
    else:
        form = TrackerUploadForm()
    return render(
        request,
        "imports/upload.html",
        {"plan": plan, "form": form, "max_rows": reading.MAX_ROWS},
    )


@require(is_manager)
def importfile_columns(request, pk):
    """Choose the sheet and what each of its columns holds."""
    record = _own_file(request, pk)
    try:
        sheet, sheets = sheet_of(record)
    except reading.ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("imports:plan_import", record.plan_id)
    chosen = request.GET.get("sheet")
    if chosen and chosen != sheet.name:
        named = next((s for s in sheets if s.name == chosen), None)
        if named is not None:
            sheet = named
            record.sheet, record.mapping = named.name, []
            record.save(update_fields=["sheet", "mapping"])
    header, headings = headings_of(sheet)
    mapping = record.mapping or suggest_mapping(
        headings, remembered_mapping(record.plan)
    )
    if request.method == "POST":
        form = ColumnsForm(request.POST, headings=headings, mapping=mapping)
        if form.is_valid():
            with transaction.atomic():
                record.mapping = form.mapping
                record.save(update_fields=["mapping"])
                remember(record.plan, headings, form.mapping)
            return redirect("imports:importfile_check", record.pk)
    else:
        form = ColumnsForm(headings=headings, mapping=mapping)
    examples = [cells for _, cells in sheet.rows[header + 1 : header + 4]]
    columns = [
        (
            form[f"column_{index}"],
            [str(row[index].text) if index < len(row) else "" for row in examples],
        )
        for index in range(len(headings))
    ]
    return render(
        request,
        "imports/columns.html",
        {
            "record": record,
            "plan": record.plan,
            "form": form,
            "columns": columns,
            "sheet": sheet,
            "sheets": sheets,
            "header_row": sheet.rows[header][0] if sheet.rows else 1,
        },
    )


def _fingerprint(checked):
    text = json.dumps(checked.fingerprint(), default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@require(is_manager)
def importfile_check(request, pk):
    """Every row and what importing it would do; then the import itself."""
    record = _own_file(request, pk)
    changed = False
    if request.method == "POST" and "create_owners" in request.POST:
        record.create_owners = request.POST["create_owners"] == "yes"
        record.save(update_fields=["create_owners"])
        return redirect("imports:importfile_check", record.pk)
    if request.method == "POST":
        with transaction.atomic():
            checked = tracker.check(record, lock=True)
            if checked.can_save and _fingerprint(checked) == request.POST.get(
                "fingerprint"
            ):
                result = saving.save(checked, user=request.user)
                record.imported_at = timezone.now()
                record.data = b""
                record.save(update_fields=["imported_at", "data"])
                messages.success(request, _done(result))
                return redirect(record.plan)
        # Someone changed the plan since the check: show it as it is now.
        changed = True
    else:
        checked = tracker.check(record)
    return render(
        request,
        "imports/check.html",
        {
            "record": record,
            "plan": record.plan,
            "checked": checked,
            "problems": [("file-problems", text) for text in checked.problems]
            + checked.row_problems,
            "fingerprint": _fingerprint(checked) if checked.can_save else "",
            "changed": changed,
            "columns_url": reverse("imports:importfile_columns", args=[record.pk]),
        },
    )


def _done(result):
    parts = [
        f"{result.created} action{'s' if result.created != 1 else ''} created",
        f"{result.changed} changed",
        f"{result.updates} progress update{'s' if result.updates != 1 else ''} added",
    ]
    return f"Imported from {result.name}: {', '.join(parts)}"


def import_button(user, plan):
    """The plan page's button to import from a tracker: managers only."""
    if not is_manager(user):
        return None
    return "Import from a tracker", reverse("imports:plan_import", args=[plan.pk])
