"""The suggestion box: a suggestion, and the facilitators' reply."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    Suggestion,
)


class SuggestionForm(forms.ModelForm):
    anonymous = forms.BooleanField(
        label=_("Post anonymously (your name is not stored at all)"),
        help_text=_(
            "Anonymous suggestions are added to the box together, within the hour, so "
            "nobody can tell who wrote them from when they appear."
        ),
        required=False,
        initial=True,
    )

    class Meta:
        model = Suggestion
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("add", _("Add my suggestion")))


class SuggestionReplyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(v, label) for v, label in Suggestion.Status.choices if v != "open"],
    )
    reply = forms.CharField(label=_("Short reply members will see"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
