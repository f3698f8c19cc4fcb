"""Findings raised by inspections and visits, and the themes that group them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse

from findings.answers import answers
from improvement.kernel.history import tracked_history
from improvement.kernel.links import record_url
from improvement.kernel.ordering import NaturalSortKeyField
from improvement.kernel.permissions import VisibleQuerySet, can_view_findings
from improvement.kernel.tracking import TrackedModel
from visits.models import Inspection, MonitoringVisit


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

    def get_absolute_url(self):
        return reverse("findings:theme_detail", args=[self.pk])


class FindingQuerySet(VisibleQuerySet):
    """Findings: who may see them, their sources, and what answers them."""

    view_rule = staticmethod(can_view_findings)

    def with_source(self):
        """Load the inspection or visit that raised each finding (lists, exports)."""
        return self.select_related("inspection", "monitoring_visit")

    def with_is_answered(self):
        """Annotate ``is_answered``: does anything (an action) answer this finding?

        The expression comes from ``findings.answers``, which the plan fills:
        an ``EXISTS`` subquery, no query of its own.
        """
        return self.annotate(is_answered=answers().is_answered())

    def for_plan(self, plan):
        """The findings ``plan`` must answer (strengths included): the one rule.

        Those raised by the inspections and the visits and reviews the plan
        says it answers, and no others; a plan that names none answers none.
        Dashboards, the golden thread, what changed and the register's plan
        filter all use this. See ``answered_by_plan`` for the rule itself.
        """
        return self.filter(answered_by_plan(plan))

    def in_reference_order(self):
        """By reference read naturally: R9 before R10, 1.2 before 1.10."""
        return self.order_by(*Finding.REFERENCE_ORDER)

    def unanswered(self):
        """Findings that no action answers (strengths are not expected to be)."""
        return (
            self.with_is_answered()
            .filter(is_answered=False)
            .exclude(kind=Finding.Kind.STRENGTH)
        )


def answered_by_plan(plan):
    """``Q`` for the findings ``plan`` (a plan or its id) answers.

    Raised by one of the plan's inspections or one of its visits and
    reviews. The plan app links them (``Plan.inspections``, ``Plan.visits``,
    reached here from the inspection or visit as ``plans``), so findings never
    import it. The condition is on ``inspection_id`` and ``monitoring_visit_id``
    with subqueries, so it also selects findings' history rows (the findings
    as they stood at a past moment) and adds no query of its own.
    """
    plan_id = getattr(plan, "pk", plan)
    return Q(
        inspection_id__in=Inspection.objects.filter(plans=plan_id).values("pk")
    ) | Q(
        monitoring_visit_id__in=MonitoringVisit.objects.filter(plans=plan_id).values(
            "pk"
        )
    )


def ever_answered_by_plan(plan):
    """Ids of the findings ``plan``'s sources have ever raised: a subquery on
    the findings' history, for the findings as they stood at past moments.

    The same rule as ``answered_by_plan``, read as a union of two lookups,
    each by its own index (by inspection, by visit), so that the query never
    reads the whole history table as an ``OR`` of the two would.
    """
    plan_id = getattr(plan, "pk", plan)
    history = Finding.history.model._default_manager.order_by()
    by_inspection = history.filter(
        inspection_id__in=Inspection.objects.filter(plans=plan_id).values("pk")
    ).values("id")
    by_visit = history.filter(
        monitoring_visit_id__in=MonitoringVisit.objects.filter(plans=plan_id).values(
            "pk"
        )
    ).values("id")
    return by_inspection.union(by_visit)


#: How many times to try the next generated reference when someone else took it.
GENERATED_REFERENCE_ATTEMPTS = 5


class Finding(TrackedModel):
    """Something an inspection or visit found that the plan must answer.

    Raised by exactly one inspection or one visit, and referenced the way the
    letter or report numbers it (“R9”) or places it (“Findings and evaluation
    para 6”). Ofsted's monitoring letters do not number their findings: a
    finding saved with no reference is given one from its source and order,
    “MV2-3” for the third finding of monitoring visit 2 (see
    ``generated_reference``). Strengths are recorded too, so that the register
    reads as the letter does, but they need no action.
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

    #: The order findings are listed in: by reference read naturally
    #: (``sort_key``: R9 before R10); the id breaks any tie.
    REFERENCE_ORDER = ("sort_key", "pk")

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
        max_length=100,
        blank=True,
        help_text="As the report or letter numbers it, for example R9. Leave "
        "blank if it is not numbered: it will be given one from its source and "
        "order, for example MV2-3 for the third finding of monitoring visit 2.",
    )
    #: ``reference`` as it sorts (R9 before R10), kept up to date on save.
    sort_key = NaturalSortKeyField(source="reference")
    title = models.CharField(max_length=250)
    text = models.TextField("Full text", blank=True)
    themes = models.ManyToManyField(Theme, related_name="findings", blank=True)
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )

    history = tracked_history(m2m_fields=["themes"])
    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "pk"]
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
            # Reference order: the register, exports and the golden thread.
            models.Index(fields=["sort_key"], name="finding_sort_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return record_url("findings:finding_detail", self.pk)

    @property
    def source(self):
        """The inspection or visit that raised this finding (may query once)."""
        return self.inspection or self.monitoring_visit

    def generated_reference(self):
        """A reference from the source and order: "MV2-3", "ILACS-12".

        The source's prefix (``reference_prefix``: the visit's kind and number,
        or the inspection's framework), then one more than the number of other
        findings the source has raised, moved on past any reference already
        taken, so it is unique within the source. Two queries.
        """
        source = self.source
        others = (
            type(self)
            ._default_manager.filter(
                inspection_id=self.inspection_id,
                monitoring_visit_id=self.monitoring_visit_id,
            )
            .exclude(pk=self.pk)
        )
        prefix = f"{source.reference_prefix}-"
        taken = set(
            others.filter(reference__startswith=prefix).values_list(
                "reference", flat=True
            )
        )
        number = others.count() + 1
        while f"{prefix}{number}" in taken:
            number += 1
        return f"{prefix}{number}"

    def save(self, *args, **kwargs):
        """Save, first giving an unnumbered finding a generated reference.

        Someone adding a finding to the same source at the same moment may take
        the same reference first; the next one is tried then.
        """
        self.reference = (self.reference or "").strip()
        if self.reference or self.source is None:
            return super().save(*args, **kwargs)
        for attempt in range(GENERATED_REFERENCE_ATTEMPTS):
            self.reference = self.generated_reference()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                taken = (
                    type(self)
                    ._default_manager.filter(
                        inspection_id=self.inspection_id,
                        monitoring_visit_id=self.monitoring_visit_id,
                        reference=self.reference,
                    )
                    .exclude(pk=self.pk)
                    .exists()
                )
                if not taken or attempt == GENERATED_REFERENCE_ATTEMPTS - 1:
                    self.reference = ""
                    raise
        return None  # pragma: no cover - the loop returns or raises

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


class FindingJudgementQuerySet(VisibleQuerySet):
    """Judgements of findings at later visits: seen by those who see findings."""

    view_rule = staticmethod(can_view_findings)

    def in_visit_order(self):
        """Oldest visit first: how a finding's progress reads over time."""
        return self.order_by(
            "monitoring_visit__start_date", "monitoring_visit__sequence", "pk"
        )

    def latest_first(self):
        """Newest visit first: the first row of a finding is its latest judgement."""
        return self.order_by(
            "-monitoring_visit__start_date", "-monitoring_visit__sequence", "-pk"
        )


class FindingJudgement(TrackedModel):
    """What a later monitoring visit or review judged of an earlier finding.

    Ofsted's monitoring letters re-test earlier findings (“areas covered”)
    and say what has improved and what is “not yet embedded”. One judgement
    per finding per visit, with the visit's own words; a visit cannot judge
    the finding it raised, nor one raised after it started.
    """

    class Progress(models.TextChoices):
        NOT_YET_TESTED = "not_yet_tested", "Not yet tested"
        NO_PROGRESS = "no_progress", "No progress"
        SOME_PROGRESS = "some_progress", "Some progress"
        IMPROVED_NOT_EMBEDDED = (
            "improved_not_embedded",
            "Improved but not yet embedded",
        )
        EMBEDDED = "embedded", "Improved and embedded"

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="judgements"
    )
    monitoring_visit = models.ForeignKey(
        "visits.MonitoringVisit",
        on_delete=models.PROTECT,
        related_name="finding_judgements",
        verbose_name="visit or review",
    )
    progress = models.CharField(
        "Progress judged", max_length=30, choices=Progress.choices
    )
    words = models.TextField(
        "The visit's words",
        blank=True,
        help_text="As the letter or report puts it. Needed unless the finding "
        "was not yet tested.",
    )

    history = tracked_history()
    objects = FindingJudgementQuerySet.as_manager()

    class Meta:
        # No default order: it would join the visit into every query. Each
        # list asks for the order it shows (``in_visit_order``, ``latest_first``).
        verbose_name = "progress judgement"
        verbose_name_plural = "progress judgements"
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "monitoring_visit"],
                name="%(app_label)s_%(class)s_once_per_visit",
                violation_error_message=(
                    "This visit already has a judgement of this finding: "
                    "edit that one instead"
                ),
            ),
        ]

    def __str__(self):
        return (
            f"{self.finding.reference} at {self.monitoring_visit}: "
            f"{self.get_progress_display()}"
        )

    def get_absolute_url(self):
        return f"{self.finding.get_absolute_url()}#judgement-{self.pk}"

    @property
    def is_no_progress(self):
        return self.progress == self.Progress.NO_PROGRESS

    def clean(self):
        errors = {}
        if (
            self.progress != self.Progress.NOT_YET_TESTED
            and not (self.words or "").strip()
        ):
            errors["words"] = "Enter the visit's words about this finding"
        if self.finding_id and self.monitoring_visit_id:
            finding, visit = self.finding, self.monitoring_visit
            source = finding.source
            if finding.monitoring_visit_id == visit.pk:
                errors["monitoring_visit"] = (
                    "Choose a later visit: this visit raised the finding"
                )
            elif source is not None and visit.start_date <= source.start_date:
                errors["monitoring_visit"] = (
                    "Choose a visit that took place after the finding was raised"
                )
        if errors:
            raise ValidationError(errors)
