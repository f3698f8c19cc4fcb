"""A board member reads the plan's reports: now, as it stood, and what changed.

The plan's history (the ``board_history`` fixture, in conftest.py) is spread
over the past months, each change saved with the moment it was made, so the
dashboard as at an earlier date, the trend and "What changed" all have
something to show. Every page the journey visits must pass axe's WCAG 2.2 AA
rules.
"""

import datetime
import io
import re

from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import (
    DUE_DATE_REASON,
    assert_accessible,
    assert_focus_visible,
    sign_in,
    tab_to,
)
from tests.helpers import long_date


def headline(page, words):
    """The big number of the headline figure described by ``words``."""
    figure = page.locator("#main-content p.govuk-body", has_text=words)
    return figure.locator("span.govuk-\\!-font-size-48")


def board_views(page):
    return page.get_by_role("navigation", name="Board views")


def follow_board_view(page, name, path):
    board_views(page).get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}(\?|$)"))
    expect(board_views(page).locator("strong")).to_have_text(name)


def check_chart(page, title, mentions):
    """An SVG chart with role img, named by its title and its description."""
    chart = page.get_by_role("img", name=re.compile(rf"^{re.escape(title)}\b"))
    expect(chart).to_have_count(1)
    assert chart.evaluate("el => el.tagName.toLowerCase()") == "svg"
    expect(chart).to_have_accessible_name(re.compile(rf"^{re.escape(title)} .+"))
    for text in mentions:
        expect(chart).to_have_accessible_name(re.compile(re.escape(text)))
    return chart


def numbers_table(page, title):
    """Open the chart's "Show the numbers as a table" and return the table."""
    page.get_by_text(f"Show the numbers as a table: {title}", exact=False).click()
    table = page.get_by_role("table", name=title, exact=True)
    expect(table).to_be_visible()
    return table


def row_cells(table, label):
    row = table.locator("tbody tr").filter(
        has=table.page.get_by_role("rowheader", name=label, exact=True)
    )
    expect(row).to_have_count(1)
    return row.locator("td")


