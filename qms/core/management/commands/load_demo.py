"""
`manage.py load_demo`: loads the demo district. Each app contributes its own part through
`AppConfig.demo_module` (a module with `load(*, stdout, scale)`), in INSTALLED_APPS order, so
core's units exist before documents, audits and dossiers refer to them. Running it twice with the
same scale changes nothing. `--scale 0.05` makes the bulk parts (dossiers) smaller, for tests.
"""

import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo district (Yên Thế): units, catalogue, users, and each app's demo records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Size of the generated bulk records relative to the full demo (default 1; tests use less).",
        )

    def handle(self, *args, **options):
        if not getattr(settings, "QMS_DEMO_ALLOWED", False):
            raise CommandError(
                "Demo data creates accounts with a published password; these settings do not allow it "
                "(set QMS_DEMO_ALLOWED = True only on a demo or development install)."
            )
        logins = []
        for app_config in apps.get_app_configs():
            module_name = getattr(app_config, "demo_module", None)
            if not module_name:
                continue
            started = time.monotonic()
            with transaction.atomic():
                result = importlib.import_module(module_name).load(stdout=self.stdout, scale=options["scale"])
            self.stdout.write(f"    ({time.monotonic() - started:.1f} s)")
            if app_config.label == "core":
                logins = result
        self.stdout.write(self.style.SUCCESS("Demo district loaded."))
        self.stdout.write("Demo logins (username / password – role):")
        for username, password, role in logins:
            self.stdout.write(f"  {username:<12} / {password} – {role}")
