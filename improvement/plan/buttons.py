"""Buttons other apps add to a plan's page: an extension point.

The plan app sits below the apps that work on a whole plan (importing it
from a tracker, say) and never names their pages. Such an app's ``ready()``
calls ``offer`` with a function of ``(user, plan)`` that returns the
button's ``(label, url)``, or None when the user may not use it.
"""

_OFFERED = []


def offer(button):
    """Show the button ``button(user, plan)`` returns on every plan's page."""
    if button not in _OFFERED:
        _OFFERED.append(button)


def for_plan(user, plan):
    """``[(label, url)]`` of the offered buttons this user may use."""
    return [shown for button in _OFFERED if (shown := button(user, plan))]
