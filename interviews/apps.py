from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"

    def ready(self) -> None:
        from interviews import capabilities, gates, workspace

        capabilities.register()
        gates.register()
        workspace.register()
