"""Browser tests: real Chromium, driven by Playwright, against the live server.

Every test in this folder is marked ``browser``. Chromium is the system
(Debian) browser, never a downloaded one. If it is missing the tests fail
rather than skip, so a machine without it cannot pass the suite by accident.

Each test gets a fresh browser context and a page that fails the test on any
console error or uncaught script error, unless the test says it expects one
(for example the 404 status of a page it opens on purpose).

The live server shares the test database, so the tests use transactional
databases, which are emptied after each test. Emptying keeps the content types
and permissions (Django recreates them) but not the role groups the data
migration made, so each test recreates those. The browser tests run after all
others, so no later test meets a database without its groups.

Playwright's synchronous API keeps an asyncio loop running in the test thread,
so Django treats ORM calls in these tests as async-unsafe;
DJANGO_ALLOW_ASYNC_UNSAFE is set for the test run in pyproject.toml.
"""

import datetime
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from findings.models import Finding
from improvement.accounts.two_factor import required_for
from improvement.board.periods import month_end
from improvement.kernel.history import acting_as
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from tests import factories
from tests.conftest import ensure_role_groups
from tests.helpers import authenticator, authenticator_code

HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
VIEWPORT = {"width": 1280, "height": 900}
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

# The password UserFactory gives every user.
PASSWORD = "correct horse battery staple"

# Pages can be slow to answer while other work shares the machine.
expect.set_options(timeout=10_000)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the browser tests and run them last, after the database ordering."""
    browser_tests, others = [], []
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            browser_tests.append(item)
        else:
            others.append(item)
    items[:] = others + browser_tests


# ---------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------


def chromium_path():
    return shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """The system Chromium, launched once for the whole run."""
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        pytest.fail(
            f"Chromium is needed for the browser tests and was not found at "
            f"{executable}. Install it with `make browser` "
            f"(apt-get install chromium).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS), headless=True
        )
        yield browser
        browser.close()


# Reports each securitypolicyviolation event as a console error.
CSP_VIOLATIONS_JS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked `
    + `${event.blockedURI || 'inline'} in ${event.documentURI}`
    + (event.sample ? ` (${event.sample})` : ''));
});
"""


class BrowserProblems:
    """Console errors and uncaught script errors a page reported."""

    def __init__(self):
        self.seen = []
        self.expected = []

    def expect(self, text):
        """Allow problems containing ``text``, e.g. "status of 404"."""
        self.expected.append(text)

    def record_console(self, message):
        if message.type == "error":
            url = (message.location or {}).get("url", "")
            self.seen.append(f"console error: {message.text} ({url})")

    def record_page_error(self, error):
        self.seen.append(f"uncaught error: {error}")

    def unexpected(self):
        return [
            problem
            for problem in self.seen
            if not any(text in problem for text in self.expected)
        ]


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture(autouse=True)
def role_groups(transactional_db, django_db_reset_sequences):
    """The role groups, as the data migration makes them (``ensure_role_groups``).

    Sequences restart for each test, so the same data gets the same ids.
    """
    return ensure_role_groups()


@pytest.fixture
def live_site(live_server, role_groups):
    """The live server's base URL, with the database shared with the test."""
    return live_server.url


