"""The board's own record, end to end: a manager records the board meeting
with a decision and an action arising; the officer is reminded before the
next meeting, follows the email's link and updates their action; the next
meeting's pack, opened from its page, shows the update and the decision."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from improvement.kernel.dates import govuk_date
from improvement.kernel.history import acting_as
from improvement.meetings.reminders import days_before, send_reminders
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

DECISION = "It was agreed that actions rated Red come back with a recovery plan."
ARISING = "Circulate the supervision audit findings to board members."
UPDATE = "Supervision audit findings circulated; recovery plan drafted for 1.1."


def _fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_meeting_its_reminder_and_the_next_pack(
    page, plan_data, manager, officer, board, settings, live_server
):
    settings.SITE_URL = live_server.url
    plan = plan_data.plan
    today = timezone.localdate()
    last_board = today - datetime.timedelta(days=1)
    body = factories.BodyFactory(name="Improvement Board", is_board=True)
    next_board = factories.MeetingFactory(
        body=body,
        date=today + datetime.timedelta(days=days_before()),
        plans=[plan],
    )

    # The manager records yesterday's board, its agenda, a decision and an
    # action arising for the officer.
    sign_in(page, manager.username)
    page.goto("/meetings/")
    page.get_by_role("link", name="Record a meeting").first.click()
    page.get_by_label("Body").select_option(label="Improvement Board")
    _fill_date(page, "Date of the meeting", last_board)
    page.get_by_label(plan.name).check()
    page.get_by_label(re.compile("^Who attended")).fill("Independent Chair")
    page.get_by_role("button", name="Record meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Improvement Board")
    meeting_url = page.url

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Item number").fill("1")
    page.get_by_label("Title").fill("Improvement plan progress report")
    page.get_by_role("button", name=re.compile("^(Save|Add)")).click()

    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Agenda item").select_option(index=1)
    page.get_by_label("Decision").fill(DECISION)
    page.get_by_role("button", name=re.compile("^(Save|Record)")).click()

    page.get_by_role("link", name="Record an action arising").click()
    page.get_by_label("Agenda item").select_option(index=1)
    page.get_by_label("Action", exact=True).fill(ARISING)
    page.get_by_label("Owner").select_option(label=officer.owner.name)
    _fill_date(page, "Due date", today + datetime.timedelta(days=14))
    page.get_by_role("button", name=re.compile("^(Save|Record)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ARISING)
    page.goto(meeting_url)
    agenda = page.locator("#agenda ~ section").first
    expect(agenda).to_contain_text(DECISION)
    expect(agenda.get_by_role("link", name=ARISING)).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # A week before the next board, the officer is reminded of their action
    # due before it and of the action arising.
    action = plan_data.action
    with acting_as(manager):
        action.due_date = today + datetime.timedelta(days=3)
        action._change_reason = "Brought forward to report to the board."
        action.save()
    sent = send_reminders(today)
    (reminded,) = [r for r in sent if r.owner_id == officer.owner.pk]
    message = next(m for m in mail.outbox if reminded.email in m.to)
    assert "Improvement Board" in message.subject
    links = re.findall(rf"{re.escape(live_server.url)}(/actions/\d+/)", message.body)
    assert plan_data.action.get_absolute_url() in links

    # The officer follows the link and records progress.
    page.goto(plan_data.action.get_absolute_url())
    sign_in(page, officer.username)
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_data.action.title)
    page.get_by_role("link", name="Update progress").click()
    page.get_by_label("Progress since the last update").fill(UPDATE)
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text(UPDATE)).to_be_visible()
    _sign_out(page)

    # A board member opens the next meeting and its pack.
    sign_in(page, board.username)
    page.goto(next_board.get_absolute_url())
    expect(
        page.get_by_role("heading", name="Board papers for this meeting")
    ).to_be_visible()
    page.get_by_role("link", name="Board pack", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Board pack for {govuk_date(today)}"
    )
    meetings_section = page.locator("section[aria-labelledby=pack-meetings]")
    expect(meetings_section).to_contain_text(DECISION)
    expect(meetings_section.get_by_role("link", name=ARISING)).to_be_visible()
    changes = page.locator("section[aria-labelledby=pack-changes]")
    expect(changes).to_contain_text(UPDATE)
    assert_accessible(page)
