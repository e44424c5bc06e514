from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from django.core import checks

        from accounts import cis2, signals  # noqa: F401 - importing signals connects them
        from accounts.navigation import register_menu

        checks.register(cis2.check_settings, checks.Tags.security)
        register_menu()
