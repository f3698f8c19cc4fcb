"""A plan says which inspections, and which visits and reviews, it answers.

Replaces ``Plan.inspection`` (one inspection, or none meaning "every finding")
with two many-to-many fields. Each plan's inspection, and every visit that
follows it, become its sources, so existing plans keep their findings. The
history is kept in step: every history row of a plan gets the link snapshot
its inspection then implies, so the timeline reads the old inspection changes
as sources removed and added, and nothing shows as changed where nothing did.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def _visit_ids_by_inspection(apps, inspection_ids):
    MonitoringVisit = apps.get_model("visits", "MonitoringVisit")
    visits = {}
    rows = MonitoringVisit.objects.filter(inspection_id__in=inspection_ids)
    for visit_id, inspection_id in rows.order_by("pk").values_list(
        "pk", "inspection_id"
    ):
        visits.setdefault(inspection_id, []).append(visit_id)
    return visits


def fill_sources(apps, schema_editor):
    """Plan.inspection (and its visits) → Plan.inspections and Plan.visits."""
    Plan = apps.get_model("improvement", "Plan")
    HistoricalPlan = apps.get_model("improvement", "HistoricalPlan")
    inspection_links = Plan.inspections.through
    visit_links = Plan.visits.through
    history_inspections = apps.get_model("improvement", "HistoricalPlan_inspections")
    history_visits = apps.get_model("improvement", "HistoricalPlan_visits")

    current = dict(
        Plan.objects.filter(inspection__isnull=False).values_list("pk", "inspection_id")
    )
    recorded = list(
        HistoricalPlan.objects.filter(inspection_id__isnull=False)
        .order_by("history_id")
        .values_list("history_id", "id", "inspection_id")
    )
    inspection_ids = set(current.values()) | {row[2] for row in recorded}
    visits = _visit_ids_by_inspection(apps, inspection_ids)

    inspection_link_ids, visit_link_ids = {}, {}
    for plan_id, inspection_id in current.items():
        link = inspection_links.objects.create(
            plan_id=plan_id, inspection_id=inspection_id
        )
        inspection_link_ids[(plan_id, inspection_id)] = link.pk
        for visit_id in visits.get(inspection_id, ()):
            link = visit_links.objects.create(
                plan_id=plan_id, monitoringvisit_id=visit_id
            )
            visit_link_ids[(plan_id, visit_id)] = link.pk

    # The links each history row implies. A link that no longer exists (the
    # plan's inspection changed since) has no link row to name: id 0.
    inspection_snapshots, visit_snapshots = [], []
    for history_id, plan_id, inspection_id in recorded:
        inspection_snapshots.append(
            history_inspections(
                history_id=history_id,
                id=inspection_link_ids.get((plan_id, inspection_id), 0),
                plan_id=plan_id,
                inspection_id=inspection_id,
            )
        )
        for visit_id in visits.get(inspection_id, ()):
            visit_snapshots.append(
                history_visits(
                    history_id=history_id,
                    id=visit_link_ids.get((plan_id, visit_id), 0),
                    plan_id=plan_id,
                    monitoringvisit_id=visit_id,
                )
            )
    history_inspections.objects.bulk_create(inspection_snapshots, batch_size=500)
    history_visits.objects.bulk_create(visit_snapshots, batch_size=500)


def restore_inspection(apps, schema_editor):
    """Back again: each plan's first inspection (by id) becomes its inspection."""
    Plan = apps.get_model("improvement", "Plan")
    HistoricalPlan = apps.get_model("improvement", "HistoricalPlan")
    history_inspections = apps.get_model("improvement", "HistoricalPlan_inspections")
    for plan in Plan.objects.all():
        first = plan.inspections.order_by("pk").first()
        if first is not None:
            Plan.objects.filter(pk=plan.pk).update(inspection_id=first.pk)
    for row in history_inspections.objects.order_by("-inspection_id"):
        HistoricalPlan.objects.filter(history_id=row.history_id).update(
            inspection_id=row.inspection_id
        )


class Migration(migrations.Migration):

    dependencies = [
        ('improvement', '0003_history_indexes'),
        ('visits', '0002_source_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='inspections',
            field=models.ManyToManyField(blank=True, related_name='plans', to='visits.inspection', verbose_name='inspections it answers'),
        ),
        migrations.AddField(
            model_name='plan',
            name='visits',
            field=models.ManyToManyField(blank=True, related_name='plans', to='visits.monitoringvisit', verbose_name='visits and reviews it answers'),
        ),
        migrations.CreateModel(
            name='HistoricalPlan_inspections',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='improvement.historicalplan')),
                ('inspection', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.inspection')),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='improvement.plan')),
            ],
            options={
                'verbose_name': 'HistoricalPlan_inspections',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPlan_visits',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='improvement.historicalplan')),
                ('monitoringvisit', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.monitoringvisit')),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='improvement.plan')),
            ],
            options={
                'verbose_name': 'HistoricalPlan_visits',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(fill_sources, restore_inspection),
        migrations.RemoveField(model_name="historicalplan", name="inspection"),
        migrations.RemoveField(model_name="plan", name="inspection"),
    ]
