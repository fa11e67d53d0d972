"""The suggestion box: a suggestion, and the facilitators' reply."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    Suggestion,
)
from peersupport.forms import SubmitFormMixin


class SuggestionForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Add my suggestion")
    submit_name = "add"

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


class SuggestionReplyForm(SubmitFormMixin, forms.Form):
    submit_label = _("Save")

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(v, label) for v, label in Suggestion.Status.choices if v != "open"],
    )
    reply = forms.CharField(label=_("Short reply members will see"), max_length=500, required=False)
