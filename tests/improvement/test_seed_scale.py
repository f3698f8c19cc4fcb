"""``seed_scale``: the reference large dataset, built small for the tests.

The proportions must hold at any size, and the history written in bulk must
be the history the application would have written: every row with a user,
the latest row of each object equal to the object, link snapshots equal to
the links, and timestamps matching the history.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min
from django.utils import timezone

from findings.models import Finding
from improvement.audits import grade_mix
from improvement.audits.models import Audit, PracticeWeek
from improvement.demo import scale
from improvement.kernel.history import object_timeline, tracked_fields
from improvement.measures.models import Measure, MeasureValue
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from tests.factories import OwnerFactory, PlanFactory
from visits.models import Inspection, Judgement, MonitoringVisit

pytestmark = pytest.mark.django_db

PLANS = 2
SCALE = 0.04  # ten actions a plan
ACTIONS_PER_PLAN = 10
TRACKED = (
    Inspection,
    Judgement,
    MonitoringVisit,
    Finding,
    Owner,
    Plan,
    Priority,
    Action,
    ProgressUpdate,
    Measure,
    MeasureValue,
    PracticeWeek,
    Audit,
)


def run(**options):
    out = StringIO()
    call_command("seed_scale", plans=PLANS, scale=SCALE, stdout=out, **options)
    return out.getvalue()


def history_rows():
    """Rows in every history table of ours, link snapshots included."""
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
        and model._meta.app_label in ("visits", "findings", "improvement")
    )


@pytest.fixture
def seeded():
    return run()


def test_it_builds_the_promised_proportions(seeded):
    actions = PLANS * ACTIONS_PER_PLAN
    assert Plan.objects.count() == PLANS
    assert Priority.objects.count() == PLANS * 6
    assert set(
        Action.objects.values("plan")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    ) == {ACTIONS_PER_PLAN}
    empty = Priority.objects.annotate(n=Count("actions")).filter(n=0)
    assert not empty.exists(), "every priority holds actions"
    assert Action.objects.count() == actions
    assert ProgressUpdate.objects.count() == 10 * actions
    assert Finding.objects.count() == PLANS * 4
    assert Owner.objects.count() == 8
    # About a hundred history rows an action, counting link snapshots.
    assert 80 * actions <= history_rows() <= 120 * actions
    assert "Built the scale data in" in seeded


def test_each_plan_has_measures_with_three_years_of_values_and_audits(seeded):
    for plan in Plan.objects.all():
        measures = Measure.objects.filter(plan=plan)
        assert measures.count() == 2
        for measure in measures:
            assert measure.values.count() == scale.MEASURE_MONTHS
            assert measure.priorities.count() == 1
        audits = Audit.objects.filter(plan=plan)
        assert audits.count() == 10
        assert audits.exclude(moderated_grade="").exists()
        assert PracticeWeek.objects.filter(plan=plan).count() == 4
    # Values from before a plan started were imported when it started.
    imported = MeasureValue.history.filter(history_change_reason=scale.IMPORT_REASON)
    assert imported.exists()
    assert grade_mix.overall(Audit.objects.all()).total == PLANS * 10


def test_full_size_proportions_are_the_reference_dataset():
    builder = scale.ScaleBuilder(
        plans=20, scale=1, seed=1, today=datetime.date(2026, 11, 23), stdout=None
    )
    assert builder.actions_per_plan * 20 == 5_000
    assert builder.findings_per_plan * 20 == 1_500
    assert builder.owner_count == 300
    assert scale.UPDATES_PER_ACTION * 5_000 == 50_000
    assert scale.HISTORY_ROWS_PER_ACTION * 5_000 == 500_000
    assert builder.measures_per_plan * 20 == 200
    assert builder.measures_per_plan * 20 * scale.MEASURE_MONTHS == 7_200
    assert builder.audits_per_plan * 20 == 5_000


def test_shapes_are_realistic(seeded):
    today = timezone.localdate()
    dates = Action.objects.aggregate(first=Min("start_date"), last=Max("due_date"))
    assert dates["first"] >= today - datetime.timedelta(days=800)
    assert dates["first"] <= today - datetime.timedelta(days=600)
    assert dates["last"] > today
    statuses = set(Action.objects.values_list("status", flat=True))
    assert {"in_progress", "delivered"} <= statuses
    for action in Action.objects.prefetch_related("findings"):
        assert len(action.findings.all()) <= 4
    assert ProgressUpdate.objects.filter(update_date__gte=today).count() == 0
    latest = max(
        model.history.aggregate(last=Max("history_date"))["last"] for model in TRACKED
    )
    assert latest < timezone.now()


def test_every_history_row_names_a_user(seeded):
    for model in TRACKED:
        assert not model.history.filter(history_user__isnull=True).exists(), model


def test_latest_history_row_holds_the_current_values(seeded):
    for model in TRACKED:
        fields = [*tracked_fields(model), model._meta.get_field("version")]
        history = model.history.model
        m2m_fields = getattr(history, "_history_m2m_fields", [])
        for obj in model.objects.all():
            records = model.history.filter(id=obj.pk).order_by(
                "history_date", "history_id"
            )
            first, latest = records.first(), records.last()
            assert first.history_type == "+"
            for f in fields:
                assert getattr(latest, f.attname) == getattr(obj, f.attname), (
                    model,
                    obj.pk,
                    f.name,
                )
            for m2m in m2m_fields:
                linked = set(getattr(obj, m2m.name).values_list("pk", flat=True))
                target = f"{m2m.m2m_reverse_field_name()}_id"
                snapshot = {
                    getattr(row, target) for row in getattr(latest, m2m.name).all()
                }
                assert snapshot == linked, (model, obj.pk, m2m.name)
            assert obj.created_at == first.history_date
            assert obj.updated_at == latest.history_date


def test_due_date_moves_carry_a_reason_and_keep_the_original(seeded):
    for action in Action.objects.slipped():
        records = list(
            Action.history.filter(id=action.pk).order_by("history_date", "history_id")
        )
        assert {r.original_due_date for r in records} == {action.original_due_date}
        for before, after in zip(records, records[1:], strict=False):
            if after.due_date != before.due_date:
                assert after.history_change_reason


def test_history_reads_as_a_timeline(seeded):
    action = (
        Action.objects.annotate(rows=Count("progress_updates"))
        .order_by("-rows")
        .first()
    )
    timeline = object_timeline(action)
    assert timeline[-1].kind == "created"
    assert all(entry.user_name != "Unknown user" for entry in timeline)
    assert any(entry.kind == "changed" for entry in timeline)


def test_running_again_replaces_its_own_data(seeded):
    counts = (Action.objects.count(), Finding.objects.count(), history_rows())
    output = run()
    assert "removed" in output
    assert (Action.objects.count(), Finding.objects.count(), history_rows()) == counts


def test_it_refuses_a_database_with_other_plans():
    PlanFactory(name="The council's real plan")
    with pytest.raises(CommandError, match="other data"):
        run()
    assert Action.objects.count() == 0


def test_force_adds_scale_data_beside_other_plans():
    PlanFactory(name="The council's real plan")
    run(force=True)
    assert Plan.objects.count() == PLANS + 1
    assert Plan.objects.filter(name="The council's real plan").exists()


def test_it_sits_beside_the_demo_data():
    call_command("seed_demo", stdout=StringIO())
    demo_actions = Action.objects.count()
    run()
    assert Action.objects.count() == demo_actions + PLANS * ACTIONS_PER_PLAN


def test_owner_names_already_held_are_not_taken_again():
    # The demo's owners (such as "Service Manager, Children in Care") may
    # share a name with the scale data's pool: every pool name held first.
    for role in scale.ROLES:
        for area in scale.AREAS:
            OwnerFactory(name=f"{role}, {area}", organisation="")
    held = Owner.objects.count()
    run(force=True)
    assert Owner.objects.count() > held


def test_new_rows_after_the_build_get_fresh_ids(seeded):
    """Sequences move past the ids the build handed out (PostgreSQL)."""
    plan = PlanFactory()
    assert plan.pk > Plan.objects.exclude(pk=plan.pk).aggregate(m=Max("pk"))["m"]
    action = Action.objects.first()
    action.findings.add(Finding.objects.exclude(actions=action).first())
    assert Action.history.filter(id=action.pk).count() > 1
