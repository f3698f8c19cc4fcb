"""Every main page passes axe's WCAG 2.2 AA rules, for each role.

The pages are found the way a person finds them: every link in the service
navigation, every board screen linked from the dashboard's "Board views"
navigation, the call-to-action buttons on those pages, an action page and
the pages it links to (plan, priority, owners, findings). Pages added later
are covered as soon as they are linked.
"""

import base64
import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, assert_accessible, sign_in
from tests.helpers import MAIN_MARKUP_JS, authenticator_code

ROLES = ("officer", "manager", "board")
SKIPPED_PREFIXES = ("/admin/",)  # Django's own admin, not a GOV.UK page

# The board screens every role reaches from the dashboard's "Board views".
BOARD_VIEWS = {
    "Actions as at a date",
    "Trend",
    "What changed",
    "Golden thread",
    "Drift and delay",
    "Board pack",
}

# Main content already checked in this run. When another role sees the same
# content, only the rest of its page (header, navigation) is checked again.
checked_main_content = set()


def local_path(page, href):
    """The path (and query) of a same-site link, or None for other links."""
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.netloc != urlsplit(page.url).netloc:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
        return None
    return path


def links(page, selector):
    """(text, path) of the same-site links matching ``selector``, in order."""
    found = []
    for link in page.locator(selector).all():
        path = local_path(page, link.get_attribute("href"))
        if path:
            found.append((" ".join(link.inner_text().split()), path))
    return found


class Audit:
    """Visits pages once each and collects every problem before failing."""

    def __init__(self, page):
        self.page = page
        self.visited = {}
        self.problems = []

    def visit(self, label, path, *, status=200):
        if path in self.visited:
            return False
        self.visited[path] = label
        response = self.page.goto(path)
        if response is None or response.status != status:
            got = response.status if response else "no response"
            self.problems.append(f"{label} ({path}): HTTP {got}, expected {status}")
            return False
        main = self.page.evaluate(MAIN_MARKUP_JS)
        seen = main is not None and main in checked_main_content
        try:
            assert_accessible(self.page, exclude=["main"] if seen else None)
        except AssertionError as error:
            self.problems.append(f"{label} ({path}):\n{error}")
        checked_main_content.add(main)
        return True

    def check(self):
        assert self.visited, "No pages were checked"
        assert not self.problems, (
            f"{len(self.problems)} of {len(self.visited)} pages have problems:\n\n"
            + "\n\n".join(self.problems)
        )


def check_navigation_marks_current_page(page, path):
    """The service navigation link for this page says it is the current page."""
    nav = page.get_by_role("navigation", name="Menu")
    for link in nav.get_by_role("link").all():
        if local_path(page, link.get_attribute("href")) == path:
            expect(link).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_are_accessible(page, plan_data, request, role, browser_problems):
    user = request.getfixturevalue(role)
    audit = Audit(page)

    sign_in(page, user.username)
    nav_links = links(page, ".govuk-service-navigation nav a")
    assert nav_links, f"The {role} sees no service navigation"
    labels = [label for label, _ in nav_links]
    assert "Actions" in labels, labels
    assert ("My actions" in labels) == (role != "board"), labels

    calls_to_action = []
    for label, path in nav_links:
        if audit.visit(f"{label} (navigation)", path):
            if urlsplit(page.url).path == path:
                check_navigation_marks_current_page(page, path)
            calls_to_action += links(page, "main a.govuk-button")

    # Every board screen, through the dashboard's "Board views" navigation.
    page.goto(reverse("improvement:dashboard"))
    board_views = links(page, 'nav[aria-label="Board views"] a')
    missing = BOARD_VIEWS - {label for label, _ in board_views}
    assert not missing, f"The {role} has no Board views link to {missing}"
    for label, path in board_views:
        if audit.visit(f"{label} (board views)", path):
            calls_to_action += links(page, "main a.govuk-button")

    # An action page, and the pages it links to.
    action_path = plan_data.action.get_absolute_url()
    if audit.visit("Action page", action_path):
        calls_to_action += links(page, "main a.govuk-button")
        details = links(
            page,
            ".govuk-breadcrumbs a, .govuk-summary-list a, #findings + ul a",
        )
        for label, path in details:
            audit.visit(f"{label} (linked from the action page)", path)
    try:
        finding_path = reverse(
            "findings:finding_detail", args=[plan_data.linked_finding.pk]
        )
    except NoReverseMatch:
        finding_path = None
    if finding_path:
        audit.visit("Finding page", finding_path)

    for label, path in calls_to_action:
        audit.visit(f"{label} (button)", path)

    browser_problems.expect("status of 404")
    if audit.visit("Page not found", "/no-such-page/", status=404):
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    audit.check()


