"""Import the findings of an inspection, a monitoring visit or a review from
a list the council keeps (.xlsx or CSV), on one page.

1. Upload: an improvement manager (whoever may add findings) uploads the
   list from the inspection's or visit's page. The file is kept on the
   server (``FindingsFile``) for a day, and the page shows it checked
   (``?file=<id>``).
2. Check: every row with what importing it would do and every problem,
   saving nothing. Themes the service does not have are problems, unless
   the manager chooses to create them (only those who may add themes).
3. Confirm: the list is checked again with the source's findings locked and
   saved in one transaction, all or nothing; if anything changed since the
   check, the check is shown again as it now stands.

Only the manager who uploaded a file may use it (an administrator may use
any); anyone else's, or one gone, asks for the file again.
"""

import hashlib
import json

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from improvement.imports import findings_check, findings_save, reading
from improvement.imports.forms import FindingsUploadForm
from improvement.imports.models import FindingsFile
from improvement.kernel.permissions import can_add_finding, can_add_theme, require
from improvement.kernel.query import positive_int
from improvement.kernel.tracking import EditConflict
from visits.models import Inspection, MonitoringVisit

#: What the page says when the file asked for is not waiting.
GONE = (
    "The list you uploaded is no longer waiting to be imported (a list waits a "
    "day at most, until it is imported). Upload it again"
)


@require(can_add_finding)
def inspection_importfindings(request, pk):
    """Import an inspection's findings from a list."""
    source = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
    return _import_page(request, source)


@require(can_add_finding)
def monitoringvisit_importfindings(request, pk):
    """Import a monitoring visit's or review's findings from a list."""
    visits = MonitoringVisit.objects.visible_to(request.user).select_related(
        "inspection"
    )
    source = get_object_or_404(visits, pk=pk)
    return _import_page(request, source)


def page_url(source):
    """The import page of an inspection or a visit."""
    if isinstance(source, Inspection):
        return reverse("imports:inspection_importfindings", args=[source.pk])
    return reverse("imports:monitoringvisit_importfindings", args=[source.pk])


def source_kind(source):
    """What the pages call the source: “inspection” or “visit or review”."""
    return "inspection" if isinstance(source, Inspection) else "visit or review"


def import_findings_button(user, source):
    """The inspection's or visit's button to import its findings: for those
    who may add findings."""
    if not can_add_finding(user):
        return None
    return "Import findings from a spreadsheet", page_url(source)


def _own_file(request, source, pk):
    """The user's uploaded list of ``source``'s findings, still waiting, or
    None (anyone else's; an administrator may use any)."""
    if pk is None:
        return None
    files = FindingsFile.objects.current().filter(
        **findings_check.source_filter(source)
    )
    if not request.user.is_superuser:
        files = files.filter(uploaded_by=request.user)
    return files.filter(pk=pk).first()


def _import_page(request, source):
    url = page_url(source)
    if request.method == "POST" and "record" in request.POST:
        record = _own_file(request, source, positive_int(request.POST["record"]))
        if record is None:
            return _upload_page(request, source, _gone())
        if "create_themes" in request.POST:
            wanted = request.POST["create_themes"] == "yes"
            record.create_themes = wanted and can_add_theme(request.user)
            record.save(update_fields=["create_themes"])
            return redirect(f"{url}?file={record.pk}")
        return _confirm(request, source, record)
    if request.method == "POST":
        form = FindingsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _upload_page(request, source, form)
        # Files left waiting more than a day go, whoever uploaded them.
        FindingsFile.objects.expired().delete()
        record = FindingsFile.objects.create(
            **findings_check.source_filter(source),
            uploaded_by=request.user,
            name=form.cleaned_data["name"],
            data=form.cleaned_data["data"],
        )
        return redirect(f"{url}?file={record.pk}")
    if "file" in request.GET:
        record = _own_file(request, source, positive_int(request.GET["file"]))
        if record is None:
            return _upload_page(request, source, _gone())
        return _check_page(request, source, record, _check(request, record))
    return _upload_page(request, source, FindingsUploadForm())


def _gone():
    """The upload form, saying the file asked for is not waiting."""
    form = FindingsUploadForm(data={}, files={})
    form.errors["file"] = form.error_class([GONE])
    return form


def _upload_page(request, source, form):
    return render(
        request,
        "imports/findings_upload.html",
        {
            "source": source,
            "source_kind": source_kind(source),
            "form": form,
            "max_rows": reading.MAX_ROWS,
            "page_url": page_url(source),
        },
    )


def _check(request, record, *, lock=False):
    create_themes = record.create_themes and can_add_theme(request.user)
    return findings_check.check(record, create_themes=create_themes, lock=lock)


def _fingerprint(checked):
    text = json.dumps(checked.fingerprint(), default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _confirm(request, source, record):
    """Check the list again with the source's findings locked and, if it
    would do what the manager saw, save it all; else show it again."""
    try:
        with transaction.atomic():
            checked = _check(request, record, lock=True)
            if checked.can_save and _fingerprint(checked) == request.POST.get(
                "fingerprint"
            ):
                saved = findings_save.save(checked, user=request.user)
                record.imported_at = timezone.now()
                record.data = b""
                record.save(update_fields=["imported_at", "data"])
                messages.success(request, _done(saved))
                return redirect(source)
    except (IntegrityError, EditConflict):
        # Someone saved a finding or a theme of the same name meanwhile.
        pass
    checked = _check(request, record)
    changed = bool(request.POST.get("fingerprint"))
    return _check_page(request, source, record, checked, changed=changed)


def _check_page(request, source, record, checked, *, changed=False):
    return render(
        request,
        "imports/findings_check.html",
        {
            "source": source,
            "source_kind": source_kind(source),
            "record": record,
            "checked": checked,
            "problems": [("file-problems", text) for text in checked.problems]
            + checked.row_problems,
            "fingerprint": _fingerprint(checked) if checked.can_save else "",
            "changed": changed,
            "can_add_theme": can_add_theme(request.user),
            "page_url": page_url(source),
        },
    )


def _done(saved):
    parts = [
        f"{saved.created} finding{'s' if saved.created != 1 else ''} created",
        f"{saved.changed} changed",
    ]
    if saved.themes:
        parts.append(f"{saved.themes} theme{'s' if saved.themes != 1 else ''} created")
    return f"Imported from {saved.name}: {', '.join(parts)}"
