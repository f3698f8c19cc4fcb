"""The update form in a real browser: reasons revealed when they are needed,
and long text counted rather than cut off.

The reasons use the GOV.UK conditional reveal: with JavaScript they open when
the answer that needs them is chosen (or the due date is changed); without
it every one of them is shown, labelled with when it is needed.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORT, assert_accessible, sign_in

STATUS_REASON = re.compile(
    r"^Reason for pausing or withdrawing – needed if you pause or withdraw the action$"
)
EVIDENCE = re.compile(
    r"^Evidence of impact – needed if impact is evidenced or embedded$"
)
DUE_DATE_REASON = re.compile(
    r"^Reason for moving the due date – needed if you change the due date$"
)


def _open_update(page, plan_data, officer):
    sign_in(page, officer.username)
    page.goto(f"/actions/{plan_data.action.pk}/progress/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Update progress")


def test_each_reason_opens_when_the_answer_needing_it_is_chosen(
    page, plan_data, officer
):
    _open_update(page, plan_data, officer)
    status_reason = page.get_by_label(STATUS_REASON)
    evidence = page.get_by_label(EVIDENCE)
    due_date_reason = page.get_by_label(DUE_DATE_REASON)
    for field in (status_reason, evidence, due_date_reason):
        expect(field).to_be_hidden()
    expect(page.get_by_text("(optional)")).to_have_count(2)  # progress and link

    paused = page.get_by_role("radio", name="Paused")
    withdrawn = page.get_by_role("radio", name="Withdrawn")
    expect(paused).to_have_attribute("aria-controls", "id_status_reason-reveal")
    paused.check()
    expect(status_reason).to_be_visible()
    withdrawn.check()
    expect(status_reason).to_be_visible()
    page.get_by_role("radio", name="In progress").check()
    expect(status_reason).to_be_hidden()

    page.get_by_role("radio", name="Emerging").check()
    expect(evidence).to_be_hidden()
    page.get_by_role("radio", name="Embedded").check()
    expect(evidence).to_be_visible()

    due_date = page.get_by_role("group", name="Due date")
    year = due_date.get_by_label("Year")
    stored_year = year.input_value()
    year.fill(str(int(stored_year) + 1))
    expect(due_date_reason).to_be_visible()
    year.fill(stored_year)
    expect(due_date_reason).to_be_hidden()
    assert_accessible(page)

    # Pausing without a reason: the message is beside the revealed field.
    paused.check()
    page.get_by_role("radio", name="Emerging").check()
    page.get_by_role("button", name="Save update").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(status_reason).to_be_visible()
    expect(page.locator("#id_status_reason_error")).to_contain_text(
        "Give a reason for pausing or withdrawing the action"
    )
    assert_accessible(page)


def test_without_javascript_every_reason_is_shown(
    chromium, live_site, plan_data, officer
):
    context = chromium.new_context(
        viewport=VIEWPORT, base_url=live_site, java_script_enabled=False
    )
    page = context.new_page()
    try:
        _open_update(page, plan_data, officer)
        for label in (STATUS_REASON, EVIDENCE, DUE_DATE_REASON):
            expect(page.get_by_label(label)).to_be_visible()
    finally:
        context.close()


def test_long_text_is_counted_and_refused_not_cut_off(page, plan_data, officer):
    _open_update(page, plan_data, officer)
    narrative = page.get_by_label("Progress since the last update")
    assert narrative.get_attribute("maxlength") is None
    counts = page.get_by_text("You can enter up to 5,000 characters")
    expect(counts.first).to_be_attached()

    narrative.fill("x" * 5010)
    expect(narrative).to_have_value("x" * 5010)
    expect(page.locator(".govuk-character-count__status").first).to_have_text(
        "You have 10 characters too many"
    )
    page.get_by_role("button", name="Save update").click()
    expect(page.locator("#id_narrative_error")).to_contain_text(
        "Progress since the last update must be 5,000 characters or fewer"
    )
    # What was typed comes back whole, to shorten.
    expect(narrative).to_have_value("x" * 5010)
    assert_accessible(page)
