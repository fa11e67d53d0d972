"""Pieces every feedback form uses."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


def radios(choices, label):
    """A required choice of whole numbers, shown as radio buttons."""
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect
    )


def submit_helper(label):
    """A crispy helper with one submit button, labelled `label`."""
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper
