"""`manage.py send_cycle_reminders [--date D]`: the monthly e-mail about the annual QMS cycle (cron, daily is fine)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_date

from recognition.cycle import send_cycle_reminders


class Command(BaseCommand):
    help = "E-mail quality officers the units without an audit or review in 11 months and overdue legal updates (once a month)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Day to check, YYYY-MM-DD (default: today).")

    def handle(self, *args, date=None, **options):
        on = parse_date(date) if date else timezone.localdate()
        sent = send_cycle_reminders(on=on)
        self.stdout.write(f"{sent} reminder(s) sent for {on:%d/%m/%Y}.")
