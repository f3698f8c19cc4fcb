"""Views of meetings: the meetings and their record (``meetings``), and what
they leave to follow up, answers owed, actions arising and reminders
(``follow_up``)."""
