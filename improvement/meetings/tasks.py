"""The background job that sends the day's reminders.

Queued by ``manage.py send_reminders --queue`` (from cron, say) and run by
``manage.py db_worker``, or run at once by ``manage.py send_reminders``.
"""

import datetime

from django.utils import timezone
from django_tasks import task

from improvement.meetings.reminders import send_reminders


@task()
def send_reminders_task(day=None):
    """Send the reminders due on ``day`` (ISO date; today by default).
    Returns how many were sent."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return len(send_reminders(when))
