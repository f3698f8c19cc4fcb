"""A plan says which inspections, visits and reviews it answers (its sources).

Its findings to answer are exactly theirs (``Finding.objects.for_plan``): the
dashboard, the golden thread, what changed and the findings register's plan
filter all follow them. A plan that names none answers none, and says so.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings.models import Finding
from improvement.board import states
from improvement.board.figures import board_figures
from improvement.board.thread import golden_thread
from improvement.kernel.history import acting_as, object_timeline
from improvement.plan.models import Plan
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    PlanFactory,
    PriorityFactory,
)
from tests.form_data import form_data
from tests.helpers import plan_form_data, sign_in_as, visit_data
from visits.models import MonitoringVisit

pytestmark = pytest.mark.django_db

NO_SOURCES = "This plan does not yet say which inspections or reviews it answers"


def _from(source, reference, **fields):
    if isinstance(source, MonitoringVisit):
        return FindingFactory(
            inspection=None, monitoring_visit=source, reference=reference, **fields
        )
    return FindingFactory(inspection=source, reference=reference, **fields)


@pytest.fixture
def sources(db):
    """A plan answering an inspection and a peer review not tied to it.

    ======  =================================  ==========================
    Ref     Raised by                          Answered by the plan
    ======  =================================  ==========================
    R1      the ILACS inspection (a source)    action 1.1
    R2      the ILACS inspection               nothing
    S1      the ILACS inspection (strength)    needs nothing
    PR-1    the peer review (a source)         action 1.2
    PR-2    the peer review                    nothing
    J1      another inspection (not a source)  action 1.1
    J2      another inspection                 nothing
    MV1-1   a visit after the other inspection nothing
    ======  =================================  ==========================
    """
    inspection = InspectionFactory(
        title="ILACS inspection 2021",
        start_date=datetime.date(2021, 10, 25),
        end_date=datetime.date(2021, 11, 5),
        published_date=datetime.date(2021, 12, 10),
    )
    review = MonitoringVisitFactory(
        kind=MonitoringVisit.Kind.PEER_REVIEW,
        sequence=1,
        inspection=None,
        start_date=datetime.date(2026, 2, 3),
        end_date=datetime.date(2026, 2, 5),
    )
    other = InspectionFactory(title="JTAI 2025")
    plan = PlanFactory(
        name="Children's services improvement plan",
        start_date=datetime.date(2021, 12, 1),
        inspections=[inspection],
        visits=[review],
    )
    f = {
        "R1": _from(inspection, "R1"),
        "R2": _from(inspection, "R2"),
        "S1": _from(inspection, "S1", kind=Finding.Kind.STRENGTH),
        "PR-1": _from(review, "PR-1"),
        "PR-2": _from(review, "PR-2"),
        "J1": _from(other, "J1"),
        "J2": _from(other, "J2"),
        "MV1-1": _from(MonitoringVisitFactory(inspection=other), "MV1-1"),
    }
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, reference="1.1").findings.add(f["R1"], f["J1"])
    ActionFactory(priority=priority, reference="1.2").findings.add(f["PR-1"])
    return {
        "plan": plan,
        "inspection": inspection,
        "review": review,
        "other": other,
        "findings": f,
    }


def _refs(findings):
    return sorted(f.reference for f in findings)


# The one rule -----------------------------------------------------------------


def test_the_plans_findings_are_its_sources_and_none_from_elsewhere(sources):
    assert _refs(Finding.objects.for_plan(sources["plan"])) == [
        "PR-1",
        "PR-2",
        "R1",
        "R2",
        "S1",
    ]
    assert _refs(Finding.objects.for_plan(sources["plan"].pk)) == _refs(
        Finding.objects.for_plan(sources["plan"])
    )


def test_a_plan_that_names_no_source_answers_nothing(sources):
    plan = PlanFactory(name="Service plan")
    assert not Finding.objects.for_plan(plan).exists()
    assert states.findings_to_answer(plan) == []
    assert golden_thread(plan=plan).findings == []
    assert not Plan.objects.with_has_sources().get(pk=plan.pk).has_sources
    assert Plan.objects.with_has_sources().get(pk=sources["plan"].pk).has_sources


def test_a_plan_with_only_a_visit_has_sources(db):
    plan = PlanFactory(visits=[MonitoringVisitFactory()])
    assert Plan.objects.with_has_sources().get(pk=plan.pk).has_sources


def test_findings_to_answer_and_the_unanswered_follow_the_sources(sources):
    plan = sources["plan"]
    figures = board_figures(plan)
    summary = figures.summary
    assert [f.reference for f in summary.findings_to_answer] == [
        "PR-1",
        "PR-2",
        "R1",
        "R2",
    ]
    assert [f.reference for f in summary.unanswered_findings] == ["PR-2", "R2"]


def test_the_golden_thread_follows_the_sources(sources):
    thread = golden_thread(plan=sources["plan"])
    assert [s.source for s in thread.sources] == [
        sources["inspection"],
        sources["review"],
    ]
    assert _refs(item.finding for item in thread.findings) == [
        "PR-1",
        "PR-2",
        "R1",
        "R2",
        "S1",
    ]
    assert (thread.summary.findings, thread.summary.not_answered) == (4, 2)


def test_what_changed_lists_only_the_sources_new_findings(sources):
    from improvement.board.what_changed import changes_between

    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    report = changes_between(sources["plan"], start, end)
    assert sorted(item.reference for item in report.findings_added) == [
        "PR-1",
        "PR-2",
        "R1",
        "R2",
        "S1",
    ]


# The pages --------------------------------------------------------------------


def test_the_dashboard_counts_the_sources_findings(client_as_board, sources):
    response = client_as_board.get(
        reverse("improvement:dashboard"), {"plan": sources["plan"].pk}
    )
    summary = response.context["summary"]
    assert len(summary.findings_to_answer) == 4
    assert [f.reference for f in summary.unanswered_findings] == ["PR-2", "R2"]
    assert NO_SOURCES not in response.text


def test_the_pages_say_when_a_plan_names_no_source(client_as_manager, sources):
    plan = PlanFactory(name="Service plan", start_date=datetime.date(2026, 1, 1))
    for url in (
        plan.get_absolute_url(),
        reverse("improvement:dashboard") + f"?plan={plan.pk}",
        reverse("improvement:golden_thread") + f"?plan={plan.pk}",
    ):
        response = client_as_manager.get(url)
        assert response.status_code == 200
        assert NO_SOURCES in response.text, url
        assert reverse("improvement:plan_edit", args=[plan.pk]) in response.text
    cache.clear()  # read the summary the dashboard builds
    dashboard = client_as_manager.get(
        reverse("improvement:dashboard"), {"plan": plan.pk}
    )
    assert dashboard.context["summary"].findings_to_answer == []


def test_the_plan_page_lists_its_sources(client_as_board, sources):
    response = client_as_board.get(sources["plan"].get_absolute_url())
    text = response.text
    assert "ILACS inspection 2021" in text
    assert sources["inspection"].get_absolute_url() in text
    assert "Peer review 1 (February 2026)" in text
    assert sources["review"].get_absolute_url() in text
    assert "JTAI 2025" not in text
    assert f"{reverse('findings:finding_list')}?plan={sources['plan'].pk}" in text
    assert NO_SOURCES not in text


def test_the_plan_list_says_what_each_plan_answers(client_as_board, sources):
    PlanFactory(name="Service plan")
    text = client_as_board.get(reverse("improvement:plan_list")).text
    assert "Answers ILACS inspection 2021 and 1 visit or review" in text
    assert "Does not yet say what it answers" in text


def test_the_findings_register_filters_by_the_plans_sources(client_as_board, sources):
    plan = sources["plan"]
    response = client_as_board.get(reverse("findings:finding_list"), {"plan": plan.pk})
    assert _refs(response.context["object_list"]) == [
        "PR-1",
        "PR-2",
        "R1",
        "R2",
        "S1",
    ]
    assert "Findings a plan answers" in response.text
    unanswered = client_as_board.get(
        reverse("findings:finding_list"),
        {"plan": plan.pk, "answered": "unanswered"},
    )
    assert _refs(unanswered.context["object_list"]) == ["PR-2", "R2"]
    export = client_as_board.get(
        reverse("improvement:finding_export_csv"), {"plan": plan.pk}
    )
    text = export.content.decode()
    assert "PR-2" in text and "J1" not in text


def test_the_registers_plan_filter_refuses_an_unknown_plan(client_as_board, sources):
    response = client_as_board.get(reverse("findings:finding_list"), {"plan": "99999"})
    assert response.status_code == 200
    assert "plan" in response.context["filter_form"].errors


def test_the_register_with_a_plan_runs_a_fixed_number_of_queries(
    client_as_board, sources
):
    """Guards against N+1 on the findings register filtered by plan."""
    url = reverse("findings:finding_list") + f"?plan={sources['plan'].pk}"
    with CaptureQueriesContext(connection) as few:
        client_as_board.get(url)
    for n in range(6):
        _from(sources["inspection"], f"R{n + 10}")
        _from(sources["review"], f"PR-{n + 10}")
    with CaptureQueriesContext(connection) as many:
        response = client_as_board.get(url)
    assert len(response.context["object_list"]) == 17
    assert (len(few), len(many)) == (11, 11)  # pinned: a fixed extra one fails too


# Editing the sources, and their history ---------------------------------------


def test_the_manager_chooses_the_sources_on_the_plan_form(
    client_as_manager, manager, sources
):
    plan = sources["plan"]
    url = reverse("improvement:plan_edit", args=[plan.pk])
    page = client_as_manager.get(url)
    assert "Inspections this plan answers" in page.text
    assert "Visits and reviews this plan answers" in page.text
    assert "(March 2026), following JTAI 2025" in page.text
    assert "Peer review 1 (February 2026)<" in page.text

    response = client_as_manager.post(
        url,
        plan_form_data(
            plan,
            inspections=[sources["inspection"].pk, sources["other"].pk],
            visits=[],
        ),
    )

    assert response.status_code == 302
    assert set(plan.inspections.all()) == {sources["inspection"], sources["other"]}
    assert not plan.visits.exists()
    assert "J2" in _refs(Finding.objects.for_plan(plan))
    assert "PR-1" not in _refs(Finding.objects.for_plan(plan))
    records = list(plan.history.all()[:2])
    assert {r.history_user for r in records} == {manager}


def test_history_shows_sources_added_and_removed(client_as_manager, manager, sources):
    plan = sources["plan"]
    url = reverse("improvement:plan_edit", args=[plan.pk])
    client_as_manager.post(
        url, plan_form_data(plan, inspections=[sources["other"].pk], visits=[])
    )

    # One save records each link added or removed, as the manager's change.
    edits = [e for e in object_timeline(plan) if e.user_name == manager.get_full_name()]
    added, removed = {}, {}
    for entry in edits:
        for change in entry.changes:
            added.setdefault(change.label, []).extend(change.added)
            removed.setdefault(change.label, []).extend(change.removed)
    assert added == {
        "Inspections it answers": ["JTAI 2025"],
        "Visits and reviews it answers": [],
    }
    assert removed == {
        "Inspections it answers": ["ILACS inspection 2021"],
        "Visits and reviews it answers": ["Peer review 1 (February 2026)"],
    }

    page = client_as_manager.get(plan.get_absolute_url()).text
    assert "Inspections it answers" in page
    assert "Peer review 1 (February 2026)" in page  # removed, in the history


def test_adding_a_source_on_its_own_is_saved_and_recorded(
    client_as_manager, manager, sources
):
    plan = sources["plan"]
    url = reverse("improvement:plan_edit", args=[plan.pk])
    extra = MonitoringVisitFactory(
        kind=MonitoringVisit.Kind.AUDIT, sequence=1, inspection=None
    )
    response = client_as_manager.post(
        url, plan_form_data(plan, visits=[sources["review"].pk, extra.pk])
    )
    assert response.status_code == 302
    assert set(plan.visits.all()) == {sources["review"], extra}
    latest = object_timeline(plan)[0]
    assert latest.user_name == manager.get_full_name()
    assert latest.changes[0].added == [str(extra)]


def test_two_managers_changing_the_sources_do_not_overwrite_each_other(
    client_as_manager, sources
):
    plan = sources["plan"]
    url = reverse("improvement:plan_edit", args=[plan.pk])
    opened = form_data(client_as_manager.get(url), visits=[])
    plan.visits.add(MonitoringVisitFactory(inspection=None, sequence=5))
    response = client_as_manager.post(url, opened)
    assert response.status_code == 409
    assert plan.visits.count() == 2


def test_the_admin_edits_the_sources_with_history(admin_user, sources):
    plan = sources["plan"]
    client = Client()
    sign_in_as(client, admin_user)
    url = reverse("admin:improvement_plan_change", args=[plan.pk])
    opened = client.get(url)
    assert opened.status_code == 200
    response = client.post(
        url,
        form_data(opened, inspections=[sources["inspection"].pk, sources["other"].pk]),
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        response.context["inline_admin_formsets"][0].formset.errors,
    )
    assert set(plan.inspections.all()) == {sources["inspection"], sources["other"]}
    record = plan.history.first()
    assert record.history_user == admin_user
    assert {link.inspection_id for link in record.inspections.all()} == {
        sources["inspection"].pk,
        sources["other"].pk,
    }


# A visit that follows an inspection the plan answers --------------------------


def test_a_new_visit_after_the_plans_inspection_joins_the_plan(manager, sources):
    plan = sources["plan"]
    with acting_as(manager):
        visit = MonitoringVisitFactory(inspection=sources["inspection"], sequence=3)
    assert visit in plan.visits.all()
    record = plan.history.first()
    assert record.history_user == manager
    assert "which this plan answers" in record.history_change_reason
    finding = _from(visit, "MV3-1")
    assert finding in Finding.objects.for_plan(plan)


def test_a_visit_after_another_inspection_does_not_join(sources):
    visit = MonitoringVisitFactory(inspection=sources["other"], sequence=4)
    assert visit not in sources["plan"].visits.all()


def test_a_visit_moved_to_the_plans_inspection_joins_it(client_as_manager, sources):
    plan = sources["plan"]
    visit = MonitoringVisitFactory(inspection=None, sequence=7)
    assert visit not in plan.visits.all()
    response = client_as_manager.post(
        reverse("visits:monitoringvisit_edit", args=[visit.pk]),
        visit_data(visit, inspection=sources["inspection"].pk),
    )
    assert response.status_code == 302
    assert visit in plan.visits.all()


def test_a_visit_taken_off_a_plan_stays_off_when_edited(sources):
    plan = sources["plan"]
    visit = MonitoringVisitFactory(inspection=sources["inspection"], sequence=8)
    plan.visits.remove(visit)
    visit.summary = "Letter published"
    visit.save()
    assert visit not in plan.visits.all()


# The data migration -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_plans_findings_and_history():
    """A plan's inspection, and that inspection's visits, become its sources;
    its history rows get the links their inspection implied."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [("improvement", "0003_history_indexes")]
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        inspection_model = apps.get_model("visits", "Inspection")
        visit_model = apps.get_model("visits", "MonitoringVisit")
        plan_model = apps.get_model("improvement", "Plan")
        history_model = apps.get_model("improvement", "HistoricalPlan")
        day = datetime.date(2026, 1, 1)
        old, new = (
            inspection_model.objects.create(title=title, start_date=day, end_date=day)
            for title in ("ILACS 2019", "ILACS 2025")
        )
        visit = visit_model.objects.create(
            kind="ofsted_monitoring",
            sequence=1,
            inspection=new,
            start_date=day,
            end_date=day,
        )
        plan = plan_model.objects.create(name="Plan", start_date=day, inspection=new)
        bare = plan_model.objects.create(name="No inspection", start_date=day)
        now = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
        for n, inspection_id in enumerate((old.pk, new.pk)):
            history_model.objects.create(
                id=plan.pk,
                name="Plan",
                start_date=day,
                status="active",
                version=n + 1,
                inspection_id=inspection_id,
                history_date=now + datetime.timedelta(hours=n),
                history_type="+" if n == 0 else "~",
            )

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)

        migrated = Plan.objects.get(pk=plan.pk)
        assert [i.pk for i in migrated.inspections.all()] == [new.pk]
        assert [v.pk for v in migrated.visits.all()] == [visit.pk]
        assert not Plan.objects.get(pk=bare.pk).inspections.exists()
        timeline = object_timeline(migrated)
        changes = {c.label: c for c in timeline[0].changes}
        assert changes["Inspections it answers"].added == ["ILACS 2025"]
        assert changes["Inspections it answers"].removed == ["ILACS 2019"]
        assert changes["Visits and reviews it answers"].added == [
            "Ofsted monitoring visit 1 (January 2026)"
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
