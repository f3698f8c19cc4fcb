"""What the plan does: actions, and the progress recorded on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.lookups import Exact
from django.utils import timezone

from improvement.kernel.dates import govuk_date
from improvement.kernel.history import tracked_history
from improvement.kernel.links import record_url
from improvement.kernel.ordering import NaturalSortKeyField, choice_rank
from improvement.kernel.tracking import LinkField, TrackedModel
from improvement.plan import validation
from improvement.plan.delivery import DeliverySignals
from improvement.plan.models.plans import Owner, Plan, Priority
from improvement.plan.querysets import ActionQuerySet


class ShownRag:
    """The RAG an action shows (``Action.shown_rag``), for anything with a
    ``status`` and a ``rag``: the action itself, or its values rebuilt from
    history (``improvement.plan.values.ActionValues``)."""

    @property
    def display_rag(self):
        """The RAG to show: a tag value, empty for none."""
        return Action.rag_tag(self.status, self.rag)[0]

    @property
    def display_rag_label(self):
        return Action.rag_tag(self.status, self.rag)[1]


class Action(ShownRag, DeliverySignals, TrackedModel):
    """One action of an improvement plan, with its lead officer and due date.

    Each action answers one or more findings (the golden thread). Its original
    due date never changes; moving the current due date needs a reason, which
    the history keeps. Progress is recorded as append-only progress updates.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DELIVERED = "delivered", "Delivered"
        PAUSED = "paused", "Paused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Rag(models.TextChoices):
        """The lead officer's confidence of delivering by the due date.

        Blank until someone assesses it: a new action is not assumed on track.
        """

        NOT_ASSESSED = "", "Not assessed"
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"

    class ShownRag(models.TextChoices):
        """The RAG every page, figure and export shows (``Action.shown_rag``).

        Derived, never stored: Blue once delivered, "Not assessed" while the
        RAG is blank, and nothing at all for a withdrawn action (``NONE``).
        In the order figures list them.
        """

        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"
        BLUE = "blue", "Blue"
        NOT_ASSESSED = "not_assessed", "Not assessed"
        NONE = "none", "None: withdrawn actions have no RAG"

    class Impact(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Not yet assessed"
        EMERGING = "emerging", "Emerging"
        EVIDENCED = "evidenced", "Evidenced"
        EMBEDDED = "embedded", "Embedded"

    CLOSED_STATUSES = (Status.DELIVERED, Status.WITHDRAWN)
    STATUSES_NEEDING_REASON = (Status.PAUSED, Status.WITHDRAWN)
    IMPACTS_NEEDING_EVIDENCE = (Impact.EVIDENCED, Impact.EMBEDDED)

    #: The order a plan lists its actions in: by plan, by priority, then by
    #: reference read naturally (``sort_key``); the id breaks any tie.
    REFERENCE_ORDER = ("plan", "priority__number", "sort_key", "pk")

    #: The order "Sort by RAG" gives: most at risk first, delivered last.
    #: Actions with no RAG to weigh ("Not assessed", then withdrawn) come
    #: after these whichever way the sort goes.
    RAG_ORDER = ("red", "amber", "green", "blue")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="actions"
    )
    reference = models.CharField(
        max_length=20, help_text="As the plan numbers it, for example 2.3."
    )
    #: ``reference`` as it sorts (2.9 before 2.10), kept up to date on save.
    sort_key = NaturalSortKeyField(source="reference")
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    success_measure = models.TextField(
        "What good looks like",
        blank=True,
        help_text="How we will know this action has made a difference.",
    )
    lead_owner = models.ForeignKey(
        Owner,
        on_delete=models.PROTECT,
        related_name="led_actions",
        verbose_name="lead officer",
    )
    supporting_owners = models.ManyToManyField(
        Owner, related_name="supported_actions", blank=True
    )
    start_date = models.DateField(null=True, blank=True)
    original_due_date = models.DateField(
        help_text="The due date first agreed. It never changes."
    )
    due_date = models.DateField("Current due date")
    status = models.CharField(
        "Delivery status",
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
    )
    status_reason = models.TextField("Reason for pausing or withdrawing", blank=True)
    rag = models.CharField(
        "RAG",
        max_length=10,
        choices=Rag.choices,
        blank=True,
        default=Rag.NOT_ASSESSED,
    )
    impact = models.CharField(
        max_length=20, choices=Impact.choices, default=Impact.NOT_ASSESSED
    )
    impact_evidence = models.TextField(
        "Evidence of impact",
        blank=True,
        help_text="Needed when impact is evidenced or embedded.",
    )
    findings = models.ManyToManyField(
        "findings.Finding",
        related_name="actions",
        blank=True,
        verbose_name="findings answered",
    )

    history = tracked_history(m2m_fields=["findings", "supporting_owners"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"],
                name="%(app_label)s_%(class)s_unique_reference",
                violation_error_message=validation.ACTION_REFERENCE_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_due_after_start",
                violation_error_message=validation.DUE_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(original_due_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_original_due_after_start",
                violation_error_message=validation.ORIGINAL_DUE_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["paused", "withdrawn"]) | ~Q(status_reason=""),
                name="%(app_label)s_%(class)s_reason_when_paused_or_withdrawn",
                violation_error_message=validation.REASON_FOR_PAUSE_OR_WITHDRAWAL,
            ),
            models.CheckConstraint(
                condition=~Q(impact__in=["evidenced", "embedded"])
                | ~Q(impact_evidence=""),
                name="%(app_label)s_%(class)s_evidence_when_evidenced",
                violation_error_message=validation.EVIDENCE_OF_IMPACT,
            ),
        ]
        indexes = [
            # The actions register and dashboards filter on these.
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
            models.Index(fields=["rag"], name="action_rag_idx"),
            models.Index(fields=["due_date"], name="action_due_idx"),
            # Reference order under a priority (the priority page; the plan's
            # register and exports order by priority number, then this key).
            models.Index(
                fields=["priority", "sort_key"], name="action_priority_sort_idx"
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return record_url("improvement:action_detail", self.pk)

    @classmethod
    def shown_rag(cls, status, rag):
        """The RAG to show for an action with ``status`` and stored ``rag``.

        The one rule, used by every page, figure and export: Blue once
        delivered; none once withdrawn (its confidence of delivery no longer
        means anything); "not_assessed" while nobody has assessed it;
        otherwise the RAG recorded. A ``ShownRag`` value.
        """
        if status == cls.Status.DELIVERED:
            return cls.ShownRag.BLUE
        if status == cls.Status.WITHDRAWN:
            return cls.ShownRag.NONE
        if not rag:
            return cls.ShownRag.NOT_ASSESSED
        return cls.ShownRag(rag)

    @classmethod
    def shown_rag_expression(cls):
        """``shown_rag`` as a database expression, to filter or sort by it."""
        return Case(
            When(status=cls.Status.DELIVERED, then=Value(cls.ShownRag.BLUE)),
            When(status=cls.Status.WITHDRAWN, then=Value(cls.ShownRag.NONE)),
            When(rag="", then=Value(cls.ShownRag.NOT_ASSESSED)),
            default=F("rag"),
            output_field=models.CharField(),
        )

    @classmethod
    def rag_rank(cls, *, reverse=False):
        """A database expression to sort by the RAG shown (``shown_rag``).

        Red, Amber, Green, Blue (``RAG_ORDER``), or Blue to Red with
        ``reverse``; then "Not assessed", then withdrawn (no RAG) either way.
        """
        order = [*(cls.RAG_ORDER[::-1] if reverse else cls.RAG_ORDER)]
        order += [value for value in cls.ShownRag.values if value not in order]
        shown = cls.shown_rag_expression()
        return Case(
            *(
                When(Exact(shown, Value(value)), then=Value(rank))
                for rank, value in enumerate(order)
            ),
            default=Value(len(order)),
            output_field=models.IntegerField(),
        )

    @classmethod
    def status_rank(cls, *, reverse=False):
        """A database expression to sort by delivery status, in the order of
        ``Status`` (not started, in progress, delivered, paused, withdrawn)."""
        values = cls.Status.values
        return choice_rank("status", values[::-1] if reverse else values)

    @classmethod
    def rag_tag(cls, status, rag):
        """``(value, label)`` of the RAG to show as a tag; value empty for none."""
        shown = cls.shown_rag(status, rag)
        return ("" if shown == cls.ShownRag.NONE else shown.value), shown.label

    # Validation ---------------------------------------------------------

    def clean(self):
        errors = {}
        if self.priority_id and self.plan_id and self.priority.plan_id != self.plan_id:
            errors["priority"] = validation.PRIORITY_OF_ANOTHER_PLAN
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = validation.DUE_BEFORE_START
        if (
            self.start_date
            and self.original_due_date
            and self.original_due_date < self.start_date
        ):
            errors["original_due_date"] = validation.ORIGINAL_DUE_BEFORE_START
        if (
            self.status in self.STATUSES_NEEDING_REASON
            and not self.status_reason.strip()
        ):
            errors["status_reason"] = validation.REASON_FOR_PAUSE_OR_WITHDRAWAL
        if (
            self.impact in self.IMPACTS_NEEDING_EVIDENCE
            and not self.impact_evidence.strip()
        ):
            errors["impact_evidence"] = validation.EVIDENCE_OF_IMPACT
        if self.original_due_date_changed():
            errors["original_due_date"] = validation.ORIGINAL_DUE_FIXED
        if errors:
            raise ValidationError(errors)

    def original_due_date_changed(self):
        return "original_due_date" in (self.changed_fields() or ())

    def due_date_changed(self):
        return "due_date" in (self.changed_fields() or ())

    def save(self, *args, **kwargs):
        if self._state.adding and self.due_date is None:
            self.due_date = self.original_due_date
        if self.original_due_date_changed():
            raise ValidationError({"original_due_date": validation.ORIGINAL_DUE_FIXED})
        if (
            self.due_date_changed()
            and not (getattr(self, "_change_reason", "") or "").strip()
        ):
            raise ValidationError({"due_date": validation.REASON_FOR_DUE_DATE_MOVE})
        super().save(*args, **kwargs)


class ProgressUpdate(TrackedModel):
    """A dated note of progress on an action, as reported at the time.

    Append-only: once recorded an update is never edited, so the board can
    see what was said when. It keeps the status and RAG the author reported.
    """

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="progress_updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        null=True,
        blank=True,
    )
    update_date = models.DateField("Date of update", default=timezone.localdate)
    narrative = models.TextField("Progress")
    status = models.CharField(
        "Status reported", max_length=20, choices=Action.Status.choices
    )
    rag = models.CharField(
        "RAG reported", max_length=10, choices=Action.Rag.choices, blank=True
    )
    evidence_url = LinkField("Evidence link", max_length=500, blank=True)

    history = tracked_history()

    class Meta:
        ordering = ["-update_date", "-pk"]
        get_latest_by = "update_date"
        verbose_name = "progress update"
        verbose_name_plural = "progress updates"
        constraints = [
            models.CheckConstraint(
                condition=~Q(narrative=""),
                name="%(app_label)s_%(class)s_has_narrative",
                violation_error_message=validation.PROGRESS_NARRATIVE,
            )
        ]
        indexes = [
            # Stale checks and "latest update" look up updates by action and date.
            models.Index(
                fields=["action", "update_date"], name="progress_action_date_idx"
            ),
            models.Index(fields=["update_date"], name="progress_date_idx"),
        ]

    def __str__(self):
        return f"{self.action.reference} update, {govuk_date(self.update_date)}"

    @property
    def display_rag(self):
        """The RAG reported, as shown (``Action.shown_rag``); empty for none."""
        return Action.rag_tag(self.status, self.rag)[0]

    @property
    def display_rag_label(self):
        return Action.rag_tag(self.status, self.rag)[1]

    def clean(self):
        if not (self.narrative or "").strip():
            raise ValidationError({"narrative": validation.PROGRESS_NARRATIVE})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(validation.PROGRESS_FIXED)
        super().save(*args, **kwargs)
