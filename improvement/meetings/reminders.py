"""Reminders that get updates in before the board meets.

``send_reminders(day)`` does everything due on ``day``, once:

* ``REMINDER_DAYS_BEFORE`` days (default 7) before each meeting of a body
  whose owners are reminded (the Improvement Board), each lead officer with
  something to report gets ONE email: their actions that are overdue, stale
  or due before the meeting, the values due of the measures they own, and
  their open actions arising, each with a link;
* on ``REMINDER_DIGEST_WEEKDAY`` (default Monday) the same list goes as a
  weekly digest to every owner who has not chosen only the reminders before
  meetings (and who is not already reminded that day);
* ``SUMMARY_DAYS_BEFORE`` (2) days before the meeting, each priority's lead
  and each improvement manager get a summary of what is still missing.

Every email sent is kept as a ``Reminder`` (to whom, about what, when). At
most one of each kind goes to one address on one day, so running it twice
on the same day sends nothing the second time.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from improvement.kernel.dates import govuk_date
from improvement.kernel.permissions import IMPROVEMENT_MANAGERS
from improvement.measures.models import Measure, period_label, period_start
from improvement.meetings.models import ActionArising, Meeting, Reminder, ReminderChoice
from improvement.plan.models import Action, Owner, Priority

logger = logging.getLogger(__name__)

#: Days before a meeting that leads and managers get the summary.
SUMMARY_DAYS_BEFORE = 2


def days_before():
    return getattr(settings, "REMINDER_DAYS_BEFORE", 7)


def digest_weekday():
    return getattr(settings, "REMINDER_DIGEST_WEEKDAY", 0)


def site_url(path):
    """``path`` as a full address, for links in emails."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@dataclass
class Item:
    """One line of a reminder: what it is, why it is listed, and its link."""

    label: str
    why: str
    url: str


@dataclass
class OwnerList:
    """What one owner is asked to update."""

    actions: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    arising: list = field(default_factory=list)
    action_ids: list = field(default_factory=list)
    measure_ids: list = field(default_factory=list)
    arising_ids: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.actions or self.measures or self.arising)


def _plans_of(meeting):
    return [plan.pk for plan in meeting.plans.all()] if meeting else []


def _in_plans(queryset, plan_ids, path="plan"):
    return queryset.filter(**{f"{path}__in": plan_ids}) if plan_ids else queryset


def due_period(day, frequency):
    """The last whole period before ``day``: the one whose value is due."""
    this_period = period_start(day, frequency)
    return period_start(this_period - datetime.timedelta(days=1), frequency)


def owner_list(owner, day, horizon, plan_ids):
    """What ``owner`` should update before ``horizon``: a fixed number of
    queries, whatever they own."""
    result = OwnerList()
    actions = _in_plans(Action.objects.filter(lead_owner=owner).open(), plan_ids)
    stale = set(actions.stale(day).values_list("pk", flat=True))
    for action in actions.filter(
        Q(pk__in=stale) | Q(due_date__lte=horizon)
    ).in_reference_order():
        if action.overdue_on(day):
            why = f"overdue since {govuk_date(action.due_date)}"
        elif action.pk in stale:
            why = "no progress update for a while (stale)"
        else:
            why = f"due {govuk_date(action.due_date)}"
        result.actions.append(
            Item(
                f"{action.reference} {action.title}",
                why,
                site_url(action.get_absolute_url()),
            )
        )
        result.action_ids.append(action.pk)
    measures = _in_plans(
        Measure.objects.filter(owner=owner, worked_out_from=""), plan_ids
    ).prefetch_related("values")
    for measure in measures:
        period = due_period(day, measure.frequency)
        if any(value.period == period for value in measure.values.all()):
            continue
        result.measures.append(
            Item(
                measure.name,
                f"the value for {period_label(period, measure.frequency)} is due",
                site_url(measure.get_absolute_url()),
            )
        )
        result.measure_ids.append(measure.pk)
    for arising in ActionArising.objects.filter(owner=owner).open().for_rows():
        why = f"due {govuk_date(arising.due_date)}"
        if arising.overdue_on(day):
            why = f"overdue since {govuk_date(arising.due_date)}"
        result.arising.append(
            Item(
                arising.description[:120],
                f"{why}, set by the {arising.agenda_item.meeting}",
                site_url(arising.get_absolute_url()),
            )
        )
        result.arising_ids.append(arising.pk)
    return result


def _address(owner):
    if owner.email:
        return owner.email
    return owner.user.email if owner.user_id and owner.user.email else ""


def _send(
    *,
    email,
    kind,
    day,
    meeting,
    subject,
    template,
    context,
    owner=None,
    user=None,
    items=None,
):
    """Send one reminder and keep it; None if this one was already sent today."""
    context = {
        **context,
        "council": settings.COUNCIL_NAME,
        "service": settings.SERVICE_NAME,
        "choice_url": site_url(reverse("meetings:reminder_choice")),
    }
    text = render_to_string(f"meetings/email/{template}.txt", context)
    html = render_to_string(f"meetings/email/{template}.html", context)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                owner=owner,
                user=user,
                kind=kind,
                meeting=meeting,
                sent_on=day,
                email=email,
                subject=subject,
            )
            if items is not None:
                reminder.actions.set(items.action_ids)
                reminder.measures.set(items.measure_ids)
                reminder.actions_arising.set(items.arising_ids)
            message = EmailMultiAlternatives(subject, text, to=[email])
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return None  # already sent today
    return reminder


