from django.apps import AppConfig


class FindingsConfig(AppConfig):
    """What inspections and visits found: the findings register and themes."""

    name = "findings"
    verbose_name = "Findings"
