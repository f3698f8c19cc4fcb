"""The forms of a person's own account pages."""

from django import forms
from django.conf import settings

from improvement.accounts import two_factor

TOO_MANY_TRIES = (
    "There have been too many wrong codes. Wait a few seconds, then enter the "
    "code your app shows"
)


class CodeForm(forms.Form):
    """One code: from the authenticator app, or a recovery code when allowed."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, check, **kwargs):
        """``check(code)`` gives None when the code is right, else what to say."""
        super().__init__(*args, **kwargs)
        self._check = check

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()
        problem = self._check(code)
        if problem:
            raise forms.ValidationError(problem)
        return code


def verify_form(request, data=None):
    """Asks for the code of the person's app, or one of their recovery codes."""

    def check(code):
        if two_factor.waiting(request.user, code):
            return TOO_MANY_TRIES
        if two_factor.check_code(request, code) is None:
            return (
                "The code is not right. Enter the 6-digit code your authenticator "
                "app shows now, or one of your recovery codes"
            )
        return None

    form = CodeForm(data, check=check)
    form.fields["code"].help_text = (
        "The 6-digit code from your authenticator app. If you do not have your "
        "phone, enter one of your recovery codes instead."
    )
    return form


def setup_form(device, data=None):
    """Asks for the code the new app shows, to show it was set up right."""

    def check(code):
        if not device.verify_is_allowed()[0]:
            return TOO_MANY_TRIES
        if not device.verify_token(code):
            return (
                f"The code is not right. Check the app shows {settings.SERVICE_NAME} "
                "and enter the 6-digit code it shows now"
            )
        return None

    form = CodeForm(data, check=check)
    form.fields["code"].help_text = "The 6-digit code your app shows after you add it."
    form.fields["code"].widget.attrs["inputmode"] = "numeric"
    return form
