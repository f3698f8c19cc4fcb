from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in safely: lockouts, passwords, sessions and the sign-in record."""

    name = "improvement.accounts"
    label = "accounts"
    verbose_name = "Accounts and signing in"

    def ready(self):
        from improvement.accounts import events

        events.connect()
