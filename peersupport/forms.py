"""What every app's forms share."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit


def submit_helper(label, *, name: str = "save", **attrs) -> FormHelper:
    """A crispy helper with one submit button called `name`, labelled `label`."""
    helper = FormHelper()
    helper.add_input(Submit(name, label, **attrs))
    return helper


class SubmitFormMixin:
    """A form with one submit button: `submit_label` (lazy text), called `submit_name`."""

    submit_label = ""
    submit_name = "save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(self.submit_label, name=self.submit_name)
