"""A manager defines a measure from the plan's page; its owner records a value.

Then the owner corrects the value with a reason, and the measure's page
shows the value, its RAG, the chart and the correction in its history.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from improvement.measures.models import Measure, MeasureValue, period_label
from tests.e2e.conftest import assert_accessible, sign_in

NAME = "Assessments completed within 45 days"


def test_manager_defines_a_measure_and_its_owner_records_a_value(
    page, plan_data, manager, officer
):
    plan = plan_data.action.plan

    # The manager defines the measure from the plan's page -----------------
    sign_in(page, manager.username)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="See the measures of this plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures")
    page.get_by_role("link", name="Add a measure").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a measure")
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Definition").fill(
        "Share of child and family assessments completed within 45 working days."
    )
    page.get_by_label("Percentage", exact=True).check()
    page.get_by_label("Higher is better").check()
    page.get_by_label("Monthly", exact=True).check()
    page.get_by_label("Target (optional)").fill("85")
    page.get_by_label("Amber when short of the target by more than").fill("5")
    page.get_by_label("Red when short of the target by more than").fill("10")
    page.get_by_label("Owner", exact=True).select_option(label=officer.owner.name)
    page.get_by_label(str(plan_data.action)).check()
    page.get_by_role("button", name="Add measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Measure “{NAME}” added"
    )
    measure = Measure.objects.get(name=NAME)
    assert list(measure.actions.all()) == [plan_data.action]
    page.get_by_role("button", name="Sign out").click()

    # Its owner records this month's value ---------------------------------
    sign_in(page, officer.username)
    page.goto(measure.get_absolute_url())
    page.get_by_role("link", name="Record a value").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a value")
    page.get_by_label("Value", exact=True).fill("78")
    page.get_by_label("Note (optional)").fill("Two long assessments closed late.")
    page.get_by_role("button", name="Record value").click()
    this_month = period_label(
        timezone.localdate().replace(day=1), Measure.Frequency.MONTHLY
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Value for {this_month} recorded"
    )
    expect(page.locator("main")).to_contain_text("Latest value: 78%")
    expect(page.locator("main .govuk-tag").first).to_have_text("Amber")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert_accessible(page)

    # And corrects it, saying why ------------------------------------------
    page.get_by_role("link", name=re.compile(f"Correct.*{this_month}")).click()
    page.get_by_label("Value", exact=True).fill("74")
    page.get_by_label("Why the value is being corrected").fill(
        "The report missed one team's assessments."
    )
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"The value for {this_month} saved"
    )
    expect(page.locator("main")).to_contain_text("Latest value: 74%")
    expect(page.locator("main .govuk-tag").first).to_have_text("Red")
    history = page.get_by_role("table", name="History of the measure and its values")
    expect(history).to_contain_text("The report missed one team's assessments.")
    expect(history).to_contain_text(officer.get_full_name())
    value = MeasureValue.objects.get(measure=measure)
    assert value.history.latest("history_id").history_user == officer
