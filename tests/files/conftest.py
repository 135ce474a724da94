from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    """The private storage in a directory of the test's own, empty at its start."""
    root = tmp_path / "private_media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def stored_paths(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
