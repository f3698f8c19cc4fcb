from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The improvement plan: plans, priorities, owners, actions and progress."""

    name = "improvement"
    verbose_name = "Improvement plan"

    def ready(self):
        from findings import filters as finding_filters
        from improvement import checks, plan_sources  # noqa: F401  (registers them)
        from improvement.models import Plan

        # The findings register filters by plan without importing the plan app.
        finding_filters.offer_plans(Plan.objects.all)
