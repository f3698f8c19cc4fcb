from django.apps import AppConfig


class KernelConfig(AppConfig):
    """Building blocks shared by every app: no models of its own."""

    name = "improvement.kernel"
    label = "kernel"
    verbose_name = "Kernel"

    def ready(self):
        from improvement.kernel import checks  # noqa: F401  (registers them)
