"""What every app's forms share."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


def submit_helper(label, *, name: str = "save", **attrs) -> FormHelper:
    """A crispy helper with one submit button called `name`, labelled `label`."""
    helper = FormHelper()
    helper.add_input(Submit(name, label, **attrs))
    return helper


def button_helper(
    label, *, action: str = "", name: str = "save", css: str = "btn-primary", target: str = ""
) -> FormHelper:
    """A crispy helper with one button of class `css` (instead of crispy's btn-primary, not
    mixed with it), posting to `action`; with `target` the form posts through htmx and
    swaps that element."""
    helper = FormHelper()
    if action:
        helper.form_action = action
    if target:
        helper.attrs = {"hx-post": action, "hx-target": target, "hx-swap": "outerHTML"}
    button = Submit(name, label)
    button.field_classes = f"btn {css}"
    helper.add_input(button)
    return helper


def text_box(label, *, rows: int = 3, **options) -> forms.CharField:
    """A text field typed in a box `rows` lines high."""
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **options)


def textareas(**rows: int) -> dict:
    """`Meta.widgets` of text boxes: each field's name with its height in lines."""
    return {name: forms.Textarea(attrs={"rows": height}) for name, height in rows.items()}


class SubmitFormMixin:
    """A form with one submit button: `submit_label` (lazy text), called `submit_name`."""

    submit_label = ""
    submit_name = "save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(self.submit_label, name=self.submit_name)
