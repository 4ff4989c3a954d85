"""
Production settings for a service: persistent connections by default and one cache shared by every
process (gunicorn workers and the task worker), so a report computed by one is reused by another.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'max_age': s.DATABASES['default']['CONN_MAX_AGE'], "
    "'health': s.DATABASES['default']['CONN_HEALTH_CHECKS'], 'cache': s.CACHES['default']['BACKEND'], "
    "'sqlite': s.DATABASES['default'].get('OPTIONS')}))"
)


@pytest.fixture
def production(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_CONN_MAX_AGE", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "qms.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "iso.yenthe.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    def run(*args, **extra):
        result = subprocess.run(
            [sys.executable, *args], cwd=Path(settings.BASE_DIR), env=env | extra,
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    return run


def test_persistent_connections_and_the_database_cache_by_default(production):
    shown = json.loads(production("-c", SHOW))
    assert shown["max_age"] == 60
    assert shown["health"] is True
    assert shown["cache"] == "qms.core.cache.DatabaseCache"
    assert shown["sqlite"] == settings.QMS_SQLITE_OPTIONS
    assert json.loads(production("-c", SHOW, DATABASE_CONN_MAX_AGE="0"))["max_age"] == 0


def test_redis_url_switches_to_djangos_redis_cache(production):
    shown = json.loads(production("-c", SHOW, REDIS_URL="redis://127.0.0.1:6379/1"))
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_a_value_cached_by_one_process_is_read_by_another(production):
    production("manage.py", "createcachetable")
    setup = "import django; django.setup(); from django.core.cache import cache; "
    production("-c", setup + "cache.set('report', 'Biểu 06', 60)")
    assert production("-c", setup + "print(cache.get('report'))").strip() == "Biểu 06"
