from django.apps import AppConfig


class FilesConfig(AppConfig):
    """Safe file handling for every upload (checks now; storage and downloads next)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "files"
