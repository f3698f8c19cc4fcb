"""Measures of impact: what a plan counts to show it is making a difference.

A measure (average caseload per social worker, assessments completed within
45 days) has a plain-English definition, a unit, which direction is better,
how often it is reported, a target and the tolerances that make a value Amber
or Red. Its values are recorded a period (a month or a quarter) at a time; a
correction changes a value and must say why, and the history keeps the
earlier value with who corrected it.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from improvement.kernel.history import tracked_history
from improvement.kernel.permissions import VisibleQuerySet, can_view_measures
from improvement.kernel.tracking import TrackedModel

#: The largest value or target a measure holds: 12 digits before the point.
MAX_DIGITS = 14
DECIMAL_PLACES = 2
LARGEST = Decimal("999999999999.99")


class Rag(models.TextChoices):
    """How a value compares with its target. Blank when there is no target."""

    NONE = "", "No target"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


#: The order lists show measures in: furthest off target first.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NONE)


def value_rag(value, *, target, direction, amber_tolerance, red_tolerance):
    """The RAG of ``value`` against ``target``: the one rule.

    Green when the value meets the target, or falls short of it by no more
    than ``amber_tolerance``; Amber when it falls short by more than that but
    no more than ``red_tolerance``; Red beyond. "Short" is below the target
    when higher is better, above it when lower is better. No target, or no
    value, gives no RAG (``Rag.NONE``).
    """
    if value is None or target is None:
        return Rag.NONE
    if direction == Measure.Direction.HIGHER:
        shortfall = target - value
    else:
        shortfall = value - target
    if shortfall <= (amber_tolerance or 0):
        return Rag.GREEN
    if shortfall <= (red_tolerance or 0):
        return Rag.AMBER
    return Rag.RED


def period_start(day, frequency):
    """The first day of the month, or of the quarter, that ``day`` falls in."""
    month = day.month
    if frequency == Measure.Frequency.QUARTERLY:
        month = 3 * ((month - 1) // 3) + 1
    return datetime.date(day.year, month, 1)


def period_label(day, frequency):
    """“March 2026”, or “January to March 2026” for a quarter."""
    if frequency == Measure.Frequency.QUARTERLY:
        # The quarter the day falls in, even for a month recorded before the
        # measure became quarterly.
        first = period_start(day, frequency)
        last = datetime.date(first.year, first.month + 2, 1)
        return f"{first:%B} to {last:%B %Y}"
    return f"{day:%B %Y}"


class MeasureQuerySet(VisibleQuerySet):
    """Measures: who may see them, and what their lists load."""

    view_rule = staticmethod(can_view_measures)

    def with_latest_value(self):
        """Annotate ``latest_period`` and ``latest_value``: the newest value.

        Two subqueries in the one query, so a list of measures costs the same
        however many values each has.
        """
        latest = MeasureValue.objects.filter(measure=models.OuterRef("pk")).order_by(
            "-period"
        )
        return self.annotate(
            latest_period=models.Subquery(latest.values("period")[:1]),
            latest_value=models.Subquery(latest.values("value")[:1]),
        )

    def for_list(self):
        """What the measures list shows: plan, owner, the latest value and
        the trajectory of targets (one query for every measure's)."""
        return (
            self.select_related("plan", "owner")
            .prefetch_related("targets")
            .with_latest_value()
        )


class Measure(TrackedModel):
    """Something a plan counts to show its actions are making a difference.

    Improvement managers define measures; the measure's owner (usually the
    officer who holds the data) records a value each month or quarter. A
    measure evidences the priorities, actions and findings it is linked to.
    """

    class Unit(models.TextChoices):
        NUMBER = "number", "Number"
        PERCENTAGE = "percentage", "Percentage"
        DAYS = "days", "Days"
        MONEY = "money", "Money (£)"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class WorkedOut(models.TextChoices):
        """Where a measure's values come from: its owner, or the audits."""

        RECORDED = "", "Recorded by its owner"
        AUDITS_AFTER = (
            "audits_after",
            "Worked out from the audits: the share graded Good or better "
            "after moderation",
        )
        AUDITS_BEFORE = (
            "audits_before",
            "Worked out from the audits: the share graded Good or better "
            "at first grade",
        )

    plan = models.ForeignKey(
        "improvement.Plan", on_delete=models.PROTECT, related_name="measures"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(
        help_text="In plain English: what is counted, and how.",
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(
        "Which direction is better", max_length=10, choices=Direction.choices
    )
    frequency = models.CharField(
        "How often it is reported",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    worked_out_from = models.CharField(
        "Where its values come from",
        max_length=20,
        choices=WorkedOut.choices,
        blank=True,
        default=WorkedOut.RECORDED,
        help_text="A measure worked out from the audits gets a value for each "
        "period with audits, kept up to date as audits are recorded and "
        "moderated; nobody records its values by hand.",
    )
    target = models.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    amber_tolerance = models.DecimalField(
        "Amber when short of the target by more than",
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default=Decimal("0"),
        help_text="A value short of the target by no more than this is Green.",
    )
    red_tolerance = models.DecimalField(
        "Red when short of the target by more than",
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default=Decimal("0"),
        help_text="A value short of the target by more than this is Red.",
    )
    data_source = models.CharField(
        max_length=250,
        blank=True,
        help_text="Where the figure comes from, for example the case management "
        "system's monthly workforce report.",
    )
    owner = models.ForeignKey(
        "improvement.Owner",
        on_delete=models.PROTECT,
        related_name="measures",
        help_text="The person who records its values.",
    )
    priorities = models.ManyToManyField(
        "improvement.Priority",
        related_name="measures",
        blank=True,
        verbose_name="priorities it evidences",
    )
    actions = models.ManyToManyField(
        "improvement.Action",
        related_name="measures",
        blank=True,
        verbose_name="actions it evidences",
    )
    findings = models.ManyToManyField(
        "findings.Finding",
        related_name="measures",
        blank=True,
        verbose_name="findings it evidences",
    )

    history = tracked_history(m2m_fields=["priorities", "actions", "findings"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = "measure"
        verbose_name_plural = "measures"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="This plan already has a measure with "
                "that name",
            ),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0)
                & Q(red_tolerance__gte=F("amber_tolerance")),
                name="%(app_label)s_%(class)s_tolerances_in_order",
                violation_error_message=(
                    "The red tolerance must be at least the amber tolerance, "
                    "and neither below 0"
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:measure_detail", args=[self.pk])

    def target_for(self, period):
        """The target in force for ``period``: the latest step of the
        trajectory from that period or before, else the measure's target.

        Reads ``targets`` (prefetch it for lists: one query each otherwise).
        """
        target = self.target
        if period is None:
            return target
        for step in sorted(self.targets.all(), key=lambda step: step.from_period):
            if step.from_period <= period:
                target = step.target
        return target

    def rag_of(self, value, period=None):
        """The RAG of ``value`` for ``period`` (``value_rag``), against the
        target in force then (``target_for``)."""
        return value_rag(
            value,
            target=self.target_for(period),
            direction=self.direction,
            amber_tolerance=self.amber_tolerance,
            red_tolerance=self.red_tolerance,
        )

    @property
    def latest_rag(self):
        """The RAG of the latest value; needs ``with_latest_value()``."""
        return self.rag_of(
            getattr(self, "latest_value", None), getattr(self, "latest_period", None)
        )

    @property
    def latest_target_text(self):
        """The target in force for the latest value (or now, with no value)."""
        target = self.target_for(getattr(self, "latest_period", None))
        return "No target" if target is None else self.format_value(target)

    @property
    def latest_value_text(self):
        """The latest value as read; needs ``with_latest_value()``."""
        return self.format_value(getattr(self, "latest_value", None))

    @property
    def latest_period_text(self):
        """The latest value's period; needs ``with_latest_value()``."""
        latest = getattr(self, "latest_period", None)
        return period_label(latest, self.frequency) if latest else ""

    @property
    def target_text(self):
        return (
            self.format_value(self.target) if self.target is not None else ("No target")
        )

    def format_value(self, value):
        """A value as people read it: “45%”, “£1,200.50”, “12 days”, “18.5”."""
        if value is None:
            return ""
        value = Decimal(value)
        if self.unit == self.Unit.MONEY:
            return f"£{value:,.2f}"
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
        if self.unit == self.Unit.PERCENTAGE:
            return f"{number}%"
        if self.unit == self.Unit.DAYS:
            return f"{number} day{'' if value == 1 else 's'}"
        return number

    @property
    def is_worked_out(self):
        """Are its values worked out from other records, not recorded?"""
        return bool(self.worked_out_from)

    def clean(self):
        errors = {}
        if self.is_worked_out and self.unit != self.Unit.PERCENTAGE:
            errors["unit"] = (
                "A measure worked out from the audits is a percentage: "
                "select Percentage"
            )
        amber, red = self.amber_tolerance, self.red_tolerance
        if amber is not None and amber < 0:
            errors["amber_tolerance"] = "The amber tolerance must be 0 or more"
        if red is not None and amber is not None and red < amber:
            errors["red_tolerance"] = (
                "The red tolerance must be the same as the amber tolerance or more"
            )
        if errors:
            raise ValidationError(errors)


class MeasureTarget(TrackedModel):
    """A step of a measure's trajectory: its target from a period onwards.

    A trajectory says how the target tightens over the plan (a caseload of 22
    from April, 20 from October, 18 from next April). Before its first step
    the measure's own target applies.
    """

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="targets"
    )
    from_period = models.DateField(
        "From", help_text="The first day of the month or quarter it applies from."
    )
    target = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)

    history = tracked_history()

    class Meta:
        ordering = ["measure", "from_period"]
        verbose_name = "measure target"
        verbose_name_plural = "measure targets"
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "from_period"],
                name="%(app_label)s_%(class)s_one_per_period",
                violation_error_message="This measure already has a target from "
                "that period",
            ),
            models.CheckConstraint(
                condition=Q(from_period__day=1),
                name="%(app_label)s_%(class)s_period_starts_month",
                violation_error_message="A period starts on the first of a month",
            ),
        ]

    def __str__(self):
        return f"{self.measure.name}: target from {self.period_label}"

    def get_absolute_url(self):
        return self.measure.get_absolute_url()

    @property
    def period_label(self):
        """“April 2026”; needs the measure (one query if not loaded)."""
        return period_label(self.from_period, self.measure.frequency)


