from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Measures of impact: what a plan counts, with targets and values."""

    name = "improvement.measures"
    label = "measures"
    verbose_name = "Measures"
