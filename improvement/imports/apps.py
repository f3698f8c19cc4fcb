from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports: a council's existing tracker, checked before anything is saved."""

    name = "improvement.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from improvement.imports.findings_views import import_findings_button
        from improvement.imports.views import import_button
        from improvement.plan import buttons
        from visits import buttons as visit_buttons

        # The plan's page offers managers the import without naming it, and
        # so do the pages of inspections and visits for their findings.
        buttons.offer(import_button)
        visit_buttons.offer(import_findings_button)
