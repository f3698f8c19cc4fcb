from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports: a council's existing tracker, checked before anything is saved."""

    name = "improvement.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from improvement.imports.views import import_button
        from improvement.plan import buttons

        # The plan's page offers managers the import without naming it.
        buttons.offer(import_button)
