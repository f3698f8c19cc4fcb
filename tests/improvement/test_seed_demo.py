"""``seed_demo``: the demo council's data, its year of history, and the sign-ins."""

import base64
import datetime
import itertools
import re
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max, Min
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from findings.models import Finding, FindingJudgement, Theme
from improvement.audits import grade_mix
from improvement.audits.models import Audit, PracticeWeek
from improvement.board.thread import golden_thread
from improvement.kernel.permissions import BOARD_MEMBERS, IMPROVEMENT_MANAGERS, OFFICERS
from improvement.measures.models import Measure
from improvement.meetings.models import ActionArising, Decision, Meeting, Question
from improvement.meetings.reminders import reminded_since_update
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from visits.models import Grade, Inspection, Judgement, MonitoringVisit

pytestmark = pytest.mark.django_db

PASSWORD = "a-demo-password-for-tests"
DEMO_USERNAMES = ("admin", "manager", "officer", "board")
HISTORY_MODELS = (
    Inspection,
    Judgement,
    MonitoringVisit,
    Theme,
    Finding,
    Owner,
    Plan,
    Priority,
    Action,
    ProgressUpdate,
)
TEN_MONTHS = 300  # days
ONE_DAY = datetime.timedelta(days=1)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows in every table of ours and auth, including history and link tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ("visits", "findings", "improvement", "auth")
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module; returns what the command printed.

    It is loaded inside a transaction that is rolled back after the module's
    last test. Each test runs in its own savepoint within it, so a test that
    changes data (or runs the command again) leaves nothing behind.
    """
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        patch.setenv("DEMO_PASSWORD", PASSWORD)
        yield run_seed()
        transaction.set_rollback(True)


@pytest.fixture
def demo_password(seeded, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    return PASSWORD


# Running it again -----------------------------------------------------------


def test_the_first_run_builds_the_demo(seeded):
    assert "Built the demo for Northmoor Borough Council" in seeded
    assert "48 actions" in seeded


def test_running_again_leaves_the_same_rows(demo_password):
    before = row_counts()
    output = run_seed()

    assert row_counts() == before
    assert "already present" in output
    assert before["improvement.Action"] >= 40
    assert before["improvement.HistoricalAction"] > before["improvement.Action"]
    assert before["improvement.HistoricalAction_findings"] > 0
    assert Plan.objects.filter(name="Children's services improvement plan").count() == 1
    assert Inspection.objects.count() == 1


def test_running_again_relinks_the_officer_if_the_link_was_removed(demo_password):
    owner = Owner.objects.get(user__username="officer")
    owner.user = None
    owner.save()

    run_seed()

    owner.refresh_from_db()
    assert owner.user.username == "officer"


# The shape of the data ------------------------------------------------------


def test_one_ilacs_inspection_judged_inadequate_about_fourteen_months_ago(seeded):
    inspection = Inspection.objects.get()
    today = timezone.localdate()

    assert inspection.framework == Inspection.Framework.ILACS
    assert inspection.overall_judgement == Grade.INADEQUATE
    assert 395 <= (today - inspection.start_date).days <= 460
    grades = dict(inspection.judgements.values_list("area", "grade"))
    assert len(grades) >= 5
    assert grades["Overall effectiveness"] == Grade.INADEQUATE
    assert (
        grades[
            "The impact of leaders on social work practice with children and families"
        ]
        == Grade.INADEQUATE
    )


def test_visits_and_reviews_follow_the_inspection(seeded):
    inspection = Inspection.objects.get()
    visits = MonitoringVisit.objects.filter(inspection=inspection)
    kinds = Counter(visits.values_list("kind", flat=True))

    assert kinds[MonitoringVisit.Kind.OFSTED_MONITORING] >= 2
    assert kinds[MonitoringVisit.Kind.DFE_REVIEW] >= 1
    assert kinds[MonitoringVisit.Kind.PEER_REVIEW] >= 1
    assert all(v.start_date > inspection.end_date for v in visits)
    assert all(v.start_date < timezone.localdate() for v in visits)


def test_findings_of_every_kind_with_themes(seeded):
    findings = Finding.objects.all()
    inspection_refs = set(
        findings.filter(inspection__isnull=False).values_list("reference", flat=True)
    )

    assert findings.count() >= 25
    assert set(findings.values_list("kind", flat=True)) == set(Finding.Kind.values)
    assert {f"R{n}" for n in range(1, 10)} <= inspection_refs
    assert findings.filter(monitoring_visit__isnull=False).count() >= 10
    assert not findings.filter(themes__isnull=True).exists()
    assert Theme.objects.filter(findings__isnull=False).distinct().count() >= 8


def test_plan_with_priorities_actions_and_role_owners(seeded):
    plan = Plan.objects.get()
    actions = Action.objects.filter(plan=plan)

    assert list(plan.inspections.all()) == [Inspection.objects.get()]
    assert set(plan.visits.all()) == set(MonitoringVisit.objects.all())
    assert plan.status == Plan.Status.ACTIVE
    assert 5 <= plan.priorities.count() <= 7
    assert actions.count() >= 40
    assert not actions.exclude(priority__plan=plan).exists()
    assert Owner.objects.count() >= 15
    assert Owner.objects.exclude(organisation="").count() >= 2
    assert Owner.objects.filter(name="Director of Children's Services").exists()


def test_most_actions_answer_findings_but_some_do_not(seeded):
    orphans = Action.objects.orphans()
    unanswered = Finding.objects.unanswered()

    assert 2 <= orphans.count() <= 5
    assert 2 <= unanswered.count() <= 5
    assert not unanswered.filter(kind=Finding.Kind.STRENGTH).exists()
    # Strengths need no action, and none is answered in the demo.
    assert not Finding.objects.filter(
        kind=Finding.Kind.STRENGTH, actions__isnull=False
    ).exists()


def test_derived_signals_all_show_something(seeded):
    assert Action.objects.overdue().count() >= 3
    assert Action.objects.slipped().count() >= 3
    assert Action.objects.stale().count() >= 3
    statuses = set(Action.objects.values_list("status", flat=True))
    assert set(Action.Status.values) <= statuses
    assert set(Action.objects.open().values_list("rag", flat=True)) == set(
        Action.Rag.values
    )
    assert (
        Action.objects.filter(impact__in=Action.IMPACTS_NEEDING_EVIDENCE)
        .exclude(impact_evidence="")
        .exists()
    )
    assert (
        not Action.objects.filter(status__in=Action.STATUSES_NEEDING_REASON)
        .filter(status_reason="")
        .exists()
    )


# A year of history ------------------------------------------------------------


def test_progress_updates_span_ten_months_and_end_recently(seeded):
    today = timezone.localdate()
    span = ProgressUpdate.objects.aggregate(
        first=Min("update_date"), last=Max("update_date")
    )

    assert (span["last"] - span["first"]).days >= TEN_MONTHS
    assert today - datetime.timedelta(days=30) <= span["last"] < today
    assert not ProgressUpdate.objects.filter(author__isnull=True).exists()
    assert not ProgressUpdate.objects.filter(update_date__gte=today).exists()


def test_every_history_row_has_a_user_and_a_past_date(seeded):
    now = timezone.now()
    for model in HISTORY_MODELS:
        rows = model.history.all()
        assert rows.exists(), model
        assert not rows.filter(history_user__isnull=True).exists(), model
        assert not rows.filter(history_date__gt=now).exists(), model


def test_action_history_spans_ten_months(seeded):
    span = Action.history.aggregate(first=Min("history_date"), last=Max("history_date"))
    users = set(Action.history.values_list("history_user__username", flat=True))

    assert (span["last"] - span["first"]).days >= TEN_MONTHS
    assert {"manager", "officer"} <= users


def test_history_rows_of_each_object_are_in_date_order(seeded):
    for model in HISTORY_MODELS:
        rows = model.history.order_by("id", "history_id").values_list(
            "id", "history_date"
        )
        for _, object_rows in itertools.groupby(rows, key=lambda row: row[0]):
            dates = [date for _, date in object_rows]
            assert dates == sorted(dates), model
            assert len(set(dates)) == len(dates), model


def test_created_at_matches_the_first_history_row(seeded):
    for action in Action.objects.all():
        first = action.history.earliest("history_date")
        assert action.created_at == first.history_date


def test_due_date_moves_carry_a_reason_and_never_touch_the_original(seeded):
    moves = 0
    for action in Action.objects.all():
        rows = list(
            Action.history.filter(id=action.pk)
            .order_by("history_id")
            .values("due_date", "original_due_date", "history_change_reason")
        )
        assert rows[0]["due_date"] == action.original_due_date
        assert {row["original_due_date"] for row in rows} == {action.original_due_date}
        for before, after in itertools.pairwise(rows):
            if after["due_date"] != before["due_date"]:
                moves += 1
                assert after["history_change_reason"], action.reference
                assert after["due_date"] > before["due_date"]
    assert moves >= Action.objects.slipped().count() + 1  # one slipped twice


def test_links_to_findings_are_dated_after_the_finding_was_recorded(seeded):
    recorded = dict(Finding.objects.values_list("pk", "created_at"))
    action_added = dict(Action.objects.values_list("pk", "created_at"))
    previous = {}
    linked_later = set()
    for row in Action.history.order_by("history_id"):
        links = {link.finding_id for link in row.findings.all()}
        for finding_id in links:
            assert row.history_date >= recorded[finding_id], row.reference
        added_links = links - previous.get(row.id, set())
        if added_links and row.history_date - action_added[row.id] > ONE_DAY:
            linked_later.add(row.id)
        previous[row.id] = links
    # Findings raised by later visits were linked to existing actions later.
    assert len(linked_later) >= 3


# Sign-ins -----------------------------------------------------------------------


def test_demo_users_and_their_roles(seeded):
    users = {u.username: u for u in get_user_model().objects.all()}

    admin = users["admin"]
    assert admin.is_superuser and admin.is_staff
    assert list(users["manager"].groups.values_list("name", flat=True)) == [
        IMPROVEMENT_MANAGERS
    ]
    assert list(users["officer"].groups.values_list("name", flat=True)) == [OFFICERS]
    assert list(users["board"].groups.values_list("name", flat=True)) == [BOARD_MEMBERS]
    for username in ("manager", "officer", "board"):
        assert not users[username].is_staff
        assert not users[username].is_superuser
    for username in DEMO_USERNAMES:
        assert users[username].is_active
        assert users[username].get_full_name()


def test_the_officer_owns_actions_including_overdue_and_stale_ones(seeded):
    officer = get_user_model().objects.get(username="officer")
    mine = Action.objects.for_user(officer)

    assert officer.owner.name == "Head of Service, Safeguarding"
    assert officer.owner.led_actions.count() >= 3
    assert officer.owner.supported_actions.exists()
    assert mine.overdue().exists()
    assert mine.stale().exists()
    assert ProgressUpdate.objects.filter(author=officer).exists()


def test_demo_password_from_the_environment_is_used_and_not_printed(seeded):
    for username in DEMO_USERNAMES:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(PASSWORD)
    assert PASSWORD not in seeded
    for username in DEMO_USERNAMES:
        assert username in seeded


def test_random_password_is_printed_and_reset_on_every_run(seeded, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    printed = []
    for _ in range(2):
        output = run_seed()
        match = re.search(r"Password for all four: (\S+)", output)
        assert match, output
        printed.append(match.group(1))
        for username in DEMO_USERNAMES:
            user = get_user_model().objects.get(username=username)
            assert user.check_password(printed[-1])

    assert printed[0] != printed[1]
    assert len(printed[0]) >= 12


def test_the_demo_manager_and_admin_sign_in_with_a_printed_key_or_code(seeded, client):
    # The printed key, typed into an app, gives codes the site accepts; so
    # does each printed recovery code, once. Officers and board members
    # have no second factor (their role does not need one).
    key = re.search(r"authenticator app \(time-based\):\n  ([A-Z2-7 ]+)\n", seeded)
    letters = key.group(1).replace(" ", "")
    secret = base64.b32decode(letters + "=" * (-len(letters) % 8))
    code = f"{TOTP(secret).token():06d}"
    recovery = dict(
        re.findall(r"^  (admin|manager) +((?:[a-z2-7]{8} ?){10})$", seeded, re.M)
    )
    assert set(recovery) == {"admin", "manager"}

    for username in ("manager", "admin"):
        user = get_user_model().objects.get(username=username)
        client.post("/sign-in/", {"username": username, "password": PASSWORD})
        given = client.post(reverse("two_factor_verify"), {"code": code})
        assert given.status_code == 302, username
        client.post(reverse("logout"))
        client.post("/sign-in/", {"username": username, "password": PASSWORD})
        first = recovery[username].split()[0]
        assert (
            client.post(reverse("two_factor_verify"), {"code": first}).status_code
            == 302
        )
        client.post(reverse("logout"))
        assert user.totpdevice_set.count() == 1
    for username in ("officer", "board"):
        assert (
            not get_user_model().objects.get(username=username).totpdevice_set.exists()
        )


def test_a_year_of_meetings_with_their_record_and_reminders(seeded):
    # Monthly boards (the next still to come) and quarterly scrutiny, each
    # past one with a decision, a question and an action arising; answers
    # owed from recent meetings; reminders before each past board, some
    # followed by an update and some not.
    today = timezone.localdate()
    boards = Meeting.objects.filter(body__is_board=True).order_by("date")
    assert boards.count() == 13
    assert [m.date > today for m in boards].count(True) == 1
    gaps = {(b.date - a.date).days for a, b in itertools.pairwise(boards)}
    assert gaps <= set(range(27, 37))
    assert Meeting.objects.filter(body__is_board=False).count() == 4
    past = Meeting.objects.filter(date__lt=today)
    for meeting in past:
        items = meeting.agenda_items.all()
        assert Decision.objects.filter(agenda_item__in=items).count() == 1
        assert ActionArising.objects.filter(agenda_item__in=items).count() == 1
    assert Question.objects.owed().exists()
    assert Question.objects.exclude(answer="").exists()
    assert ActionArising.objects.open().exists()
    assert ActionArising.objects.exclude(pk__in=ActionArising.objects.open()).exists()
    for meeting in boards.filter(date__lt=today):
        reminders = meeting.reminders.all()
        assert reminders.exists()
        assert all(r.sent_on < meeting.date for r in reminders)
    reminded = list(Action.objects.filter(reminders__isnull=False).distinct())
    counts = reminded_since_update(reminded)
    not_updated = [a for a in reminded if counts.get(a.pk)]
    assert 0 < len(not_updated) < len(reminded)
    # Every meeting record has its history, by the manager, dated in the past.
    for model in (Meeting, Decision, Question, ActionArising):
        rows = model.history.all()
        assert rows.exists()
        assert {row.history_user.username for row in rows} == {"manager"}


def test_the_monitoring_visits_judge_earlier_findings(seeded):
    judged = {
        (j.finding.reference, j.monitoring_visit.sequence): j.progress
        for j in FindingJudgement.objects.select_related("finding", "monitoring_visit")
    }
    assert judged[("R4", 1)] == "improved_not_embedded"
    assert judged[("R9", 2)] == "no_progress"
    assert judged[("R8", 1)] == "not_yet_tested"
    thread = golden_thread(Plan.objects.get())
    flagged = [item.finding.reference for item in thread.delivered_without_progress]
    assert flagged == ["R9"]


def test_a_year_of_audits_across_teams_getting_better(seeded):
    audits = Audit.objects.filter(plan=Plan.objects.get())
    assert audits.values("team").distinct().count() == 6
    assert audits.exclude(moderated_grade="").count() >= 10
    # Moderation took some grades down and some up.
    assert audits.filter(grade=Grade.GOOD, moderated_grade=Grade.REQUIRES_IMPROVEMENT)
    assert audits.filter(grade=Grade.REQUIRES_IMPROVEMENT, moderated_grade=Grade.GOOD)
    months = grade_mix.by_month(audits.filter(practice_week=None))
    assert len(months) == 12
    first, last = months[:3], months[-3:]
    assert sum(m.good_after for m in last) > 3 * sum(m.good_after for m in first)
    # The officer recorded the audits they carried out.
    officer = get_user_model().objects.get(username="officer")
    recorded_by = {row.history_user for row in Audit.history.filter(history_type="+")}
    assert officer in recorded_by
    assert len(recorded_by) >= 2


def test_the_share_graded_good_or_better_is_worked_out_from_the_audits(seeded):
    plan = Plan.objects.get()
    measure = Measure.objects.get(plan=plan, worked_out_from__startswith="audits")
    values = list(measure.values.order_by("period"))
    assert len(values) >= 12
    for value in values:
        next_month = (value.period + datetime.timedelta(days=32)).replace(day=1)
        audits = Audit.objects.filter(
            plan=plan, audit_date__gte=value.period, audit_date__lt=next_month
        )
        assert value.value == grade_mix.overall(audits).share_after
        # Recorded when the audits were, not when the demo was built.
        first = value.history.earliest("history_date")
        assert first.history_date.date() <= next_month + datetime.timedelta(days=40)
        assert first.history_date < timezone.now() - datetime.timedelta(days=1)


def test_three_practice_weeks_with_their_dip_samples(seeded):
    weeks = list(PracticeWeek.objects.order_by("start_date"))
    assert [w.practice_issue for w in weeks] == [
        "Visits to children",
        "Chronologies",
        "Capturing the voice of the child",
    ]
    for week in weeks:
        sample = week.audits.all()
        assert sample.count() >= 5
        assert all(audit.audit_date > week.end_date for audit in sample)
    assert weeks[-1].outcome == ""  # still being audited
