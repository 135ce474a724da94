from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"

    def ready(self) -> None:
        from rounds import capabilities, permissions, unit_effects, work_queue

        capabilities.register()
        permissions.register_grants()
        unit_effects.register()
        work_queue.register()
