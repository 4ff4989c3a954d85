"""Settings of the real processes that tests/dossiers/test_import_processes.py starts: the test settings
with the database task backend (a worker to kill) and a short heartbeat timeout (recovery in seconds)."""

from qms.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DOSSIER_IMPORT_STALE_SECONDS = 2
