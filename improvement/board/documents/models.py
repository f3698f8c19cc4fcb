"""A document prepared by a background job, and the storage that keeps it."""

import datetime
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

#: The named storage (``settings.STORAGES``) that keeps finished documents.
#: Its files are never served directly: every download goes through a view
#: that checks the person may see the plan.
STORAGE_ALIAS = "documents"

#: A document still being prepared after this long is treated as failed: its
#: job was lost (the worker stopped mid-way, or no worker is running), so the
#: person is told and may try again.
PREPARING_TIMEOUT = datetime.timedelta(minutes=10)


def document_storage():
    """The storage documents are kept in (read each time, so tests may swap it)."""
    return storages[STORAGE_ALIAS]


class DocumentQuerySet(models.QuerySet):
    def lost(self, now=None):
        """Documents whose job has not finished within ``PREPARING_TIMEOUT``."""
        now = now or timezone.now()
        return self.filter(
            status=Document.Status.PREPARING,
            requested_at__lt=now - PREPARING_TIMEOUT,
        )

    def may_start_again(self, now=None):
        """Failed documents, and those whose job was lost."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Document.Status.FAILED)
            | Q(
                status=Document.Status.PREPARING,
                requested_at__lt=now - PREPARING_TIMEOUT,
            )
        )


class Document(models.Model):
    """A board pack PDF or a large download, prepared off the request path.

    ``key`` identifies what the document holds: its kind and file type, the
    plan, the dates and filters it was asked for with, and the moment of the
    latest change to the records it includes. An identical request finds the
    same row and is answered from the kept file; any change to what it
    includes gives a new key, so a new document.
    """

    class Kind(models.TextChoices):
        BOARD_PACK = "board_pack", "Board pack"
        ACTIONS = "actions", "Actions register"
        FINDINGS = "findings", "Findings register"
        CHANGES = "changes", "What changed"
        MEASURE_VALUES = "measure_values", "Measure values"
        AUDITS = "audits", "Case-file audits"

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    CONTENT_TYPES = {
        FileType.PDF: "application/pdf",
        FileType.CSV: "text/csv; charset=utf-8",
        FileType.XLSX: (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_type = models.CharField(max_length=10, choices=FileType.choices)
    plan = models.ForeignKey(
        "improvement.Plan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    parameters = models.JSONField(
        default=dict, help_text="What the job needs to prepare the document."
    )
    title = models.CharField(max_length=300)
    filename = models.CharField(max_length=200)
    back_url = models.CharField(max_length=2000, blank=True)
    includes_changes_to = models.DateTimeField(
        null=True, blank=True, help_text="The latest change the document includes."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    task_id = models.CharField(max_length=64, blank=True)
    file_name = models.CharField(
        max_length=300, blank=True, help_text="The file's name in the storage."
    )
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(
                fields=["status", "requested_at"], name="documents_status_idx"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.file_type]

    def current_status(self, now=None):
        """The status to show: a job lost for too long counts as failed."""
        now = now or timezone.now()
        if (
            self.status == self.Status.PREPARING
            and self.requested_at < now - PREPARING_TIMEOUT
        ):
            return self.Status.FAILED
        return self.status

    def has_file(self):
        return bool(self.file_name) and document_storage().exists(self.file_name)

    def open(self):
        return document_storage().open(self.file_name, "rb")

    def keep(self, content):
        """Store the finished file (bytes) and mark the document ready."""
        name = f"{self.kind}/{self.key}.{self.file_type}"
        self.file_name = document_storage().save(name, ContentFile(content))
        self.size = len(content)
        self.status = self.Status.READY
        self.error = ""
        self.finished_at = timezone.now()
        self.save(update_fields=["file_name", "size", "status", "error", "finished_at"])

    def fail(self, message):
        """Mark the document failed with a short message for the logs."""
        self.status = self.Status.FAILED
        self.error = message[:2000]
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])

    def delete_file(self):
        if self.file_name:
            document_storage().delete(self.file_name)


class IssuedPack(models.Model):
    """The board pack a manager issued for a meeting: the very PDF the board
    was given, kept as it was however the plan's records change later.

    Written once when the pack is issued and never changed (issuing again
    adds another), so it needs no history of its own. Its document is never
    pruned while it is kept here.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="issued_packs"
    )
    plan = models.ForeignKey(
        "improvement.Plan", on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="issued_packs"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = "issued board pack"

    def __str__(self):
        return f"Board pack for {self.meeting}, issued {self.issued_at:%Y-%m-%d}"

    def is_superseded(self):
        """Whether the plan's records have changed since the pack was issued,
        so the pack made now would differ from the one the board was given."""
        from improvement.board.documents.service import is_current

        return not is_current(self.document)
