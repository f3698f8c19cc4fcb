"""Reminders before the board, the weekly digest and the leads' summary:
sent through a real SMTP server on loopback and read back, on a frozen clock."""

import datetime
import email
import socket
from email import policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from improvement.meetings.models import Reminder, ReminderChoice
from improvement.meetings.tasks import send_reminders_task
from improvement.plan.models import Action
from tests.factories import (
    ActionArisingFactory,
    ActionFactory,
    MeasureFactory,
    MeetingFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.helpers import at, travel

pytestmark = pytest.mark.django_db

#: A Tuesday; the board meets a week later.
REMINDER_DAY = datetime.date(2026, 2, 10)
BOARD_DAY = datetime.date(2026, 2, 17)


class _Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=policy.default)
        )
        return "250 Message accepted"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(settings):
    """A real SMTP server on loopback; Django's email goes to it."""
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://plan.northmoor.example"
    settings.REMINDER_DAYS_BEFORE = 7
    settings.REMINDER_DIGEST_WEEKDAY = 4  # Friday: out of the way unless asked
    yield handler
    controller.stop()


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


@pytest.fixture
def world():
    """A plan, its board meeting, and an officer with something of each kind
    to update; another officer with nothing to update."""
    with travel(at(2025, 12, 1)):
        plan = PlanFactory(name="Children's services improvement plan")
        lead = OwnerFactory(
            name="Head of Service, Safeguarding",
            user=UserFactory(username="hos", email="hos@northmoor.example"),
        )
        quiet = OwnerFactory(name="Partner lead", email="partner@police.example")
        priority = PriorityFactory(plan=plan, number=2, lead_owner=lead)
        overdue = ActionFactory(
            priority=priority,
            reference="2.1",
            title="Refresh the supervision policy",
            lead_owner=lead,
            start_date=datetime.date(2025, 11, 1),
            original_due_date=datetime.date(2026, 1, 31),
        )
        stale = ActionFactory(
            priority=priority,
            reference="2.2",
            title="Train managers in reflective supervision",
            lead_owner=lead,
            start_date=datetime.date(2025, 11, 1),
            original_due_date=datetime.date(2026, 9, 30),
        )
        later = ActionFactory(
            priority=priority,
            reference="2.3",
            title="Audit supervision quarterly",
            lead_owner=lead,
            original_due_date=datetime.date(2026, 12, 31),
        )
        measure = MeasureFactory(
            plan=plan, owner=lead, name="Supervisions in timescale"
        )
        meeting = MeetingFactory(date=BOARD_DAY, plans=[plan])
        arising = ActionArisingFactory(
            owner=lead,
            description="Bring agency staffing figures to the board",
            agenda_item__meeting=MeetingFactory(date=datetime.date(2026, 1, 20)),
        )
    ProgressUpdateFactory(action=later, update_date=datetime.date(2026, 2, 2))
    return {
        "plan": plan,
        "lead": lead,
        "quiet": quiet,
        "priority": priority,
        "overdue": overdue,
        "stale": stale,
        "later": later,
        "measure": measure,
        "meeting": meeting,
        "arising": arising,
    }


def _run(day):
    with travel(at(day.year, day.month, day.day, 7)):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        return out.getvalue()


def test_a_week_before_the_board_each_lead_gets_one_email_listing_everything(
    inbox, world
):
    assert _run(REMINDER_DAY) == "Sent 1 reminder\n"
    [message] = inbox.messages
    assert message["To"] == "hos@northmoor.example"
    assert message["Subject"] == (
        "Update your actions before the Improvement Board on 17 February 2026"
    )
    text, html = _parts(message)
    for part in (text, html):
        assert "2.1 Refresh the supervision policy" in part
        assert "overdue since 31 January 2026" in part
        assert "2.2 Train managers in reflective supervision" in part
        assert "stale" in part
        assert "2.3 Audit supervision quarterly" not in part  # not due, updated
        assert "Supervisions in timescale" in part
        assert "the value for January 2026 is due" in part
        assert "Bring agency staffing figures to the board" in part
        assert "Why you received this email" in part
    overdue_url = f"https://plan.northmoor.example{world['overdue'].get_absolute_url()}"
    assert overdue_url in text
    assert f'href="{overdue_url}"' in html
    assert '<html lang="en-GB">' in html
    reminder = Reminder.objects.get()
    assert (reminder.owner, reminder.kind, reminder.meeting) == (
        world["lead"],
        Reminder.Kind.BEFORE_MEETING,
        world["meeting"],
    )
    assert set(reminder.actions.all()) == {world["overdue"], world["stale"]}
    assert list(reminder.measures.all()) == [world["measure"]]
    assert list(reminder.actions_arising.all()) == [world["arising"]]


