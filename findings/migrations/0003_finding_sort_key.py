"""Findings sort by reference read naturally: R9 before R10.

Adds ``Finding.sort_key`` (``improvement.kernel.ordering.natural_key`` of the
reference, kept up to date on every save), fills it for the findings already
recorded, and lists findings by it. History is untouched: the key only
repeats the reference, so it is not part of a finding's history.
"""

from django.db import migrations, models

import improvement.kernel.ordering


def fill_sort_keys(apps, schema_editor):
    """One UPDATE per distinct reference: quick even for thousands of rows."""
    Finding = apps.get_model("findings", "Finding")
    references = Finding.objects.order_by().values_list("reference", flat=True)
    for reference in references.distinct():
        Finding.objects.filter(reference=reference).update(
            sort_key=improvement.kernel.ordering.natural_key(reference)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0002_longer_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="sort_key",
            field=improvement.kernel.ordering.NaturalSortKeyField(),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="finding",
            options={
                "ordering": ["sort_key", "pk"],
                "verbose_name": "finding",
                "verbose_name_plural": "findings",
            },
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["sort_key"], name="finding_sort_idx"),
        ),
    ]