def test_sign_in_pages_are_accessible(page, plan_data, officer):
    action_path = plan_data.action.get_absolute_url()

    # Signed out, a page sends you to sign in, with no service navigation.
    response = page.goto(action_path)
    assert response.ok
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".govuk-service-navigation nav")).to_have_count(0)
    assert_accessible(page)

    # Nothing entered: the error summary takes focus and its links work.
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary.get_by_role("link", name="Enter your username").click()
    expect(page.get_by_label("Username", exact=True)).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Username", exact=True).fill(officer.username)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(summary).to_contain_text("Enter a correct username and password")
    assert_accessible(page)

    # Signing in returns you to the page you asked for.
    sign_in(page, officer.username)
    expect(page).to_have_url(re.compile(rf"{re.escape(action_path)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_data.action.title)


def test_public_pages_are_accessible_signed_out(page, live_site):
    """The accessibility statement and the privacy notice, followed from the
    sign-in page's footer without signing in: axe at full width, and no
    sideways scrolling at 320 px. (Signed in, the reflow test opens them for
    every role, since they are in ``PUBLIC``.)"""
    problems = []
    for link_text, heading in (
        ("Accessibility statement", "Accessibility statement for"),
        ("Privacy notice", "Privacy notice for"),
    ):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(reverse("login"))
        page.locator("footer").get_by_role("link", name=link_text).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page).to_have_title(f"{link_text} – {settings.SERVICE_NAME}")
        expect(page.locator(".govuk-service-navigation nav")).to_have_count(0)
        try:
            assert_accessible(page)
        except AssertionError as error:
            problems.append(str(error))
        page.set_viewport_size({"width": 320, "height": 800})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{link_text}: {width} px wide at 320 px")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_theme_pages_are_accessible(page, plan_data, request, role):
    """The themes, reached from the findings register; managers' forms too."""
    theme = factories.ThemeFactory(
        name="Supervision", description="Regular, recorded and reflective"
    )
    plan_data.linked_finding.themes.add(theme)
    factories.ThemeFactory(name="Caseloads")
    user = request.getfixturevalue(role)
    sign_in(page, user.username)
    audit = Audit(page)

    page.goto(reverse("findings:finding_list"))
    themes_path = reverse("findings:theme_list")
    page.locator(f'main a[href="{themes_path}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes")
    audit.visit("Themes", themes_path)
    count = page.get_by_role("link", name=re.compile(r"^1 finding with the theme"))
    expect(count).to_have_count(1)

    page.get_by_role("link", name="Supervision", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision")
    audit.visit("A theme", urlsplit(page.url).path)

    if role == "manager":
        page.goto(themes_path)
        page.get_by_role("link", name="Add a theme").click()
        audit.visit("Add a theme", urlsplit(page.url).path)
        # A name another theme has is refused beside the field.
        page.get_by_label("Name", exact=True).fill("caseloads")
        page.get_by_role("button", name="Add theme").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("A theme called “Caseloads” already exists")
        expect(page.locator("#id_name_error")).to_contain_text("already exists")
        try:
            assert_accessible(page)
        except AssertionError as error:
            audit.problems.append(f"Add a theme, refused:\n{error}")
        page.get_by_label("Name", exact=True).fill("Management oversight")
        page.get_by_role("button", name="Add theme").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Management oversight"
        )
        try:
            assert_accessible(page)
        except AssertionError as error:
            audit.problems.append(f"A theme just added:\n{error}")
        page.get_by_role("link", name="Edit theme").click()
        audit.visit("Edit a theme", urlsplit(page.url).path)
        page.get_by_label("Description (optional)").fill("Managers check the work")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("main")).to_contain_text("Managers check the work")
        history = page.locator('table[aria-labelledby="history"]')
        expect(history).to_contain_text("Managers check the work")
    audit.check()


@pytest.mark.parametrize("role", ROLES)
def test_finding_judgement_pages_are_accessible(page, plan_data, request, role):
    """A finding's judgements at later visits, the golden thread flagging one
    whose actions are all delivered but whose latest visit found no progress,
    and the managers' forms recording and editing a judgement."""
    finding = plan_data.linked_finding
    visit = factories.MonitoringVisitFactory(
        inspection=finding.inspection,
        sequence=1,
        start_date=datetime.date(2026, 3, 10),
        end_date=datetime.date(2026, 3, 11),
    )
    later = factories.MonitoringVisitFactory(
        inspection=finding.inspection,
        sequence=2,
        start_date=datetime.date(2026, 7, 7),
        end_date=datetime.date(2026, 7, 8),
    )
    judgement = factories.FindingJudgementFactory(
        finding=finding, monitoring_visit=visit
    )
    stuck = factories.FindingFactory(
        inspection=finding.inspection, reference="R12", title="Return home interviews"
    )
    plan_data.delivered_action.findings.add(stuck)
    factories.FindingJudgementFactory(
        finding=stuck,
        monitoring_visit=visit,
        progress="no_progress",
        words="Children are still not routinely offered a return home interview.",
    )
    user = request.getfixturevalue(role)
    sign_in(page, user.username)
    audit = Audit(page)

    audit.visit("Finding with judgements", finding.get_absolute_url())
    expect(page.locator("#judgements")).to_have_text("Progress judged at later visits")
    thread = reverse("improvement:golden_thread") + "?plan="
    audit.visit("Golden thread with judgements", thread)
    expect(page.locator("main")).to_contain_text(
        "All its actions are delivered, but the latest visit found no progress"
    )
    if role == "manager":
        page.goto(finding.get_absolute_url())
        page.get_by_role("link", name="Record progress judged at a later visit").click()
        audit.visit("Record a judgement", urlsplit(page.url).path)
        page.get_by_role("button", name="Record judgement").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Select the visit or review that judged this finding"
        )
        try:
            assert_accessible(page)
        except AssertionError as error:
            audit.problems.append(f"Record a judgement, refused:\n{error}")
        page.get_by_label("Visit or review that judged it").select_option(str(later.pk))
        page.get_by_label("Improved and embedded").check()
        page.get_by_label("The visit's words").fill(
            "Supervision is now regular and reflective; this is embedded."
        )
        page.get_by_role("button", name="Record judgement").click()
        expect(page.locator("#latest-judgement")).to_contain_text(
            "Improved and embedded"
        )
        audit.visit(
            "Edit a judgement",
            reverse("findings:findingjudgement_edit", args=[judgement.pk]),
        )
    audit.check()


