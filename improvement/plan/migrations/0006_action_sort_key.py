"""Actions sort by reference read naturally: 2.9 before 2.10.

Adds ``Action.sort_key`` (``improvement.kernel.ordering.natural_key`` of the
reference, kept up to date on every save), fills it for the actions already
recorded, lists actions by plan, priority and it, and indexes it under each
priority. History is untouched: the key only repeats the reference, so it is not
part of an action's history.
"""

from django.db import migrations, models

import improvement.kernel.ordering


def fill_sort_keys(apps, schema_editor):
    """One UPDATE per distinct reference: quick even for thousands of rows."""
    Action = apps.get_model("improvement", "Action")
    references = Action.objects.order_by().values_list("reference", flat=True)
    for reference in references.distinct():
        Action.objects.filter(reference=reference).update(
            sort_key=improvement.kernel.ordering.natural_key(reference)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0005_action_rag_not_assessed"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="sort_key",
            field=improvement.kernel.ordering.NaturalSortKeyField(),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="action",
            options={
                "ordering": ["plan", "priority__number", "sort_key", "pk"],
                "verbose_name": "action",
                "verbose_name_plural": "actions",
            },
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["priority", "sort_key"], name="action_priority_sort_idx"
            ),
        ),
    ]
