from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The improvement plan: plans, priorities, owners, actions and progress."""

    name = "improvement"
    verbose_name = "Improvement plan"