def test_a_sign_in_with_no_role_is_told_how_to_get_one(
    page, no_group_user, browser_problems
):
    browser_problems.expect("status of 403")
    sign_in(page, no_group_user.username)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Your account does not have a role yet")
    main = page.locator("main")
    expect(main).to_contain_text("An administrator can give you a role")
    expect(main).to_contain_text("Improvement managers")
    expect(main.get_by_role("link")).to_have_count(0)
    expect(page.locator(".govuk-service-navigation nav")).to_have_count(0)
    assert_accessible(page)


def _measure_with_values(plan_data, officer):
    """A measure of the plan owned by ``officer``, with a year of values."""
    measure = factories.MeasureFactory(
        plan=plan_data.action.plan,
        owner=officer.owner,
        name="Average caseload per social worker",
    )
    measure.actions.add(plan_data.action)
    factories.MeasureTargetFactory(
        measure=measure, from_period=datetime.date(2025, 7, 1), target=Decimal("20")
    )
    for month in range(12):
        factories.MeasureValueFactory(
            measure=measure,
            period=datetime.date(2025, month + 1, 1),
            value=Decimal(24 - month // 2),
        )
    return measure


@pytest.mark.parametrize("role", ROLES)
def test_measure_pages_are_accessible(page, plan_data, request, role, officer):
    """The measures list, a measure's page and history, and the forms the
    role may use: define and edit (managers), record and correct (owner)."""
    measure = _measure_with_values(plan_data, officer)
    value = measure.values.order_by("period").last()
    target = factories.MeasureTargetFactory(measure=measure)
    user = request.getfixturevalue(role)
    audit = Audit(page)
    sign_in(page, user.username)
    audit.visit("Measures", reverse("measures:measure_list"))
    audit.visit(
        "Measures of a plan",
        f"{reverse('measures:measure_list')}?plan={measure.plan_id}",
    )
    audit.visit("Measure page", measure.get_absolute_url())
    audit.visit(
        "Measure page as known on a date",
        f"{measure.get_absolute_url()}?as_at=2025-06-30",
    )
    audit.visit(
        "Measure page with a date in the future",
        f"{measure.get_absolute_url()}?as_at=2999-01-01",
    )
    audit.visit(
        "Dashboard with measures",
        f"{reverse('improvement:dashboard')}?plan={measure.plan_id}",
    )
    audit.visit(
        "Measure history", reverse("measures:measure_history", args=[measure.pk])
    )
    if role != "board":
        audit.visit(
            "Record a value", reverse("measures:measure_record", args=[measure.pk])
        )
        audit.visit(
            "Correct a value",
            reverse("measures:measurevalue_correct", args=[value.pk]),
        )
        # A correction with no reason: the error summary and the field's message.
        page.get_by_label("Value", exact=True).fill("19")
        page.get_by_role("button", name="Save correction").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Say why the value is being corrected"
        )
        assert_accessible(page)
        audit.visit(
            "Delete a value",
            reverse("measures:measurevalue_delete", args=[value.pk]),
        )
        page.get_by_role("button", name="Delete", exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Say why it is being deleted"
        )
        assert_accessible(page)
    if role == "manager":
        audit.visit(
            "Add a measure",
            f"{reverse('measures:measure_create')}?plan={measure.plan_id}",
        )
        audit.visit("Edit measure", reverse("measures:measure_edit", args=[measure.pk]))
        audit.visit(
            "Set a target from a period",
            reverse("measures:measure_target", args=[measure.pk]),
        )
        audit.visit(
            "Delete a target step",
            reverse("measures:measuretarget_delete", args=[target.pk]),
        )
        audit.visit(
            "Upload values",
            f"{reverse('measures:measurevalue_upload')}?plan={measure.plan_id}",
        )
        # A checked file with problems: the error summary linking to each
        # row's problem, and the preview of what each row would do.
        paste = page.get_by_label("Or paste the CSV text")
        paste.fill(
            "Measure,Period,Value\n"
            f"{measure.name},{value.period:%Y-%m},{value.value + 1}\n"
            "Not a measure,Octember 2025,lots\n"
        )
        page.get_by_role("button", name="Check the values").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Row 3, measure")
        assert_accessible(page)
        # A checked file that corrects a value: the confirmation asks why.
        page.get_by_label("Or paste the CSV text").fill(
            f"Measure,Period,Value\n{measure.name},{value.period:%Y-%m},"
            f"{value.value + 1}\n"
        )
        page.get_by_role("button", name="Check the values").click()
        expect(page.get_by_label("Why the values are being corrected")).to_be_visible()
        assert_accessible(page)
    audit.check()


