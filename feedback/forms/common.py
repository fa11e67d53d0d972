"""Pieces every feedback form uses."""

from __future__ import annotations

from django import forms


def radios(choices, label):
    """A required choice of whole numbers, shown as radio buttons."""
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect
    )
