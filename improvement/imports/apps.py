from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports: a council's existing tracker, checked before anything is saved."""

    name = "improvement.imports"
    label = "imports"
    verbose_name = "Imports"
