"""A manager imports the council's own tracker into a plan, in a real browser.

The tracker is as councils keep them: a title above the headings, a row
naming the priority of the actions below it, headings of the council's own
(“Lead Officer”, “Target date”, “BRAG”), a RAG given only by a cell's fill
colour, and a lead who is not yet an owner. The manager sees the suggested
columns, changes one, sees the problem named by row and column, creates the
missing owner, confirms, and finds the actions in the plan. Every step's
page has no axe violations and does not scroll sideways at 320 px.
"""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from playwright.sync_api import expect

from improvement.imports.models import PlanImport
from improvement.plan.models import Action, Owner
from tests import factories
from tests.e2e.conftest import VIEWPORT, assert_accessible, sign_in

PHONE = {"width": 320, "height": 800}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_LEAD = "Director of Children's Services"


def _tracker():
    """The council's tracker: headings on row 3, a section row, three actions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Improvement plan"
    year = datetime.date.today().year + 1
    rows = [
        ["Northmoor children's services improvement plan: tracker"],
        [],
        ["Ref", "Key action", "Lead Officer", "Target date", "BRAG", "Milestones"],
        ["Priority 1: Leadership and management"],
        [
            "1.1",
            "Embed monthly reflective supervision",
            "Head of Service, Children in Need",
            f"31/03/{year}",
            "Amber",
            "Policy agreed; audits monthly",
        ],
        [
            "1.2",
            "Audit case supervision records",
            "Head of Service, Children in Need",
            datetime.datetime(year, 6, 30),
            None,
            "Audit tool piloted",
        ],
        [
            "1.3",
            "Recruit permanent team managers",
            NEW_LEAD,
            f"September {year}",
            "Red",
            None,
        ],
    ]
    for row in rows:
        sheet.append(row)
    # 1.2's RAG is only the colour of its cell: green.
    sheet["E6"].fill = PatternFill("solid", fgColor="FF00B050")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_page(page):
    """No axe violations, and no sideways scrolling at 320 px wide."""
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 320 px"
    page.set_viewport_size(VIEWPORT)


def test_manager_imports_the_councils_tracker(page, live_site, manager):
    plan = factories.PlanFactory(name="Children's services improvement plan")
    factories.OwnerFactory(name="Head of Service, Children in Need")

    sign_in(page, manager.username)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Import from a tracker").click()

    # Upload ------------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from a tracker")
    _check_page(page)
    page.get_by_label("Upload the plan's tracker").set_input_files(
        {"name": "Northmoor tracker.xlsx", "mimeType": XLSX, "buffer": _tracker()}
    )
    page.get_by_role("button", name="Upload and continue").click()

    # The suggested columns, and one changed --------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("What the columns hold")
    main = page.locator("main")
    expect(main).to_contain_text("The headings are on row 3 of “Improvement plan”")
    suggested = {
        "Ref": "Reference",
        "Key action": "Action",
        "Lead Officer": "Lead officer",
        "Target date": "Due date",
        "BRAG": "RAG",
        "Milestones": "Leave out",
    }
    for heading, label in suggested.items():
        chosen = page.get_by_label(heading, exact=True).locator("option:checked")
        expect(chosen).to_have_text(label)
    _check_page(page)
    page.get_by_label("Milestones", exact=True).select_option(label="Description")
    page.get_by_role("button", name="Check the tracker").click()

    # The preview names the problem by row and column -------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page).to_have_title("Error: Check the import – Golden Thread")
    summary = page.locator(".govuk-error-summary")
    problem = f"Row 7, Lead Officer: “{NEW_LEAD}” is not yet an owner"
    expect(summary).to_contain_text(problem)
    expect(main).to_contain_text("3 actions in the file: 2 to create")
    expect(main).to_contain_text("Nothing has been saved yet")
    expect(page.get_by_role("button", name="Import into the plan")).to_have_count(0)
    _check_page(page)
    summary.get_by_role("link", name=problem).click()
    expect(page.locator("#row-7")).to_be_focused()

    # Create the missing owner, then confirm -------------------------------
    page.get_by_role("button", name="Create this owner").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    preview = page.get_by_role("table", name="What would happen")
    expect(preview.locator("#row-7")).to_contain_text(f"New owner: {NEW_LEAD}")
    expect(preview.locator("#row-4")).to_contain_text(
        "Actions below are under Priority 1: Leadership and management (a new priority)"
    )
    assert not Owner.objects.filter(name=NEW_LEAD).exists()
    assert not Action.objects.exists()
    _check_page(page)
    page.get_by_role("button", name="Import into the plan").click()

    # The plan's actions -----------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.name)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Imported from Northmoor tracker.xlsx: 3 actions created, 0 changed"
    )
    _check_page(page)
    page.get_by_role("link", name="See the actions in this plan").click()
    for reference, title in (
        ("1.1", "Embed monthly reflective supervision"),
        ("1.2", "Audit case supervision records"),
        ("1.3", "Recruit permanent team managers"),
    ):
        expect(page.locator("main")).to_contain_text(title)
        assert Action.objects.filter(plan=plan, reference=reference).exists()
    _check_page(page)

    actions = {a.reference: a for a in Action.objects.filter(plan=plan)}
    assert actions["1.1"].description == "Policy agreed; audits monthly"
    assert actions["1.2"].rag == "green"
    assert actions["1.3"].lead_owner.name == NEW_LEAD
    assert actions["1.3"].due_date.month == 9
    created = actions["1.3"].history.earliest()
    assert created.history_user == manager
    assert created.history_change_reason == "Imported from Northmoor tracker.xlsx"
    assert PlanImport.objects.get(plan=plan).created == 3
