"""Every page fits a 320 px screen, for every role, with the demo plan.

Issue 8, points 2, 3, 4 and 14, in a real browser. The demo council's data
is loaded (``seed_demo``) and the officer adds a progress update holding a
300-character SharePoint address with no spaces. Then each role (officer,
improvement manager, board member, administrator) opens every page it may
open, found from the URL conf the way tests/test_url_permissions.py finds
them, at 320 px wide (WCAG 2.2, 1.4.10 Reflow):

* the page is no wider than the screen, and has no axe violations;
* the long address wraps on the action page, the dashboard, the board pack
  and "What changed";
* the golden thread's tables stay inside their cards.

Then: at 1280 px the action page is no wider than the window; at 375 px the
registers' filters fold away and the charts' text is at least 12 px; printing
leaves out navigation, forms and buttons, and prints only addresses that
lead off the site; signing out says so.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import FindingJudgement, Theme
from improvement.audits.models import Audit, PracticeWeek
from improvement.board.documents.models import Document
from improvement.board.documents.service import request_document
from improvement.measures.models import Measure
from improvement.plan.models import Action, Owner
from tests import factories
from tests.e2e.conftest import PASSWORD, assert_accessible, sign_in
from tests.factories import ProgressUpdateFactory
from tests.helpers import (
    LONG_LINK,
    MAIN_MARKUP_JS,
    expected_get,
    named_patterns,
    pattern_url,
)
from visits.models import Inspection, MonitoringVisit

# The demo sign-ins, named as test_url_permissions names the roles.
ROLES = ("officer", "manager", "board", "admin")
PHONE = {"width": 320, "height": 800}
EVIDENCE = "https://northmoor.sharepoint.com/sites/ChildrensImprovement/audit.docx"

# URL names that are not pages: files and JSON.
NOT_PAGES = {"health", "improvement:document_download"}
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".txt")

# Pages that show the long address, by URL name.
SHOWS_THE_LINK = {
    "improvement:action_detail",
    "improvement:dashboard",
    "improvement:board_pack",
    "improvement:changes_since",
}

# Each link's lines (client rects) and its right edge.
LINK_LINES_JS = """href => [...document.querySelectorAll('main a')]
  .filter(a => a.getAttribute('href') === href)
  .map(a => {
    const rects = [...a.getClientRects()];
    return {lines: rects.length, right: Math.max(...rects.map(r => r.right))};
  })"""

# Any table, row or cell in a summary card that sticks out of it (the
# column headings are visually hidden where rows are stacked).
OUTSIDE_CARDS_JS = """() => {
  const out = [];
  for (const card of document.querySelectorAll('.govuk-summary-card')) {
    const box = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('table, tbody tr, tbody td')) {
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > box.right + 1 || r.left < box.left - 1)) {
        out.push(card.id + ' ' + el.tagName);
      }
    }
  }
  return out;
}"""

# The smallest text in each chart, in CSS pixels as drawn on the screen.
CHART_TEXT_JS = """() => [...document.querySelectorAll('.app-chart svg[role=img]')]
  .map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {id: svg.parentElement.id, smallest: Math.min(...sizes),
            text: [...svg.querySelectorAll('text')].map(t => t.textContent)};
  })"""

# Whether an element is shown, and the text printed after a link.
DISPLAYED_JS = "el => getComputedStyle(el).display !== 'none' && !!el.offsetParent"
AFTER_JS = "el => getComputedStyle(el, '::after').content"


@pytest.fixture
def demo(live_site, monkeypatch):
    """The demo council, its sign-ins, and a progress note with a long link.

    Returns the objects that pages with an id in their address show, keyed
    as tests/test_url_permissions.py keys them.
    """
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("seed_demo", stdout=StringIO())
    action = (
        Action.objects.filter(lead_owner__user__username="officer")
        .exclude(findings=None)
        .order_by("pk")
        .first()
    )
    ProgressUpdateFactory(
        action=action,
        author=action.lead_owner.user,
        update_date=timezone.localdate(),
        narrative=f"The audit notes are at {LONG_LINK} for the board to read.",
        evidence_url=EVIDENCE,
    )
    finding = action.findings.order_by("pk").first()
    # A measure the officer owns, with its year of values.
    measure = Measure.objects.filter(owner=action.lead_owner).order_by("pk")[0]
    document = request_document(
        action.lead_owner.user,
        kind=Document.Kind.CHANGES,
        file_type=Document.FileType.CSV,
        plan=action.plan,
        parameters={"since": "2026-01-01", "until": "2026-01-31"},
        title="What changed",
        filename="changes.csv",
    )
    arising = factories.ActionArisingFactory(
        owner=action.lead_owner,
        agenda_item__meeting__plans=[action.plan],
        progress=f"Figures are at {LONG_LINK} for members.",
    )
    return {
        "action": action,
        "plan": action.plan,
        "priority": action.priority,
        "owner": Owner.objects.exclude(pk=action.lead_owner_id).order_by("pk")[0],
        "finding": finding,
        "inspection": Inspection.objects.order_by("pk")[0],
        "monitoringvisit": MonitoringVisit.objects.order_by("pk")[0],
        "theme": Theme.objects.filter(findings__isnull=False).order_by("pk")[0],
        "document": document,
        "measure": measure,
        "measurevalue": measure.values.order_by("period")[0],
        "measuretarget": measure.targets.order_by("from_period").first()
        or factories.MeasureTargetFactory(measure=measure),
        "findingjudgement": FindingJudgement.objects.order_by("pk")[0],
        # An audit of a practice week's dip sample, moderated, with long notes.
        "audit": Audit.objects.exclude(practice_week=None)
        .exclude(moderated_grade="")
        .order_by("pk")[0],
        "practiceweek": PracticeWeek.objects.order_by("pk")[0],
        # A meeting with an answer owed and the officer's action arising.
        "meeting": arising.agenda_item.meeting,
        "question": factories.QuestionFactory(
            agenda_item=arising.agenda_item, text=f"Where is {LONG_LINK}?"
        ),
        "actionarising": arising,
        # A tracker uploaded for import into the plan, waiting to be checked.
        "importfile": factories.ImportFileFactory(
            plan=action.plan,
            uploaded_by=get_user_model().objects.get(username="manager"),
        ),
    }


def pages_for(role, objects):
    """(URL name, path) of every page ``role`` may open, from the URL conf."""
    pages = []
    for name, pattern in named_patterns():
        if name in NOT_PAGES or str(pattern.pattern).endswith(DOWNLOADS):
            continue
        if expected_get(role, name) != {200}:
            continue
        try:
            pages.append((name, pattern_url(name, pattern, objects)))
        except KeyError as missing:
            pytest.fail(f"Add a demo object for {missing} to the demo fixture")
    return pages


def test_every_page_fits_a_320_px_screen_for_every_role(page, demo, browser_problems):
    page.set_viewport_size(PHONE)
    problems, visited = [], 0
    checked_main = set()
    for role in ROLES:
        sign_in(page, role)
        for name, path in pages_for(role, demo):
            response = page.goto(path)
            visited += 1
            where = f"{role} on {name} ({path})"
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {response and response.status}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{where}: {width} px wide")
            if name in SHOWS_THE_LINK:
                links = page.evaluate(LINK_LINES_JS, LONG_LINK)
                if not links:
                    problems.append(f"{where}: the long link is missing")
                for link in links:
                    if link["lines"] < 2 or link["right"] > PHONE["width"]:
                        problems.append(f"{where}: the long link is not wrapped")
            if outside := page.evaluate(OUTSIDE_CARDS_JS):
                problems.append(f"{where}: tables outside their cards: {outside}")
            main = page.evaluate(MAIN_MARKUP_JS)
            try:
                assert_accessible(
                    page, exclude=["main"] if main in checked_main else None
                )
            except AssertionError as error:
                problems.append(f"{where}:\n{error}")
            checked_main.add(main)
        page.get_by_role("button", name="Sign out").click()
    assert visited > 4 * 25, f"Only {visited} pages were checked"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_action_page_is_no_wider_than_a_wide_window(page, demo):
    sign_in(page, "officer")
    page.goto(demo["action"].get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    link = page.locator(f'main a[href="{LONG_LINK}"]')
    expect(link).to_have_attribute("rel", "nofollow noopener noreferrer")
    expect(link).to_have_text(LONG_LINK)
    # The golden thread's cards hold their tables at full width too.
    page.goto(reverse("improvement:golden_thread"))
    assert page.evaluate(OUTSIDE_CARDS_JS) == []


@pytest.mark.parametrize("path", ["improvement:action_list", "findings:finding_list"])
def test_filters_fold_away_on_a_phone(page, demo, path):
    sign_in(page, "manager")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse(path))
    panel = page.locator("details.app-filter-details")
    expect(panel).not_to_have_attribute("open", "")
    results = page.locator("main table").first
    assert results.bounding_box()["y"] < 812, "The results are a screen away"
    # Opening the panel shows the filters.
    panel.locator("summary").click()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    assert_accessible(page)

    # On a wide screen the filters are open beside the results.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse(path))
    expect(panel).to_have_attribute("open", "")
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()


def test_charts_are_readable_on_a_phone_and_name_the_priorities(page, demo):
    sign_in(page, "board")
    page.set_viewport_size({"width": 375, "height": 812})
    priority = demo["action"].plan.priorities.order_by("number")[0]
    for path in (reverse("improvement:dashboard"), reverse("improvement:trend")):
        page.goto(path)
        drawn = page.evaluate(CHART_TEXT_JS)
        assert len(drawn) == 2, path
        for chart in drawn:
            assert chart["smallest"] >= 12, (path, chart["id"], chart["smallest"])
        if path == reverse("improvement:dashboard"):
            for chart in drawn:
                assert f"{priority.number}. {priority.title}"[:30] in " ".join(
                    chart["text"]
                )
                assert not any(t.startswith("Priority ") for t in chart["text"])
            # The numbers stay available as a table.
            page.get_by_text("Show the numbers as a table: RAG by priority").click()
            expect(page.get_by_role("table", name="RAG by priority")).to_be_visible()


@pytest.mark.parametrize(
    "path", ["improvement:dashboard", "improvement:board_pack", "improvement:as_at"]
)
def test_printing_leaves_out_navigation_forms_and_buttons(page, demo, path):
    sign_in(page, "manager")
    page.goto(reverse(path))
    page.emulate_media(media="print")
    for selector in (
        ".govuk-skip-link",
        ".govuk-service-navigation nav",
        'nav[aria-label="Board views"]',
        ".app-header__sign-out",
        "main form",
        "main form ~ details",  # quick picks of dates
        ".govuk-button",
    ):
        for element in page.locator(selector).all():
            assert not element.evaluate(DISPLAYED_JS), f"{selector} is printed"
    # The page's own content is printed.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Addresses are printed only for links that leave the site.
    for link in page.locator('main a[href^="/"]').all()[:20]:
        assert link.evaluate(AFTER_JS) == "none"
    for link in page.locator(f'main a[href="{LONG_LINK}"]').all():
        assert link.evaluate(AFTER_JS) == "none"  # the text is the address
    external = page.locator(f'main a[href="{EVIDENCE}"]').all()
    if path == "improvement:board_pack":
        assert external, "The board pack shows the evidence link"
    for link in external:
        assert EVIDENCE in link.evaluate(AFTER_JS)
    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Board views")).to_be_visible()


def test_signing_out_says_so(page, demo):
    sign_in(page, "board")
    page.get_by_role("button", name="Sign out").click()
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("You have signed out")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page).to_have_title("Sign in – Golden Thread")
    assert_accessible(page)
