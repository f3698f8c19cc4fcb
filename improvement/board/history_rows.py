"""What both halves of "What changed" share (``action_changes`` and
``recorded_changes``) to read history rows: ``choice_label`` names a stored
choice in words. (The row just before each is ``previous_record``, in the
kernel's timeline.)
"""


def choice_label(model_field, value):
    """``value`` of the choice field ``model_field`` in words."""
    return str(dict(model_field.flatchoices).get(value, value or ""))