class MeasureValue(TrackedModel):
    """A measure's value for one period (a month or a quarter).

    One value per measure and period. Correcting a value needs a reason,
    which the history keeps beside the earlier value and who corrected it.
    """

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="values"
    )
    period = models.DateField(help_text="The first day of the month or quarter.")
    value = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    note = models.TextField(blank=True)

    history = tracked_history()

    class Meta:
        ordering = ["measure", "period"]
        verbose_name = "measure value"
        verbose_name_plural = "measure values"
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="%(app_label)s_%(class)s_one_per_period",
                violation_error_message="This measure already has a value for "
                "that period",
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="%(app_label)s_%(class)s_period_starts_month",
                violation_error_message="A period starts on the first of a month",
            ),
        ]

    def __str__(self):
        return f"{self.measure.name}, {self.period_label}"

    def get_absolute_url(self):
        return self.measure.get_absolute_url()

    @property
    def period_label(self):
        """“March 2026”; needs the measure (one query if not loaded)."""
        return period_label(self.period, self.measure.frequency)

    def value_changed(self):
        return "value" in (self.changed_fields() or ())

    def clean(self):
        if self.period and self.measure_id:
            if self.period != period_start(self.period, self.measure.frequency):
                raise ValidationError(
                    {"period": "Select a period from the list"}, code="invalid"
                )

    def save(self, *args, **kwargs):
        if (
            self.value_changed()
            and not (getattr(self, "_change_reason", "") or "").strip()
        ):
            raise ValidationError({"value": "Say why the value is being corrected"})
        super().save(*args, **kwargs)
