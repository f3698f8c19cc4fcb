"""A manager sets up a practice week from the plan's page; an officer records
an audit of its dip sample and a moderator changes its grade; a board member
reads the grade mix."""

from django.utils import timezone
from playwright.sync_api import expect

from improvement.audits.models import Audit, PracticeWeek
from tests.e2e.conftest import assert_accessible, sign_in


def _date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_practice_week_audit_and_moderation(page, plan_data, manager, officer, board):
    plan = plan_data.plan
    today = timezone.localdate()

    # The manager sets up the week from the plan's page -----------------------
    sign_in(page, manager.username)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="See the practice weeks of this plan").click()
    page.get_by_role("link", name="Set up a practice week").click()
    page.get_by_label("Practice issue").fill("Chronologies")
    _date(page, "Start date", today)
    _date(page, "End date", today)
    page.get_by_label("Principles (optional)").fill(
        "Every file has an accurate chronology that is fit for purpose."
    )
    page.get_by_label("Practice leads (optional)").fill("Principal Social Worker")
    page.get_by_role("button", name="Set up practice week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronologies")
    week = PracticeWeek.objects.get()
    assert week.history.get().history_user == manager
    page.get_by_role("button", name="Sign out").click()

    # The officer audits a case of its dip sample ------------------------------
    sign_in(page, officer.username)
    page.goto(week.get_absolute_url())
    page.get_by_role("link", name="Record an audit of the dip sample").click()
    expect(page.get_by_label("Practice week")).to_have_value(str(week.pk))
    _date(page, "Date of the audit", today)
    page.get_by_label("Team or service area").fill("Assessment team 2")
    page.get_by_label("Case reference").fill("Jane Smith")
    page.get_by_label("Auditor").select_option(label=officer.owner.name)
    page.get_by_role("radio", name="Good", exact=True).first.check()
    page.get_by_role("button", name="Record audit").click()
    # A name is refused; the reference is accepted.
    expect(page.locator(".govuk-error-summary")).to_contain_text("not a name")
    page.get_by_label("Case reference").fill("CF-104233")
    page.get_by_role("button", name="Record audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit of CF-104233")
    audit = Audit.objects.get()
    assert audit.practice_week == week
    assert audit.history.get().history_user == officer
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The manager moderates it down ------------------------------------------
    sign_in(page, manager.username)
    page.goto(audit.get_absolute_url())
    page.get_by_role("link", name="Edit or moderate").click()
    page.get_by_role("group", name="Grade after moderation").get_by_label(
        "Requires improvement to be good"
    ).check()
    page.get_by_role("button", name="Save audit").click()
    expect(page.locator("main")).to_contain_text("Requires improvement to be good")
    page.get_by_role("button", name="Sign out").click()

    # The board member reads the grade mix -------------------------------------
    sign_in(page, board.username)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="See the case-file audits of this plan").click()
    main = page.locator("main")
    expect(main).to_contain_text(
        "0% of 1 audit graded Good or better after moderation (100% at first grade)"
    )
    expect(page.get_by_role("link", name="Record an audit")).to_have_count(0)
    assert_accessible(page)