def _owners():
    return Owner.objects.filter(is_active=True).select_related("user")


def _owner_reminders(day, meeting, kind):
    horizon = meeting.date if meeting else day + datetime.timedelta(days=7)
    plan_ids = _plans_of(meeting)
    weekly_only = set(
        ReminderChoice.objects.filter(
            frequency=ReminderChoice.Frequency.MEETINGS
        ).values_list("owner_id", flat=True)
    )
    already = set(Reminder.objects.filter(sent_on=day).values_list("email", flat=True))
    sent = []
    for owner in _owners():
        email = _address(owner)
        if not email or email in already:
            continue
        if kind == Reminder.Kind.WEEKLY and owner.pk in weekly_only:
            continue
        items = owner_list(owner, day, horizon, plan_ids)
        if not items:
            continue
        if meeting:
            subject = (
                f"Update your actions before the {meeting.body.name} "
                f"on {govuk_date(meeting.date)}"
            )
        else:
            subject = "Your weekly list of actions to update"
        reminder = _send(
            email=email,
            kind=kind,
            day=day,
            meeting=meeting,
            owner=owner,
            items=items,
            subject=subject,
            template="reminder",
            context={
                "owner": owner,
                "meeting": meeting,
                "meeting_url": site_url(meeting.get_absolute_url()) if meeting else "",
                "weekly": kind == Reminder.Kind.WEEKLY,
                "items": items,
                "subject": subject,
            },
        )
        if reminder:
            sent.append(reminder)
    return sent


def still_missing(day, plan_ids, priority_ids=None):
    """Open actions still overdue or stale on ``day``, and overdue actions
    arising, with how many times each was reminded since its last update."""
    actions = _in_plans(Action.objects.open(), plan_ids)
    if priority_ids is not None:
        actions = actions.filter(priority__in=priority_ids)
    stale = actions.stale(day)
    actions = (
        actions.filter(Q(due_date__lt=day) | Q(pk__in=stale.values("pk")))
        .select_related("lead_owner")
        .in_reference_order()
    )
    actions = list(actions)
    counts = reminded_since_update(actions)
    return [(action, counts.get(action.pk, 0)) for action in actions]


def reminded_since_update(actions):
    """How many reminders each action was listed in since its last progress
    update, by action id: "reminded three times, no update since". Two
    queries, whatever the number of actions."""
    ids = [action.pk for action in actions]
    last = dict(
        Action.objects.filter(pk__in=ids)
        .with_last_update()
        .values_list("pk", "last_update_date")
    )
    through = Reminder.actions.through
    counts = {}
    for action_id, sent_on in through.objects.filter(action_id__in=ids).values_list(
        "action_id", "reminder__sent_on"
    ):
        updated = last.get(action_id)
        if updated is None or sent_on > updated:
            counts[action_id] = counts.get(action_id, 0) + 1
    return counts


def _summaries(day, meeting):
    plan_ids = _plans_of(meeting)
    subject = (
        f"Still missing before the {meeting.body.name} on {govuk_date(meeting.date)}"
    )
    sent = []
    priorities = _in_plans(
        Priority.objects.exclude(lead_owner=None).select_related("lead_owner__user"),
        plan_ids,
    )
    by_lead = {}
    for priority in priorities:
        by_lead.setdefault(priority.lead_owner, []).append(priority)
    recipients = [
        (_address(lead), lead, None, [p.pk for p in led], led)
        for lead, led in by_lead.items()
    ]
    managers = (
        get_user_model()
        .objects.filter(groups__name=IMPROVEMENT_MANAGERS, is_active=True)
        .exclude(email="")
    )
    recipients += [(user.email, None, user, None, None) for user in managers]
    for email, owner, user, priority_ids, led in recipients:
        if not email:
            continue
        missing = still_missing(day, plan_ids, priority_ids)
        reminder = _send(
            email=email,
            kind=Reminder.Kind.SUMMARY,
            day=day,
            meeting=meeting,
            owner=owner,
            user=user,
            subject=subject,
            template="summary",
            context={
                "name": owner.name if owner else user.get_full_name() or user.username,
                "priorities": led,
                "meeting": meeting,
                "meeting_url": site_url(meeting.get_absolute_url()),
                "missing": [(a, n, site_url(a.get_absolute_url())) for a, n in missing],
                "subject": subject,
            },
        )
        if reminder:
            sent.append(reminder)
    return sent


def send_reminders(day):
    """Send every reminder due on ``day``, once. Returns the reminders sent."""
    sent = []
    upcoming = (
        Meeting.objects.reminded_before()
        .filter(date__gt=day)
        .select_related("body")
        .order_by("date", "pk")
    )
    for meeting in upcoming.filter(date=day + datetime.timedelta(days=days_before())):
        sent += _owner_reminders(day, meeting, Reminder.Kind.BEFORE_MEETING)
    if day.weekday() == digest_weekday():
        sent += _owner_reminders(day, None, Reminder.Kind.WEEKLY)
    for meeting in upcoming.filter(
        date=day + datetime.timedelta(days=SUMMARY_DAYS_BEFORE)
    ):
        sent += _summaries(day, meeting)
    return sent
