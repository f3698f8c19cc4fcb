"""The officer's and the board member's main journeys, with the keyboard alone.

Nothing here clicks, fills, checks or selects: every step is Tab, Shift+Tab,
Enter, Space, an arrow key or typing, as someone who cannot use a mouse would
do it. Locators only say where focus should be and what the page shows.
Every page reached must pass axe's WCAG 2.2 AA rules, and the control that
has focus must show GOV.UK's focus indicator.
"""

import re

from playwright.sync_api import expect

from improvement.plan.models import Action
from tests.e2e.conftest import (
    PASSWORD,
    assert_accessible,
    assert_focus_visible,
    tab_to,
)
from tests.helpers import long_date

NARRATIVE = "Reflective supervision sessions booked for every locality team."


def shift_tab_to(page, locator, *, limit=40):
    """Press Shift+Tab until ``locator`` has focus; fail if it is never reached."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab")
    expect(locator).to_be_focused(timeout=1)


def follow(page, link, *, backwards=False):
    """Reach ``link`` by Tab (or Shift+Tab), check its focus ring, press Enter."""
    (shift_tab_to if backwards else tab_to)(page, link)
    assert_focus_visible(link)
    page.keyboard.press("Enter")


def sign_in_by_keyboard(page, username):
    """Sign in on the sign-in page: Tab to each box, type, and press Enter."""
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    username_box = page.get_by_label("Username", exact=True)
    tab_to(page, username_box)
    assert_focus_visible(username_box)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    password_box = page.get_by_label("Password", exact=True)
    assert_focus_visible(password_box)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def skip_to_main_content(page):
    """The first Tab reaches the skip link; Enter moves focus to the main content."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert_focus_visible(skip)
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_officer_updates_progress_and_links_findings_by_keyboard(
    page, plan_data, officer
):
    action = plan_data.action

    # Sign in, then skip the header -------------------------------------
    sign_in_by_keyboard(page, officer.username)
    expect(page).to_have_url(re.compile(r"/actions/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    assert_accessible(page)
    skip_to_main_content(page)

    # My actions → the action → Update progress ----------------------------
    to_deliver = page.get_by_role("table", name="To deliver")
    follow(
        page,
        to_deliver.get_by_role(
            "link", name="1.1: Embed monthly reflective supervision"
        ),
    )
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Embed monthly reflective supervision"
    )
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="Update progress"))
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/progress/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Update progress")
    assert_accessible(page)

    # The status first: Tab enters the radios at the checked one, and the
    # arrow keys move the choice.
    status = page.get_by_role("group", name="Delivery status")
    not_started = status.get_by_role("radio", name="Not started")
    in_progress = status.get_by_role("radio", name="In progress")
    tab_to(page, not_started)
    assert_focus_visible(not_started)
    page.keyboard.press("ArrowDown")
    expect(in_progress).to_be_checked()
    assert_focus_visible(in_progress)

    # Then back to the narrative, above it.
    narrative = page.get_by_label("Progress since the last update")
    shift_tab_to(page, narrative)
    assert_focus_visible(narrative)
    page.keyboard.type(NARRATIVE)
    expect(narrative).to_have_value(NARRATIVE)

    save = page.get_by_role("button", name="Save update")
    tab_to(page, save, limit=60)
    assert_focus_visible(save)
    page.keyboard.press("Enter")

    # The success banner says what was saved.
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text(
        "Progress update saved for action 1.1. Status changed to In progress."
    )
    expect(page.locator(".app-progress-update")).to_contain_text(NARRATIVE)
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.progress_updates.filter(narrative=NARRATIVE).exists()

    # Change findings answered: search, tick with Space, add ----------------
    follow(page, page.get_by_role("link", name="Change findings answered"))
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/findings/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Findings this action answers"
    )
    assert_accessible(page)

    search = page.get_by_label("Search findings by reference or words in the title")
    tab_to(page, search)
    assert_focus_visible(search)
    page.keyboard.type("oversight")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=oversight$"))
    matches = page.get_by_role("group", name="Findings matching “oversight”")
    expect(matches.get_by_role("checkbox")).to_have_count(1)
    assert_accessible(page)

    r2 = matches.get_by_role(
        "checkbox", name=re.compile(r"^R2: Management oversight of children in need")
    )
    tab_to(page, r2)
    assert_focus_visible(r2)
    page.keyboard.press("Space")
    expect(r2).to_be_checked()
    follow(page, page.get_by_role("button", name="Add selected findings"))

    expect(page.get_by_role("alert")).to_contain_text("Linked R2 to action 1.1")
    answered = page.get_by_role("table", name="Answered now")
    expect(answered).to_contain_text("R2: Management oversight of children in need")
    assert_accessible(page)
    assert set(action.findings.all()) == {
        plan_data.linked_finding,
        plan_data.unlinked_finding,
    }

    # Remove a link: the Remove link asks first ----------------------------
    follow(page, page.get_by_role("link", name="Remove finding R1"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop action 1.1 answering finding R1?"
    )
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Yes, remove the link"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Action 1.1 no longer answers finding R1"
    )
    expect(page.get_by_role("table", name="Answered now")).not_to_contain_text(
        "R1: Supervision does not drive plans forward"
    )
    assert_accessible(page)
    assert set(action.findings.all()) == {plan_data.unlinked_finding}

    # Sign out: a button in the header, back up the page --------------------
    follow(page, page.get_by_role("button", name="Sign out"), backwards=True)
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.get_by_role("alert")).to_contain_text("You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)


def test_board_member_reads_the_reports_by_keyboard(page, board_history, board):
    plan = board_history.plan
    earlier = board_history.earlier

    # Sign in, then skip the header: a board member lands on the dashboard.
    sign_in_by_keyboard(page, board.username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_accessible(page)
    skip_to_main_content(page)

    # The "as at" date, typed in the day, month and year boxes --------------
    date = page.get_by_role("group", name="Show the dashboard as it stood on")
    day_box = date.get_by_label("Day")
    tab_to(page, day_box, limit=60)
    assert_focus_visible(day_box)
    page.keyboard.type(str(earlier.day))
    page.keyboard.press("Tab")
    assert_focus_visible(date.get_by_label("Month"))
    page.keyboard.type(str(earlier.month))
    page.keyboard.press("Tab")
    assert_focus_visible(date.get_by_label("Year"))
    page.keyboard.type(str(earlier.year))
    follow(page, page.get_by_role("button", name="Show", exact=True))

    expect(page).to_have_url(
        re.compile(
            rf"as_at_0={earlier.day}&as_at_1={earlier.month}&as_at_2={earlier.year}"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Dashboard as at {long_date(earlier)}"
    )
    assert_accessible(page)

    # The dashboard's PDF link, reached by Tab, is the board pack's PDF for
    # the plan and the date shown.
    pdf = page.get_by_role("link", name=re.compile(r"^Download PDF"))
    tab_to(page, pdf, limit=80)
    assert_focus_visible(pdf)
    expect(pdf).to_have_attribute(
        "href", re.compile(rf"^/board-pack\.pdf\?.*plan={plan.pk}")
    )
    expect(pdf).to_have_attribute("href", re.compile(rf"as_at={earlier.isoformat()}"))

    def board_view(name):
        return page.get_by_role("navigation", name="Board views").get_by_role(
            "link", name=name, exact=True
        )

    # What changed, with its CSV and Excel downloads ------------------------
    follow(page, board_view("What changed"), backwards=True)
    expect(page).to_have_url(re.compile(r"/changes-since/\?plan="))
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    assert_accessible(page)
    for name, path in (
        ("Download CSV", "/changes/export.csv"),
        ("Download Excel", "/changes/export.xlsx"),
    ):
        download = page.get_by_role("link", name=re.compile(rf"^{name}"))
        tab_to(page, download, limit=60)
        assert_focus_visible(download)
        expect(download).to_have_attribute(
            "href", re.compile(rf"^{re.escape(path)}\?.*plan={plan.pk}")
        )

    # The golden thread ------------------------------------------------------
    follow(page, board_view("Golden thread"), backwards=True)
    expect(page).to_have_url(re.compile(r"/golden-thread/\?plan="))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Golden thread")
    expect(page.locator("#main-content")).to_contain_text(
        "R2: Management oversight of children in need"
    )
    assert_accessible(page)

    # Drift and delay --------------------------------------------------------
    skip_to_main_content(page)
    follow(page, board_view("Drift and delay"))
    expect(page).to_have_url(re.compile(r"/drift/\?plan="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Drift and delay")
    expect(
        page.get_by_role("table", name=re.compile(r"^Slipped since"))
    ).to_contain_text("1.2: Audit case supervision records")
    assert_accessible(page)

    # The board pack, and its PDF link ---------------------------------------
    skip_to_main_content(page)
    follow(page, board_view("Board pack"))
    expect(page).to_have_url(re.compile(r"/board-pack/\?plan="))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Board pack for {long_date(board_history.today)}"
    )
    assert_accessible(page)
    pack_pdf = page.get_by_role(
        "link", name=re.compile(r"^Download the board pack as a PDF")
    )
    tab_to(page, pack_pdf, limit=60)
    assert_focus_visible(pack_pdf)
    expect(pack_pdf).to_have_attribute(
        "href", re.compile(rf"^/board-pack\.pdf\?.*plan={plan.pk}")
    )
