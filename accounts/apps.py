from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from accounts import signals  # noqa: F401 - importing signals connects them
        from accounts.navigation import register_menu

        register_menu()
