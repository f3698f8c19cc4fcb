"""History pages in the browser: reached from the detail page's link, they
pass axe's WCAG 2.2 AA rules and fit a 320 px screen, for each role."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from improvement.kernel.history import acting_as
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

ROLES = ("officer", "manager", "board")
PHONE = {"width": 320, "height": 800}


def _records(plan_data, manager):
    """The page of one record of each kind with a history page; the action's
    history runs to two pages, so its history shows GOV.UK pagination."""
    action = plan_data.action
    with acting_as(manager):
        for n in range(30):
            action.title = f"Embed reflective supervision, version {n}"
            action.save()
    finding = plan_data.linked_finding
    visit = factories.MonitoringVisitFactory(inspection=finding.inspection)
    factories.JudgementFactory(inspection=finding.inspection, area="Leadership")
    theme = factories.ThemeFactory(name="Supervision")
    own_pages = [
        action,
        plan_data.plan,
        plan_data.priority,
        plan_data.owner,
        finding,
        finding.inspection,
        visit,
    ]
    return [
        *(record.get_absolute_url() for record in own_pages),
        reverse("findings:theme_detail", args=[theme.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_history_pages_are_accessible_and_fit_a_phone(
    page, plan_data, request, role, manager
):
    records = _records(plan_data, manager)
    user = request.getfixturevalue(role)
    sign_in(page, user.username)
    for detail in records:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(detail)
        link = page.get_by_role("link", name="See all")
        expect(link).to_have_count(1)
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("History")
        assert_accessible(page)
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide"

    history = reverse("improvement:action_history", args=[plan_data.action.pk])
    page.goto(f"{history}?page=2")
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
