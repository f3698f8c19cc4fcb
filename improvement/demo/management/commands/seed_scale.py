"""``python manage.py seed_scale``: the reference large dataset for performance work.

What it builds, and how, is described in ``improvement.demo.scale``.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from findings.models import Finding
from improvement.demo.scale import (
    ScaleBuilder,
    clear_scale_data,
    foreign_data,
    is_history,
)
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate


class Command(BaseCommand):
    help = (
        "Build the reference large dataset for performance work (20 plans, 5,000 "
        "actions, 1,500 findings, 300 owners, 50,000 progress updates, about "
        "500,000 history rows), replacing any earlier scale data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--plans", type=int, default=20, help="How many plans (default 20)."
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size of each plan and of the owner pool, as a factor of the "
            "reference (default 1; 0.04 gives ten actions a plan).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (default 1)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Build even if the database holds plans or inspections other "
            "than the demo's and earlier scale data.",
        )

    def handle(self, *args, plans, scale, seed, force, **options):
        if plans < 1:
            raise CommandError("--plans must be 1 or more.")
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        other = foreign_data()
        if other and not force:
            raise CommandError(
                f"This database holds other data ({other}). Scale data is for "
                "performance work on a database of its own; use --force to add "
                "it anyway."
            )
        started = time.perf_counter()
        with transaction.atomic():
            removed = clear_scale_data()
            if removed:
                self.stdout.write(
                    f"  removed {removed:,} rows of earlier scale data: "
                    f"{time.perf_counter() - started:.1f} s"
                )
            builder = ScaleBuilder(
                plans=plans,
                scale=scale,
                seed=seed,
                today=timezone.localdate(),
                stdout=self.stdout,
            )
            counts = builder.build()
            committing = time.perf_counter()
        builder.report("commit", committing)
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather soon after a bulk load.
            analysing = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            builder.report("analyse", analysing)
        elapsed = time.perf_counter() - started
        self.summarise(counts, elapsed)

    def summarise(self, counts, elapsed):
        main = [
            ("plans", Plan),
            ("priorities", Priority),
            ("actions", Action),
            ("findings", Finding),
            ("owners", Owner),
            ("progress updates", ProgressUpdate),
        ]
        history_rows = sum(n for model, n in counts.items() if is_history(model))
        records = sum(
            n
            for model, n in counts.items()
            if is_history(model) and not model.__name__.count("_")
        )
        parts = ", ".join(f"{counts.get(model, 0):,} {label}" for label, model in main)
        self.stdout.write(
            self.style.SUCCESS(
                f"Built the scale data in {elapsed:.1f} s: {parts}; "
                f"{history_rows:,} history rows ({records:,} records and "
                f"{history_rows - records:,} link snapshots)."
            )
        )
