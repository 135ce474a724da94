"""`make lint` in the suite: CI runs `make test`, so a type error or a lint finding fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(tool: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    executable = BIN / tool
    if not executable.exists() and shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    command = [str(executable if executable.exists() else tool), *args]
    return subprocess.run(  # noqa: S603 - our own dev tools, fixed arguments
        command, cwd=ROOT, capture_output=True, text=True, env=os.environ | env, check=False
    )


def test_mypy_finds_no_error_in_services_selectors_tasks_and_tenancy():
    # The files and plugins are configured in pyproject.toml ([tool.mypy]), as `make lint` runs.
    result = _run("mypy", DEBUG="true", DATABASE_URL="postgres://lint@127.0.0.1/lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
