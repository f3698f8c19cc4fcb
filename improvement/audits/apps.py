from django.apps import AppConfig


class AuditsConfig(AppConfig):
    """Case-file audits and practice weeks: how good practice is, case by case."""

    name = "improvement.audits"
    label = "audits"
    verbose_name = "Audits"

    def ready(self):
        from improvement.audits import measure_values

        measure_values.connect()
