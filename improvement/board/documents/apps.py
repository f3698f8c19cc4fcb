from django.apps import AppConfig


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
