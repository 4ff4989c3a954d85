"""
`manage.py import_recover`: mark failed the dossier imports whose process vanished (no heartbeat for
DOSSIER_IMPORT_STALE_SECONDS). Safe to run from cron every few minutes; the worker runs it at start
and a batch's page runs it for that batch.
"""

from django.core.management.base import BaseCommand

from qms.dossiers.services import import_batches_recover


class Command(BaseCommand):
    help = "Mark failed the dossier imports whose process stopped without finishing."

    def handle(self, *args, **options):
        failed = import_batches_recover()
        if failed:
            self.stdout.write(f"Marked failed: {', '.join(f'#{pk}' for pk in failed)}")
        elif options["verbosity"] > 1:
            self.stdout.write("No abandoned import.")
