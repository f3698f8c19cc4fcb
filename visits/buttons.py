"""Buttons other apps add to an inspection's or a visit's page: an
extension point.

The visits app sits below the apps that work on what an inspection or visit
raised (importing its findings from a list, say) and never names their
pages. Such an app's ``ready()`` calls ``offer`` with a function of
``(user, source)`` (the inspection or the visit or review) that returns the
button's ``(label, url)``, or None when the user may not use it.
"""

_OFFERED = []


def offer(button):
    """Show the button ``button(user, source)`` returns on every inspection's
    and visit's page."""
    if button not in _OFFERED:
        _OFFERED.append(button)


def for_source(user, source):
    """``[(label, url)]`` of the offered buttons this user may use."""
    return [shown for button in _OFFERED if (shown := button(user, source))]
