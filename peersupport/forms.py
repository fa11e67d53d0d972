"""What every app's forms share."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit


def submit_helper(label, *, name: str = "save", **attrs) -> FormHelper:
    """A crispy helper with one submit button called `name`, labelled `label`."""
    helper = FormHelper()
    helper.add_input(Submit(name, label, **attrs))
    return helper
