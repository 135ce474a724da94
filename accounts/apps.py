from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import mark_session_active

        user_logged_in.connect(mark_session_active, dispatch_uid="accounts.mark_session_active")
