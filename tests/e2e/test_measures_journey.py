"""A manager defines a measure from the plan's page; its owner records a value.

Then the owner corrects the value with a reason, and the measure's page
shows the value, its RAG, the chart and the correction in its history. A
board member sees the measures off target first on the dashboard, and a
measure as it was known on an earlier date.
"""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from improvement.kernel.history import acting_as
from improvement.measures.models import Measure, MeasureValue, period_label
from tests import factories
from tests.e2e.conftest import assert_accessible, save_at, sign_in

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


def test_board_member_sees_measures_off_target_first_and_as_known_then(
    page, plan_data, manager, officer, board
):
    """A value recorded late for an earlier month is not shown as known before
    it was recorded; the dashboard puts the Red measure first."""
    today = timezone.localdate()
    month = today.replace(day=1)
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    before = (last_month - datetime.timedelta(days=1)).replace(day=1)
    plan = plan_data.plan
    with acting_as(manager):
        green = factories.MeasureFactory.build(
            plan=plan,
            owner=officer.owner,
            name="Children seen within timescale",
            unit=Measure.Unit.PERCENTAGE,
            direction=Measure.Direction.HIGHER,
            target=Decimal("90"),
        )
        save_at(green, today - datetime.timedelta(days=70))
        caseload = factories.MeasureFactory.build(
            plan=plan, owner=officer.owner, name="Average caseload per social worker"
        )
        save_at(caseload, today - datetime.timedelta(days=70))
        save_at(
            MeasureValue(measure=green, period=last_month, value=Decimal("95")),
            today - datetime.timedelta(days=3),
        )
        save_at(
            MeasureValue(measure=caseload, period=before, value=Decimal("19")),
            today - datetime.timedelta(days=40),
        )
        # Last month's caseload, Red, recorded only two days ago.
        save_at(
            MeasureValue(measure=caseload, period=last_month, value=Decimal("25")),
            today - datetime.timedelta(days=2),
        )

    sign_in(page, board.username)
    page.goto(f"{reverse('improvement:dashboard')}?plan={plan.pk}")
    measures = page.get_by_role("table", name="Measures of impact")
    rows = measures.locator("tbody tr")
    expect(rows.first).to_contain_text("Average caseload per social worker")
    expect(rows.first).to_contain_text("Red")
    expect(rows.nth(1)).to_contain_text("Children seen within timescale")
    assert_accessible(page)

    measures.get_by_role("link", name="Average caseload per social worker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Average caseload per social worker"
    )
    expect(page.locator("main")).to_contain_text("Latest value: 25")

    # As known ten days ago: only the earlier month's value, then Green.
    then = today - datetime.timedelta(days=10)
    page.get_by_label("Day").fill(str(then.day))
    page.get_by_label("Month").fill(str(then.month))
    page.get_by_label("Year").fill(str(then.year))
    page.get_by_role("button", name="Show").click()
    main = page.locator("main")
    expect(main).to_contain_text("as it was known at the end of")
    expect(main).to_contain_text(
        f"Latest value known then: 19 for {period_label(before, 'monthly')}"
    )
    expect(main.get_by_role("table", name="Values recorded")).not_to_contain_text(
        period_label(last_month, "monthly")
    )
    expect(page.get_by_role("link", name="Record a value")).to_have_count(0)
    assert_accessible(page)
