"""
`manage.py send_notifications [--date YYYY-MM-DD]`: the daily run of notifications. Records the day's
reminders (overdue corrective actions and nonconformities, documents due for review), then mails every
pending notification, one e-mail per person (the daily digest). Started each morning by
deploy/qms-notify.timer; running it again sends nothing new (docs/notifications.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from qms.notifications.services import notifications_daily


class Command(BaseCommand):
    help = "Record the day's reminders and e-mail every pending notification, one message per person."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            today = parse_date(options["date"])
            if today is None:
                raise CommandError("--date: expected YYYY-MM-DD")
        report = notifications_daily(today=today)
        self.stdout.write(f"{report.emails} e-mail(s) with {report.notifications} notification(s).")
        if report.failed:
            self.stderr.write(f"Sending failed (retried on the next run): {', '.join(report.failed)}")
        if report.without_email:
            self.stderr.write(f"No e-mail address, kept pending: {', '.join(report.without_email)}")
