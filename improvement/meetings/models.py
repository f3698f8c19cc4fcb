"""The meetings that govern a plan, and the record they keep.

A plan is governed by meetings: a monthly Improvement Board, a scrutiny
committee with the plan as a standing item, Cabinet, full Council. Each
meeting has its body, date, the plans it reviews and who attended (by role,
and partners). Its agenda items record the decisions made, the questions
members asked with their answers (an answer still owed is listed until it
is given), and the actions arising, each with an owner and due date and
tracked to closure like a plan action. An action arising may become an
action of the plan: the link lives here, and the plan action reads it back
as ``action.arising_from``.

Reminders sent to owners before a meeting, and as a weekly digest, are kept
as ``Reminder`` rows, so a board can see who was reminded and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from improvement.kernel.dates import govuk_date
from improvement.kernel.history import tracked_history
from improvement.kernel.permissions import VisibleQuerySet, can_view_meetings
from improvement.kernel.tracking import TrackedModel
from improvement.plan.delivery import DeliverySignals
from improvement.plan.models import Action


class MeetingsQuerySet(VisibleQuerySet):
    view_rule = staticmethod(can_view_meetings)


class Body(TrackedModel):
    """A body that meets to govern the plan: the Improvement Board, a
    scrutiny committee, Cabinet, or any other the council names."""

    name = models.CharField(
        max_length=150,
        unique=True,
        help_text="For example, Improvement Board or Children's Scrutiny Committee.",
    )
    description = models.TextField(blank=True)
    is_board = models.BooleanField(
        "Owners are reminded before its meetings",
        default=False,
        help_text="Lead officers get a reminder before each of its meetings.",
    )

    history = tracked_history()
    objects = MeetingsQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "body"
        verbose_name_plural = "bodies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """A body has no page of its own: next, record one of its meetings."""
        return reverse("meetings:meeting_create")


class MeetingQuerySet(MeetingsQuerySet):
    def reminded_before(self):
        """Meetings of bodies whose owners are reminded before they meet."""
        return self.filter(body__is_board=True)


class Meeting(TrackedModel):
    """One meeting of a body: its date, the plans it reviews, who attended."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField("Date of the meeting")
    plans = models.ManyToManyField(
        "improvement.Plan",
        related_name="meetings",
        blank=True,
        verbose_name="plans it reviews",
    )
    attendees = models.TextField(
        "Who attended",
        blank=True,
        help_text="By role, one to a line, for example Independent Chair.",
    )
    partners = models.TextField(
        "Partners who attended",
        blank=True,
        help_text="By organisation and role, one to a line.",
    )
    notes = models.TextField(blank=True)

    history = tracked_history(m2m_fields=["plans"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "meeting"
        verbose_name_plural = "meetings"

    def __str__(self):
        return f"{self.body.name}, {govuk_date(self.date)}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    def papers_dates(self, today, previous):
        """The dates of the board's papers for this meeting: as at the meeting
        (today, for a meeting still to come), compared with ``previous`` (the
        body's meeting before, or None) when it was held before then."""
        as_at = min(self.date, today)
        since = (
            previous.date if previous is not None and previous.date < as_at else None
        )
        return as_at, since

    def previous(self):
        """The same body's meeting before this one, or None. One query."""
        return (
            Meeting.objects.filter(body_id=self.body_id)
            .filter(Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk))
            .order_by("-date", "-pk")
            .first()
        )


class AgendaItem(TrackedModel):
    """An item on a meeting's agenda, such as "Improvement plan progress"."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    notes = models.TextField("Discussion", blank=True)

    history = tracked_history()

    class Meta:
        ordering = ["meeting", "number", "pk"]
        verbose_name = "agenda item"
        verbose_name_plural = "agenda items"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="The meeting already has an item with "
                "this number",
            )
        ]

    def __str__(self):
        return f"Item {self.number}: {self.title}"

    def get_absolute_url(self):
        """The item on its meeting's page. Queries the meeting unless loaded."""
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"


class Decision(TrackedModel):
    """A decision minuted under an agenda item ("It was agreed that…")."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("Decision")

    history = tracked_history()

    class Meta:
        ordering = ["agenda_item", "pk"]
        verbose_name = "decision"
        verbose_name_plural = "decisions"

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.agenda_item.get_absolute_url()


class QuestionQuerySet(MeetingsQuerySet):
    def owed(self):
        """Questions still waiting for their answer."""
        return self.filter(answer="")


class Question(TrackedModel):
    """A question a member asked, and its answer once given.

    A question whose answer is blank is an answer owed ("a written response
    would be provided"), listed until it is answered.
    """

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="questions"
    )
    asked_by = models.CharField(
        max_length=150, help_text="By role, for example Councillor, or the Chair."
    )
    text = models.TextField("Question")
    answered_by = models.ForeignKey(
        "improvement.Owner",
        on_delete=models.PROTECT,
        related_name="questions_to_answer",
        null=True,
        blank=True,
        verbose_name="who answers",
    )
    answer = models.TextField(
        blank=True, help_text="Leave blank while the answer is owed."
    )
    answered_on = models.DateField(null=True, blank=True)

    history = tracked_history()
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["agenda_item", "pk"]
        verbose_name = "question"
        verbose_name_plural = "questions"

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.agenda_item.get_absolute_url()

    @property
    def is_owed(self):
        return not self.answer


class ActionArisingQuerySet(MeetingsQuerySet):
    def open(self):
        """Actions arising still to be delivered."""
        return self.exclude(status__in=ActionArising.CLOSED_STATUSES)

    def for_rows(self):
        """What a list of actions arising shows, in a fixed query count."""
        return self.select_related(
            "owner", "agenda_item__meeting__body", "plan_action__plan"
        )


class ActionArising(DeliverySignals, TrackedModel):
    """An action a meeting set, with its owner and due date, tracked to closure.

    It has the plan's delivery statuses. It may stay on the meeting's log or
    become an action of the plan (``plan_action``); the plan action reads it
    back as ``action.arising_from``.
    """

    Status = Action.Status
    CLOSED_STATUSES = Action.CLOSED_STATUSES

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="actions_arising"
    )
    description = models.TextField("Action")
    owner = models.ForeignKey(
        "improvement.Owner",
        on_delete=models.PROTECT,
        related_name="actions_arising",
    )
    due_date = models.DateField()
    status = models.CharField(
        "Delivery status",
        max_length=20,
        choices=Action.Status.choices,
        default=Action.Status.NOT_STARTED,
    )
    progress = models.TextField(
        "Latest progress", blank=True, help_text="What has been done so far."
    )
    plan_action = models.OneToOneField(
        "improvement.Action",
        on_delete=models.SET_NULL,
        related_name="arising_from",
        null=True,
        blank=True,
        verbose_name="plan action it became",
    )

    history = tracked_history()
    objects = ActionArisingQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "action arising"
        verbose_name_plural = "actions arising"

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("meetings:actionarising_detail", args=[self.pk])

    @property
    def original_due_date(self):
        return self.due_date


class ReminderChoice(TrackedModel):
    """An owner's choice of reminders: the weekly digest as well as the
    reminders before each meeting, or only those."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "A weekly digest and a reminder before each meeting"
        MEETINGS = "meetings", "Only a reminder before each meeting"

    owner = models.OneToOneField(
        "improvement.Owner", on_delete=models.CASCADE, related_name="reminder_choice"
    )
    frequency = models.CharField(
        "Reminders",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )

    history = tracked_history()

    class Meta:
        verbose_name = "reminder choice"
        verbose_name_plural = "reminder choices"

    def __str__(self):
        return f"{self.owner}: {self.get_frequency_display()}"

    def get_absolute_url(self):
        return reverse("meetings:reminder_choice")


class Reminder(models.Model):
    """One reminder email sent: to whom, about what, when.

    Written once when the email is sent and never changed, so it needs no
    history of its own. At most one of each kind goes to an owner on one
    day, which makes sending idempotent.
    """

    class Kind(models.TextChoices):
        BEFORE_MEETING = "before_meeting", "Before the meeting"
        WEEKLY = "weekly", "Weekly digest"
        SUMMARY = "summary", "Summary of what is missing"

    owner = models.ForeignKey(
        "improvement.Owner",
        on_delete=models.SET_NULL,
        related_name="reminders",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="reminders",
        null=True,
        blank=True,
        help_text="For a summary sent to an improvement manager.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        related_name="reminders",
        null=True,
        blank=True,
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    email = models.EmailField()
    subject = models.CharField(max_length=250)
    actions = models.ManyToManyField(
        "improvement.Action", related_name="reminders", blank=True
    )
    actions_arising = models.ManyToManyField(
        ActionArising, related_name="reminders", blank=True
    )
    measures = models.ManyToManyField(
        "measures.Measure", related_name="reminders", blank=True
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "reminder"
        verbose_name_plural = "reminders"
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "sent_on"],
                name="%(app_label)s_%(class)s_once_a_day",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.email}, {govuk_date(self.sent_on)}"
