from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make demo`: wires every app's seed together (no models)."""

    name = "demo"
