"""Helpers shared by the test modules: the one place to look for them.

Test modules import helpers from here (and factories from ``tests.factories``),
never from one another.
"""

import csv
import datetime
import io
import re
import signal
import time
import zoneinfo
from contextlib import contextmanager

import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import dateformat

from findings.models import Finding
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from visits.models import Grade, Inspection, MonitoringVisit

#: Every page ``benchmark`` times, in its order. Written out here, not read
#: from the command, so that a page dropped or renamed there fails a test.
BENCHMARK_PAGES = [
    "Floor: 50 actions",
    "Dashboard",
    "Dashboard (as at)",
    "As at (register)",
    "Trend",
    "What changed (30 days)",
    "Golden thread",
    "Drift",
    "Recent changes",
    "Actions register",
    "Action page",
    "Findings register",
    "Measures",
    "Measure page (as at)",
    "Audits",
    "Board pack",
    "Board pack (as at)",
    "Board pack PDF (kept)",
    "Actions CSV",
    "Actions XLSX",
    "Findings CSV",
    "Findings XLSX",
    "Changes CSV",
    "Changes XLSX",
    "Measure values XLSX",
    "Audits XLSX",
]

#: A SharePoint address of 300 characters with no spaces, as people paste
#: them: after the folder, one long name of letters, digits and escapes that
#: offers no place to break a line. Typed into free text by the layout and
#: reflow tests.
_ADDRESS = (
    "https://northmoor.sharepoint.com/sites/ChildrensImprovement/Shared%20Documents/"
    + "Supervision%20audit%20Q3%202026%20" * 10
)[:296]
LONG_LINK = re.sub(r"%[0-9A-F]?$", "", _ADDRESS).ljust(296, "x") + ".pdf"

# In the browser: the markup of a page's <main> without per-session values
# (CSRF tokens) and with every digit as 0, so that pages differing only in ids
# and times match.
MAIN_MARKUP_JS = """() => {
  const main = document.querySelector('main');
  if (!main) return null;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(i => i.remove());
  return copy.outerHTML.replace(/[0-9]/g, '0');
}"""

_BENCHMARK_ROW = re.compile(
    r"^(?P<label>.+?)\s+(?P<median>\d+\.\d)\s+(?P<p95>\d+\.\d)\s+(?P<q>\d+)"
    r"\s+(?P<ratio>\d+\.\d|-)\s+(?P<built>\d+\.\d)\s+(?P<built_q>\d+)"
    r"\s+(?P<built_ratio>\d+\.\d|-)$"
)


def benchmark_rows(output):
    """The rows of ``benchmark``'s table by page: ``median``, ``p95``, ``q``
    and ``ratio`` (the median over the floor page's), then ``built``,
    ``built_q`` and ``built_ratio``: the same with nothing kept."""
    rows = {}
    for line in output.splitlines():
        match = _BENCHMARK_ROW.match(line)
        if match:
            rows[match["label"].strip()] = match
    return rows


