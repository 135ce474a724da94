from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's empty-choice label; its own zh_Hans catalogue has no entry yet, so ours does.
gettext_noop("- Select an option -")


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import mark_session_active

        user_logged_in.connect(mark_session_active, dispatch_uid="accounts.mark_session_active")
