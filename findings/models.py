"""Findings raised by inspections and visits, and the themes that group them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from improvement.base_models import TrackedModel
from improvement.history import tracked_history


class Theme(TrackedModel):
    """A practice theme that findings share, such as “Supervision” or “Caseloads”."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = tracked_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "theme"
        verbose_name_plural = "themes"

    def __str__(self):
        return self.name


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Findings this user may see: all of them with the view permission."""
        if user.has_perm("findings.view_finding"):
            return self
        return self.none()

    def with_source(self):
        """Load the inspection or visit that raised each finding (lists, exports)."""
        return self.select_related("inspection", "monitoring_visit")

    def with_is_answered(self):
        """Annotate ``is_answered``: does any action answer this finding?"""
        through = self.model.actions.through
        return self.annotate(
            is_answered=Exists(through.objects.filter(finding_id=OuterRef("pk")))
        )

    def unanswered(self):
        """Findings that no action answers (strengths are not expected to be)."""
        return (
            self.with_is_answered()
            .filter(is_answered=False)
            .exclude(kind=Finding.Kind.STRENGTH)
        )


class Finding(TrackedModel):
    """Something an inspection or visit found that the plan must answer.

    Raised by exactly one inspection or one visit, and referenced the way the
    letter or report numbers it (“R9”). Strengths are recorded too, so that the
    register reads as the letter does, but they need no action.
    """

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
        AREA_FOR_DEVELOPMENT = "area_for_development", "Area for development"
        STRENGTH = "strength", "Strength"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    inspection = models.ForeignKey(
        "visits.Inspection",
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    monitoring_visit = models.ForeignKey(
        "visits.MonitoringVisit",
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
        verbose_name="monitoring visit or review",
    )
    kind = models.CharField(
        max_length=30, choices=Kind.choices, default=Kind.RECOMMENDATION
    )
    reference = models.CharField(
        max_length=20, help_text="As the report or letter numbers it, for example R9."
    )
    title = models.CharField(max_length=250)
    text = models.TextField("Full text", blank=True)
    themes = models.ManyToManyField(Theme, related_name="findings", blank=True)
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )

    history = tracked_history(m2m_fields=["themes"])
    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["reference", "pk"]
        verbose_name = "finding"
        verbose_name_plural = "findings"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(inspection__isnull=False, monitoring_visit__isnull=True)
                    | Q(inspection__isnull=True, monitoring_visit__isnull=False)
                ),
                name="%(app_label)s_%(class)s_exactly_one_source",
                violation_error_message=(
                    "Choose either the inspection or the visit that raised "
                    "this finding, not both"
                ),
            ),
            models.UniqueConstraint(
                fields=["inspection", "reference"],
                condition=Q(inspection__isnull=False),
                name="%(app_label)s_%(class)s_unique_ref_per_inspection",
                violation_error_message=(
                    "This inspection already has a finding with that reference"
                ),
            ),
            models.UniqueConstraint(
                fields=["monitoring_visit", "reference"],
                condition=Q(monitoring_visit__isnull=False),
                name="%(app_label)s_%(class)s_unique_ref_per_visit",
                violation_error_message=(
                    "This visit already has a finding with that reference"
                ),
            ),
        ]
        indexes = [
            # The findings register filters by kind and priority.
            models.Index(fields=["kind"], name="finding_kind_idx"),
            models.Index(fields=["priority"], name="finding_priority_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("findings:finding_detail", args=[self.pk])

    @property
    def source(self):
        """The inspection or visit that raised this finding (may query once)."""
        return self.inspection or self.monitoring_visit

    def clean(self):
        if self.inspection_id and self.monitoring_visit_id:
            raise ValidationError(
                {
                    "monitoring_visit": "Choose either the inspection or the visit "
                    "that raised this finding, not both"
                }
            )
        if not self.inspection_id and not self.monitoring_visit_id:
            raise ValidationError(
                {
                    "inspection": (
                        "Select the inspection or the visit that raised this finding"
                    )
                }
            )
