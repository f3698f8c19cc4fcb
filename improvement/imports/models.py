"""What an import keeps: the uploaded file between its steps, the columns a
plan's tracker uses, and a note of each import made."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from improvement.kernel.dates import govuk_date
from improvement.kernel.history import tracked_history
from improvement.kernel.tracking import TrackedModel
from improvement.plan.models import Plan
from visits.models import Inspection, MonitoringVisit

#: How long an uploaded file waits for its import to be confirmed.
KEEP_FOR = datetime.timedelta(days=1)


class ImportFileQuerySet(models.QuerySet):
    def current(self):
        """Files uploaded in the last day (``KEEP_FOR``) and not yet imported."""
        return self.filter(
            uploaded_at__gte=timezone.now() - KEEP_FOR, imported_at__isnull=True
        )

    def expired(self):
        return self.filter(uploaded_at__lt=timezone.now() - KEEP_FOR)


class ImportFile(models.Model):
    """A tracker uploaded for import, kept on the server between the steps
    (choose the sheet and columns, check, confirm) for a day at most.

    Only its uploader may use it. It is working material, not the plan's
    record, so it has no history: what the import changes does.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    name = models.CharField("File name", max_length=100)
    data = models.BinaryField()
    sheet = models.CharField(max_length=100, blank=True)
    #: The field each column holds, in the order of the sheet's columns.
    mapping = models.JSONField(default=list, blank=True)
    create_owners = models.BooleanField(default=False)
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = ImportFileQuerySet.as_manager()

    class Meta:
        verbose_name = "uploaded tracker"
        verbose_name_plural = "uploaded trackers"
        indexes = [models.Index(fields=["uploaded_at"], name="importfile_uploaded_idx")]

    def __str__(self):
        return self.name


class FindingsFile(models.Model):
    """A list of an inspection's or a visit's findings uploaded for import,
    kept on the server between the check and the confirmation for a day at
    most, as ``ImportFile`` keeps a tracker.

    Raised by exactly one source: the inspection or the visit or review.
    Only its uploader may use it. Working material, so no history: the
    findings it creates or changes have theirs.
    """

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    monitoring_visit = models.ForeignKey(
        MonitoringVisit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    name = models.CharField("File name", max_length=100)
    data = models.BinaryField()
    #: Themes the file names that do not exist yet are created on import.
    create_themes = models.BooleanField(default=False)
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = ImportFileQuerySet.as_manager()

    class Meta:
        verbose_name = "uploaded list of findings"
        verbose_name_plural = "uploaded lists of findings"
        indexes = [
            models.Index(fields=["uploaded_at"], name="findingsfile_uploaded_idx")
        ]

    def __str__(self):
        return self.name

    @property
    def source(self):
        """The inspection or visit whose findings the file lists."""
        return self.inspection or self.monitoring_visit


class ColumnMapping(TrackedModel):
    """Which field each of a plan's tracker headings holds, as last chosen,
    offered again for the next upload of the same plan."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="import_columns"
    )
    #: ``{heading as compared: field}``; "" for a column left out.
    headings = models.JSONField(default=dict, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = "tracker columns"
        verbose_name_plural = "tracker columns"

    def __str__(self):
        return f"Tracker columns of {self.plan}"


class PlanImport(TrackedModel):
    """One confirmed import into a plan: from which file, by whom, when, and
    what it did. As-at views before this date say the plan was imported."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="imports")
    name = models.CharField("File name", max_length=100)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    created = models.PositiveIntegerField("Actions created", default=0)
    changed = models.PositiveIntegerField("Actions changed", default=0)
    updates = models.PositiveIntegerField("Progress updates added", default=0)

    history = tracked_history()

    class Meta:
        ordering = ["plan", "imported_at"]
        verbose_name = "plan import"
        verbose_name_plural = "plan imports"
        indexes = [
            models.Index(fields=["plan", "imported_at"], name="planimport_plan_at_idx")
        ]

    def __str__(self):
        return f"{self.name}, imported {govuk_date(self.imported_at)}"
