from django.apps import AppConfig


class AuditsConfig(AppConfig):
    """Case-file audits and practice weeks: how good practice is, case by case."""

    name = "improvement.audits"
    label = "audits"
    verbose_name = "Audits"

    def ready(self):
        # The audits download, which a background job may write, registers too.
        from improvement.audits import downloads, measure_values  # noqa: F401

        measure_values.connect()