def test_board_member_reads_the_reports_and_downloads_the_pack(
    page, board_history, board
):
    today, earlier = board_history.today, board_history.earlier
    plan = board_history.plan

    # Sign in: a board member lands on the dashboard ------------------------
    page.goto("/sign-in/")
    assert_accessible(page)
    sign_in(page, board.username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator(".govuk-caption-l")).to_have_text(plan.name)
    expect(page.get_by_role("heading", name="Headline figures today")).to_be_visible()
    expect(headline(page, "delivered:")).to_have_text("60%")
    expect(page.locator("#main-content")).to_contain_text("delivered: 3 of 5 actions")
    expect(headline(page, "past their due date")).to_have_text("1")
    overdue = page.get_by_role("table", name="Overdue actions (1)")
    expect(overdue.locator("tbody tr a")).to_have_text(
        ["1.3: Publish the supervision policy"]
    )

    # The charts: SVG pictures with names, and the same numbers as tables.
    check_chart(
        page,
        "Delivery status by priority",
        ["1. Practice quality and supervision", "2. A stable workforce"],
    )
    check_chart(page, "RAG by priority", ["1. Practice quality and supervision"])
    statuses = numbers_table(page, "Delivery status by priority")
    expect(statuses.locator("thead th")).to_have_text(
        [
            "Priority",
            "Not started",
            "In progress",
            "Paused",
            "Delivered",
            "Withdrawn",
            "Total",
        ]
    )
    # Priority 1: 1.2 and 1.3 in progress, 1.1 and 1.4 delivered.
    expect(row_cells(statuses, "1. Practice quality and supervision")).to_have_text(
        ["0", "2", "0", "2", "0", "4"]
    )
    expect(row_cells(statuses, "2. A stable workforce")).to_have_text(
        ["0", "0", "0", "1", "0", "1"]
    )
    assert_accessible(page)

    # Pick an earlier date with the keyboard: day, month and year boxes ----
    date = page.get_by_role("group", name="Show the dashboard as it stood on")
    expect(date).to_contain_text("For example, 27 3 2026")
    day_box = date.get_by_label("Day")
    tab_to(page, day_box, limit=60)
    assert_focus_visible(day_box)
    page.keyboard.type(str(earlier.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(earlier.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(earlier.year))
    show = page.get_by_role("button", name="Show", exact=True)
    tab_to(page, show)
    assert_focus_visible(show)
    page.keyboard.press("Enter")

    expect(page).to_have_url(
        re.compile(
            rf"as_at_0={earlier.day}&as_at_1={earlier.month}&as_at_2={earlier.year}"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Dashboard as at {long_date(earlier)}"
    )
    expect(page).to_have_title(re.compile(rf"^Dashboard as at {long_date(earlier)} – "))
    expect(
        page.get_by_role("heading", name=f"Headline figures on {long_date(earlier)}")
    ).to_be_visible()
    # As the plan stood then: only 1.4 delivered; 1.2 and 2.1 overdue.
    expect(headline(page, "delivered:")).to_have_text("20%")
    expect(page.locator("#main-content")).to_contain_text("delivered: 1 of 5 actions")
    expect(headline(page, "past their due date")).to_have_text("2")
    overdue = page.get_by_role("table", name="Overdue actions (2)")
    expect(overdue.locator("tbody tr a")).to_have_text(
        [
            "2.1: Recruit permanent team managers",
            "1.2: Audit case supervision records",
        ]
    )
    statuses = numbers_table(page, "Delivery status by priority")
    expect(row_cells(statuses, "1. Practice quality and supervision")).to_have_text(
        ["0", "3", "0", "1", "0", "4"]
    )
    # The quick pick for that month end is marked as the one shown.
    quick_pick = page.get_by_role("link", name=f"End of {earlier:%B %Y}")
    expect(quick_pick).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Show today’s dashboard")).to_be_visible()
    assert_accessible(page)

    # The register as it stood, through the Board views links --------------
    follow_board_view(page, "Actions as at a date", "/as-at/")
    expect(page).to_have_url(re.compile(rf"as_at={earlier.isoformat()}(&|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Actions as at {long_date(earlier)}"
    )
    expect(page.locator("#main-content")).to_contain_text(
        "The plan had 5 actions: 4 in progress and 1 delivered."
    )
    assert_accessible(page)

    follow_board_view(page, "Trend", "/trend/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trend")
    check_chart(page, "Actions by delivery status at the end of each month", [])
    check_chart(page, "Actions by RAG at the end of each month", [])
    assert_accessible(page)

    follow_board_view(page, "Golden thread", "/golden-thread/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Golden thread")
    expect(page.locator("#main-content")).to_contain_text(
        "R2: Management oversight of children in need"
    )
    assert_accessible(page)

    follow_board_view(page, "Drift and delay", "/drift/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drift and delay")
    slipped = page.get_by_role("table", name=re.compile(r"^Slipped since"))
    expect(slipped.locator("tbody tr")).to_have_count(1)
    expect(slipped).to_contain_text("1.2: Audit case supervision records")
    expect(slipped).to_contain_text(DUE_DATE_REASON)
    assert_accessible(page)

    # What changed, between two dates --------------------------------------
    follow_board_view(page, "What changed", "/changes-since/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    for name, day in (("From", board_history.since), ("To", today)):
        date = page.get_by_role("group", name=name, exact=True)
        date.get_by_label("Day").fill(str(day.day))
        date.get_by_label("Month").fill(str(day.month))
        date.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Show changes").click()
    expect(page).to_have_url(re.compile(rf"since_0={board_history.since.day}&since_1="))
    expect(
        page.get_by_role(
            "heading", name=f"{long_date(board_history.since)} to {long_date(today)}"
        )
    ).to_be_visible()

    moved = board_history.moved
    moves = page.get_by_role("table", name="Due dates moved", exact=True)
    expect(moves.locator("tbody tr")).to_have_count(1)
    cells = moves.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("1.2: Audit case supervision records")
    days = (moved.due_date - moved.original_due_date).days
    expect(cells.nth(1)).to_contain_text(long_date(moved.original_due_date))
    expect(cells.nth(1)).to_contain_text(long_date(moved.due_date))
    expect(cells.nth(1)).to_contain_text(f"+{days} days")
    expect(cells.nth(2)).to_have_text(board_history.manager_name)
    expect(cells.nth(3)).to_have_text(
        f"{long_date(today - datetime.timedelta(days=10))} at midday"
    )
    expect(cells.nth(4)).to_have_text(DUE_DATE_REASON)
    # Delivered in the period: 1.1, not 2.1 (delivered before it began).
    delivered = page.get_by_role("table", name="Actions delivered", exact=True)
    expect(delivered.locator("tbody tr td:first-child")).to_have_text(
        ["1.1: Embed monthly reflective supervision"]
    )
    assert_accessible(page)

    # The board pack, and its PDF ------------------------------------------
    follow_board_view(page, "Board pack", "/board-pack/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Board pack for {long_date(today)}"
    )
    expect(page.locator(".govuk-caption-l")).to_have_text(
        f"{settings.COUNCIL_NAME} – {plan.name}"
    )
    assert_accessible(page)

    link = page.get_by_role(
        "link", name=re.compile(r"^Download the board pack as a PDF")
    )
    # Making the PDF takes seconds on a busy machine, and the click waits for it.
    with page.expect_download(timeout=60_000) as download_info:
        link.click(timeout=60_000)
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"board-pack-{today.isoformat()}.pdf"
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:20]
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"], "The PDF is not tagged"
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert settings.COUNCIL_NAME in text
    assert plan.name in text
    assert "1.2: Audit case supervision records" in " ".join(text.split())