@pytest.mark.parametrize("role", ROLES)
def test_audit_pages_are_accessible(page, plan_data, request, role, officer):
    """The audits with their grade mix, an audit, a practice week and their
    histories, and the forms the role may use: record and moderate audits
    (officers and managers), set up practice weeks (managers)."""
    plan = plan_data.plan
    week = factories.PracticeWeekFactory(plan=plan)
    for n, (grade, moderated) in enumerate(
        [("good", "requires_improvement"), ("inadequate", ""), ("outstanding", "")]
    ):
        record = factories.AuditFactory(
            plan=plan,
            practice_week=week if n else None,
            auditor=officer.owner,
            grade=grade,
            moderated_grade=moderated,
            team=f"Assessment team {n + 1}",
        )
    record.actions.add(plan_data.action)
    user = request.getfixturevalue(role)
    audit = Audit(page)
    sign_in(page, user.username)
    audit.visit("Audits", f"{reverse('audits:audit_list')}?plan={plan.pk}")
    audit.visit("Audit page", record.get_absolute_url())
    audit.visit("Audit history", reverse("audits:audit_history", args=[record.pk]))
    audit.visit(
        "Practice weeks", f"{reverse('audits:practiceweek_list')}?plan={plan.pk}"
    )
    audit.visit("Practice week page", week.get_absolute_url())
    audit.visit(
        "Practice week history",
        reverse("audits:practiceweek_history", args=[week.pk]),
    )
    if role != "board":
        audit.visit(
            "Record an audit",
            f"{reverse('audits:audit_create')}?plan={plan.pk}&practice_week={week.pk}",
        )
        # A name where the case reference goes: the summary and the message.
        page.get_by_label("Case reference").fill("Jane Smith")
        page.get_by_role("button", name="Record audit").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("not a name")
        assert_accessible(page)
        audit.visit("Edit an audit", reverse("audits:audit_edit", args=[record.pk]))
    if role == "manager":
        audit.visit(
            "Set up a practice week",
            f"{reverse('audits:practiceweek_create')}?plan={plan.pk}",
        )
        audit.visit(
            "Edit a practice week",
            reverse("audits:practiceweek_edit", args=[week.pk]),
        )
    audit.check()


