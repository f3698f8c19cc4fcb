"""An officer records progress on their action and links a finding it answers.

Part of the journey is done with the keyboard alone: Tab to each control,
arrow keys to choose radios, Enter to follow links and submit.
"""

import datetime
import re

from django.utils import dateformat, timezone
from playwright.sync_api import expect

from improvement.plan.models import Action
from tests.e2e.conftest import (
    assert_accessible,
    assert_focus_visible,
    sign_in,
    tab_to,
)

NARRATIVE = "Reflective supervision training delivered to all three locality teams."
DUE_DATE_REASON = "Training for the last team moved to January by the trainer."


def long_date(day):
    return dateformat.format(day, "j F Y")


def history_row(page, text):
    """The row of the History table whose text includes ``text``."""
    rows = page.get_by_role("table", name="History").locator("tbody tr")
    return rows.filter(has_text=text)


def test_officer_updates_progress_and_links_a_finding(page, plan_data, officer):
    action = plan_data.action
    finding = plan_data.unlinked_finding
    officer_name = officer.get_full_name()
    assert officer_name
    old_due = action.due_date
    new_due = timezone.localdate() + datetime.timedelta(days=90)

    # Sign in -------------------------------------------------------------
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    sign_in(page, officer.username)

    # Officers land on their own actions, soonest due first.
    expect(page).to_have_url(re.compile(r"/actions/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page).to_have_title(re.compile(r"^My actions – "))
    to_deliver = page.get_by_role("table", name="To deliver")
    expect(to_deliver.locator("tbody tr a")).to_have_text(
        [
            "1.2: Audit case supervision records",
            "1.1: Embed monthly reflective supervision",
        ]
    )
    expect(
        page.get_by_role("link", name="1.3: Publish the supervision policy")
    ).to_have_count(0)
    assert_accessible(page)

    # The action page -----------------------------------------------------
    to_deliver.get_by_role("link", name="1.1: Embed monthly reflective").click()
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Embed monthly reflective supervision"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Update progress").click()

    # The update form, with the keyboard alone ----------------------------
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/progress/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Update progress")
    assert_accessible(page)

    narrative = page.get_by_label("Progress since the last update")
    tab_to(page, narrative)
    assert_focus_visible(narrative)
    page.keyboard.type(NARRATIVE)

    page.keyboard.press("Tab")
    expect(page.get_by_label("Link to evidence")).to_be_focused()

    # Tab enters the status radios at the checked one; arrows choose.
    page.keyboard.press("Tab")
    status = page.get_by_role("group", name="Delivery status")
    not_started = status.get_by_role("radio", name="Not started")
    in_progress = status.get_by_role("radio", name="In progress")
    assert_focus_visible(not_started)
    page.keyboard.press("ArrowDown")
    expect(in_progress).to_be_checked()
    expect(in_progress).to_be_focused()

    # The reason is revealed only for pausing or withdrawing, so Tab goes on
    # to the RAG (not assessed yet, so Tab enters at its first radio).
    reason = page.get_by_label(re.compile(r"^Reason for pausing or withdrawing"))
    expect(reason).to_be_hidden()
    page.keyboard.press("Tab")
    rag = page.get_by_role("group", name="RAG")
    expect(rag.get_by_role("radio", name="Green")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(rag.get_by_role("radio", name="Amber")).to_be_checked()

    due_date = page.get_by_role("group", name="Due date")
    day = due_date.get_by_label("Day")
    tab_to(page, day)
    assert_focus_visible(day)
    for value in (new_due.day, new_due.month, new_due.year):
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(str(value))
        page.keyboard.press("Tab")
    expect(due_date.get_by_label("Year")).to_have_value(str(new_due.year))
    # Moving the date reveals the reason it needs.
    expect(
        page.get_by_label(re.compile(r"^Reason for moving the due date"))
    ).to_be_visible()

    # Moving the due date without a reason is refused.
    save = page.get_by_role("button", name="Save update")
    tab_to(page, save)
    assert_focus_visible(save)
    page.keyboard.press("Enter")

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Update action 1\.1 – "))
    expect(summary).to_be_focused()
    expect(page.locator("#id_due_date_reason_error")).to_have_text(
        re.compile(r"Error:\s+Give a reason for moving the due date")
    )
    # What was typed is kept.
    expect(page.get_by_label("Progress since the last update")).to_have_value(NARRATIVE)
    expect(page.get_by_role("radio", name="In progress")).to_be_checked()
    expect(page.get_by_role("radio", name="Amber")).to_be_checked()
    expect(page.get_by_label("Day")).to_have_value(str(new_due.day))
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED
    assert action.due_date == old_due

    # The summary's link takes focus to the question.
    page.keyboard.press("Tab")
    error_link = summary.get_by_role(
        "link", name="Give a reason for moving the due date"
    )
    assert_focus_visible(error_link)
    page.keyboard.press("Enter")
    reason = page.get_by_label(re.compile(r"^Reason for moving the due date"))
    expect(reason).to_be_focused()
    page.keyboard.type(DUE_DATE_REASON)
    tab_to(page, page.get_by_role("button", name="Save update"))
    page.keyboard.press("Enter")

    # Back on the action page ---------------------------------------------
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text(
        "Progress update saved for action 1.1. Status changed to In progress, "
        f"RAG changed to Amber and due date moved to {long_date(new_due)}."
    )
    details = page.locator(".govuk-summary-list")
    expect(
        details.locator(".govuk-summary-list__row", has_text="Delivery status")
    ).to_contain_text("In progress")
    expect(details.locator(".govuk-summary-list__row", has_text="RAG")).to_contain_text(
        "Amber"
    )
    expect(
        details.locator(".govuk-summary-list__row", has_text="Current due date")
    ).to_contain_text(re.compile(rf"{long_date(new_due)}\s+Slipped by 30 days"))

    progress = page.locator(".app-progress-update")
    expect(progress).to_have_count(1)
    expect(progress).to_contain_text(NARRATIVE)
    expect(progress).to_contain_text(f"By {officer_name}.")
    expect(progress).to_contain_text("Reported in progress, Amber.")

    change = history_row(page, "Delivery status:")
    expect(change).to_have_count(1)
    cells = change.locator("td")
    expect(cells.nth(1)).to_have_text(officer_name)
    expect(cells.nth(2)).to_contain_text(
        re.compile(r"Delivery status:\s*Not started\s*→\s*changed to\s*In progress")
    )
    expect(cells.nth(2)).to_contain_text(
        re.compile(r"RAG:\s*Not assessed\s*→\s*changed to\s*Amber")
    )
    expect(cells.nth(2)).to_contain_text(
        re.compile(
            rf"Current due date:\s*{long_date(old_due)}\s*→\s*changed to\s*"
            rf"{long_date(new_due)}"
        )
    )
    expect(cells.nth(3)).to_have_text(DUE_DATE_REASON)
    assert_accessible(page)

    action.refresh_from_db()
    assert (action.status, action.rag) == (Action.Status.IN_PROGRESS, "amber")
    assert action.due_date == new_due
    assert action.original_due_date == old_due

    # Findings answered ---------------------------------------------------
    page.get_by_role("link", name="Change findings answered").click()
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/findings/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Findings this action answers"
    )
    expect(page.get_by_role("table", name="Answered now")).to_contain_text(
        "R1: Supervision does not drive plans forward"
    )
    assert_accessible(page)

    page.get_by_label("Search findings by reference or words in the title").fill(
        "oversight"
    )
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"\?q=oversight$"))
    matches = page.get_by_role("group", name="Findings matching “oversight”")
    expect(matches.get_by_role("checkbox")).to_have_count(1)
    assert_accessible(page)
    matches.get_by_role(
        "checkbox", name=re.compile(r"^R2: Management oversight of children in need")
    ).check()
    page.get_by_role("button", name="Add selected findings").click()

    expect(page.get_by_role("alert")).to_contain_text("Linked R2 to action 1.1")
    expect(page.get_by_role("table", name="Answered now")).to_contain_text(
        "R2: Management oversight of children in need"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Back to action 1.1").click()
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    findings = page.locator("#findings + ul")
    expect(findings.get_by_role("link")).to_have_text(
        [
            "R1: Supervision does not drive plans forward",
            "R2: Management oversight of children in need",
        ]
    )
    link = history_row(page, "added R2:")
    expect(link).to_have_count(1)
    expect(link.locator("td").nth(1)).to_have_text(officer_name)
    expect(link.locator("td").nth(2)).to_contain_text(
        re.compile(r"Findings answered:\s*added R2: Management oversight")
    )
    assert_accessible(page)
    assert set(action.findings.all()) == {plan_data.linked_finding, finding}

    # Removing a link asks first, and nothing changes until confirmed.
    page.get_by_role("link", name="Change findings answered").click()
    page.get_by_role("link", name="Remove finding R2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop action 1.1 answering finding R2?"
    )
    assert_accessible(page)
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("table", name="Answered now")).to_contain_text("R2")
    page.get_by_role("link", name="Remove finding R2").click()
    page.get_by_role("button", name="Yes, remove the link").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Action 1.1 no longer answers finding R2"
    )
    assert set(action.findings.all()) == {plan_data.linked_finding}
