"""System checks for settings that Django's own checks do not cover."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_given(app_configs, **kwargs):
    """Production must be given a SECRET_KEY; never a throwaway one."""
    if getattr(settings, "SECRET_KEY_MISSING", False):
        return [
            Error(
                "SECRET_KEY is not set.",
                hint="Set SECRET_KEY (or SECRET_KEY_FILE) in the environment.",
                id="improvement.E001",
            )
        ]
    return []