@pytest.fixture
def page(chromium, live_site, browser_problems):
    """A page in a fresh browser context; fails on console or script errors."""
    context = chromium.new_context(viewport=VIEWPORT, base_url=live_site)
    context.set_default_timeout(10_000)
    # Any breach of the Content-Security-Policy the browser reports is a
    # console error, so it fails the test like any other.
    context.add_init_script(CSP_VIOLATIONS_JS)
    page = context.new_page()
    page.on("console", browser_problems.record_console)
    page.on("pageerror", browser_problems.record_page_error)
    yield page
    context.close()
    problems = browser_problems.unexpected()
    if problems:
        pytest.fail(
            "The browser reported errors:\n" + "\n".join(problems), pytrace=False
        )


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def sign_in(page, username, password=PASSWORD):
    """Sign in through the real sign-in form, and give a real code from the
    person's authenticator app when their role needs one (set up first)."""
    user = get_user_model()._default_manager.get(username=username)
    device = authenticator(user) if required_for(user) else None
    if "/sign-in/" not in page.url:
        page.goto("/sign-in/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Enter the code from your authenticator app"
        )
        page.get_by_label("Code", exact=True).fill(authenticator_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text(
            "Enter the code from your authenticator app"
        )
    expect(
        page.get_by_role("button", name="Sign out"), f"{username} could not sign in"
    ).to_be_visible()


_axe = Axe()


def _target(node):
    return " ".join(
        " >>> ".join(part) if isinstance(part, list) else part
        for part in node["target"]
    )


def assert_accessible(page, *, exclude=None):
    """Run axe with the WCAG 2.2 AA rules; fail listing every violation.

    ``exclude``: CSS selectors of parts of the page to leave out.
    """
    results = _axe.run(
        page,
        context={"exclude": [[selector] for selector in exclude]} if exclude else None,
        options={
            "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {_target(node)} — {summary}")
    count = len(violations)
    assert count == 0, (
        f"{count} accessibility violation(s) on {page.url} "
        f"({page.title()}):\n" + "\n".join(lines)
    )


# ---------------------------------------------------------------------------
# Data: a plan part-way through delivery
# ---------------------------------------------------------------------------


@dataclass
class PlanData:
    plan: Plan
    priority: Priority
    owner: Owner
    other_owner: Owner
    action: Action
    other_action: Action
    delivered_action: Action
    linked_finding: Finding
    unlinked_finding: Finding


@pytest.fixture
def plan_data(live_site, officer, manager):
    """A plan with actions in several states, one led by ``officer``.

    ``action`` is the officer's: not started, with no RAG yet (not assessed),
    due in two months, with one finding answered. ``unlinked_finding`` is
    answered by no action.
    """
    today = timezone.localdate()
    officer.first_name, officer.last_name = "Olivia", "Okafor"
    officer.save()
    owner = officer.owner
    other_owner = factories.OwnerFactory(name="Principal Social Worker")
    inspection = factories.InspectionFactory(title="ILACS inspection 2025")
    linked = factories.FindingFactory(
        inspection=inspection,
        reference="R1",
        title="Supervision does not drive plans forward",
    )
    unlinked = factories.FindingFactory(
        inspection=inspection,
        reference="R2",
        title="Management oversight of children in need",
    )
    factories.FindingFactory(
        inspection=inspection,
        reference="AFI1",
        kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
        title="Quality of return home interviews",
    )
    plan = factories.PlanFactory(
        name="Children's services improvement plan",
        start_date=today - datetime.timedelta(days=300),
        inspections=[inspection],
    )
    priority = factories.PriorityFactory(
        plan=plan, number=1, title="Practice quality and supervision"
    )
    with acting_as(manager):
        action = factories.ActionFactory(
            plan=plan,
            priority=priority,
            reference="1.1",
            title="Embed monthly reflective supervision",
            lead_owner=owner,
            start_date=today - datetime.timedelta(days=120),
            original_due_date=today + datetime.timedelta(days=60),
        )
        action.findings.add(linked)
        other = factories.ActionFactory(
            plan=plan,
            priority=priority,
            reference="1.2",
            title="Audit case supervision records",
            lead_owner=other_owner,
            start_date=today - datetime.timedelta(days=200),
            original_due_date=today - datetime.timedelta(days=10),
            status=Action.Status.IN_PROGRESS,
            rag=Action.Rag.RED,
        )
        other.supporting_owners.add(owner)
        delivered = factories.ActionFactory(
            plan=plan,
            priority=priority,
            reference="1.3",
            title="Publish the supervision policy",
            lead_owner=other_owner,
            start_date=today - datetime.timedelta(days=250),
            original_due_date=today - datetime.timedelta(days=40),
            status=Action.Status.DELIVERED,
        )
        delivered.findings.add(linked)
    with acting_as(officer):
        ProgressUpdate.objects.create(
            action=other,
            author=officer,
            update_date=today - datetime.timedelta(days=5),
            narrative="Half of the teams have been audited.",
            status=Action.Status.IN_PROGRESS,
            rag=Action.Rag.RED,
        )
        other.refresh_from_db()
        other.due_date = today + datetime.timedelta(days=30)
        other._change_reason = "Audit team on leave in October"
        other.save()
    return PlanData(
        plan=plan,
        priority=priority,
        owner=owner,
        other_owner=other_owner,
        action=action,
        other_action=other,
        delivered_action=delivered,
        linked_finding=linked,
        unlinked_finding=unlinked,
    )


# ---------------------------------------------------------------------------
# A plan with months of history, for the board's reports
# ---------------------------------------------------------------------------

# The reason given when ``board_history`` moves an action's due date later.
DUE_DATE_REASON = "Audit team redeployed to the Ofsted monitoring visit"


def midday(day):
    """Noon on ``day`` in the site's time zone: clear of any day boundary."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def save_at(instance, day, *, reason=None):
    """Save ``instance`` as if the change had been made at noon on ``day``."""
    instance._history_date = midday(day)
    if reason:
        instance._change_reason = reason
    instance.save()


def add_action(day, **fields):
    """An action added to the plan at noon on ``day``, dated in its history."""
    action = factories.ActionFactory.build(**fields)
    save_at(action, day)
    Action.objects.filter(pk=action.pk).update(created_at=midday(day))
    action.refresh_from_db()
    return action


def record_progress(action, author, day, narrative, status=Action.Status.IN_PROGRESS):
    update = ProgressUpdate(
        action=action,
        author=author,
        update_date=day,
        narrative=narrative,
        status=status,
        rag=action.rag,
    )
    save_at(update, day)
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=midday(day))
    return update


@dataclass
class History:
    plan: Plan
    today: datetime.date
    earlier: datetime.date  # a month end some way back, with progress recorded
    since: datetime.date  # the start of the "What changed" period
    moved: Action  # its due date moved later, with a reason, in the period
    manager_name: str


@pytest.fixture
def board_history(live_site, manager, officer):
    """A plan five actions strong, changed at known moments over 200 days.

    Today: 3 of 5 delivered (60%), 1 overdue (1.3).
    At the end of ``earlier``: 1 of 5 delivered (20%), 2 overdue (1.2, 2.1).
    """
    today = timezone.localdate()
    start = today - datetime.timedelta(days=200)
    added = start + datetime.timedelta(days=5)
    earlier = month_end(today - datetime.timedelta(days=75))
    since = today - datetime.timedelta(days=14)
    assert start < earlier < today - datetime.timedelta(days=40)

    manager.first_name, manager.last_name = "Priya", "Shah"
    manager.save()
    officer.first_name, officer.last_name = "Olivia", "Okafor"
    officer.save()

    with acting_as(manager):
        inspection = factories.InspectionFactory(
            title="ILACS inspection",
            start_date=start - datetime.timedelta(days=60),
            end_date=start - datetime.timedelta(days=50),
            published_date=start - datetime.timedelta(days=20),
        )
        findings = [
            factories.FindingFactory.build(
                inspection=inspection, reference=f"R{n}", title=title
            )
            for n, title in enumerate(
                (
                    "Supervision does not drive plans forward",
                    "Management oversight of children in need",
                ),
                start=1,
            )
        ]
        for finding in findings:
            save_at(finding, start)
        plan = factories.PlanFactory.build(
            name="Children's services improvement plan",
            start_date=start,
        )
        save_at(plan, start)
        plan.inspections.add(inspection)
        practice = factories.PriorityFactory.build(
            plan=plan, number=1, title="Practice quality and supervision"
        )
        save_at(practice, start)
        workforce = factories.PriorityFactory.build(
            plan=plan, number=2, title="A stable workforce"
        )
        save_at(workforce, start)
        lead = officer.owner
        principal = factories.OwnerFactory(name="Principal Social Worker")

        def action(priority, reference, title, owner, due, status):
            return add_action(
                added,
                plan=plan,
                priority=priority,
                reference=reference,
                title=title,
                lead_owner=owner,
                start_date=added,
                original_due_date=due,
                status=status,
            )

        in_progress = Action.Status.IN_PROGRESS
        supervision = action(
            practice,
            "1.1",
            "Embed monthly reflective supervision",
            lead,
            today + datetime.timedelta(days=60),
            in_progress,
        )
        audit = action(
            practice,
            "1.2",
            "Audit case supervision records",
            principal,
            earlier - datetime.timedelta(days=10),
            in_progress,
        )
        action(
            practice,
            "1.3",
            "Publish the supervision policy",
            principal,
            today - datetime.timedelta(days=5),
            in_progress,
        )
        handbook = action(
            practice,
            "1.4",
            "Refresh the practice handbook",
            lead,
            start + datetime.timedelta(days=40),
            in_progress,
        )
        recruitment = action(
            workforce,
            "2.1",
            "Recruit permanent team managers",
            principal,
            earlier - datetime.timedelta(days=20),
            in_progress,
        )
        supervision.findings.add(findings[0])
        audit.findings.add(findings[0])

        handbook.status = Action.Status.DELIVERED
        save_at(handbook, start + datetime.timedelta(days=30))

    with acting_as(officer):
        record_progress(
            audit,
            officer,
            earlier - datetime.timedelta(days=3),
            "A third of the case files have been audited.",
        )
        record_progress(
            supervision,
            officer,
            since + datetime.timedelta(days=1),
            "Every team now has monthly reflective supervision.",
            Action.Status.DELIVERED,
        )

    with acting_as(manager):
        recruitment.status = Action.Status.DELIVERED
        save_at(recruitment, today - datetime.timedelta(days=30))
        supervision.status = Action.Status.DELIVERED
        save_at(supervision, today - datetime.timedelta(days=12))
        audit.due_date = today + datetime.timedelta(days=30)
        save_at(audit, today - datetime.timedelta(days=10), reason=DUE_DATE_REASON)

    return History(
        plan=plan,
        today=today,
        earlier=earlier,
        since=since,
        moved=audit,
        manager_name="Priya Shah",
    )


# ---------------------------------------------------------------------------
# Keyboard
# ---------------------------------------------------------------------------

FOCUS_YELLOW = "rgb(255, 221, 0)"

# The computed styles that make up GOV.UK's focus indicator. Radios and
# checkboxes hide the native control and draw the ring on the label's ::before.
_FOCUS_STYLE_JS = """el => {
  const target = el.matches('.govuk-radios__input, .govuk-checkboxes__input')
    ? getComputedStyle(el.nextElementSibling, '::before')
    : getComputedStyle(el);
  return [target.outlineStyle, target.outlineWidth, target.outlineColor,
          target.backgroundColor, target.boxShadow].join(' | ');
}"""


def tab_to(page, locator, *, limit=40):
    """Press Tab until ``locator`` has focus; fail if it is never reached."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused(timeout=1)


def focus_style(locator):
    """The focused element's outline, background and box shadow, as text."""
    return locator.evaluate(_FOCUS_STYLE_JS)


def assert_focus_visible(locator):
    """The element has focus and shows GOV.UK's yellow focus indicator."""
    expect(locator).to_be_focused()
    style = focus_style(locator)
    assert FOCUS_YELLOW in style, f"No visible focus indicator: {style}"
