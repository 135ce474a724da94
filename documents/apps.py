from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Document requests (调阅): the team asks, the unit's liaison answers with files."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"

    def ready(self) -> None:
        from documents import capabilities, work_queue, workspace

        capabilities.register()
        work_queue.register()
        workspace.register()
