"""Inspections, their graded judgements, and the visits and reviews that follow."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from improvement.kernel.history import tracked_history
from improvement.kernel.permissions import (
    VisibleQuerySet,
    can_view_inspections,
    can_view_visits,
)
from improvement.kernel.tracking import LinkField, TrackedModel


class Grade(models.TextChoices):
    """Ofsted's four-point scale, used for overall and area judgements."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = (
        "requires_improvement",
        "Requires improvement to be good",
    )
    INADEQUATE = "inadequate", "Inadequate"


def _dates_in_order(start, end, start_label="start date", end_label="end date"):
    if start and end and end < start:
        return {"end_date": f"The {end_label} must be on or after the {start_label}"}
    return {}


class InspectionQuerySet(VisibleQuerySet):
    """Inspections: all of them to those with the view permission."""

    view_rule = staticmethod(can_view_inspections)


class Inspection(TrackedModel):
    """A graded inspection of a service, such as an Ofsted ILACS inspection.

    Recorded by the improvement manager once the report is published. Its
    judgements, and the findings it raised, start the golden thread.
    """

    class Framework(models.TextChoices):
        ILACS = "ilacs", "Inspection of local authority children's services (ILACS)"
        SIF = "sif", "Single inspection framework (SIF), before 2018"
        SEND = "send", "Area SEND inspection"
        JTAI = "jtai", "Joint targeted area inspection (JTAI)"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        OTHER = "other", "Other inspection"

    #: Frameworks that give no graded judgements. They are recorded as visits
    #: and reviews (``MonitoringVisit.Kind``); inspections recorded under them
    #: before that keep their type, but new inspections are not offered them.
    UNGRADED_FRAMEWORKS = (Framework.JTAI, Framework.FOCUSED_VISIT)

    #: How a generated finding reference starts for each framework ("SIF-3").
    REFERENCE_CODES = {
        Framework.ILACS: "ILACS",
        Framework.SIF: "SIF",
        Framework.SEND: "SEND",
        Framework.JTAI: "JTAI",
        Framework.FOCUSED_VISIT: "FV",
        Framework.OTHER: "INS",
    }

    framework = models.CharField(
        max_length=20, choices=Framework.choices, default=Framework.ILACS
    )
    title = models.CharField(
        max_length=200,
        help_text="How people refer to it, for example “ILACS inspection 2025”.",
    )
    inspectorate = models.CharField(max_length=100, default="Ofsted")
    start_date = models.DateField()
    end_date = models.DateField()
    published_date = models.DateField(null=True, blank=True)
    report_url = LinkField("Report link", max_length=500, blank=True)
    overall_judgement = models.CharField(
        max_length=30, choices=Grade.choices, blank=True
    )
    summary = models.TextField(blank=True)

    history = tracked_history()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = "inspection"
        verbose_name_plural = "inspections"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=(
                    "The end date must be on or after the start date"
                ),
            ),
            models.CheckConstraint(
                condition=Q(published_date__isnull=True)
                | Q(published_date__gte=F("end_date")),
                name="%(app_label)s_%(class)s_published_after_end",
                violation_error_message=(
                    "The published date must be on or after the end date"
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visits:inspection_detail", args=[self.pk])

    @property
    def reference_prefix(self):
        """How references generated for its unnumbered findings start: "ILACS"."""
        return self.REFERENCE_CODES.get(self.framework, "INS")

    def clean(self):
        errors = _dates_in_order(self.start_date, self.end_date)
        if (
            self.published_date
            and self.end_date
            and self.published_date < self.end_date
        ):
            errors["published_date"] = (
                "The published date must be on or after the end date"
            )
        if errors:
            raise ValidationError(errors)


class Judgement(TrackedModel):
    """One graded area of an inspection, for example “Overall effectiveness”."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="judgements"
    )
    area = models.CharField(max_length=200)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    position = models.PositiveSmallIntegerField(default=0)

    history = tracked_history()

    class Meta:
        ordering = ["inspection", "position", "pk"]
        verbose_name = "judgement"
        verbose_name_plural = "judgements"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "area"],
                name="%(app_label)s_%(class)s_one_grade_per_area",
                violation_error_message=(
                    "This inspection already has a judgement for that area"
                ),
            )
        ]

    def __str__(self):
        return f"{self.area}: {self.get_grade_display()}"


class MonitoringVisitQuerySet(VisibleQuerySet):
    """Visits and reviews: all of them to those with the view permission."""

    view_rule = staticmethod(can_view_visits)


class MonitoringVisit(TrackedModel):
    """A visit, review or other ungraded source of findings.

    Ofsted monitoring visits are numbered in sequence after an inadequate
    judgement. Everything else that finds without grading is recorded the same
    way so its findings join the same register: Ofsted focused visits and
    joint targeted area inspections (letters, no grades), DfE reviews,
    improvement notices and statutory directions, a commissioner's report,
    peer and internal reviews, and audits. Graded inspections are
    ``Inspection``.
    """

    class Kind(models.TextChoices):
        OFSTED_MONITORING = "ofsted_monitoring", "Ofsted monitoring visit"
        FOCUSED_VISIT = "focused_visit", "Ofsted focused visit"
        JTAI = "jtai", "Joint targeted area inspection (JTAI)"
        DFE_REVIEW = "dfe_review", "DfE review"
        IMPROVEMENT_NOTICE = "improvement_notice", "DfE improvement notice"
        STATUTORY_DIRECTION = "statutory_direction", "DfE statutory direction"
        COMMISSIONER_REPORT = "commissioner_report", "Commissioner's report"
        PEER_REVIEW = "peer_review", "Peer review"
        INTERNAL_REVIEW = "internal_review", "Internal review"
        AUDIT = "audit", "Audit"

    #: How a generated finding reference starts for each kind: "MV" gives
    #: "MV2-3", the third finding of monitoring visit 2.
    REFERENCE_CODES = {
        Kind.OFSTED_MONITORING: "MV",
        Kind.FOCUSED_VISIT: "FV",
        Kind.JTAI: "JTAI",
        Kind.DFE_REVIEW: "DFE",
        Kind.IMPROVEMENT_NOTICE: "IN",
        Kind.STATUTORY_DIRECTION: "SD",
        Kind.COMMISSIONER_REPORT: "CR",
        Kind.PEER_REVIEW: "PR",
        Kind.INTERNAL_REVIEW: "IR",
        Kind.AUDIT: "AUD",
    }

    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.OFSTED_MONITORING
    )
    sequence = models.PositiveSmallIntegerField(
        help_text="1 for the first visit of this kind after the inspection, and so on."
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="monitoring_visits",
        null=True,
        blank=True,
        help_text="The inspection this visit follows up.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    inspectors = models.TextField(
        "Inspectors or reviewers",
        blank=True,
        help_text="Roles or names as the letter gives them.",
    )
    areas_covered = models.TextField(blank=True)
    letter_date = models.DateField(null=True, blank=True)
    letter_url = LinkField("Letter link", max_length=500, blank=True)
    summary = models.TextField(blank=True)

    history = tracked_history()
    objects = MonitoringVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "kind", "sequence"]
        verbose_name = "monitoring visit or review"
        verbose_name_plural = "monitoring visits and reviews"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=(
                    "The end date must be on or after the start date"
                ),
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1),
                name="%(app_label)s_%(class)s_sequence_positive",
                violation_error_message="The visit number must be 1 or more",
            ),
            models.UniqueConstraint(
                fields=["inspection", "kind", "sequence"],
                name="%(app_label)s_%(class)s_unique_sequence",
                violation_error_message=(
                    "There is already a visit of this kind with that number "
                    "for this inspection"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sequence} ({self.start_date:%B %Y})"

    def get_absolute_url(self):
        return reverse("visits:monitoringvisit_detail", args=[self.pk])

    @property
    def reference_prefix(self):
        """How references generated for its unnumbered findings start: "MV2"."""
        return f"{self.REFERENCE_CODES.get(self.kind, 'V')}{self.sequence}"

    def clean(self):
        errors = _dates_in_order(self.start_date, self.end_date)
        if self.letter_date and self.start_date and self.letter_date < self.start_date:
            errors["letter_date"] = "The letter date must be on or after the start date"
        if errors:
            raise ValidationError(errors)
