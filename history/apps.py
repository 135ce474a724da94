from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """Change history (修改记录) of every tenant record: trigger-based (django-pghistory).

    Cross-cutting and below the domain apps: it imports none of them; they import its
    ``track`` decorator. Event models live in the app of the model they track."""

    name = "history"
    verbose_name = _("Change history")

    def ready(self) -> None:
        from history import context

        context.connect_task_signals()
