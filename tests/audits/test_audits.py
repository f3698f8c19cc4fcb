"""Case-file audits and practice weeks: who records them, what is refused,
the grade mix a board reads, their history, and what the pages cost."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.audits import grade_mix
from improvement.audits.models import Audit, PracticeWeek
from improvement.board.periods import day_window
from improvement.board.what_changed import changes_between
from tests.factories import (
    ActionFactory,
    AuditFactory,
    OwnerFactory,
    PlanFactory,
    PracticeWeekFactory,
)
from tests.helpers import sign_in_as, success_message
from visits.models import Grade

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
GOOD, RI, BAD, TOP = (
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
    Grade.OUTSTANDING,
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def plan():
    return PlanFactory(name="Children's services plan")


def audit_data(plan, who, **overrides):
    data = {
        "audit_date_0": "12",
        "audit_date_1": "1",
        "audit_date_2": "2026",
        "team": "Assessment team 2",
        "case_reference": "CF-104233",
        "auditor": who.pk,
        "grade": RI,
        "moderated_grade": "",
        "strengths": "The child's views are recorded and acted on.",
        "learning_points": "No management oversight recorded since October.",
    }
    data.update(overrides)
    return data


def _add_url(plan, week=None):
    url = f"{reverse('audits:audit_create')}?plan={plan.pk}"
    return f"{url}&practice_week={week.pk}" if week else url


# The grade mix --------------------------------------------------------------


def _audits(plan, *rows):
    """Audits of ``(date, team, grade, moderated grade)``."""
    for day, team, grade, moderated in rows:
        AuditFactory(
            plan=plan, audit_date=day, team=team, grade=grade, moderated_grade=moderated
        )
    return Audit.objects.filter(plan=plan)


def test_the_grade_mix_counts_before_and_after_moderation(plan):
    nov, dec = datetime.date(2025, 11, 5), datetime.date(2025, 12, 5)
    audits = _audits(
        plan,
        (nov, "Team A", GOOD, ""),
        (nov, "Team A", GOOD, RI),  # moderated down
        (nov, "Team B", RI, ""),
        (dec, "Team B", RI, GOOD),  # moderated up
        (dec, "Team B", TOP, ""),
        (dec, "Team A", BAD, ""),
    )
    months = grade_mix.by_month(audits)
    assert [(m.label, m.total, m.good_before, m.good_after) for m in months] == [
        ("November 2025", 3, 2, 1),
        ("December 2025", 3, 1, 2),
    ]
    assert (months[0].share_before, months[0].share_after) == (67, 33)
    teams = grade_mix.by_team(audits)
    assert [(t.label, t.total, t.good_after) for t in teams] == [
        ("Team A", 3, 1),
        ("Team B", 3, 2),
    ]
    everything = grade_mix.overall(audits)
    assert everything.before == {TOP: 1, GOOD: 2, RI: 2, BAD: 1}
    assert everything.after == {TOP: 1, GOOD: 2, RI: 2, BAD: 1}
    assert (everything.share_before, everything.share_after) == (50, 50)
    # The board's reading: the same whole mix added up from the months.
    with CaptureQueriesContext(connection) as queries:
        board_mix, board_months = grade_mix.for_board(audits)
    assert board_mix == everything
    assert board_months == months
    assert len(queries) == 1


def test_the_board_reads_the_latest_months_of_audits_and_the_whole_mix(plan):
    audits = _audits(
        plan,
        *(
            (datetime.date(2025, month, 5), "Team A", GOOD if month % 2 else RI, "")
            for month in range(1, 11)
        ),
    )
    mix, months = grade_mix.for_board(audits)
    assert [m.label for m in months] == [
        f"{name} 2025"
        for name in ("May", "June", "July", "August", "September", "October")
    ]
    assert (mix.total, mix.good_after, mix.share_after) == (10, 5, 50)
    assert mix == grade_mix.overall(audits)


def test_no_audits_have_no_share(plan):
    mix = grade_mix.overall(Audit.objects.filter(plan=plan))
    assert mix.total == 0
    assert mix.share_after is None


def test_the_audits_page_shows_the_mix_and_each_audit(client_as_board, plan):
    _audits(
        plan,
        (datetime.date(2025, 11, 5), "Team A", GOOD, RI),
        (datetime.date(2025, 12, 5), "Team B", GOOD, ""),
    )
    response = client_as_board.get(reverse("audits:audit_list"), {"plan": plan.pk})
    assert response.status_code == 200
    text = response.text
    assert "50% of 2 audits graded Good or better after moderation" in text
    assert "(100% at first grade)" in text
    assert "November 2025" in text and "Team B" in text
    assert "Record an audit" not in text  # board members read only


# Recording an audit ---------------------------------------------------------


def test_an_officer_records_an_audit_recorded_in_history(
    client_as_officer, officer, plan
):
    action = ActionFactory(priority__plan=plan)
    response = client_as_officer.post(
        _add_url(plan), audit_data(plan, officer.owner, actions=[])
    )
    audit = Audit.objects.get()
    assert response.status_code == 302
    assert response.url == audit.get_absolute_url()
    assert audit.plan == plan
    assert audit.history.get().history_user == officer
    page = client_as_officer.get(audit.get_absolute_url())
    assert success_message(page) == ["Audit of CF-104233 added"]
    # Then links the action it gave rise to, editing it.
    data = audit_data(plan, officer.owner, version=audit.version, actions=[action.pk])
    client_as_officer.post(reverse("audits:audit_edit", args=[audit.pk]), data)
    assert list(audit.actions.all()) == [action]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"case_reference": "Jane Smith"}, "case_reference", "not a name"),
        ({"case_reference": "Smith"}, "case_reference", "not a name"),
        ({"case_reference": ""}, "case_reference", "Enter the case reference"),
        ({"grade": "superb"}, "grade", "Select the grade from the list"),
        ({"grade": ""}, "grade", "Select the grade"),
        ({"team": ""}, "team", "Enter the team or service area"),
        (
            {"audit_date_0": "1", "audit_date_1": "2", "audit_date_2": "2026"},
            "audit_date",
            "The date of the audit must be today or in the past",
        ),
        (
            {"audit_date_0": "31", "audit_date_1": "2", "audit_date_2": "2025"},
            "audit_date",
            "must be a real date",
        ),
        ({"auditor": "999999"}, "auditor", "from the list"),
    ],
)
def test_bad_audits_are_refused_beside_the_field(
    client_as_officer, officer, plan, overrides, field, message
):
    response = client_as_officer.post(
        _add_url(plan), audit_data(plan, officer.owner, **overrides)
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "govuk-error-summary" in response.text
    assert not Audit.objects.exists()


def test_a_practice_week_of_another_plan_is_refused(client_as_officer, officer, plan):
    elsewhere = PracticeWeekFactory()
    response = client_as_officer.post(
        _add_url(plan), audit_data(plan, officer.owner, practice_week=elsewhere.pk)
    )
    assert "practice_week" in response.context["form"].errors
    assert not Audit.objects.exists()


def test_an_audit_from_a_practice_week_belongs_to_it(client_as_officer, officer, plan):
    week = PracticeWeekFactory(plan=plan)
    page = client_as_officer.get(_add_url(plan, week))
    assert page.context["form"].initial["practice_week"] == week.pk
    client_as_officer.post(
        _add_url(plan, week), audit_data(plan, officer.owner, practice_week=week.pk)
    )
    assert Audit.objects.get().practice_week == week


def test_the_form_warns_against_names(client_as_officer, plan):
    response = client_as_officer.get(_add_url(plan))
    assert "Never enter a child's or family member's name" in response.text


def test_moderation_is_recorded_and_a_stale_edit_refused(
    client_as_manager, manager, plan, second_manager
):
    audit = AuditFactory(plan=plan, grade=GOOD)
    opened = audit.version
    url = reverse("audits:audit_edit", args=[audit.pk])
    data = audit_data(
        plan,
        audit.auditor,
        version=opened,
        case_reference=audit.case_reference,
        team=audit.team,
        audit_date_0="10",
        audit_date_1="11",
        audit_date_2="2025",
        grade=GOOD,
        strengths=audit.strengths,
        learning_points=audit.learning_points,
    )
    # Someone else moderates it first.
    from improvement.kernel.history import acting_as

    with acting_as(second_manager):
        audit.moderated_grade = RI
        audit.save()
    refused = client_as_manager.post(url, {**data, "moderated_grade": GOOD})
    assert refused.status_code == 409
    audit.refresh_from_db()
    assert audit.moderated_grade == RI
    # A save that changes nothing writes nothing.
    same = {**data, "version": audit.version, "moderated_grade": RI}
    before = audit.history.count()
    client_as_manager.post(url, same)
    audit.refresh_from_db()
    assert audit.history.count() == before


def test_board_members_and_no_role_are_refused(
    client_as_board, client, no_group_user, plan
):
    assert client_as_board.get(_add_url(plan)).status_code == 403
    sign_in_as(client, no_group_user)
    assert client.get(reverse("audits:audit_list")).status_code == 403


# Practice weeks -------------------------------------------------------------


def week_data(**overrides):
    data = {
        "practice_issue": "Management oversight and supervision",
        "start_date_0": "3",
        "start_date_1": "11",
        "start_date_2": "2025",
        "end_date_0": "14",
        "end_date_1": "11",
        "end_date_2": "2025",
        "principles": "Supervision is regular and reflective.",
        "practice_leads": "Principal Social Worker",
        "guidance": "Two workshops on reflective supervision.",
        "outcome": "",
    }
    data.update(overrides)
    return data


def _week_url(plan):
    return f"{reverse('audits:practiceweek_create')}?plan={plan.pk}"


def test_a_manager_sets_up_a_practice_week(client_as_manager, manager, plan):
    response = client_as_manager.post(_week_url(plan), week_data())
    week = PracticeWeek.objects.get()
    assert response.url == week.get_absolute_url()
    assert week.plan == plan
    assert week.history.get().history_user == manager
    page = client_as_manager.get(week.get_absolute_url())
    assert "Record an audit of the dip sample" in page.text
    assert "No cases have been audited for this week yet." in page.text


def test_a_week_that_ends_before_it_starts_is_refused(client_as_manager, plan):
    response = client_as_manager.post(
        _week_url(plan), week_data(end_date_0="1", end_date_1="11")
    )
    assert "The end date must be on or after the start date" in str(
        response.context["form"].errors["end_date"]
    )
    assert not PracticeWeek.objects.exists()


def test_officers_may_not_set_up_practice_weeks(client_as_officer, plan):
    assert client_as_officer.get(_week_url(plan)).status_code == 403
    assert client_as_officer.post(_week_url(plan), week_data()).status_code == 403
    assert not PracticeWeek.objects.exists()


def test_a_week_shows_its_dip_sample(client_as_board, plan):
    week = PracticeWeekFactory(plan=plan)
    AuditFactory(plan=plan, practice_week=week, grade=GOOD, case_reference="CF-1")
    AuditFactory(plan=plan, practice_week=week, grade=BAD, case_reference="CF-2")
    page = client_as_board.get(week.get_absolute_url())
    assert "2 cases audited: 50% graded Good or better" in page.text
    listed = client_as_board.get(reverse("audits:practiceweek_list"), {"plan": plan.pk})
    assert week.practice_issue in listed.text
    assert "50%" in listed.text


def test_history_pages_list_the_changes(client_as_board, plan):
    audit = AuditFactory(plan=plan)
    for url in (
        reverse("audits:audit_history", args=[audit.pk]),
        reverse(
            "audits:practiceweek_history", args=[PracticeWeekFactory(plan=plan).pk]
        ),
    ):
        response = client_as_board.get(url)
        assert response.status_code == 200


# What the pages cost --------------------------------------------------------

#: The SQL queries each page runs, with 4 audits or with 64 (pinned).
PAGE_QUERIES = {
    "Audits": 8,
    "Audits of a plan": 9,
    "Audit page": 9,
    "Practice weeks": 6,
    "Practice week page": 9,
    "Record an audit": 9,
    "Edit an audit": 10,
}


def _grow(plan, week, count, actions=True):
    owners = [OwnerFactory() for _ in range(3)]
    for n in range(count):
        audit = AuditFactory(
            plan=plan,
            practice_week=week if n % 2 else None,
            auditor=owners[n % 3],
            team=f"Team {n % 7}",
            audit_date=datetime.date(2025, 1 + n % 12, 1 + n % 28),
            grade=[GOOD, RI, BAD, TOP][n % 4],
            moderated_grade=[GOOD, ""][n % 2],
        )
        if actions:
            audit.actions.add(ActionFactory(priority__plan=plan))
        PracticeWeekFactory(plan=plan)


def _costs(client, plan, week, audit):
    pages = {
        "Audits": reverse("audits:audit_list"),
        "Audits of a plan": f"{reverse('audits:audit_list')}?plan={plan.pk}",
        "Audit page": audit.get_absolute_url(),
        "Practice weeks": f"{reverse('audits:practiceweek_list')}?plan={plan.pk}",
        "Practice week page": week.get_absolute_url(),
        "Record an audit": _add_url(plan, week),
        "Edit an audit": reverse("audits:audit_edit", args=[audit.pk]),
    }
    costs = {}
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        costs[label] = len(captured)
    return costs


def test_audit_pages_cost_the_same_however_many_audits(client_as_manager, plan):
    week = PracticeWeekFactory(plan=plan)
    _grow(plan, week, 4)
    audit = Audit.objects.filter(practice_week=week).first()
    small = _costs(client_as_manager, plan, week, audit)
    _grow(plan, week, 60)
    assert _costs(client_as_manager, plan, week, audit) == small
    assert small == PAGE_QUERIES


# The board pack ---------------------------------------------------------------


def _at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
        tick=False,
    )


@pytest.fixture
def audited(manager):
    """Two audits of October: one Good recorded in October and moderated down
    in December; one Inadequate recorded only in December."""
    from improvement.kernel.history import acting_as

    plan = PlanFactory(start_date=datetime.date(2025, 9, 1))
    october = datetime.date(2025, 10, 20)
    with acting_as(manager):
        with _at(datetime.date(2025, 10, 21)):
            first = AuditFactory(plan=plan, audit_date=october, grade=GOOD)
        with _at(datetime.date(2025, 12, 3)):
            first.moderated_grade = RI
            first.save()
            AuditFactory(plan=plan, audit_date=october, grade=BAD)
    return plan


def _pack(client, plan, **query):
    return client.get(reverse("improvement:board_pack"), {"plan": plan.pk, **query})


def _audit_section(text):
    start = text.index('id="pack-audits"')
    return text[start : text.index('class="govuk-heading-l"', start)]


def test_the_board_pack_has_the_audits_grade_mix(client_as_board, audited):
    section = _audit_section(_pack(client_as_board, audited).text)
    assert "0% of 2 audits graded Good or better after moderation" in section
    assert "(50% at first grade)" in section
    assert "October 2025" in section


def test_the_board_pack_shows_the_latest_six_months_and_links_every_audit(
    client_as_board, manager
):
    """Audits in eight months: the pack's table has the latest six, as the
    dashboard's has, and links the audits page, which has them all."""
    from improvement.kernel.history import acting_as

    plan = PlanFactory(start_date=datetime.date(2025, 1, 1))
    with acting_as(manager):
        for month in range(1, 9):
            AuditFactory(
                plan=plan, audit_date=datetime.date(2025, month, 10), grade=GOOD
            )
    section = _audit_section(_pack(client_as_board, plan).text)
    assert "100% of 8 audits graded Good or better" in section
    assert "The last 6 months with audits:" in section
    assert "March 2025" in section and "August 2025" in section
    assert "February 2025" not in section
    audits_url = f"{reverse('audits:audit_list')}?plan={plan.pk}"
    assert f'href="{audits_url}"' in section


