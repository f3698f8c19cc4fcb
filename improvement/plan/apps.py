from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The improvement plan: plans, priorities, owners, actions and progress.

    The label stays "improvement": tables, permissions and history keep their
    names from before the plan app moved into its own package.
    """

    name = "improvement.plan"
    label = "improvement"
    verbose_name = "Improvement plan"

    def ready(self):
        from findings import answers as finding_answers
        from findings import filters as finding_filters
        from improvement.plan import sources  # noqa: F401  (registers its signals)
        from improvement.plan.answers import ActionAnswers
        from improvement.plan.models import Plan

        # The findings' pages filter by plan and show the actions answering
        # each finding without importing the plan app.
        finding_filters.offer_plans(Plan.objects.all)
        finding_answers.offer(ActionAnswers())
