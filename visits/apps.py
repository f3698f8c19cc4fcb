from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """Inspections, their judgements, and monitoring visits and reviews."""

    name = "visits"
    verbose_name = "Inspections and visits"
