"""Who delivers the plan and how it is shaped: owners, plans and priorities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from improvement.kernel.history import tracked_history
from improvement.kernel.tracking import TrackedModel
from improvement.plan import validation
from improvement.plan.querysets import PlanQuerySet


class Owner(TrackedModel):
    """A person or role who leads or supports actions.

    Owners are named by role (“Head of Service, Safeguarding”). A partner lead
    who never signs in can still own actions; when the owner is also a user,
    ``user`` links them so “My actions” can find their work.
    """

    name = models.CharField(
        max_length=150, help_text="A role or a person, as the plan names them."
    )
    job_title = models.CharField(max_length=150, blank=True)
    team = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(
        max_length=150,
        blank=True,
        help_text="Leave blank for the council; name the partner otherwise.",
    )
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owner",
        help_text="The sign-in that belongs to this owner, if they have one.",
    )
    is_active = models.BooleanField(default=True)

    history = tracked_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "owner"
        verbose_name_plural = "owners"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=validation.OWNER_NAME_TAKEN,
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("improvement:owner_detail", args=[self.pk])


class Plan(TrackedModel):
    """An improvement plan, such as the children's services improvement plan.

    A council may run several at once (a SEND written statement of action, a
    single team's service plan), each with its own priorities and actions.
    Each says which inspections, and which visits and reviews, it answers:
    their findings are the plan's findings to answer
    (``Finding.objects.for_plan``), and no others.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    inspections = models.ManyToManyField(
        "visits.Inspection",
        related_name="plans",
        blank=True,
        verbose_name="inspections it answers",
    )
    visits = models.ManyToManyField(
        "visits.MonitoringVisit",
        related_name="plans",
        blank=True,
        verbose_name="visits and reviews it answers",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    history = tracked_history(m2m_fields=["inspections", "visits"])
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "improvement plan"
        verbose_name_plural = "improvement plans"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=validation.PLAN_ENDS_BEFORE_START,
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("improvement:plan_detail", args=[self.pk])

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": validation.PLAN_ENDS_BEFORE_START})


class Priority(TrackedModel):
    """A numbered priority (workstream) of a plan, under which actions sit."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    lead_owner = models.ForeignKey(
        Owner,
        on_delete=models.PROTECT,
        related_name="led_priorities",
        null=True,
        blank=True,
        verbose_name="lead officer",
    )

    history = tracked_history()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "priority"
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=validation.PRIORITY_NUMBER_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="%(app_label)s_%(class)s_number_positive",
                violation_error_message=validation.PRIORITY_NUMBER_BELOW_ONE,
            ),
        ]

    def __str__(self):
        return f"Priority {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("improvement:priority_detail", args=[self.pk])