def test_a_pack_for_a_past_date_shows_the_audits_known_then(client_as_board, audited):
    response = _pack(client_as_board, audited, as_at="2025-11-30", since="2025-11-01")
    section = _audit_section(response.text)
    # Only the first audit was recorded, and not yet moderated.
    assert "100% of 1 audit graded Good or better after moderation" in section
    assert "as recorded by the end of 30 November 2025" in section


def _dashboard_audits(client, plan, **query):
    text = client.get(reverse("improvement:dashboard"), {"plan": plan.pk, **query}).text
    start = text.index('id="audits"')
    return text[start : text.index('class="govuk-heading-l"', start)]


def test_the_dashboard_shows_the_audits_known_on_its_date(client_as_board, audited):
    with _at(datetime.date(2026, 1, 15)):
        now = _dashboard_audits(client_as_board, audited)
        then = _dashboard_audits(client_as_board, audited, as_at="2025-11-30")
    assert "0% of 2 audits graded Good or better after moderation" in now
    assert "October 2025" in now
    assert "100% of 1 audit graded Good or better after moderation" in then
    assert "as recorded by the end of 30 November 2025" in then


def test_what_changed_lists_audits_recorded_and_moderated(client_as_board, audited):
    start, end = day_window(datetime.date(2025, 11, 1), datetime.date(2025, 12, 31))
    items = changes_between(audited, start, end).audits
    assert [(i.kind, i.old, i.new, i.team) for i in items] == [
        (
            "audit_moderated",
            "Good",
            "Requires improvement to be good",
            "Assessment team 1",
        ),
        ("audit_recorded", "", "Inadequate", "Assessment team 1"),
    ]
    october = changes_between(
        audited, *day_window(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    ).audits
    assert [(i.kind, i.new) for i in october] == [("audit_recorded", "Good")]
    with _at(datetime.date(2026, 1, 15)):
        page = client_as_board.get(
            reverse("improvement:changes_since"),
            {"plan": audited.pk, "since": "2025-11-01", "until": "2025-12-31"},
        ).text
    assert "Case-file audits recorded and moderated" in page
    assert "Moderated" in page


def test_the_pack_costs_the_same_however_many_audits(client_as_board, audited):
    def cost(**query):
        cache.clear()  # the page built, not the page kept
        with CaptureQueriesContext(connection) as captured:
            assert _pack(client_as_board, audited, **query).status_code == 200
        return len(captured)

    past = {"as_at": "2025-11-30", "since": "2025-11-01"}
    cost()  # warm up
    small = (cost(), cost(**past))
    week = PracticeWeekFactory(plan=audited)
    with _at(datetime.date(2025, 11, 5)):
        _grow(audited, week, 30, actions=False)
    assert (cost(), cost(**past)) == small


def test_a_tampered_practice_week_in_the_address_is_ignored(client_as_officer, plan):
    url = f"{reverse('audits:audit_create')}?plan={plan.pk}&practice_week={2**70}"
    response = client_as_officer.get(url)
    assert response.status_code == 200
    assert "practice_week" not in response.context["form"].initial
