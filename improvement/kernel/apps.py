from django.apps import AppConfig


class KernelConfig(AppConfig):
    """Building blocks shared by every app: no models of its own."""

    name = "improvement.kernel"
    label = "kernel"
    verbose_name = "Kernel"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from improvement.kernel import checks  # noqa: F401  (registers them)
        from improvement.kernel.kept import forget_names

        # Kept pages name people, and a rename writes no history.
        post_save.connect(forget_names, sender=get_user_model())
