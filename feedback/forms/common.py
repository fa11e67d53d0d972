"""Pieces every feedback form uses."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


def radios(choices, label):
    """A required choice of whole numbers, shown as radio buttons."""
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect
    )


def survey_helper(marker: str, rated: list[str], radio_names: list[str], texts: list[str]):
    """The layout of an anonymous survey: the hidden `marker` (what the form was built
    for), a row of radios per rated item and per name in `radio_names`, the free `texts`,
    and one "Send my answers" button."""
    helper = FormHelper()
    helper.layout = Layout(
        marker,
        *[InlineRadios(name) for name in [*rated, *radio_names]],
        *[Field(name) for name in texts],
    )
    helper.add_input(Submit("send", _("Send my answers")))
    return helper