# Who may use each page of the site, by URL name. ``test_url_permissions``
# checks that every named URL is in exactly one of these; the fuzz suite and
# the reflow check read them to know which pages each role may open.
PUBLIC = {
    "health",
    # The accessibility statement and the privacy notice.
    "accessibility",
    "privacy",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# A person's own account pages: every signed-in person, whatever their role
# (board members and people with no role included), may read and post them.
OWN_ACCOUNT = {
    "account",
    "password_change",
    "two_factor",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_remove",
    "recovery_codes",
    "recovery_codes_download",
}
# Pages every signed-in role may read. They accept GET and HEAD only.
READ = {
    "home",
    # Each record's paginated history, read like its page.
    "improvement:action_history",
    "improvement:plan_history",
    "improvement:priority_history",
    "improvement:owner_history",
    "findings:finding_history",
    "findings:theme_history",
    "visits:inspection_history",
    "visits:monitoringvisit_history",
    "improvement:action_list",
    "improvement:my_actions",
    "improvement:action_detail",
    "improvement:plan_list",
    "improvement:plan_detail",
    "improvement:priority_detail",
    "improvement:owner_list",
    "improvement:owner_detail",
    "improvement:change_list",
    "improvement:dashboard",
    "improvement:as_at",
    "improvement:trend",
    "improvement:changes_since",
    "improvement:drift",
    "improvement:golden_thread",
    "improvement:board_pack",
    "improvement:board_pack_pdf",
    "improvement:document_detail",
    "improvement:document_download",
    "improvement:action_export_csv",
    "improvement:action_export_xlsx",
    "improvement:finding_export_csv",
    "improvement:finding_export_xlsx",
    "improvement:change_export_csv",
    "improvement:change_export_xlsx",
    "improvement:change_list_csv",
    "improvement:change_list_xlsx",
    "findings:finding_list",
    "findings:finding_detail",
    "findings:theme_list",
    "findings:theme_detail",
    "visits:inspection_list",
    "visits:inspection_detail",
    "visits:monitoringvisit_detail",
    "measures:measure_list",
    "measures:measure_detail",
    "measures:measure_history",
    "measures:measurevalue_export_csv",
    "measures:measurevalue_export_xlsx",
    "audits:audit_list",
    "audits:audit_export_csv",
    "audits:audit_export_xlsx",
    "audits:audit_detail",
    "audits:audit_history",
    "audits:practiceweek_list",
    "audits:practiceweek_detail",
    "audits:practiceweek_history",
    "meetings:meeting_list",
    "meetings:meeting_detail",
    "meetings:meeting_history",
    "meetings:question_list",
    "meetings:actionarising_list",
    "meetings:actionarising_detail",
    "meetings:actionarising_history",
}
# Everyone may read these pages; only some may post to them.
READ_AND_LINK = {"improvement:action_findings"}
# Officers on the actions they lead or support; improvement managers on any.
OFFICER_OWN = {
    "improvement:action_progress",
    # The measure's owner records and corrects its values; managers any.
    "measures:measure_record",
    "measures:measurevalue_correct",
    "measures:measurevalue_delete",
    # The owner of an action arising records its progress; managers any.
    "meetings:actionarising_update",
}
# Officers and improvement managers, on any record of the kind.
OFFICERS_AND_MANAGERS = {
    # Record a case-file audit, and edit or moderate one.
    "audits:audit_create",
    "audits:audit_edit",
    # Choose how often to be reminded.
    "meetings:reminder_choice",
}
MANAGERS_ONLY = {
    "improvement:action_create",
    "improvement:action_edit",
    "improvement:plan_create",
    "improvement:plan_edit",
    "improvement:priority_create",
    "improvement:priority_edit",
    "improvement:owner_create",
    "improvement:owner_edit",
    "findings:finding_create",
    "findings:finding_edit",
    "findings:finding_actions",
    # Record and edit how a later visit judged a finding's progress.
    "findings:finding_progress",
    "findings:findingjudgement_edit",
    "findings:theme_create",
    "findings:theme_edit",
    "visits:inspection_create",
    "visits:inspection_edit",
    "visits:monitoringvisit_create",
    "visits:monitoringvisit_edit",
    "measures:measure_create",
    "measures:measure_edit",
    "measures:measure_target",
    "measures:measuretarget_delete",
    # Many measures' values at once, from a CSV file.
    "measures:measurevalue_upload",
    "audits:practiceweek_create",
    "audits:practiceweek_edit",
    # Import a plan from the council's tracker: upload, columns, check.
    "imports:plan_import",
    "imports:importfile_columns",
    "imports:importfile_check",
    # Import an inspection's or a visit's findings from a list.
    "imports:inspection_importfindings",
    "imports:monitoringvisit_importfindings",
    # Record meetings and their record: agenda, decisions, questions and
    # answers, actions arising.
    "meetings:meeting_create",
    "meetings:meeting_edit",
    "meetings:body_create",
    "meetings:meeting_additem",
    "meetings:meeting_adddecision",
    "meetings:meeting_addquestion",
    "meetings:meeting_addaction",
    "meetings:question_answer",
    "meetings:actionarising_edit",
}
POST_ONLY = {"logout", "improvement:meeting_issuepack"}


def named_patterns(patterns=None, namespace=None):
    """(URL name, pattern) of every named URL of the site but Django admin's."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from named_patterns(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry


def pattern_url(name, pattern, objects):
    """The URL of ``name``, naming the record of its kind in ``objects``."""
    if "uidb64" in pattern.pattern.converters:
        # A password reset link that names no account: the page says so.
        return reverse(name, kwargs={"uidb64": "MA", "token": "no-such-token"})
    if "pk" not in pattern.pattern.converters:
        return reverse(name)
    model = name.split(":")[1].rsplit("_", 1)[0]
    return reverse(name, args=[objects[model].pk])


def all_urls(objects):
    """(URL name, URL) of every named URL, naming the records in ``objects``."""
    return [
        (name, pattern_url(name, pattern, objects))
        for name, pattern in named_patterns()
    ]


def expected_get(role, name):
    """The status codes a GET of page ``name`` may answer ``role`` with."""
    # Two-factor pages with nothing to do send the person on: asking for a
    # code once it is given, and recovery codes when there is no app (the
    # manager and admin have one: their role needs it).
    if name == "two_factor_verify":
        return {302}
    if name in ("recovery_codes", "recovery_codes_download"):
        return {200} if role in ("manager", "admin") else {302}
    if name in READ | READ_AND_LINK | PUBLIC | OWN_ACCOUNT:
        return {302} if name == "home" else {200}
    if name in POST_ONLY:
        return {405}
    if name in OFFICER_OWN | OFFICERS_AND_MANAGERS:
        return {403} if role == "board" else {200}
    if name in MANAGERS_ONLY:
        return {200} if role in ("manager", "admin") else {403}
    raise AssertionError(name)


def long_date(day):
    """A date as the site writes it in full: "5 March 2026"."""
    return dateformat.format(day, "j F Y")


# ---------------------------------------------------------------------------
# The POST bodies of the site's forms
# ---------------------------------------------------------------------------


def finding_data(finding=None, **overrides):
    """The POST body of the finding form, from a finding or sensible defaults."""
    if finding is not None:
        data = {
            "version": finding.version,
            "inspection": finding.inspection_id or "",
            "monitoring_visit": finding.monitoring_visit_id or "",
            "kind": finding.kind,
            "reference": finding.reference,
            "title": finding.title,
            "text": finding.text,
            "themes": [t.pk for t in finding.themes.all()],
            "priority": finding.priority,
        }
    else:
        data = {
            "inspection": "",
            "monitoring_visit": "",
            "kind": Finding.Kind.RECOMMENDATION,
            "reference": "R9",
            "title": "Improve the quality of supervision",
            "text": "Leaders should make sure supervision is regular and reflective.",
            "priority": Finding.Priority.HIGH,
        }
    data.update(overrides)
    return data


def success_message(response):
    """The messages shown after a request (the success message among them)."""
    return [str(m) for m in response.context["messages"]]


def plan_form_data(plan=None, **overrides):
    """The POST body of the plan form, from ``plan`` or for a new plan."""
    data = {
        "name": plan.name if plan else "SEND written statement of action",
        "description": plan.description if plan else "",
        "inspections": [i.pk for i in plan.inspections.all()] if plan else [],
        "visits": [v.pk for v in plan.visits.all()] if plan else [],
        "status": plan.status if plan else "active",
        "start_date_0": str(plan.start_date.day) if plan else "1",
        "start_date_1": str(plan.start_date.month) if plan else "4",
        "start_date_2": str(plan.start_date.year) if plan else "2026",
        "end_date_0": "",
        "end_date_1": "",
        "end_date_2": "",
    }
    if plan is not None:
        data["version"] = plan.version
    data.update(overrides)
    return data


def date_parts(name, value):
    """A date as the three boxes of the GOV.UK date input send it."""
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def visit_data(visit=None, **overrides):
    """The POST body of the visit form."""
    if visit is not None:
        data = {
            "version": visit.version,
            "kind": visit.kind,
            "sequence": visit.sequence,
            "inspection": visit.inspection_id or "",
            **date_parts("start_date", visit.start_date),
            **date_parts("end_date", visit.end_date),
            "inspectors": visit.inspectors,
            "areas_covered": visit.areas_covered,
            **date_parts("letter_date", visit.letter_date),
            "letter_url": visit.letter_url,
            "summary": visit.summary,
        }
    else:
        data = {
            "kind": MonitoringVisit.Kind.OFSTED_MONITORING,
            "sequence": "2",
            "inspection": "",
            **date_parts("start_date", datetime.date(2026, 5, 12)),
            **date_parts("end_date", datetime.date(2026, 5, 13)),
            "inspectors": "Two of His Majesty's Inspectors",
            "areas_covered": "Children in need and subject to a child protection plan",
            **date_parts("letter_date", datetime.date(2026, 6, 10)),
            "letter_url": "files.ofsted.gov.uk/letter.pdf",
            "summary": "",
        }
    data.update(overrides)
    return data


#: The prefix of the inspection form's judgement rows.
JUDGEMENTS_PREFIX = "judgements"


def judgement_rows(rows, initial=0):
    """Formset fields for ``rows``: dicts of id, version, area, grade, DELETE."""
    data = {
        f"{JUDGEMENTS_PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{JUDGEMENTS_PREFIX}-INITIAL_FORMS": str(initial),
        f"{JUDGEMENTS_PREFIX}-MIN_NUM_FORMS": "0",
        f"{JUDGEMENTS_PREFIX}-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{JUDGEMENTS_PREFIX}-{index}-{key}"] = value
    return data


def existing_rows(inspection):
    """The inspection's judgement rows as the form sends them back."""
    return [
        {
            "id": j.pk,
            "version": j.version,
            "area": j.area,
            "grade": j.grade,
        }
        for j in inspection.judgements.all()
    ]


def inspection_data(inspection=None, rows=None, **overrides):
    """The POST body of the inspection form with its judgement rows."""
    if inspection is not None:
        data = {
            "version": inspection.version,
            "title": inspection.title,
            "framework": inspection.framework,
            "inspectorate": inspection.inspectorate,
            **date_parts("start_date", inspection.start_date),
            **date_parts("end_date", inspection.end_date),
            **date_parts("published_date", inspection.published_date),
            "report_url": inspection.report_url,
            "overall_judgement": inspection.overall_judgement,
            "summary": inspection.summary,
        }
        current = existing_rows(inspection)
        data.update(judgement_rows(current + (rows or []), initial=len(current)))
    else:
        data = {
            "title": "ILACS inspection 2026",
            "framework": Inspection.Framework.ILACS,
            "inspectorate": "Ofsted",
            **date_parts("start_date", datetime.date(2026, 1, 12)),
            **date_parts("end_date", datetime.date(2026, 1, 23)),
            **date_parts("published_date", datetime.date(2026, 3, 2)),
            "report_url": "",
            "overall_judgement": Grade.INADEQUATE,
            "summary": "",
        }
        data.update(judgement_rows(rows or []))
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------
# Times, and plans with a history, for the board's figures
# ---------------------------------------------------------------------------


LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=12, minute=0):
    """An aware time in Europe/London."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def travel(when):
    """Stop the clock at ``when`` for the ``with`` block."""
    return time_machine.travel(when, tick=False)


def move_due_date(action, new_due, reason="Waiting for the new service"):
    action.due_date = new_due
    action._change_reason = reason
    action.save()


class HandBuiltPlan:
    """Six actions on 15 June 2026, with every signal the board looks at.

    ====  ========  ===========  =====  =========  =========  ===============
    Ref   Priority  Status       RAG    Due        Findings   Last update
    ====  ========  ===========  =====  =========  =========  ===============
    1.1   1         delivered    green  31 Mar     F1         —
    1.2   1         in progress  red    30 Jun *   F2         1 June
    1.3   1         paused       amber  1 May      F4         1 April
    2.1   2         in progress  amber  31 May     —          10 June
    2.2   2         not started  green  10 Jul     F1         —
    2.3   2         withdrawn    red    1 Feb      —          —
    ====  ========  ===========  =====  =========  =========  ===============

    * 1.2 was first due on 30 April: it has slipped 61 days.

    Findings the plan must answer: F1, F2, F3 (the inspection's) and F4 (a
    visit's). The strength S1 and F5 (another inspection's) do not count.
    """

    def __init__(self):
        with travel(at(2026, 1, 10)):
            inspection = InspectionFactory()
            visit = MonitoringVisitFactory(inspection=inspection)
            self.inspection = inspection
            self.plan = PlanFactory(
                inspections=[inspection],
                visits=[visit],
                start_date=datetime.date(2026, 1, 1),
            )
            self.p1 = PriorityFactory(plan=self.plan, number=1, title="Leadership")
            self.p2 = PriorityFactory(plan=self.plan, number=2, title="Practice")
            f = {
                ref: FindingFactory(inspection=inspection, reference=ref)
                for ref in ("F1", "F2", "F3")
            }
            f["F4"] = FindingFactory(
                inspection=None, monitoring_visit=visit, reference="F4"
            )
            FindingFactory(
                inspection=inspection, reference="S1", kind=Finding.Kind.STRENGTH
            )
            FindingFactory(reference="F5")  # another inspection's
            self.findings = f

            def make(priority, reference, due, findings=(), **fields):
                action = ActionFactory(
                    plan=self.plan,
                    priority=priority,
                    reference=reference,
                    original_due_date=due,
                    **fields,
                )
                if findings:
                    action.findings.add(*(f[ref] for ref in findings))
                return action

            d = datetime.date
            self.a11 = make(
                self.p1, "1.1", d(2026, 3, 31), ["F1"], status="delivered", rag="green"
            )
            self.a12 = make(self.p1, "1.2", d(2026, 4, 30), ["F2"], rag="red")
            self.a13 = make(
                self.p1,
                "1.3",
                d(2026, 5, 1),
                ["F4"],
                status="paused",
                status_reason="Waiting for funding",
                rag="amber",
            )
            self.a21 = make(self.p2, "2.1", d(2026, 5, 31), rag="amber")
            self.a22 = make(self.p2, "2.2", d(2026, 7, 10), ["F1"], rag="green")
            self.a23 = make(
                self.p2,
                "2.3",
                d(2026, 2, 1),
                status="withdrawn",
                status_reason="Replaced by 2.1",
                rag="red",
            )
        for action in (self.a12, self.a21):
            action.status = Action.Status.IN_PROGRESS
        with travel(at(2026, 3, 1)):
            self.a12.save()
            self.a21.save()
            move_due_date(self.a12, d(2026, 6, 30))
        with travel(at(2026, 4, 1)):
            ProgressUpdateFactory(action=self.a13, update_date=d(2026, 4, 1))
        with travel(at(2026, 6, 1)):
            ProgressUpdateFactory(action=self.a12, update_date=d(2026, 6, 1))
        with travel(at(2026, 6, 10)):
            ProgressUpdateFactory(action=self.a21, update_date=d(2026, 6, 10))


def plan_with_history(size):
    """A plan of ``size`` actions, each with links, changes and updates.

    Every action is added in January 2026, linked to a finding, started in
    February (with a progress update) and turned amber in March.
    """
    author = UserFactory()
    with acting_as(author), travel(at(2026, 1, 5)):
        plan = PlanFactory(start_date=datetime.date(2026, 1, 1))
        priorities = [PriorityFactory(plan=plan, number=n) for n in (1, 2, 3)]
        findings = [FindingFactory() for _ in range(3)]
        owners = [OwnerFactory() for _ in range(5)]
        actions = []
        for i in range(size):
            action = ActionFactory(
                plan=plan,
                priority=priorities[i % 3],
                reference=f"{i % 3 + 1}.{i}",
                lead_owner=owners[i % 5],
            )
            action.findings.add(findings[i % 3])
            actions.append(action)
    with acting_as(author), travel(at(2026, 2, 10)):
        for action in actions:
            action.status = Action.Status.IN_PROGRESS
            action.save()
            ProgressUpdateFactory(
                action=action, author=author, update_date=datetime.date(2026, 2, 10)
            )
    with acting_as(author), travel(at(2026, 3, 10)):
        for action in actions[::2]:
            action.rag = Action.Rag.AMBER
            action.save()
    return plan


# ---------------------------------------------------------------------------
# Prepared documents: the database queue and its worker
# ---------------------------------------------------------------------------


#: Jobs wait in the database until a worker runs them (the default backend runs
#: them at once).
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@contextmanager
def _signal_handlers_kept():
    """db_worker installs its own SIGINT/SIGTERM handlers; put ours back."""
    names = ("SIGINT", "SIGTERM", "SIGQUIT")
    saved = {
        n: signal.getsignal(getattr(signal, n)) for n in names if hasattr(signal, n)
    }
    try:
        yield
    finally:
        for name, handler in saved.items():
            signal.signal(getattr(signal, name), handler)


def run_worker():
    """``manage.py db_worker --batch``: run every queued job, then stop."""
    with _signal_handlers_kept():
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            stdout=io.StringIO(),
        )


def body(response):
    """The whole content of a streamed response."""
    return b"".join(response.streaming_content)


def assert_not_cached(response):
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]


# ---------------------------------------------------------------------------
# Two-factor sign-in with real codes
# ---------------------------------------------------------------------------


def authenticator(user):
    """The person's authenticator app (a confirmed TOTP device), set up now
    if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )


