import sys

from django.apps import AppConfig

#: The commands that run background jobs: they load the PDF typesetter when
#: they start, so the first board pack does not wait for it.
WORKER_COMMANDS = {"db_worker"}


class DocumentsConfig(AppConfig):
    """Documents prepared by background jobs and kept for reuse."""

    name = "improvement.board.documents"
    label = "documents"
    verbose_name = "Prepared documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Large downloads of the apps below the board are prepared here.
        from improvement.board.documents.service import prepare_download
        from improvement.kernel import downloads

        downloads.prepare_with(prepare_download)

        # After each change, the board's pages are built again in the
        # background (when the cache is shared: improvement.board.warming).
        from simple_history.signals import post_create_historical_record

        from improvement.board.warming import history_written

        post_create_historical_record.connect(
            history_written, dispatch_uid="board-pages-warmed"
        )

        if is_worker(sys.argv):
            import weasyprint  # noqa: F401 - loaded once, before the first job


def is_worker(argv):
    """Whether this process was started as the background worker."""
    return len(argv) > 1 and argv[1] in WORKER_COMMANDS
