from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The improvement plan: plans, priorities, owners, actions and progress."""

    name = "improvement"
    verbose_name = "Improvement plan"

    def ready(self):
        from improvement import checks  # noqa: F401  (registers the checks)