def authenticator_code(device):
    """The code the person's app shows now, computed from the device's secret
    as the app does. A code is accepted once: if this 30-second step's code
    has been used, the next step's is given, or, when the server would not
    take that one yet, the next step's code once it comes.

    The server looks for the code within ``tolerance`` steps of its own step
    plus the drift it has recorded for the app; the code is chosen on the
    same scale (``TOTP.t()`` already adds the drift, so it is not used here).
    """
    from django_otp.oath import hotp

    device.refresh_from_db()
    for _wait in range(2):
        now = (int(time.time()) - device.t0) // device.step
        # An app whose clock the server has seen run ahead shows later codes.
        step = max(now, device.last_t + 1, now + device.drift - device.tolerance)
        if step <= now + device.drift + device.tolerance:
            break
        # Not taken yet (the next code is already used): wait for the next step.
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def latest_changes_shown(client, record):
    """The text of the latest changes on ``record``'s page, and how many
    queries the page ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.find("table", attrs={"aria-labelledby": "history"})
    return table.get_text(" ", strip=True), len(queries)


def sign_in_as(client, user):
    """Sign ``client`` in as ``user``; someone who must use two-factor sign-in
    (or has it) also gives a real code from their app, as they would."""
    from improvement.accounts.two_factor import required_for

    client.force_login(user)
    if required_for(user) or user.totpdevice_set.filter(confirmed=True).exists():
        code = authenticator_code(authenticator(user))
        response = client.post(reverse("two_factor_verify"), {"code": code})
        assert response.status_code == 302, f"{user} could not give a code"
    return client


def csv_rows(response):
    """A CSV download's rows (header first), streamed or not, without the BOM."""
    body = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
