from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Measures of impact: what a plan counts, with targets and values."""

    name = "improvement.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self):
        # Registers the values download, which a background job may write.
        from improvement.measures import downloads  # noqa: F401
