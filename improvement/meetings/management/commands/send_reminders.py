"""Send the reminders due today: run it once a day from any scheduler."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from improvement.kernel.dates import govuk_date
from improvement.meetings.reminders import send_reminders
from improvement.meetings.tasks import send_reminders_task


class Command(BaseCommand):
    help = (
        "Send the reminders due today: before each Improvement Board, the "
        "weekly digest, and the summary two days before. Safe to run more "
        "than once a day: each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Send what was due on this day (YYYY-MM-DD) instead."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the job for the background worker instead of sending now.",
        )

    def handle(self, *args, date=None, queue=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError("--date must be a date such as 2026-01-13") from error
        if queue:
            result = send_reminders_task.enqueue(day.isoformat())
            self.stdout.write(
                f"Queued the reminders for {govuk_date(day)} ({result.id})"
            )
            return
        sent = send_reminders(day)
        self.stdout.write(f"Sent {len(sent)} reminder{'s' if len(sent) != 1 else ''}")
