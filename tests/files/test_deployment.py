"""The private storage is configured, kept out of git and the image, and on a volume in Docker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xuncha import settings

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_private_storage_is_local_and_outside_media_by_default():
    private = settings.STORAGES["private"]  # the project's, not the tests' override

    assert private["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert Path(private["OPTIONS"]["location"]) == ROOT / "private_media"
    assert not Path(private["OPTIONS"]["location"]).is_relative_to(settings.MEDIA_ROOT)


def test_private_media_is_neither_committed_nor_built_into_the_image():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    docker_ignored = (ROOT / ".dockerignore").read_text().splitlines()

    assert ("private_media/" in ignored, "private_media" in docker_ignored) == (True, True)


def test_web_and_worker_keep_private_media_on_a_volume():
    root = COMPOSE["x-app-env"]["PRIVATE_MEDIA_ROOT"]

    for service in ("web", "worker"):
        assert f"private-media:{root}" in COMPOSE["services"][service]["volumes"]
    assert "private-media" in COMPOSE["volumes"]


def test_a_bucket_switches_the_private_storage_to_s3():
    pytest.importorskip("storages", reason="the s3 extra is not installed")
    probe = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['private']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.file_overwrite)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xuncha.settings",
        "PRIVATE_STORAGE_BUCKET": "xuncha-private",
        "PRIVATE_STORAGE_ENDPOINT_URL": "http://127.0.0.1:9000",
    }

    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", probe],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split() == [
        "S3Storage",
        "xuncha-private",
        "http://127.0.0.1:9000",
        "private",
        "False",
    ], result.stderr