@pytest.mark.parametrize("role", ROLES)
def test_meeting_pages_are_accessible(page, plan_data, request, role, officer):
    """Meetings, a meeting with its agenda, decisions, questions and actions
    arising, answers owed, actions arising and their histories, and the forms
    the role may use: update an action arising and choose reminders
    (officers and managers), record a meeting and its record (managers)."""
    arising = factories.ActionArisingFactory(
        owner=officer.owner, agenda_item__meeting__plans=[plan_data.plan]
    )
    item = arising.agenda_item
    meeting = item.meeting
    factories.DecisionFactory(agenda_item=item)
    question = factories.QuestionFactory(agenda_item=item)
    factories.QuestionFactory(
        agenda_item=item,
        answer="A written response was sent.",
        answered_on=meeting.date,
    )
    user = request.getfixturevalue(role)
    audit = Audit(page)
    sign_in(page, user.username)
    audit.visit("Meetings", reverse("meetings:meeting_list"))
    audit.visit("Meeting page", meeting.get_absolute_url())
    audit.visit(
        "Meeting history", reverse("meetings:meeting_history", args=[meeting.pk])
    )
    audit.visit("Answers owed", reverse("meetings:question_list"))
    audit.visit("Actions arising", reverse("meetings:actionarising_list"))
    audit.visit("Action arising", arising.get_absolute_url())
    audit.visit(
        "Action arising history",
        reverse("meetings:actionarising_history", args=[arising.pk]),
    )
    if role != "board":
        audit.visit("Your reminders", reverse("meetings:reminder_choice"))
    if role == "officer":
        audit.visit(
            "Update an action arising",
            reverse("meetings:actionarising_update", args=[arising.pk]),
        )
    if role == "manager":
        audit.visit("Record a meeting", reverse("meetings:meeting_create"))
        page.get_by_role("button", name="Record meeting").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Select the body")
        assert_accessible(page)
        audit.visit("Add a body", reverse("meetings:body_create"))
        audit.visit("Edit meeting", reverse("meetings:meeting_edit", args=[meeting.pk]))
        for name, label in [
            ("meeting_additem", "Add an agenda item"),
            ("meeting_adddecision", "Record a decision"),
            ("meeting_addquestion", "Record a question"),
            ("meeting_addaction", "Record an action arising"),
        ]:
            audit.visit(label, reverse(f"meetings:{name}", args=[meeting.pk]))
        audit.visit(
            "Answer a question", reverse("meetings:question_answer", args=[question.pk])
        )
        audit.visit(
            "Edit an action arising",
            reverse("meetings:actionarising_edit", args=[arising.pk]),
        )
    audit.check()


def test_a_manager_sets_up_two_factor_sign_in_and_signs_in_with_a_code(
    page, plan_data, manager
):
    """The set-up, recovery-code and code pages, as a manager meets them:
    sent to set up on signing in, typing the shown key into an app (here:
    computing its code from the key), then giving a code at the next sign-in.
    """
    page.goto("/sign-in/?next=/dashboard/")
    page.get_by_label("Username", exact=True).fill(manager.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up two-factor sign-in"
    )
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)

    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator(".app-secret-key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)

    page.wait_for_timeout(1500)  # a wrong code makes the next wait a second
    page.get_by_label("Code", exact=True).fill(f"{TOTP(secret).token():06d}")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("button", name="Sign out").click()
    page.goto("/sign-in/?next=/dashboard/")
    page.get_by_label("Username", exact=True).fill(manager.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=manager)
    page.get_by_label("Code", exact=True).fill(authenticator_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
