"""An action has no RAG until someone assesses it.

The RAG of actions (and the RAG a progress update reports) may now be blank,
which reads "Not assessed", and a new action starts blank instead of Green.
Existing values, and every history row, are left exactly as they are: an
action recorded Green stays Green.
"""

from django.db import migrations, models

RAG_CHOICES = [
    ("", "Not assessed"),
    ("green", "Green"),
    ("amber", "Amber"),
    ("red", "Red"),
]


def action_rag():
    return models.CharField(
        blank=True, choices=RAG_CHOICES, default="", max_length=10, verbose_name="RAG"
    )


def reported_rag():
    return models.CharField(
        blank=True, choices=RAG_CHOICES, max_length=10, verbose_name="RAG reported"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0004_plan_sources"),
    ]

    operations = [
        migrations.AlterField(model_name="action", name="rag", field=action_rag()),
        migrations.AlterField(
            model_name="historicalaction", name="rag", field=action_rag()
        ),
        migrations.AlterField(
            model_name="progressupdate", name="rag", field=reported_rag()
        ),
        migrations.AlterField(
            model_name="historicalprogressupdate", name="rag", field=reported_rag()
        ),
    ]
