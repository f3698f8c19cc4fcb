"""A board member finds actions in the register and reads them, changing nothing."""

import re

from playwright.sync_api import expect

from improvement.plan.models import Action
from tests.e2e.conftest import assert_accessible, sign_in

CHANGE_CONTROLS = ("Update progress", "Edit action", "Change findings answered")


def test_board_member_filters_the_register_and_reads_an_action(
    page, plan_data, board, browser_problems, live_site
):
    action = plan_data.other_action

    page.goto("/sign-in/")
    assert_accessible(page)
    sign_in(page, board.username)

    # Board members have no "My actions"; the register is in the navigation.
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="My actions")).to_have_count(0)
    navigation.get_by_role("link", name="Actions", exact=True).click()
    expect(page).to_have_url(re.compile(r"/actions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    expect(
        navigation.get_by_role("link", name="Actions", exact=True)
    ).to_have_attribute("aria-current", "page")
    register = page.get_by_role("table", name="Actions")
    expect(register.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    assert_accessible(page)

    # Filter by delivery status; the filter stays in the URL and the form.
    status = page.get_by_role("group", name="Delivery status")
    status.get_by_role("checkbox", name="In progress").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]status=in_progress(&|$)"))
    expect(
        page.get_by_role("group", name="Delivery status").get_by_role(
            "checkbox", name="In progress"
        )
    ).to_be_checked()
    expect(page.get_by_text("Showing 1 to 1 of 1 result")).to_be_visible()
    expect(register.locator("tbody tr a")).to_have_text(
        ["1.2: Audit case supervision records"]
    )
    assert_accessible(page)
    filtered_url = page.url

    # The action page shows everything but offers no changes.
    register.get_by_role("link", name="1.2: Audit case supervision records").click()
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Audit case supervision records"
    )
    expect(page.locator(".app-progress-update")).to_contain_text(
        "Half of the teams have been audited."
    )
    history = page.get_by_role("table", name="History")
    expect(history).to_contain_text("Audit team on leave in October")
    for name in CHANGE_CONTROLS:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    assert_accessible(page)

    # The breadcrumb leads back to the register (unfiltered).
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Actions"
    ).click()
    expect(page).to_have_url(re.compile(r"/actions/$"))
    page.goto(filtered_url)
    expect(register.locator("tbody tr")).to_have_count(1)

    # The findings page lists what the action answers, with no way to change it.
    page.goto(f"/actions/{action.pk}/findings/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Findings this action answers"
    )
    expect(page.get_by_role("button", name="Add selected findings")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    expect(page.get_by_role("search")).to_have_count(0)
    assert_accessible(page)

    # Going straight to the change pages shows the permission page.
    browser_problems.expect("status of 403")
    for path in (f"/actions/{action.pk}/edit/", f"/actions/{action.pk}/progress/"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You do not have permission to do this"
        )
        expect(page).to_have_title(re.compile(r"^You do not have permission"))
        expect(
            page.locator("form[method=post]:not(.app-header__sign-out)")
        ).to_have_count(0)
    assert_accessible(page)

    # A hand-made POST with a valid CSRF token is refused too.
    token = page.locator(
        ".app-header__sign-out input[name=csrfmiddlewaretoken]"
    ).get_attribute("value")
    response = page.request.post(
        f"{live_site}/actions/{action.pk}/progress/",
        form={
            "csrfmiddlewaretoken": token,
            "version": str(Action.objects.get(pk=action.pk).version),
            "narrative": "Not allowed",
            "status": "delivered",
            "rag": "green",
            "impact": "not_assessed",
            "due_date_0": str(action.due_date.day),
            "due_date_1": str(action.due_date.month),
            "due_date_2": str(action.due_date.year),
        },
        headers={"Referer": f"{live_site}/actions/{action.pk}/"},
    )
    assert response.status == 403
    # Refused by the permission check, not by CSRF protection.
    assert "You do not have permission to do this" in response.text()
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert not action.progress_updates.filter(narrative="Not allowed").exists()
