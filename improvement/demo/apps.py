from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data, large data for benchmarks, and their commands."""

    name = "improvement.demo"
    label = "demo"
    verbose_name = "Demo data"
