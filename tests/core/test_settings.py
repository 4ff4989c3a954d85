"""Production settings pass Django's deployment checklist when their environment is set."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set for the browser tests only
        "DJANGO_SETTINGS_MODULE": "qms.settings.production",
        "SECRET_KEY": "x" * 30 + "-a-long-random-value-for-the-check-only-" + "y" * 20,
        "ALLOWED_HOSTS": "iso.yenthe.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {"DJANGO_SETTINGS_MODULE": "qms.settings.production", "ALLOWED_HOSTS": "x.example"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=Path(settings.BASE_DIR), env=env,
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
