"""Indexes for reading history at scale.

The board's screens rebuild a plan "as at" a date (the latest history row of
each action at or before a moment) and list a plan's changes between dates.
These composite indexes serve those lookups without scanning the history
tables. They live in SQL because the historical models are generated.
"""

from django.db import migrations

INDEXES = [
    ("improvement_historicalaction", "hist_action_id_date_idx", "id, history_date"),
    (
        "improvement_historicalaction",
        "hist_action_plan_date_idx",
        "plan_id, history_date",
    ),
    (
        "improvement_historicalprogressupdate",
        "hist_update_action_date_idx",
        "action_id, history_date",
    ),
    (
        "improvement_historicalpriority",
        "hist_priority_plan_date_idx",
        "plan_id, history_date",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_role_groups")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX {name}",
        )
        for table, name, columns in INDEXES
    ]
