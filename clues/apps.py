from django.apps import AppConfig


class CluesConfig(AppConfig):
    name = "clues"

    def ready(self) -> None:
        from clues import capabilities, workspace

        capabilities.register()
        workspace.register()
