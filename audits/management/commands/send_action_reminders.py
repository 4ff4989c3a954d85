"""
`manage.py send_action_reminders`: e-mail the people responsible for corrective actions due within
7 days or overdue, one message per person, each action at most once a day. Run it daily (cron or a
systemd timer); running it again the same day sends nothing new.
"""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from audits.services import action_reminders_send


class Command(BaseCommand):
    help = "E-mail reminders about corrective actions due within 7 days or overdue (once per action per day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this day (YYYY-MM-DD); for catching up after a gap.")

    def handle(self, *args, **options):
        today = parse_date(options["date"]) if options.get("date") else None
        report = action_reminders_send(today=today)
        self.stdout.write(f"{report.emails} e-mail(s) about {report.actions} action(s).")
        if report.failed:
            self.stderr.write(f"Sending failed (will be retried): {', '.join(sorted(report.failed))}")
        if report.without_email:
            self.stderr.write(f"No e-mail address, not reminded: {', '.join(sorted(report.without_email))}")
