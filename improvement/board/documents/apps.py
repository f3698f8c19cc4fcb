from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents prepared by background jobs and kept for reuse."""

    name = "improvement.board.documents"
    label = "documents"
    verbose_name = "Prepared documents"
    default_auto_field = "django.db.models.BigAutoField"
