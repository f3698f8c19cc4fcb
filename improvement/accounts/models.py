"""The sign-in record: who signed in, out or failed to, from where, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignInEvent(models.Model):
    """One thing that happened to an account's access, as it happened.

    Written by the site only (see ``improvement.accounts.events``); nobody
    changes or deletes a row, in Django admin or anywhere else. ``username``
    keeps what was typed, so failures for accounts that do not exist are
    recorded too, and the row keeps its meaning if the account is deleted.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"
        LOCKED_OUT = "locked_out", "Locked out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "reset_requested", "Password reset asked for"
        PASSWORD_RESET = "password_reset", "Password reset"
        TWO_FACTOR_ADDED = "two_factor_added", "Two-factor sign-in set up"
        TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor sign-in removed"
        SESSION_EXPIRED = "session_expired", "Signed out after inactivity"

    at = models.DateTimeField("time", default=timezone.now, db_index=True)
    kind = models.CharField("what happened", max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name="account",
    )
    username = models.CharField("username given", max_length=150, blank=True)
    address = models.GenericIPAddressField("address", null=True, blank=True)
    browser = models.CharField("browser", max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "sign-in event"
        verbose_name_plural = "sign-in record"
        indexes = [
            models.Index(fields=["user", "-at"], name="accounts_event_user_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or '(no username)'}"
