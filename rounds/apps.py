from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"

    def ready(self) -> None:
        from rounds import capabilities, permissions

        capabilities.register()
        permissions.register_grants()
