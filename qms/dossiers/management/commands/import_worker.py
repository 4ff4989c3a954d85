"""
`manage.py import_worker [db_worker options]`: the task worker of `make run` and of production.
It fails the imports a previous worker left behind, keeps a heartbeat (so a batch page can say
when no worker is running), then runs django-tasks-db's `db_worker` with the given options.
"""

import contextlib
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from qms.dossiers import services

#: Seconds between two heartbeats of the worker (DOSSIER_WORKER_STALE_SECONDS must be well above it).
BEAT_SECONDS = 10


class Command(BaseCommand):
    help = "Run the task worker (db_worker) with recovery of abandoned imports and a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("worker_args", nargs="*", help="Options passed on to db_worker (after --).")

    def handle(self, *args, worker_args, **options):
        if _reloader_parent(worker_args):
            # With --reload (the default under DEBUG) this process only watches files and restarts
            # a child that runs the worker: the child recovers and beats, not the watcher.
            call_command("db_worker", *worker_args)
            return
        name = services.this_runner()
        failed = services.import_batches_recover()
        if failed:
            self.stdout.write(f"Marked failed (abandoned): {', '.join(f'#{pk}' for pk in failed)}")
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(name, stop), name="import-worker-heartbeat", daemon=True)
        beat.start()
        try:
            call_command("db_worker", *worker_args)
        finally:
            stop.set()
            beat.join(timeout=2)
            # The database may be why we stop: then the row just ages out.
            with contextlib.suppress(Exception):
                services.import_worker_gone(name=name)


def _reloader_parent(worker_args) -> bool:
    reload = "--reload" in worker_args or (settings.DEBUG and "--no-reload" not in worker_args)
    return reload and "--batch" not in worker_args and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"


def _beat(name: str, stop: threading.Event) -> None:
    """Every BEAT_SECONDS, on its own connection (a running import's transaction must not carry it)."""
    try:
        while not stop.is_set():
            # A locked or restarting database: beat again next time.
            with contextlib.suppress(Exception):
                services.import_worker_beat(name=name)
            stop.wait(BEAT_SECONDS)
    finally:
        connection.close()
