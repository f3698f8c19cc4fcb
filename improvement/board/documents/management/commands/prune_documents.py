"""``python manage.py prune_documents``: forget prepared documents after a while.

Deletes documents (their rows and kept files) asked for more than ``--days``
days ago, except those still being prepared and board packs issued for a
meeting (kept as the board was given them), and any file in the documents
storage that no document names (left by a job stopped half-way) once it is
that old too. Anyone asking for a pruned document again gets a fresh one.
Run it daily, beside ``manage.py prune_db_task_results``.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from improvement.board.documents.models import (
    PREPARING_TIMEOUT,
    Document,
    document_storage,
)


class Command(BaseCommand):
    help = "Delete prepared documents and their files after a number of days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Keep documents asked for within this many days (default 7).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be deleted, and delete nothing.",
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        now = timezone.now()
        cutoff = now - datetime.timedelta(days=days)
        busy = Q(
            status=Document.Status.PREPARING,
            requested_at__gte=now - PREPARING_TIMEOUT,
        )
        documents = list(
            Document.objects.filter(requested_at__lt=cutoff)
            .exclude(busy)
            .exclude(issued_packs__isnull=False)
        )
        stray = self.stray_files(cutoff)
        verb = "Would delete" if dry_run else "Deleted"
        if not dry_run:
            for document in documents:
                document.delete_file()
                document.delete()
            for name in stray:
                document_storage().delete(name)
        self.stdout.write(
            f"{verb} {len(documents)} document(s) and {len(stray)} stray file(s)."
        )

    @staticmethod
    def stray_files(cutoff):
        """Kept files older than ``cutoff`` that no document names."""
        storage = document_storage()
        known = set(
            Document.objects.exclude(file_name="").values_list("file_name", flat=True)
        )
        stray = []
        for kind in Document.Kind.values:
            if not storage.exists(kind):
                continue
            for name in storage.listdir(kind)[1]:
                path = f"{kind}/{name}"
                if path not in known and storage.get_modified_time(path) < cutoff:
                    stray.append(path)
        return stray
