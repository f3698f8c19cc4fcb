from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """The meetings that govern the plan: their decisions, questions, actions
    arising, and the reminders sent before them."""

    name = "improvement.meetings"
    label = "meetings"
    verbose_name = "Meetings"