def test_the_schedule_sends_on_the_configured_day_once_not_twice(inbox, world):
    for day in (REMINDER_DAY - datetime.timedelta(days=1), REMINDER_DAY):
        _run(day)
    assert len(inbox.messages) == 1
    assert _run(REMINDER_DAY) == "Sent 0 reminders\n"  # the same day again
    _run(REMINDER_DAY + datetime.timedelta(days=1))
    assert len(inbox.messages) == 1
    assert Reminder.objects.count() == 1


def test_the_number_of_days_before_is_configurable(inbox, world, settings):
    settings.REMINDER_DAYS_BEFORE = 3
    _run(REMINDER_DAY)
    assert inbox.messages == []
    _run(BOARD_DAY - datetime.timedelta(days=3))
    assert len(inbox.to("hos@northmoor.example")) == 1


def test_the_weekly_digest_skips_those_who_chose_only_meeting_reminders(
    inbox, world, settings
):
    settings.REMINDER_DIGEST_WEEKDAY = 0  # Monday
    monday = datetime.date(2026, 1, 26)
    lead_of_other = OwnerFactory(email="other@northmoor.example")
    ActionArisingFactory(owner=lead_of_other, due_date=datetime.date(2026, 1, 2))
    ReminderChoice.objects.create(
        owner=world["lead"], frequency=ReminderChoice.Frequency.MEETINGS
    )
    _run(monday)
    [digest] = inbox.messages
    assert digest["To"] == "other@northmoor.example"
    assert digest["Subject"] == "Your weekly list of actions to update"
    text, _ = _parts(digest)
    assert "you get a weekly digest" in text
    assert Reminder.objects.get().kind == Reminder.Kind.WEEKLY


def test_the_digest_and_the_meeting_reminder_on_one_day_are_one_email(
    inbox, world, settings
):
    settings.REMINDER_DIGEST_WEEKDAY = REMINDER_DAY.weekday()
    _run(REMINDER_DAY)
    assert len(inbox.to("hos@northmoor.example")) == 1


def test_two_days_before_leads_and_managers_get_what_is_still_missing(
    inbox, world, manager
):
    manager.email = "im@northmoor.example"
    manager.save()
    _run(REMINDER_DAY)
    # One of the two reminded actions is updated; the other is not.
    ProgressUpdateFactory(action=world["stale"], update_date=datetime.date(2026, 2, 12))
    world["overdue"].refresh_from_db()
    _run(BOARD_DAY - datetime.timedelta(days=2))
    [to_lead] = [
        m for m in inbox.to("hos@northmoor.example") if "Still missing" in m["Subject"]
    ]
    [to_manager] = inbox.to("im@northmoor.example")
    lead_text, lead_html = _parts(to_lead)
    assert "2.1 Refresh the supervision policy" in lead_text
    assert "reminded 1 time with no update since" in lead_text
    assert "2.2 Train managers" not in lead_text  # updated since
    assert "you lead priority 2 of the plan" in lead_text
    manager_text, _ = _parts(to_manager)
    assert "you are an improvement manager" in manager_text
    assert "2.1 Refresh the supervision policy" in manager_text
    assert Reminder.objects.filter(kind=Reminder.Kind.SUMMARY).count() == 2


def test_the_meeting_page_shows_who_was_reminded_and_has_not_updated(
    inbox, world, settings, client_as_board
):
    """ "Reminded three times, no update since": two weekly digests and the
    reminder before the board; the stale action was updated after them."""
    settings.REMINDER_DIGEST_WEEKDAY = 0  # Monday
    for day in (datetime.date(2026, 1, 26), datetime.date(2026, 2, 2), REMINDER_DAY):
        _run(day)
    assert len(inbox.messages) == 3
    ProgressUpdateFactory(action=world["stale"], update_date=datetime.date(2026, 2, 11))
    with travel(at(2026, 2, 16)):
        page = client_as_board.get(world["meeting"].get_absolute_url())
    text = page.content.decode()
    assert "Reminded and not yet updated" in text
    [(action, times)] = page.context["not_updated"]
    assert (action, times) == (world["overdue"], 3)
    assert "Reminded 3 times" in text


def test_the_task_sends_them_from_the_queue(inbox, world):
    with travel(at(2026, 2, 10, 7)):
        result = send_reminders_task.enqueue()
    assert result.return_value == 1
    assert len(inbox.messages) == 1


def test_an_owner_without_an_address_is_skipped(inbox, world):
    world["lead"].user.email = ""
    world["lead"].user.save()
    _run(REMINDER_DAY)
    assert inbox.messages == []
    assert not Action.objects.filter(reminders__isnull=False).exists()
