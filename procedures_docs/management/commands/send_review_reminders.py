"""
`manage.py send_review_reminders [--today YYYY-MM-DD] [--within 30]`: e-mail the owners of each
document in force whose review is overdue or due soon, once per owner, document and review period.
Meant for a daily cron job; the log of what was sent (ReviewReminder) makes reruns harmless.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from procedures_docs.services import review_reminders_send


class Command(BaseCommand):
    help = "E-mail document owners whose review is overdue or due within 30 days (once per period)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The date to act as if it were today (YYYY-MM-DD).")
        parser.add_argument("--within", type=int, default=30, help="Days ahead that count as due soon (default 30).")

    def handle(self, *args, today=None, within=30, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        sent = review_reminders_send(today=day, within_days=within)
        self.stdout.write(f"{sent} review reminder(s) sent.")
