"""Case-file audits and practice weeks: the quality of practice, case by case.

An audit grades one child's case file (Outstanding, Good, Requires
improvement, Inadequate), and a moderator may change the grade. Boards read
the mix of grades over time, by month and by team, before and after
moderation; the share graded Good or better is a measure of its own. A
practice week (or any themed audit round) takes a practice issue, with its
principles, leads, guidance and training, and audits a dip sample of cases.

A case is named only by a pseudonymous reference from the case management
system: never a child's name.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, When
from django.urls import reverse

from improvement.kernel.dates import govuk_date
from improvement.kernel.history import tracked_history
from improvement.kernel.permissions import VisibleQuerySet, can_view_audits
from improvement.kernel.tracking import TrackedModel
from visits.models import Grade

#: The grades that count as Good or better.
GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)

#: A reference such as CF-102344 or 2025/0417: letters, digits, "-" and "/",
#: with at least one digit, so a name cannot be typed in by mistake.
case_reference_validator = RegexValidator(
    r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/-]*$",
    "Enter the case's reference from the case management system, such as "
    "CF-102344, not a name",
)


class PracticeWeekQuerySet(VisibleQuerySet):
    view_rule = staticmethod(can_view_audits)


class PracticeWeek(TrackedModel):
    """A practice week, or any themed audit round, and its dip sample.

    Modelled on Bradford's “Focus on Practice Weeks”: a fortnightly week
    with its practice issue, the principles of good practice it tests, its
    practice leads, the guidance and training offered, and the outcome of
    the audits of its dip sample.
    """

    plan = models.ForeignKey(
        "improvement.Plan", on_delete=models.PROTECT, related_name="practice_weeks"
    )
    practice_issue = models.CharField(
        max_length=200,
        help_text="For example, Management oversight and supervision.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    principles = models.TextField(
        blank=True, help_text="The principles of good practice the week tests."
    )
    practice_leads = models.TextField(
        blank=True, help_text="By role, for example Principal Social Worker."
    )
    guidance = models.TextField(
        "Guidance and training",
        blank=True,
        help_text="The practice guidance, workshops and training offered.",
    )
    outcome = models.TextField(
        "Audit outcome",
        blank=True,
        help_text="What the audits of the dip sample found.",
    )

    history = tracked_history()
    objects = PracticeWeekQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = "practice week"
        verbose_name_plural = "practice weeks"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="The end date must be on or after the "
                "start date",
            ),
        ]

    def __str__(self):
        return f"{self.practice_issue} ({govuk_date(self.start_date)})"

    def get_absolute_url(self):
        return reverse("audits:practiceweek_detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The end date must be on or after the start date"}
            )


def with_final_grade(audits):
    """``audits`` (or their history rows) with ``final`` to filter on: the
    grade after moderation, or the grade when not moderated."""
    return audits.alias(
        final=Case(
            When(moderated_grade="", then=F("grade")),
            default=F("moderated_grade"),
        )
    )


class AuditQuerySet(VisibleQuerySet):
    view_rule = staticmethod(can_view_audits)


class Audit(TrackedModel):
    """One case file audited: its grade, and the grade after moderation."""

    plan = models.ForeignKey(
        "improvement.Plan", on_delete=models.PROTECT, related_name="audits"
    )
    practice_week = models.ForeignKey(
        PracticeWeek,
        on_delete=models.PROTECT,
        related_name="audits",
        null=True,
        blank=True,
        help_text="If the audit was part of a practice week's dip sample.",
    )
    audit_date = models.DateField("Date of the audit")
    team = models.CharField(
        "Team or service area",
        max_length=200,
        help_text="For example, Assessment team 2, or Children in care.",
    )
    case_reference = models.CharField(
        "Case reference",
        max_length=40,
        validators=[case_reference_validator],
        help_text="The reference from the case management system, such as "
        "CF-102344. Never the child's name.",
    )
    auditor = models.ForeignKey(
        "improvement.Owner", on_delete=models.PROTECT, related_name="audits"
    )
    grade = models.CharField(max_length=30, choices=Grade.choices)
    moderated_grade = models.CharField(
        "Grade after moderation",
        max_length=30,
        choices=Grade.choices,
        blank=True,
        help_text="Leave as not moderated until a moderator has looked at it.",
    )
    strengths = models.TextField(blank=True)
    learning_points = models.TextField("Learning points", blank=True)
    actions = models.ManyToManyField(
        "improvement.Action",
        related_name="audits",
        blank=True,
        verbose_name="actions it gave rise to",
    )

    history = tracked_history(m2m_fields=["actions"])
    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-audit_date", "-pk"]
        verbose_name = "case-file audit"
        verbose_name_plural = "case-file audits"

    def __str__(self):
        return f"Audit of {self.case_reference}, {govuk_date(self.audit_date)}"

    def get_absolute_url(self):
        return reverse("audits:audit_detail", args=[self.pk])

    @property
    def final_grade(self):
        """The grade after moderation, or the grade when not moderated."""
        return self.moderated_grade or self.grade

    def clean(self):
        week = self.practice_week
        if week is not None and self.plan_id and week.plan_id != self.plan_id:
            raise ValidationError(
                {"practice_week": "Select a practice week of this audit's plan"}
            )
